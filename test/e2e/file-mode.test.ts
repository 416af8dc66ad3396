/**
 * End to end, distributed: file mode and owner of what tasks create. An
 * `updraft worker` process configured with UPDRAFT__WORKER__UMASK=0002 and RUN_AS_USER/GROUP=65534
 * runs DAGs triggered by `updraft dags trigger`, through the scheduler process and NATS:
 *   - a bash task and a function task create a file and a directory: 664 / 775, owned 65534:65534;
 *     their logs show the run-as user's USER and HOME; the worker row shows umask 0002, uid/gid 65534;
 *   - the same tasks with the SDK option umask '0077': 600 / 700;
 *   - a worker whose log folder cannot be created exits non-zero at start, naming the folder.
 * Switching users needs root: skipped otherwise.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskTries, waitForRunEnd } from './db.js';
import { spawnUpdraft, type Exit } from './processes.js';
import { startStack, type Stack } from './stack.js';

const RUN_AS = 65534;
const isRoot = process.getuid?.() === 0;
const TASKS = ['bash_task', 'fn_task'];

/** USER and HOME the worker should give tasks run as `uid` (its passwd entry, else the uid and `/`). */
function expectedUserHome(uid: number): { user: string; home: string } {
  const entry = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find((f) => f[2] === String(uid));
  return entry ? { user: entry[0]!, home: entry[5] || '/' } : { user: String(uid), home: '/' };
}

interface Created {
  path: string;
  mode: string;
  uid: number;
  gid: number;
}

function describePath(path: string): Created {
  const s = statSync(path);
  return { path, mode: (s.mode & 0o7777).toString(8), uid: s.uid, gid: s.gid };
}

describe.skipIf(!isRoot)(`file mode and owner of task output${isRoot ? '' : ' (skipped: needs root to run tasks as uid 65534)'}`, () => {
  let stack: Stack;
  // Removed after the tests: where tasks write, and the worker's DAG cache.
  const tempDirs: string[] = [];
  const runAsEnv = {
    UPDRAFT__WORKER__UMASK: '0002',
    UPDRAFT__WORKER__RUN_AS_USER: String(RUN_AS),
    UPDRAFT__WORKER__RUN_AS_GROUP: String(RUN_AS),
  };

  function tempDir(mode: number): string {
    const dir = mkdtempSync(join(tmpdir(), 'updraft-e2e-mode-'));
    chmodSync(dir, mode);
    tempDirs.push(dir);
    return dir;
  }

  beforeAll(async () => {
    // The stack's own temp dir is private (0700): uid 65534 could not load DAG files cached under it.
    const dagCache = tempDir(0o755);
    stack = await startStack({
      dagFiles: ['test/fixtures/dags-mode/file_mode.ts'],
      workers: [
        {
          name: 'e2e-mode-w1',
          concurrency: 2,
          env: { ...runAsEnv, UPDRAFT__WORKER__DAG_CACHE_FOLDER: join(dagCache, 'cache') },
        },
      ],
    });
  });

  afterAll(async () => {
    await stack?.stop();
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Starts `updraft worker` with the stack's settings plus `env`, expecting it to refuse to start:
   * waits (bounded) for its exit; returns the exit and its output.
   */
  async function refusedWorker(name: string, env: Record<string, string>): Promise<{ exit: Exit; output: string }> {
    const worker = spawnUpdraft(name, ['worker', '--name', name], {
      env: { ...stack.env, ...env },
      logFile: join(stack.dir, `${name}.log`),
      cwd: stack.dir,
    });
    const exit = await Promise.race([
      worker.exited,
      new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 60_000).unref()),
    ]);
    if (exit === 'still running') {
      await worker.stop('SIGKILL', 5_000);
      throw new Error(`${name} did not exit within 60 s; its output:\n${worker.tail()}`);
    }
    return { exit, output: worker.output() };
  }

  /** Triggers `dagId` writing into a new directory, waits for success; returns the directory and run id. */
  async function runInNewDir(dagId: string): Promise<{ dir: string; runId: string }> {
    // World-writable with the sticky bit, so uid 65534 can create entries.
    const dir = tempDir(0o1777);
    const runId = await stack.trigger(dagId, { conf: { dir } });
    const run = await waitForRunEnd(stack.pool, dagId, runId, { diagnostics: () => stack.diagnostics() });
    expect(run.state).toBe('success');
    return { dir, runId };
  }

  it('worker umask 0002 and user/group 65534: 664 files, 775 dirs owned by 65534:65534; registered and visible in the task logs', async () => {
    const dagId = 'e2e_mode_worker';
    const { dir, runId } = await runInNewDir(dagId);

    const created = TASKS.flatMap((t) => [describePath(join(dir, `${t}-file`)), describePath(join(dir, `${t}-dir`))]);
    expect(created).toEqual(
      TASKS.flatMap((t) => [
        { path: join(dir, `${t}-file`), mode: '664', uid: RUN_AS, gid: RUN_AS },
        { path: join(dir, `${t}-dir`), mode: '775', uid: RUN_AS, gid: RUN_AS },
      ]),
    );

    // The worker registered its effective umask and identity.
    const { rows } = await stack.pool.query<{ umask: string; uid: number; gid: number }>(
      'SELECT umask, uid, gid FROM worker WHERE worker_name = $1',
      ['e2e-mode-w1'],
    );
    expect(rows).toEqual([{ umask: '0002', uid: RUN_AS, gid: RUN_AS }]);

    // Both tasks ran with the run-as user's USER and HOME (logs as `updraft tasks logs` prints them).
    const { user, home } = expectedUserHome(RUN_AS);
    const tries = await taskTries(stack.pool, dagId, runId);
    expect(tries.map((t) => [t.taskId, t.tryNumber, t.state])).toEqual(TASKS.map((t) => [t, 1, 'success']));
    for (const taskId of TASKS) {
      const r = await stack.cli(['tasks', 'logs', dagId, runId, taskId, '--try', '1']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`user=${user} home=${home}`);
    }
  });

  it("a task's own umask '0077' overrides the worker's: 600 files, 700 dirs", async () => {
    const { dir } = await runInNewDir('e2e_mode_task');
    const created = TASKS.flatMap((t) => [describePath(join(dir, `${t}-file`)), describePath(join(dir, `${t}-dir`))]);
    expect(created).toEqual(
      TASKS.flatMap((t) => [
        { path: join(dir, `${t}-file`), mode: '600', uid: RUN_AS, gid: RUN_AS },
        { path: join(dir, `${t}-dir`), mode: '700', uid: RUN_AS, gid: RUN_AS },
      ]),
    );
  });

  it('a worker that cannot write its log folder exits non-zero at start, naming the folder', async () => {
    const notADir = join(stack.dir, 'not-a-directory');
    writeFileSync(notADir, 'a regular file\n');
    const logFolder = join(notADir, 'logs');
    const { exit, output } = await refusedWorker('e2e-mode-badlogs', { UPDRAFT__LOGGING__BASE_LOG_FOLDER: logFolder });
    expect(exit.code, output).not.toBe(0);
    expect(exit.code, output).not.toBeNull();
    expect(output).toContain(`cannot write its task log folder ${logFolder} (logging.base_log_folder)`);
    expect(output).toContain('Fix:');
    expect(output).not.toContain('worker ready');
  });

  it('a worker whose run-as user cannot read the DAG cache folder exits non-zero at start, naming the folder', async () => {
    // Under the stack's private (0700) temp dir: root can write it, uid 65534 cannot reach it.
    const cache = join(stack.dir, 'dag-cache-private');
    const { exit, output } = await refusedWorker('e2e-mode-privatecache', { ...runAsEnv, UPDRAFT__WORKER__DAG_CACHE_FOLDER: cache });
    expect(exit.code, output).not.toBe(0);
    expect(exit.code, output).not.toBeNull();
    expect(output).toContain(`in ${cache} (worker.dag_cache_folder)`);
    expect(output).toContain('Fix:');
    expect(output).not.toContain('worker ready');
  });
});
