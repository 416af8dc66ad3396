/**
 * DAG bundles end to end: a DAG file importing local modules (./lib/transform.ts, which imports
 * ./deeper/helper.ts) runs on a worker whose DAG cache is its own folder (no shared DAGs folder);
 * the worker materializes the run's bundle version from the scheduler. Changing the module while
 * a run is in progress leaves the rest of that run on the version it started with; the next run
 * gets the new version. Then the bundle gets a package.json and package-lock.json naming a package
 * kept inside the bundle (a `file:` dependency, no network): the worker installs it with `npm ci`
 * into its cache, never into its own node_modules; a lockfile whose package cannot be installed
 * fails the task with "dependency install failed" naming the package, and so does a `file:` tarball
 * replaced under the same name without a new lockfile (never the old package from an earlier install).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '@updraft/core';
import { REPO_ROOT } from '../harness/index.js';
import { taskInstances, taskTries, waitFor, waitForRunEnd } from './db.js';
import { startStack, type Stack } from './stack.js';

const DAG = 'bundle_it';
let stack: Stack;

type Returned = { task: string; version: string; helper: string; from: string };

async function returned(runId: string, taskId: string): Promise<Returned> {
  const r = await stack.pool.query<{ value: Returned }>(
    "SELECT value FROM xcom WHERE dag_id = $1 AND run_id = $2 AND task_id = $3 AND key = 'return_value'", [DAG, runId, taskId]);
  expect(r.rows, `return value of ${taskId}`).toHaveLength(1);
  return r.rows[0]!.value;
}

async function runBundle(runId: string): Promise<string | null> {
  const r = await stack.pool.query<{ bundle_version: string | null }>('SELECT bundle_version FROM dag_run WHERE dag_id = $1 AND run_id = $2', [DAG, runId]);
  return r.rows[0]?.bundle_version ?? null;
}

/** `updraft dags list` processes the folder (as the scheduler's next scan would); waits until the folder's version is current. */
async function refresh(): Promise<string> {
  const { version } = await readBundle(stack.dagsFolder);
  const r = await stack.cli(['dags', 'list', '--output', 'json']);
  expect(r.code, r.stderr).toBe(0);
  await waitFor('the new bundle version to be current', async () => {
    const cur = await stack.pool.query<{ version: string }>("SELECT version FROM dag_bundle WHERE name = 'dags'");
    return cur.rows[0]?.version === version ? true : undefined;
  });
  return version;
}

beforeAll(async () => {
  stack = await startStack({ dagFiles: [], workers: [{ name: 'bundle-w1', concurrency: 2 }] });
  cpSync(join(REPO_ROOT, 'test/fixtures/bundle-e2e'), stack.dagsFolder, { recursive: true });
  await refresh();
  const unpause = await stack.cli(['dags', 'unpause', DAG]);
  expect(unpause.code, unpause.stderr).toBe(0);
});

afterAll(async () => {
  await stack?.stop();
});

describe('DAG bundles', () => {
  it('runs every task of a run against the bundle version it started with, and the next run against the new one', async () => {
    const v1 = (await readBundle(stack.dagsFolder)).version;
    const run1 = await stack.trigger(DAG);
    expect(await runBundle(run1)).toBe(v1);
    await waitFor('first to succeed', async () => ((await taskInstances(stack.pool, DAG, run1)).get('first')?.state === 'success' ? true : undefined),
      { diagnostics: () => stack.diagnostics() });

    // Mid-run: the module changes (and a new bundle version becomes current) before `second` starts.
    const moduleFile = join(stack.dagsFolder, 'lib', 'transform.ts');
    writeFileSync(moduleFile, readFileSync(moduleFile, 'utf8').replace("version: 'v1'", "version: 'v2'"));
    writeFileSync(join(stack.dagsFolder, 'lib', 'deeper', 'helper.ts'), "export const helperVersion = 'h2';\n");
    const v2 = await refresh();
    expect(v2).not.toBe(v1);
    writeFileSync(join(stack.workDir, 'release'), '');

    const end1 = await waitForRunEnd(stack.pool, DAG, run1, { diagnostics: () => stack.diagnostics() });
    expect(end1.state).toBe('success');
    const first1 = await returned(run1, 'first');
    const second1 = await returned(run1, 'second');
    expect([first1.version, first1.helper]).toEqual(['v1', 'h1']);
    expect([second1.version, second1.helper]).toEqual(['v1', 'h1']);
    // Loaded from the worker's own cache, inside the run's bundle version: not from the DAGs folder.
    const cache = join(stack.dir, 'dag-cache-bundle-w1');
    expect(second1.from).toBe(`file://${join(cache, 'bundles', v1, 'lib', 'transform.ts')}`);

    const run2 = await stack.trigger(DAG);
    expect(await runBundle(run2)).toBe(v2);
    const end2 = await waitForRunEnd(stack.pool, DAG, run2, { diagnostics: () => stack.diagnostics() });
    expect(end2.state).toBe('success');
    for (const task of ['first', 'second']) {
      const r = await returned(run2, task);
      expect([r.version, r.helper, r.from]).toEqual(['v2', 'h2', `file://${join(cache, 'bundles', v2, 'lib', 'transform.ts')}`]);
    }
    expect(readdirSync(join(cache, 'bundles')).filter((n) => !n.startsWith('.')).sort()).toEqual([v1, v2].sort());
  });
});

describe('updraft dags refresh', () => {
  it('makes the scheduler scan the DAGs folder now and prints the version that became current', async () => {
    writeFileSync(join(stack.dagsFolder, 'lib', 'deeper', 'helper.ts'), "export const helperVersion = 'h3';\n");
    const { version } = await readBundle(stack.dagsFolder);
    const r = await stack.cli(['dags', 'refresh', '--output', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ source: 'the DAGs folder', commit: null, version });
    const cur = await stack.pool.query<{ version: string }>("SELECT version FROM dag_bundle WHERE name = 'dags'");
    expect(cur.rows[0]?.version).toBe(version);
  });
});

describe('dependencies of a bundle', () => {
  const cache = (): string => join(stack.dir, 'dag-cache-bundle-w1');

  /** Writes the bundle's package.json and installs it in the DAGs folder as a user would (the scheduler parses with it). */
  function declare(dependencies: Record<string, string>): void {
    writeFileSync(join(stack.dagsFolder, 'package.json'), `${JSON.stringify({ type: 'module', private: true, dependencies }, null, 2)}\n`);
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund'], { cwd: stack.dagsFolder, stdio: 'pipe' });
  }

  it('installs the packages of the bundle\'s lockfile into the worker\'s cache and runs the task with them', async () => {
    // The package first, the DAG file importing it last (as a deploy would): a DAG file parsed
    // before its package is installed is an import error until it changes.
    cpSync(join(REPO_ROOT, 'test/fixtures/bundle-deps/providers'), join(stack.dagsFolder, 'providers'), { recursive: true });
    declare({ tiny: 'file:./providers/tiny' });
    cpSync(join(REPO_ROOT, 'test/fixtures/bundle-deps/deps_it.js'), join(stack.dagsFolder, 'deps_it.js'));
    const version = await refresh();
    const unpause = await stack.cli(['dags', 'unpause', 'deps_it']);
    expect(unpause.code, `${unpause.stderr}${(await stack.cli(['dags', 'list-import-errors'])).stdout}`).toBe(0);
    const runId = await stack.trigger('deps_it');
    const end = await waitForRunEnd(stack.pool, 'deps_it', runId, { diagnostics: () => stack.diagnostics() });
    expect(end.state, (await taskTries(stack.pool, 'deps_it', runId)).map((t) => JSON.stringify(t)).join('\n')).toBe('success');
    const r = await stack.pool.query<{ value: { said: string; from: string } }>(
      "SELECT value FROM xcom WHERE dag_id = 'deps_it' AND run_id = $1 AND task_id = 'use_package' AND key = 'return_value'", [runId]);
    expect(r.rows[0]?.value.said).toBe('HELLO!');
    // Resolved through the version's node_modules link, into the worker's deps cache.
    const deps = readdirSync(join(cache(), 'deps')).filter((n) => !n.startsWith('.'));
    expect(deps).toHaveLength(1);
    expect(r.rows[0]?.value.from).toBe(`file://${join(cache(), 'deps', deps[0]!, 'providers', 'tiny', 'index.js')}`);
    expect(existsSync(join(cache(), 'bundles', version, 'node_modules', 'tiny', 'index.js'))).toBe(true);
    expect(existsSync(join(cache(), 'deps', deps[0]!, 'node_modules', 'tiny', 'package.json'))).toBe(true);
    expect(existsSync(join(REPO_ROOT, 'node_modules', 'tiny'))).toBe(false);
    const log = await stack.cli(['tasks', 'logs', 'deps_it', runId, 'use_package', '--try', '1']);
    expect(log.stdout).toContain("installing the bundle's dependencies: npm ci");
  });

  it('fails the task with "dependency install failed" naming the package when the lockfile cannot be installed', async () => {
    declare({ tiny: 'file:./providers/tiny', ghost: 'file:./providers/ghost' });
    await refresh();
    const runId = await stack.trigger('deps_it');
    const end = await waitForRunEnd(stack.pool, 'deps_it', runId, { diagnostics: () => stack.diagnostics() });
    expect(end.state).toBe('failed');
    const tries = await stack.pool.query<{ error: string | null }>(
      "SELECT error FROM task_instance_try WHERE dag_id = 'deps_it' AND run_id = $1 AND task_id = 'use_package'", [runId]);
    expect(tries.rows.map((t) => t.error)).toEqual([expect.stringMatching(/dependency install failed: package 'ghost' \(file:\.\/providers\/ghost\)/)]);
    expect(tries.rows[0]!.error).not.toMatch(/module not found|Cannot find/i);
  });

  it('installs a file: tarball, and refuses one replaced under the same name without a new lockfile instead of running the old package', async () => {
    const pack = (from: string): void => {
      execFileSync('npm', ['pack', '--pack-destination', join(stack.dagsFolder, 'vendor')], { cwd: from, stdio: 'pipe' });
    };
    mkdirSync(join(stack.dagsFolder, 'vendor'), { recursive: true });
    pack(join(REPO_ROOT, 'test/fixtures/bundle-deps/providers/tiny'));
    declare({ tiny: 'file:./vendor/tiny-1.0.0.tgz' });
    await refresh();
    const first = await stack.trigger('deps_it');
    const end1 = await waitForRunEnd(stack.pool, 'deps_it', first, { diagnostics: () => stack.diagnostics() });
    expect(end1.state, (await taskTries(stack.pool, 'deps_it', first)).map((t) => JSON.stringify(t)).join('\n')).toBe('success');

    // Same name and version, other content; package-lock.json still pins the first tarball.
    const changed = join(stack.workDir, 'tiny-changed');
    cpSync(join(REPO_ROOT, 'test/fixtures/bundle-deps/providers/tiny'), changed, { recursive: true });
    writeFileSync(join(changed, 'index.js'), 'export function shout(text) { return `${text}?`; }\n');
    pack(changed);
    await refresh();
    const second = await stack.trigger('deps_it');
    const end2 = await waitForRunEnd(stack.pool, 'deps_it', second, { diagnostics: () => stack.diagnostics() });
    expect(end2.state).toBe('failed');
    const tries = await stack.pool.query<{ error: string | null }>(
      "SELECT error FROM task_instance_try WHERE dag_id = 'deps_it' AND run_id = $1 AND task_id = 'use_package'", [second]);
    expect(tries.rows.map((t) => t.error)).toEqual([expect.stringMatching(/dependency install failed: package 'tiny': the tarball vendor\/tiny-1\.0\.0\.tgz is not the one package-lock\.json was made with/)]);
  });
});
