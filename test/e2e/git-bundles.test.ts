/**
 * DAG bundles from git, deploy by push: a bare repository in the test's temp folder, a working
 * clone that commits and pushes DAG files, and a scheduler configured with
 * `core.dags_bundle = git:file://...#main:dags`. A run records commit A; commit B is pushed while
 * the run is held; `updraft dags refresh` makes the scheduler fetch B at once; the held run
 * finishes on A's code, a new run records B and runs B's code (return values in XCom), and the
 * REST API's run payload names each run's commit. A repository that cannot be fetched is a clear
 * error from `updraft dags refresh`, and the scheduler keeps B: new runs still start and succeed;
 * so does a scheduler restarted with a URL that names no repository. Restarted with the right URL
 * and a 1 s refresh interval, the scheduler makes a pushed commit C current by itself.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebserver, type RunningWebserver } from '@updraft/webserver';
import { createGitRemote, runCli, type GitRemote } from '../harness/index.js';
import { waitFor, waitForRunEnd } from './db.js';
import { spawnUpdraft, type UpdraftProcess } from './processes.js';
import { startStack, type Stack } from './stack.js';

const DAG = 'git_it';
const ADMIN = { username: 'admin', password: 'git-Admin-pw-7731' };
let stack: Stack;
let web: RunningWebserver;
let repoDir: string;
let repo: GitRemote;
let remote: string;
let work: string;


/** The DAG at one commit: `first` and `second` return the module's version; `hold` waits for E2E_WORK_DIR/release-<run>. */
function writeDags(version: string, extraTask: boolean): void {
  const dags = join(work, 'dags');
  mkdirSync(join(dags, 'lib'), { recursive: true });
  writeFileSync(join(dags, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(dags, 'lib', 'version.ts'), `export const codeVersion = '${version}';\n`);
  writeFileSync(join(dags, 'git_it.ts'), `import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dag } from '@updraft/sdk';
import { codeVersion } from './lib/version.js';

export default dag({ dagId: '${DAG}', schedule: null, params: { workDir: process.env.E2E_WORK_DIR ?? '.' } }, (d) => {
  const first = d.fn('first', () => codeVersion);
  const hold = d.fn('hold', async (ctx) => {
    const file = join(String(ctx.params.workDir), 'release-' + ctx.runId);
    for (let i = 0; i < 1200 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 100));
    if (!existsSync(file)) throw new Error(file + ' never appeared');
    return true;
  });
  const second = d.fn('second', () => codeVersion);
  first.then(hold).then(second);${extraTask ? "\n  d.fn('added_in_b', () => codeVersion);" : ''}
});
`);
  // Outside the bundle's subdir: part of the commit, not of the bundle.
  writeFileSync(join(work, 'README.md'), `DAGs, ${version}\n`);
}

/** Commits the working clone and pushes it to main; resolves with the commit. */
const commitAndPush = (message: string): string => repo.commitAndPush(message);

async function returned(runId: string, taskId: string): Promise<unknown> {
  const r = await stack.pool.query<{ value: unknown }>(
    "SELECT value FROM xcom WHERE dag_id = $1 AND run_id = $2 AND task_id = $3 AND key = 'return_value'", [DAG, runId, taskId]);
  expect(r.rows, `return value of ${taskId} in ${runId}`).toHaveLength(1);
  return r.rows[0]!.value;
}

/** The run's payload in the REST API. */
async function apiRun(runId: string): Promise<{ bundle_version: string | null; bundle_commit: string | null }> {
  const auth = `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64')}`;
  const res = await fetch(`${web.url}/api/v1/dags/${DAG}/dagRuns/${encodeURIComponent(runId)}`, { headers: { authorization: auth, accept: 'application/json' } });
  expect(res.status).toBe(200);
  return (await res.json()) as { bundle_version: string | null; bundle_commit: string | null };
}

const release = (runId: string): void => writeFileSync(join(stack.workDir, `release-${runId}`), '');

async function waitForTask(runId: string, taskId: string, state: string): Promise<void> {
  await waitFor(`${taskId} of ${runId} to be ${state}`, async () => {
    const r = await stack.pool.query<{ state: string }>('SELECT state FROM task_instance WHERE dag_id = $1 AND run_id = $2 AND task_id = $3', [DAG, runId, taskId]);
    return r.rows[0]?.state === state ? true : undefined;
  }, { diagnostics: () => stack.diagnostics() });
}

let commitA: string;
/** Schedulers this file starts after the stack's own (stopped in afterAll). */
const schedulers: UpdraftProcess[] = [];

/** Stops the running scheduler(s) and starts `updraft scheduler` with `env` on top of the stack's. */
async function restartScheduler(name: string, env: Record<string, string>): Promise<UpdraftProcess> {
  await stack.scheduler?.stop('SIGTERM', 20_000);
  for (const p of schedulers) await p.stop('SIGTERM', 20_000);
  const p = spawnUpdraft(name, ['scheduler'], { env: { ...stack.env, ...env }, logFile: join(stack.dir, 'proc', `${name}.log`), cwd: stack.dir });
  schedulers.push(p);
  await p.waitForOutput(/scheduler ready/, 60_000);
  return p;
}

beforeAll(async () => {
  repoDir = mkdtempSync(join(tmpdir(), 'updraft-git-bundle-'));
  repo = createGitRemote(repoDir);
  ({ remote, work } = repo);
  writeDags('A', false);
  commitA = commitAndPush('DAGs A');

  stack = await startStack({
    dagFiles: [],
    workers: [{ name: 'git-w1', concurrency: 2 }],
    env: {
      UPDRAFT__CORE__DAGS_BUNDLE: `git:file://${remote}#main:dags`,
      UPDRAFT__CORE__DAGS_BUNDLE_GIT_FOLDER: join(repoDir, 'scheduler-clone'),
    },
  });
  web = await startWebserver({ listen: '127.0.0.1:0', db: stack.pool, logFolder: stack.logFolder });
  const user = await runCli(['users', 'create', '--username', ADMIN.username, '--role', 'Admin', '--email', 'admin@example.com', '--password-stdin'],
    { env: stack.env, input: `${ADMIN.password}\n` });
  expect(user.code, user.stderr).toBe(0);
});

afterAll(async () => {
  for (const p of schedulers) await p.stop('SIGTERM', 20_000);
  await web?.close();
  await stack?.stop();
  if (repoDir && process.env.E2E_KEEP !== '1') rmSync(repoDir, { recursive: true, force: true });
});

describe('DAG bundles from git', () => {
  it('deploys by push: a refresh makes commit B current, the run in progress keeps A\'s code and a new run records B and runs its code', async () => {
    const run1 = await stack.trigger(DAG);
    expect(await apiRun(run1)).toMatchObject({ bundle_commit: commitA });
    await waitForTask(run1, 'first', 'success');

    writeDags('B', true);
    const commitB = commitAndPush('DAGs B');
    const refresh = await stack.cli(['dags', 'refresh']);
    expect(refresh.code, `${refresh.stderr}\n${stack.diagnostics()}`).toBe(0);
    expect(refresh.stdout).toContain(`commit ${commitB}`);
    const current = await stack.pool.query<{ version: string; git_commit: string }>(
      "SELECT b.version, v.git_commit FROM dag_bundle b JOIN dag_bundle_version v USING (version) WHERE b.name = 'dags'");
    expect(current.rows[0]?.git_commit).toBe(commitB);
    expect(refresh.stdout).toContain(`version ${current.rows[0]!.version}`);

    release(run1);
    const end1 = await waitForRunEnd(stack.pool, DAG, run1, { diagnostics: () => stack.diagnostics() });
    expect(end1.state).toBe('success');
    expect([await returned(run1, 'first'), await returned(run1, 'second')]).toEqual(['A', 'A']);
    const payload1 = await apiRun(run1);
    expect(payload1.bundle_commit).toBe(commitA);

    const run2 = await stack.trigger(DAG);
    const payload2 = await apiRun(run2);
    expect(payload2.bundle_commit).toBe(commitB);
    expect(payload2.bundle_version).toBe(current.rows[0]!.version);
    expect(payload2.bundle_version).not.toBe(payload1.bundle_version);
    release(run2);
    const end2 = await waitForRunEnd(stack.pool, DAG, run2, { diagnostics: () => stack.diagnostics() });
    expect(end2.state).toBe('success');
    expect([await returned(run2, 'first'), await returned(run2, 'second'), await returned(run2, 'added_in_b')]).toEqual(['B', 'B', 'B']);
    const tasks1 = await stack.pool.query('SELECT 1 FROM task_instance WHERE dag_id = $1 AND run_id = $2 AND task_id = $3', [DAG, run1, 'added_in_b']);
    expect(tasks1.rows).toHaveLength(0);
  });

  it('a repository that cannot be fetched is a clear error, and the scheduler keeps the last good commit', async () => {
    const before = await stack.pool.query<{ version: string; git_commit: string }>(
      "SELECT b.version, v.git_commit FROM dag_bundle b JOIN dag_bundle_version v USING (version) WHERE b.name = 'dags'");
    const good = before.rows[0]!;
    renameSync(remote, `${remote}.moved`);
    try {
      const refresh = await stack.cli(['dags', 'refresh']);
      expect(refresh.code).not.toBe(0);
      expect(refresh.stderr).toContain(`refresh of the DAG bundle failed: DAG bundle git:file://${remote}#main:dags: git fetch failed:`);
      expect(refresh.stderr).toContain('does not appear to be a git repository');

      const after = await stack.pool.query<{ version: string }>("SELECT version FROM dag_bundle WHERE name = 'dags'");
      expect(after.rows[0]?.version).toBe(good.version);
      const dag = await stack.pool.query<{ is_active: boolean }>('SELECT is_active FROM dag WHERE dag_id = $1', [DAG]);
      expect(dag.rows[0]?.is_active).toBe(true);
      const run3 = await stack.trigger(DAG);
      expect((await apiRun(run3)).bundle_commit).toBe(good.git_commit);
      release(run3);
      const end3 = await waitForRunEnd(stack.pool, DAG, run3, { diagnostics: () => stack.diagnostics() });
      expect(end3.state).toBe('success');
      expect(await returned(run3, 'second')).toBe('B');
    } finally {
      renameSync(`${remote}.moved`, remote);
    }
    const again = await stack.cli(['dags', 'refresh']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`commit ${good.git_commit}`);
  });

  it('a scheduler started with a bad URL keeps the last good commit; one started with the right URL fetches pushes by itself', async () => {
    const good = (await stack.pool.query<{ version: string; git_commit: string }>(
      "SELECT b.version, v.git_commit FROM dag_bundle b JOIN dag_bundle_version v USING (version) WHERE b.name = 'dags'")).rows[0]!;
    const missing = `git:file://${repoDir}/missing.git#main:dags`;
    const bad = await restartScheduler('scheduler-bad-url', { UPDRAFT__CORE__DAGS_BUNDLE: missing });
    await bad.waitForOutput(/DAG bundle fetch failed/);
    expect(bad.tail(200)).toContain(`DAG bundle ${missing}: git fetch failed:`);
    const refresh = await stack.cli(['dags', 'refresh']);
    expect(refresh.code).not.toBe(0);
    expect(refresh.stderr).toContain(`DAG bundle ${missing}: git fetch failed:`);
    expect((await stack.pool.query<{ version: string }>("SELECT version FROM dag_bundle WHERE name = 'dags'")).rows[0]?.version).toBe(good.version);
    const run4 = await stack.trigger(DAG);
    expect((await apiRun(run4)).bundle_commit).toBe(good.git_commit);
    release(run4);
    expect((await waitForRunEnd(stack.pool, DAG, run4, { diagnostics: () => `${bad.tail(40)}\n${stack.diagnostics()}` })).state).toBe('success');
    expect(await returned(run4, 'second')).toBe('B');

    // The right URL and a short interval: a push becomes current without `dags refresh`.
    const fixed = await restartScheduler('scheduler-interval', { UPDRAFT__CORE__DAGS_BUNDLE_REFRESH_INTERVAL: '1s' });
    writeDags('C', true);
    const commitC = commitAndPush('DAGs C');
    await waitFor('commit C to become current', async () => {
      const r = await stack.pool.query<{ git_commit: string }>(
        "SELECT v.git_commit FROM dag_bundle b JOIN dag_bundle_version v USING (version) WHERE b.name = 'dags'");
      return r.rows[0]?.git_commit === commitC ? true : undefined;
    }, { diagnostics: () => fixed.tail(40) });
    // The DAG files of C are parsed right after the version is stored: a refresh waits for them.
    const refreshed = await stack.cli(['dags', 'refresh']);
    expect(refreshed.stdout, refreshed.stderr).toContain(`commit ${commitC}`);
    const run5 = await stack.trigger(DAG);
    expect((await apiRun(run5)).bundle_commit).toBe(commitC);
    release(run5);
    expect((await waitForRunEnd(stack.pool, DAG, run5, { diagnostics: () => fixed.tail(40) })).state).toBe('success');
    expect(await returned(run5, 'added_in_b')).toBe('C');
  });
});
