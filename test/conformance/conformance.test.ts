/**
 * Protocol conformance, end to end: a real PostgreSQL, nats-server and `updraft scheduler`, and as
 * the only worker the minimal worker of test/conformance/worker.ts, which knows nothing of Updraft
 * but the .proto files and docs/protocol.md (it gets no database URL either). hello_world is
 * triggered with `updraft dags trigger` and must end `success` with one try per task, run by that
 * worker; a second claim of a finished attempt must be refused.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killGroup, registerLeftover, unregisterLeftover } from '../harness/cleanup.js';
import { REPO_ROOT } from '../harness/index.js';
import { taskInstances, taskTries, waitFor, waitForRunEnd } from '../e2e/db.js';
import { startStack, type Stack } from '../e2e/stack.js';
import { connectScheduler, describeError, loadProtocol, statusOf } from './worker.js';

const WORKER_NAME = 'conformance-w1';
const WORKER_SCRIPT = join(REPO_ROOT, 'test/conformance/worker.ts');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface WorkerProcess {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void>;
  /** SIGTERM, then SIGKILL of its process group after `timeoutMs`. */
  stop(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; killed: boolean }>;
}

/** `node --import tsx test/conformance/worker.ts` in its own process group, output in `logFile`. */
function startConformanceWorker(env: Record<string, string>, logFile: string): WorkerProcess {
  const childEnv: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('UPDRAFT__') && k !== 'UPDRAFT_CONFIG') childEnv[k] = v;
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, ['--import', 'tsx', WORKER_SCRIPT], {
      cwd: REPO_ROOT,
      env: { ...childEnv, ...env },
      detached: true,
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  const pid = child.pid!;
  const leftover = registerLeftover({ pgid: pid });
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      unregisterLeftover(leftover);
      resolve({ code, signal });
    });
  });
  const output = (): string => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  return {
    child,
    exited,
    output,
    async waitForOutput(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output())) {
        if (done) throw new Error(`the conformance worker exited before printing ${pattern}; its output:\n${output()}`);
        if (Date.now() > deadline) throw new Error(`the conformance worker did not print ${pattern} within ${timeoutMs} ms; its output:\n${output()}`);
        await sleep(100);
      }
    },
    async stop(timeoutMs) {
      if (!done) process.kill(pid, 'SIGTERM');
      const result = await Promise.race([exited, sleep(timeoutMs).then(() => null)]);
      killGroup(pid); // whatever it left in its group
      return result ? { ...result, killed: false } : { ...(await exited), killed: true };
    },
  };
}

let stack: Stack;
let worker: WorkerProcess;

const diagnostics = (): string => `${stack.diagnostics()}\n--- conformance worker (pid ${worker.child.pid}) ---\n${worker.output().trimEnd().split('\n').slice(-40).join('\n')}`;

beforeAll(async () => {
  stack = await startStack({ dagFiles: ['dags/hello_world.ts'], workers: [] });
  const logFolder = join(stack.dir, 'conformance-logs');
  mkdirSync(logFolder, { recursive: true });
  // Only what docs/worker-hosts.md says a worker needs (scheduler address, NATS URL, token), plus
  // its name and log folder: no database URL, no DAGs folder.
  worker = startConformanceWorker(
    {
      UPDRAFT__WORKER__SCHEDULER_ADDRESS: stack.grpcAddress,
      UPDRAFT__NATS__URL: stack.nats.url,
      UPDRAFT__SECURITY__WORKER_TOKEN: stack.token,
      UPDRAFT__WORKER__NAME: WORKER_NAME,
      UPDRAFT__WORKER__CONCURRENCY: '2',
      UPDRAFT__LOGGING__BASE_LOG_FOLDER: logFolder,
    },
    join(stack.dir, 'proc', 'conformance-worker.log'),
  );
  try {
    await worker.waitForOutput(/conformance worker ready/, 60_000);
  } catch (err) {
    if (err instanceof Error) err.message += `\n${stack.diagnostics()}`;
    throw err;
  }
});

afterAll(async () => {
  if (worker) await worker.stop(20_000);
  await stack?.stop();
});

describe('a worker written from the .proto files and docs/protocol.md alone', () => {
  let runId: string;

  it('runs hello_world to success: one try per task, both run by the conformance worker, output in its log', async () => {
    runId = await stack.trigger('hello_world');
    const run = await waitForRunEnd(stack.pool, 'hello_world', runId, { diagnostics });
    expect(run.state, diagnostics()).toBe('success');

    const tasks = await taskInstances(stack.pool, 'hello_world', runId);
    expect([...tasks.values()].map((t) => [t.taskId, t.state, t.tryNumber])).toEqual([
      ['print_goodbye', 'success', 1],
      ['print_hello', 'success', 1],
    ]);
    const tries = await taskTries(stack.pool, 'hello_world', runId);
    expect(tries.map((t) => [t.taskId, t.tryNumber, t.state, t.exitCode])).toEqual([
      ['print_goodbye', 1, 'success', 0],
      ['print_hello', 1, 'success', 0],
    ]);

    const { rows: workers } = await stack.pool.query<{ worker_id: string; version: string | null }>(
      'SELECT worker_id, version FROM worker WHERE worker_name = $1',
      [WORKER_NAME],
    );
    expect(workers).toHaveLength(1);
    expect(workers[0]!.version).toBe('conformance');
    for (const t of tries) expect(t.workerId, `${t.taskId} try ${t.tryNumber}`).toBe(workers[0]!.worker_id);

    const hello = tries.find((t) => t.taskId === 'print_hello')!;
    expect(hello.logPath).toBeTruthy();
    const logFolder = join(stack.dir, 'conformance-logs');
    const helloLog = readFileSync(isAbsolute(hello.logPath!) ? hello.logPath! : join(logFolder, hello.logPath!), 'utf8');
    expect(helloLog).toContain('hello from hello_world');
  });

  it('refuses a second claim of the finished attempt (FAILED_PRECONDITION) and a call without the right token (UNAUTHENTICATED)', async () => {
    expect(runId, 'the first test triggered no run').toBeDefined();
    const { rows } = await stack.pool.query<{ attempt_token: string; worker_id: string }>(
      `SELECT attempt_token::text, worker_id FROM task_instance_try
        WHERE dag_id = 'hello_world' AND run_id = $1 AND task_id = 'print_hello' AND try_number = 1`,
      [runId],
    );
    expect(rows).toHaveLength(1);
    const claim = {
      worker_id: rows[0]!.worker_id,
      key: { dag_id: 'hello_world', run_id: runId, task_id: 'print_hello', map_index: -1 },
      try_number: 1,
      attempt_token: rows[0]!.attempt_token,
      hostname: 'conformance-test',
    };

    const scheduler = connectScheduler(stack.grpcAddress, stack.token);
    const intruder = connectScheduler(stack.grpcAddress, `${stack.token}-wrong`);
    try {
      const again = await scheduler.call('ClaimTask', claim).then(
        (res) => new Error(`ClaimTask of a finished attempt was accepted: ${JSON.stringify(res)}`),
        (err: unknown) => err,
      );
      expect(statusOf(again), describeError(again)).toBe(status.FAILED_PRECONDITION);

      const unauthenticated = await intruder.call('ClaimTask', claim).then(
        () => new Error('ClaimTask with a wrong token was accepted'),
        (err: unknown) => err,
      );
      expect(statusOf(unauthenticated), describeError(unauthenticated)).toBe(status.UNAUTHENTICATED);
    } finally {
      scheduler.close();
      intruder.close();
    }

    // Nothing changed: still one successful try.
    const tries = await taskTries(stack.pool, 'hello_world', runId);
    expect(tries.filter((t) => t.taskId === 'print_hello').map((t) => [t.tryNumber, t.state])).toEqual([[1, 'success']]);
  });

  it('acks a duplicate task message of the finished attempt after its claim is refused, and runs nothing', async () => {
    expect(runId, 'the first test triggered no run').toBeDefined();
    const { rows } = await stack.pool.query<{ attempt_token: string; log_path: string }>(
      `SELECT attempt_token::text, log_path FROM task_instance_try
        WHERE dag_id = 'hello_world' AND run_id = $1 AND task_id = 'print_hello' AND try_number = 1`,
      [runId],
    );
    const { attempt_token: token, log_path: logPath } = rows[0]!;
    const logFile = isAbsolute(logPath) ? logPath : join(stack.dir, 'conformance-logs', logPath);
    const logBefore = readFileSync(logFile, 'utf8');

    const nc = await connect({ servers: stack.nats.url, name: 'conformance-test' });
    try {
      const body = loadProtocol().TaskMessage.serialize({
        key: { dag_id: 'hello_world', run_id: runId, task_id: 'print_hello', map_index: -1 },
        try_number: 1,
        attempt_token: token,
        queue: 'default',
        priority_weight: 1,
      });
      // Another Msg-Id than the scheduler's, so JetStream stores it (a republish after the window).
      await jetstream(nc).publish('updraft.tasks.default', body, { msgID: `hello_world/${runId}/print_hello/-1/1/${token}/again` });
      const refused = new RegExp(`claim of hello_world/${escapeRegExp(runId)}/print_hello try 1 refused \\(FAILED_PRECONDITION`);
      await worker.waitForOutput(refused, 60_000);
      const jsm = await jetstreamManager(nc);
      await waitFor('the refused message to be acked (removed from the work-queue stream)', async () => {
        const info = await jsm.consumers.info('UPDRAFT_TASKS', 'q_default');
        const stream = await jsm.streams.info('UPDRAFT_TASKS');
        return info.num_ack_pending === 0 && info.num_pending === 0 && stream.state.messages === 0 ? true : undefined;
      }, { timeoutMs: 30_000, diagnostics });
    } finally {
      await nc.close();
    }
    expect(readFileSync(logFile, 'utf8'), 'print_hello ran again').toBe(logBefore);
  });

  it('on SIGTERM leaves the fleet: exits 0 and is deregistered', async () => {
    const end = await worker.stop(30_000);
    expect(end, worker.output()).toEqual({ code: 0, signal: null, killed: false });
    const { rows } = await stack.pool.query<{ state: string }>('SELECT state FROM worker WHERE worker_name = $1', [WORKER_NAME]);
    expect(rows.map((r) => r.state), worker.output()).toEqual(['offline']);
  });
});
