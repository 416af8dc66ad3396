/**
 * The task executor with real processes: bash and function tasks, logs, exit codes, execution
 * timeout killing a whole process tree, umask and run-as user, clean environment, runner reuse.
 * Run as root (the run-as-user cases need it; they are skipped otherwise).
 */
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DagFileCache, RunnerPool, TaskExecutor, resolveIdentity, type TaskRunContext } from '@updraft/worker';
import { bashArgv } from '../../packages/worker/src/executor/bash.js';

const isRoot = process.geteuid?.() === 0;

const DAG_SOURCE = `
import { writeFileSync, mkdirSync } from 'node:fs';
import { dag } from '@updraft/sdk';
export default dag({ dagId: 'exec_test', params: { x: 1 } }, (d) => {
  d.fn('compute', (ctx) => {
    ctx.log('computing for', ctx.ds);
    console.error('a line on stderr');
    return { ds: ctx.ds, tryNumber: ctx.tryNumber, x: ctx.params.x, cwd: process.cwd(), taskEnv: process.env.UPDRAFT_TASK_ID,
      secret: process.env.H6_SECRET ?? null, custom: process.env.CUSTOM ?? null, pid: process.pid };
  });
  d.fn('fail', () => { throw new Error('this task fails on purpose'); });
  d.fn('leak', () => { setInterval(() => undefined, 60_000); return 'leaked a timer'; });
  d.fn('write', () => {
    const out = process.env.OUT_DIR;
    writeFileSync(out + '/fn-file', 'x');
    mkdirSync(out + '/fn-dir');
    return null;
  });
  d.fn('hang', () => new Promise(() => undefined));
  d.fn('nojson', () => 10n);
  d.fn('big', () => { process.stdout.write('no newline before the end'); return { text: 'x'.repeat(300_000), quote: '"' }; });
  d.fn('slow', async () => { await new Promise((r) => setTimeout(r, 700)); return { pid: process.pid }; });
});
`;

function context(taskId: string, over: Partial<TaskRunContext> = {}): TaskRunContext {
  return {
    dagId: 'exec_test', taskId, runId: 'manual__1', mapIndex: -1, tryNumber: 1,
    logicalDate: '2024-03-01T00:00:00.000Z', dataIntervalStart: '2024-03-01T00:00:00.000Z',
    dataIntervalEnd: '2024-03-02T00:00:00.000Z', ds: '2024-03-01', dsNodash: '20240301', ts: '2024-03-01T00:00:00+00:00',
    tsNodash: '20240301T000000', prevDataIntervalStartSuccess: '', prevDataIntervalEndSuccess: '', prevStartDateSuccess: '', itemJson: '',
    conf: {}, params: { x: 1 }, timezone: 'UTC', ...over,
  };
}

/** True while pid is a live (not zombie) process. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

let dir: string;
let dagFile: string;
let pool: RunnerPool;
let executor: TaskExecutor;
let n = 0;
const logFile = (): string => join(dir, 'logs', `t${++n}.log`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'worker-exec-'));
  await chmod(dir, 0o755);
  const content = Buffer.from(DAG_SOURCE);
  const { createHash } = await import('node:crypto');
  const fileHash = createHash('sha256').update(content).digest('hex');
  const cache = new DagFileCache({
    folder: join(dir, 'dag-cache'),
    fetch: async () => ({ fileloc: 'exec_test.ts', fileHash, content }),
  });
  dagFile = await cache.path({ fileloc: 'exec_test.ts', fileHash });
  pool = new RunnerPool({ spares: 1, maxIdle: 4 });
  executor = new TaskExecutor({ pool, killGraceMs: 1000, workerName: 'unit-test' });
  process.env.H6_SECRET = 'must-not-leak';
});

afterAll(async () => {
  delete process.env.H6_SECRET;
  await pool?.close();
  await executor?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('bash tasks', () => {
  it('logs stdout and stderr lines with a header and a footer, and succeeds on exit 0', async () => {
    const file = logFile();
    const r = await executor.start({ spec: { kind: 'bash', bashCommand: 'echo hello out; echo hello err >&2' }, context: context('b'), logFile: file }).result;
    expect(r).toMatchObject({ outcome: 'success', exitCode: 0, error: '', timedOut: false });
    const log = await readFile(file, 'utf8');
    expect(log).toMatch(/\[updraft\] task exec_test\.b run=manual__1 try=1/);
    expect(log).toMatch(/\[updraft\] worker=unit-test /);
    expect(log).toMatch(/\[updraft\] command: echo hello out; echo hello err >&2/);
    expect(log).toMatch(/^\S+Z \[stdout\] hello out$/m);
    expect(log).toMatch(/^\S+Z \[stderr\] hello err$/m);
    expect(log).toMatch(/\[updraft\] task succeeded \(exit code 0\) after/);
  });

  it('reports the exit code of a failing command', async () => {
    const file = logFile();
    const r = await executor.start({ spec: { kind: 'bash', bashCommand: 'echo partial; exit 3' }, context: context('b'), logFile: file }).result;
    expect(r).toMatchObject({ outcome: 'failed', exitCode: 3, timedOut: false });
    expect(r.error).toContain('exited with code 3');
    expect(await readFile(file, 'utf8')).toMatch(/task failed \(exit code 3\)[\s\S]*reason: bash exited with code 3/);
  });

  it('runs in a clean environment with the task env and context variables', async () => {
    const file = logFile();
    const r = await executor.start({
      spec: { kind: 'bash', bashCommand: 'echo "secret=${H6_SECRET:-none} custom=$CUSTOM dag=$UPDRAFT_DAG_ID try=$UPDRAFT_TRY_NUMBER home=$HOME"; pwd' , env: { CUSTOM: 'yes' } },
      context: context('envcheck', { tryNumber: 2 }),
      logFile: file,
    }).result;
    expect(r.outcome).toBe('success');
    const log = await readFile(file, 'utf8');
    expect(log).toContain(`secret=none custom=yes dag=exec_test try=2 home=${resolveIdentity({}).home}`);
    // Each task runs in its own temporary working directory: removed afterwards, or kept empty for a later task.
    const cwd = /\[stdout\] (\/.*updraft-work-[\w-]+\/task-\d+)$/m.exec(log)?.[1];
    expect(cwd).toBeDefined();
    await executor.settled();
    if (existsSync(cwd!)) expect(await readdir(cwd!)).toEqual([]);
  });

  it('a directory left with files is removed; the next tasks each start in an empty one', async () => {
    const file = logFile();
    await executor.start({ spec: { kind: 'bash', bashCommand: 'touch left-behind; pwd' }, context: context('b'), logFile: file }).result;
    const cwd = /\[stdout\] (\/.*updraft-work-[\w-]+\/task-\d+)$/m.exec(await readFile(file, 'utf8'))?.[1];
    await executor.settled();
    expect(existsSync(cwd!)).toBe(false);
    for (let i = 0; i < 8; i++) {
      const next = logFile();
      await executor.start({ spec: { kind: 'bash', bashCommand: `echo "entries=$(ls -A | wc -l)"${i % 2 ? '; touch left-behind' : ''}` }, context: context('b'), logFile: next }).result;
      expect(await readFile(next, 'utf8')).toMatch(/\[stdout\] entries=0$/m);
    }
  });

  it('execution timeout kills the whole process tree, grandchildren included', async () => {
    const file = logFile();
    const pidFile = join(dir, 'grandchild.pid');
    const command = `bash -c 'sleep 300 & echo $! > ${pidFile}; wait' ; echo never`;
    const r = await executor.start({ spec: { kind: 'bash', bashCommand: command, executionTimeoutMs: 1000 }, context: context('slow'), logFile: file }).result;
    expect(r).toMatchObject({ outcome: 'failed', timedOut: true, exitCode: -1 });
    expect(r.error).toMatch(/execution timeout/);
    const grandchild = Number(await readFile(pidFile, 'utf8'));
    expect(grandchild).toBeGreaterThan(1);
    await vi.waitFor(() => expect(alive(grandchild)).toBe(false), { timeout: 10_000, interval: 100 });
    const log = await readFile(file, 'utf8');
    expect(log).not.toMatch(/\[stdout\] never/);
    expect(log).toMatch(/reason: execution timeout/);
  });

  it('an execution timeout longer than a Node timer can hold (30 days) does not end the task early', async () => {
    const file = logFile();
    const r = await executor.start({
      spec: { kind: 'bash', bashCommand: 'sleep 0.5; echo done', executionTimeoutMs: 30 * 86_400_000 }, context: context('long_limit'), logFile: file,
    }).result;
    expect(r).toMatchObject({ outcome: 'success', timedOut: false, exitCode: 0 });
    expect(await readFile(file, 'utf8')).toMatch(/\[stdout\] done/);
  });

  it('kill() ends the task with the reason given', async () => {
    const run = executor.start({ spec: { kind: 'bash', bashCommand: 'echo started; sleep 300' }, context: context('killme'), logFile: logFile() });
    await vi.waitFor(() => expect(run.pid).toBeGreaterThan(0));
    run.kill('the scheduler ended this attempt');
    const r = await run.result;
    expect(r).toMatchObject({ outcome: 'failed', timedOut: false, killedReason: 'the scheduler ended this attempt' });
    expect(alive(run.pid)).toBe(false);
  });
});

describe('worker killed -9', () => {
  it('takes its tasks down with it: bash trees and runner processes', async () => {
    const bashPid = join(dir, 'orphan-bash.pid');
    const fnPid = join(dir, 'orphan-fn.pid');
    const script = `
      import { RunnerPool, TaskExecutor } from '@updraft/worker';
      const ex = new TaskExecutor({ pool: new RunnerPool({ spares: 0 }) });
      const ctx = ${JSON.stringify(context('x'))};
      ex.start({ spec: { kind: 'bash', bashCommand: "bash -c 'sleep 300 & echo $! > ${bashPid}; wait'; echo after" }, context: ctx, logFile: '${dir}/orphan1.log' });
      ex.start({ spec: { kind: 'function', dagFilePath: '${dagFile}' }, context: { ...ctx, taskId: 'hang' }, logFile: '${dir}/orphan2.log',
        onStart: (pid) => import('node:fs').then((fs) => fs.writeFileSync('${fnPid}', String(pid))) });
      setInterval(() => undefined, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: 'ignore' });
    // A pid file exists (empty) before its number is written: wait for both numbers.
    const pidIn = (file: string): number => (existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) || 0 : 0);
    await vi.waitFor(() => expect(pidIn(bashPid) > 0 && pidIn(fnPid) > 0).toBe(true), { timeout: 60_000, interval: 100 });
    const pids = [pidIn(bashPid), pidIn(fnPid)];
    expect(pids.every(alive)).toBe(true);
    child.kill('SIGKILL');
    await vi.waitFor(() => expect(pids.filter(alive)).toEqual([]), { timeout: 10_000, interval: 100 });
  });

  it('a bash task whose worker is gone before the parent-death signal is set never starts', () => {
    // The wrapper's parent is this process, not the "worker" named in its argv: as if the worker
    // had died between spawning setpriv and setpriv's prctl (no signal would ever come).
    const marker = join(dir, 'started-without-worker');
    const [file, ...args] = bashArgv(`touch ${marker}`, 0o022, 999_999);
    const gone = spawnSync(file!, args);
    expect(gone.status).toBe(125);
    expect(existsSync(marker)).toBe(false);
    const [file2, ...args2] = bashArgv(`touch ${marker}`, 0o022);
    expect(spawnSync(file2!, args2).status).toBe(0);
    expect(existsSync(marker)).toBe(true);
  });
});

describe('working directories', () => {
  it('removes work folders left by worker processes that died', async () => {
    const root = await mkdtemp(join(dir, 'workroot-'));
    const dead = join(root, 'updraft-work-999999-abcdef');
    await mkdir(join(dead, 'task-1'), { recursive: true });
    const ex = new TaskExecutor({ pool, workRoot: root });
    const r = await ex.start({ spec: { kind: 'bash', bashCommand: 'pwd' }, context: context('b'), logFile: logFile() }).result;
    expect(r.outcome).toBe('success');
    await vi.waitFor(() => expect(existsSync(dead)).toBe(false));
    await ex.close();
    expect(await readdir(root)).toEqual([]);
  });
});

describe('empty tasks', () => {
  it('succeed at once without a process', async () => {
    const file = logFile();
    const run = executor.start({ spec: { kind: 'empty' }, context: context('e'), logFile: file });
    const r = await run.result;
    expect(r).toMatchObject({ outcome: 'success', exitCode: 0 });
    expect(run.pid).toBe(0);
    expect(await readFile(file, 'utf8')).toContain('empty task: nothing to run');
  });
});

describe('function tasks', () => {
  it('run the DAG file\'s function in a child process and return its value as JSON', async () => {
    const file = logFile();
    const r = await executor.start({
      spec: { kind: 'function', dagFilePath: dagFile, env: { CUSTOM: 'c1' } }, context: context('compute', { tryNumber: 2 }), logFile: file,
    }).result;
    expect(r.outcome).toBe('success');
    const value = JSON.parse(r.returnValueJson) as Record<string, unknown>;
    expect(value).toMatchObject({ ds: '2024-03-01', tryNumber: 2, x: 1, taskEnv: 'compute', secret: null, custom: 'c1' });
    expect(value.pid).not.toBe(process.pid);
    expect(String(value.cwd)).toMatch(/updraft-work-[\w-]+\/task-\d+$/);
    const log = await readFile(file, 'utf8');
    expect(log).toMatch(/\[stdout\] computing for 2024-03-01$/m);
    expect(log).toMatch(/\[stderr\] a line on stderr$/m);
    expect(log).toContain('return value: {"ds":"2024-03-01"');
  });

  it('reuse a warm runner for the same DAG file, each task with its own cwd and env', async () => {
    const a = await executor.start({ spec: { kind: 'function', dagFilePath: dagFile, env: { CUSTOM: 'a' } }, context: context('compute'), logFile: logFile() }).result;
    const b = await executor.start({ spec: { kind: 'function', dagFilePath: dagFile }, context: context('compute'), logFile: logFile() }).result;
    const va = JSON.parse(a.returnValueJson) as Record<string, unknown>;
    const vb = JSON.parse(b.returnValueJson) as Record<string, unknown>;
    expect(vb.pid).toBe(va.pid);
    expect(vb.cwd).not.toBe(va.cwd);
    expect(va.custom).toBe('a');
    expect(vb.custom).toBeNull();
  });

  it('retire a runner whose task left a timer behind', async () => {
    const leak = await executor.start({ spec: { kind: 'function', dagFilePath: dagFile }, context: context('leak'), logFile: logFile() }).result;
    expect(leak).toMatchObject({ outcome: 'success', returnValueJson: '"leaked a timer"' });
    const before = await executor.start({ spec: { kind: 'function', dagFilePath: dagFile }, context: context('compute'), logFile: logFile() }).result;
    const after = await executor.start({ spec: { kind: 'function', dagFilePath: dagFile }, context: context('compute'), logFile: logFile() }).result;
    // compute ran in a clean runner; whichever one ran the leak is gone.
    expect(JSON.parse(before.returnValueJson).pid).toBe(JSON.parse(after.returnValueJson).pid);
  });

  it('fail with the thrown error and its stack in the log', async () => {
    const file = logFile();
    const r = await executor.start({ spec: { kind: 'function', dagFilePath: dagFile }, context: context('fail'), logFile: file }).result;
    expect(r).toMatchObject({ outcome: 'failed', exitCode: 1, error: 'Error: this task fails on purpose' });
    expect(await readFile(file, 'utf8')).toMatch(/\[stderr\] Error: this task fails on purpose/);
  });

  it('return a value far longer than a log line intact, after output left without a newline', async () => {
    const file = logFile();
    const r = await executor.start({ spec: { kind: 'function', dagFilePath: dagFile }, context: context('big'), logFile: file }).result;
    expect(r.outcome).toBe('success');
    expect(JSON.parse(r.returnValueJson)).toEqual({ text: 'x'.repeat(300_000), quote: '"' });
    expect(await readFile(file, 'utf8')).toMatch(/\[stdout\] no newline before the end$/m);
    // The runner is reused: its next task's output and result are its own.
    const next = await executor.start({ spec: { kind: 'function', dagFilePath: dagFile }, context: context('compute'), logFile: logFile() }).result;
    expect(JSON.parse(next.returnValueJson)).toMatchObject({ ds: '2024-03-01' });
  });

  it('fail when the return value cannot be stored as JSON', async () => {
    const r = await executor.start({ spec: { kind: 'function', dagFilePath: dagFile }, context: context('nojson'), logFile: logFile() }).result;
    expect(r.outcome).toBe('failed');
    expect(r.error).toMatch(/cannot be stored as XCom: \$.* is a bigint, which is not a JSON value/);
  });

  it('fail with a clear error for an unknown task', async () => {
    const r = await executor.start({ spec: { kind: 'function', dagFilePath: dagFile }, context: context('nope'), logFile: logFile() }).result;
    expect(r.outcome).toBe('failed');
    expect(r.error).toMatch(/no task 'nope'/);
  });

  it('time out and kill the runner', async () => {
    const r = await executor.start({ spec: { kind: 'function', dagFilePath: dagFile, executionTimeoutMs: 500 }, context: context('hang'), logFile: logFile() }).result;
    expect(r).toMatchObject({ outcome: 'failed', timedOut: true });
  });
});

describe('runner pool under bursts', () => {
  const run = (ex: TaskExecutor, taskId = 'compute') =>
    ex.start({ spec: { kind: 'function', dagFilePath: dagFile }, context: context(taskId), logFile: logFile() }).result;
  const pidOf = (r: { returnValueJson: string }): number => (JSON.parse(r.returnValueJson) as { pid: number }).pid;

  it('a burst of short tasks of one DAG file waits for its busy runner instead of starting one per task', async () => {
    const burstPool = new RunnerPool({ spares: 0, maxIdle: 8, reuseWaitMs: 120_000 });
    const ex = new TaskExecutor({ pool: burstPool, killGraceMs: 1000, workerName: 'unit-test' });
    try {
      const first = await run(ex);
      const burst = await Promise.all(Array.from({ length: 10 }, () => run(ex)));
      expect(burst.map((r) => r.outcome)).toEqual(Array(10).fill('success'));
      expect(new Set(burst.map(pidOf))).toEqual(new Set([pidOf(first)]));
      expect(burstPool.size).toBe(1);
    } finally {
      await ex.close();
      await burstPool.close();
    }
  });

  it('a burst on a cold pool waits for the runner importing its DAG file instead of starting one per task', async () => {
    // Starts are not what limits it here (4 at once): without the wait for the import, the burst takes 4 runners or more.
    const coldPool = new RunnerPool({ spares: 0, maxIdle: 8, maxStarting: 4, reuseWaitMs: 120_000 });
    const ex = new TaskExecutor({ pool: coldPool, killGraceMs: 1000, workerName: 'unit-test' });
    try {
      const burst = await Promise.all(Array.from({ length: 6 }, () => run(ex)));
      expect(burst.map((r) => r.outcome)).toEqual(Array(6).fill('success'));
      expect(new Set(burst.map(pidOf)).size).toBe(1);
      expect(coldPool.size).toBe(1);
    } finally {
      await ex.close();
      await coldPool.close();
    }
  });

  it('after the import, tasks that hold their runner longer than reuseWaitMs get runners of their own', async () => {
    const coldPool = new RunnerPool({ spares: 0, maxIdle: 8, maxStarting: 4, reuseWaitMs: 50 });
    const ex = new TaskExecutor({ pool: coldPool, killGraceMs: 1000, workerName: 'unit-test' });
    try {
      const burst = await Promise.all(Array.from({ length: 3 }, () => run(ex, 'slow')));
      expect(burst.map((r) => r.outcome)).toEqual(Array(3).fill('success'));
      expect(new Set(burst.map(pidOf)).size).toBe(3);
    } finally {
      await ex.close();
      await coldPool.close();
    }
  });

  it('two tasks that ask in the same tick as the only warm runner is taken: the second waits for it, no process starts', async () => {
    const pool = new RunnerPool({ spares: 0, maxIdle: 8, reuseWaitMs: 120_000 });
    const ex = new TaskExecutor({ pool, killGraceMs: 1000, workerName: 'unit-test' });
    const identity = resolveIdentity({});
    try {
      await run(ex); // one warm runner of the file, idle, with a known (short) task time
      expect(pool.size).toBe(1);
      const a = pool.acquire(identity, dagFile);
      const b = pool.acquire(identity, dagFile); // before a's await resumes
      const first = await a;
      expect(pool.size).toBe(1);
      pool.release(first);
      expect(await b).toBe(first);
      expect(pool.size).toBe(1);
      pool.release(first);
    } finally {
      await ex.close();
      await pool.close();
    }
  });

  it('a task still waiting for a runner when the pool closes fails, and starts no runner after the close', async () => {
    const pool = new RunnerPool({ spares: 0, maxStarting: 1, reuseWaitMs: 0 });
    const identity = resolveIdentity({});
    const first = pool.acquire(identity, dagFile);
    const waiting = pool.acquire(identity, dagFile); // starts are full: it waits for the first one
    const settled = Promise.allSettled([first, waiting]);
    await pool.close();
    const [a, b] = await settled;
    expect(a.status).toBe('rejected');
    expect(b.status).toBe('rejected');
    expect(String((b as PromiseRejectedResult).reason)).toMatch(/runner pool is closed/);
    expect(pool.size).toBe(0);
  });

  it('with starts limited to one at a time, every task of a burst on a cold pool still runs', async () => {
    const coldPool = new RunnerPool({ spares: 0, maxIdle: 8, maxStarting: 1, reuseWaitMs: 0 });
    const ex = new TaskExecutor({ pool: coldPool, killGraceMs: 1000, workerName: 'unit-test' });
    try {
      const burst = await Promise.all(Array.from({ length: 4 }, () => run(ex)));
      expect(burst.map((r) => r.outcome)).toEqual(Array(4).fill('success'));
    } finally {
      await ex.close();
      await coldPool.close();
    }
  });
});

describe('umask and run-as user', () => {
  async function outDir(): Promise<string> {
    const d = await mkdtemp(join(dir, 'out-'));
    await chmod(d, 0o777);
    return d;
  }

  const modes = async (d: string, file: string, sub: string) => [
    ((await stat(join(d, file))).mode & 0o777).toString(8),
    ((await stat(join(d, sub))).mode & 0o777).toString(8),
  ];

  it.each([
    ['0002', '664', '775'],
    ['0077', '600', '700'],
  ])('umask %s gives files %s and directories %s (bash and function tasks)', async (umask, fileMode, dirMode) => {
    const d = await outDir();
    const bash = await executor.start({
      spec: { kind: 'bash', bashCommand: `touch ${d}/sh-file && mkdir ${d}/sh-dir`, umask }, context: context('b'), logFile: logFile(),
    }).result;
    expect(bash.outcome).toBe('success');
    expect(await modes(d, 'sh-file', 'sh-dir')).toEqual([fileMode, dirMode]);
    const fn = await executor.start({
      spec: { kind: 'function', dagFilePath: dagFile, umask, env: { OUT_DIR: d } }, context: context('write'), logFile: logFile(),
    }).result;
    expect(fn.outcome).toBe('success');
    expect(await modes(d, 'fn-file', 'fn-dir')).toEqual([fileMode, dirMode]);
  });

  it.runIf(isRoot)('runAsUser 65534 with umask 0002: files owned by 65534:65534, 664/775', async () => {
    const d = await outDir();
    const as = { umask: '0002', runAsUser: '65534', runAsGroup: '65534' };
    const bash = await executor.start({
      spec: { kind: 'bash', bashCommand: `id -u; echo "home=$HOME user=$USER"; touch ${d}/sh-file && mkdir ${d}/sh-dir`, ...as },
      context: context('b'), logFile: logFile(),
    }).result;
    expect(bash.outcome).toBe('success');
    const fn = await executor.start({ spec: { kind: 'function', dagFilePath: dagFile, env: { OUT_DIR: d }, ...as }, context: context('write'), logFile: logFile() }).result;
    expect(fn).toMatchObject({ outcome: 'success', error: '' });
    for (const name of ['sh-file', 'sh-dir', 'fn-file', 'fn-dir']) {
      const s = await stat(join(d, name));
      expect([name, s.uid, s.gid]).toEqual([name, 65534, 65534]);
    }
    expect(await modes(d, 'sh-file', 'sh-dir')).toEqual(['664', '775']);
    expect(await modes(d, 'fn-file', 'fn-dir')).toEqual(['664', '775']);
  });

  it.runIf(isRoot)('the run-as user gets its own HOME and USER', async () => {
    const file = logFile();
    const r = await executor.start({
      spec: { kind: 'bash', bashCommand: 'echo "uid=$(id -u) home=$HOME user=$USER"', runAsUser: 'nobody' }, context: context('b'), logFile: file,
    }).result;
    expect(r.outcome).toBe('success');
    const nobody = resolveIdentity({ runAsUser: 'nobody' });
    expect(await readFile(file, 'utf8')).toContain(`uid=${nobody.uid} home=${nobody.home} user=nobody`);
  });

  it('an unknown run-as user fails the task with a message naming it', async () => {
    const r = await executor.start({ spec: { kind: 'bash', bashCommand: 'true', runAsUser: 'no_such_user_h6' }, context: context('b'), logFile: logFile() }).result;
    expect(r.outcome).toBe('failed');
    expect(r.error).toMatch(/no user named "no_such_user_h6"/);
  });
});
