/**
 * The whole worker against a real gRPC WorkerService (the scheduler's server over a socket, with
 * an in-test engine keeping the claim/report compare-and-set rules) and the in-process queue
 * adapter: claim, run, report, ack; refused claims; retries; busy workers; heartbeats with kill
 * and drain; graceful and forced shutdown; DAG files fetched by hash.
 */
import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryQueue, silentLogger, UpdraftError } from '@updraft/core';
import { type MemoryQueue } from '@updraft/core/internal';
import { readTaskLog, Worker, type WorkerEvent, type WorkerOptions } from '@updraft/worker';
import { freePort } from '../harness/index.js';
import { TestScheduler } from './worker-test-scheduler.js';

const DAG_SOURCE = `
import { dag } from '@updraft/sdk';
export default dag({ dagId: 'itest' }, (d) => {
  d.fn('compute', (ctx) => ({ ds: ctx.ds, p: ctx.params.p, who: ctx.conf.who, try: ctx.tryNumber }));
});
`;

let dir: string;
let scheduler: TestScheduler;
let address: string;
let queue: MemoryQueue;
const workers: Worker[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'worker-itest-'));
  await chmod(dir, 0o755);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  scheduler = new TestScheduler();
  address = await scheduler.start();
  queue = createMemoryQueue({ ackWaitMs: 30_000 });
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  await queue.close();
  await scheduler.close();
});

function startWorker(over: Partial<WorkerOptions> = {}, events: WorkerEvent[] = []): Promise<Worker> {
  const worker = new Worker({
    allowRootTasks: true, // the tests run as root
    schedulerAddress: address,
    token: scheduler.token,
    queue,
    concurrency: 4,
    heartbeatIntervalMs: 200,
    logFolder: join(dir, 'logs'),
    dagCacheFolder: join(dir, 'dag-cache'),
    shutdownGracePeriodMs: 10_000,
    killGraceMs: 1000,
    logger: silentLogger,
    onEvent: (e) => events.push(e),
    ...over,
  });
  workers.push(worker);
  return worker.start().then(() => worker);
}

const started = (events: WorkerEvent[], taskId: string): number =>
  events.filter((e) => e.type === 'task-started' && e.message.key?.taskId === taskId).length;

describe('worker over gRPC with the in-process queue', () => {
  it('registers with its effective umask/uid/gid and runs bash, function and empty tasks', async () => {
    const events: WorkerEvent[] = [];
    await startWorker({ umask: '0002', workerName: 'w1' }, events);
    expect(scheduler.registered[0]).toMatchObject({ workerName: 'w1', umask: '0002', uid: process.geteuid!(), gid: process.getegid!(), concurrency: 4, queues: ['default'] });
    await scheduler.add(queue, { taskId: 'hello', kind: 'bash', bashCommand: 'echo "hello $UPDRAFT_TASK_ID"' });
    await scheduler.add(queue, { taskId: 'compute', kind: 'function', dagFile: { fileloc: 'sub/itest.ts', content: DAG_SOURCE } });
    await scheduler.add(queue, { taskId: 'nothing', kind: 'empty' });
    await vi.waitFor(() => expect([...scheduler.rows.values()].map((r) => r.state)).toEqual(['success', 'success', 'success']), { timeout: 30_000 });

    expect(JSON.parse(scheduler.row('compute').report!.outcome.returnValueJson!)).toEqual({ ds: '2024-05-01', p: 1, who: 'conf', try: 1 });
    const log = await readTaskLog({ logFolder: join(dir, 'logs'), dagId: 'itest', runId: 'manual__1', taskId: 'hello', tryNumber: 1 });
    expect(log).toMatch(/\[stdout\] hello hello$/m);
    expect(log).toMatch(/worker=w1 /);
    // The DAG file was fetched once by hash and cached under its hash.
    expect(scheduler.count('fetchDagFile', true)).toBe(1);
    const hash = [...scheduler.files.keys()][0]!;
    expect(existsSync(join(dir, 'dag-cache', hash, 'sub/itest.ts'))).toBe(true);
    // Every message was acked only after its report: nothing left in the queue.
    await vi.waitFor(async () => expect(await queue.depths()).toEqual({ default: 0 }));
    expect(started(events, 'hello')).toBe(1);
  });

  it('acks a duplicate delivery of an already claimed attempt without running it', async () => {
    const dupQueue = createMemoryQueue({ duplicateWindowMs: 1 });
    const events: WorkerEvent[] = [];
    await startWorker({ queue: dupQueue }, events);
    const row = await scheduler.add(dupQueue, { taskId: 'once', kind: 'bash', bashCommand: 'sleep 0.5; echo ran' });
    await vi.waitFor(() => expect(row.state).toBe('running'));
    await new Promise((r) => setTimeout(r, 5));
    await dupQueue.publish(row.message); // the same attempt again (past the dedupe window)
    await vi.waitFor(() => expect(events.some((e) => e.type === 'claim-refused')).toBe(true), { timeout: 30_000 });
    await vi.waitFor(() => expect(row.state).toBe('success'), { timeout: 30_000 });
    expect(row.claims).toBe(1);
    expect(scheduler.count('claimTask', false)).toBe(1);
    expect(started(events, 'once')).toBe(1);
    await vi.waitFor(async () => expect(await dupQueue.depths()).toEqual({ default: 0 }));
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    await dupQueue.close();
  });

  it('runs a task handed off in a report\'s answer next, but never one it already runs', async () => {
    const events: WorkerEvent[] = [];
    await startWorker({}, events);
    const long = await scheduler.add(queue, { taskId: 'long', kind: 'bash', bashCommand: 'sleep 1; echo long' });
    await vi.waitFor(() => expect(long.state).toBe('running'), { timeout: 30_000 });
    const next = await scheduler.add(queue, { taskId: 'next', kind: 'bash', bashCommand: 'echo next' }, false);
    // A retried report may get its lost answer again, naming an attempt that already runs here
    // (claimed meanwhile): the worker must not start it a second time.
    scheduler.reportHandoff = (req) => {
      const handed = req.attempt.taskId === 'short' ? long : req.attempt.taskId === 'short2' ? next : undefined;
      if (handed === undefined) return null;
      if (handed === next) { next.state = 'running'; next.claims += 1; }
      return { message: handed.message, claim: scheduler.claimedTaskOf(handed) };
    };
    const short = await scheduler.add(queue, { taskId: 'short', kind: 'bash', bashCommand: 'echo short' });
    await vi.waitFor(() => expect(short.state).toBe('success'), { timeout: 30_000 });
    const short2 = await scheduler.add(queue, { taskId: 'short2', kind: 'empty' });
    await vi.waitFor(() => expect([long.state, short2.state, next.state]).toEqual(['success', 'success', 'success']), { timeout: 30_000 });
    expect(started(events, 'long')).toBe(1);
    expect(scheduler.calls.filter((c) => c.method === 'reportTaskResult' && (c.req as { attempt: { taskId: string } }).attempt.taskId === 'long')).toHaveLength(1);
    // A task handed off that does not run here yet runs in the freed slot, without a claim of its own.
    expect(started(events, 'next')).toBe(1);
    expect(next.claims).toBe(1);
  });

  it('hands a message back when the claim fails with UNAVAILABLE, and runs it on redelivery', async () => {
    let failures = 1;
    scheduler.faults.claim = () => {
      if (failures-- > 0) throw new UpdraftError('DB_ERROR', 'database restarting');
    };
    const events: WorkerEvent[] = [];
    await startWorker({ claimRetryDelayMs: 50 }, events);
    const row = await scheduler.add(queue, { taskId: 'retry_claim', kind: 'empty' });
    await vi.waitFor(() => expect(row.state).toBe('success'), { timeout: 30_000 });
    expect(scheduler.count('claimTask', false)).toBe(1);
    expect(scheduler.count('claimTask', true)).toBe(1);
    expect(started(events, 'retry_claim')).toBe(1);
  });

  it('retries a report until the scheduler accepts it, and acks only then', async () => {
    let failures = 3;
    scheduler.faults.report = () => {
      if (failures-- > 0) throw new UpdraftError('DB_ERROR', 'database restarting');
    };
    await startWorker({ reportRetryInitialMs: 20 });
    const row = await scheduler.add(queue, { taskId: 'retry_report', kind: 'bash', bashCommand: 'echo done' });
    await vi.waitFor(() => expect(row.state).toBe('success'), { timeout: 30_000 });
    expect(scheduler.count('reportTaskResult', false)).toBe(3);
    expect(scheduler.count('reportTaskResult', true)).toBe(1);
    await vi.waitFor(async () => expect(await queue.depths()).toEqual({ default: 0 }));
  });

  it('reports a timed out task as failed with timed_out', async () => {
    await startWorker();
    const row = await scheduler.add(queue, { taskId: 'slow', kind: 'bash', bashCommand: 'sleep 60', executionTimeoutMs: 300 });
    await vi.waitFor(() => expect(row.state).toBe('failed'), { timeout: 30_000 });
    expect(row.report).toMatchObject({ timedOut: true, outcome: { success: false, exitCode: -1 } });
    // The reason reads once: the scheduler adds nothing to the worker's own words.
    expect(row.report!.outcome.error).toBe('execution timeout: the task ran longer than 300 ms and was killed');
  });

  it('a busy worker leaves messages for other workers', async () => {
    const release = join(dir, 'release-busy');
    const eventsA: WorkerEvent[] = [];
    const eventsB: WorkerEvent[] = [];
    await startWorker({ concurrency: 1, workerName: 'a' }, eventsA);
    const first = await scheduler.add(queue, { taskId: 'blocker', kind: 'bash', bashCommand: `while [ ! -e ${release} ]; do sleep 0.05; done` });
    await vi.waitFor(() => expect(first.state).toBe('running'));
    await startWorker({ concurrency: 1, workerName: 'b' }, eventsB);
    const second = await scheduler.add(queue, { taskId: 'other', kind: 'bash', bashCommand: 'echo other' });
    await vi.waitFor(() => expect(second.state).toBe('success'), { timeout: 30_000 });
    expect(started(eventsB, 'other')).toBe(1);
    expect(started(eventsA, 'other')).toBe(0);
    await writeFile(release, '');
    await vi.waitFor(() => expect(first.state).toBe('success'), { timeout: 30_000 });
  });

  it('heartbeats its running attempts and kills the ones the scheduler fences', async () => {
    await startWorker();
    const row = await scheduler.add(queue, { taskId: 'zombie', kind: 'bash', bashCommand: 'sleep 60' });
    await vi.waitFor(() => {
      const last = scheduler.heartbeats.at(-1);
      expect(last?.running.map((a) => a.attemptToken)).toEqual([row.message.attemptToken]);
      expect(last?.running[0]?.pid).toBeGreaterThan(0);
      expect(last?.freeSlots).toBe(3);
    }, { timeout: 30_000 });
    const fenced = scheduler.failAsZombie('zombie');
    scheduler.heartbeatAnswer = () => ({ kill: [fenced], killReasons: ['the scheduler ended this try: cleared while running'], drain: false });
    // The late report is refused (stale) and discarded; the message is acked anyway.
    await vi.waitFor(() => expect(scheduler.count('reportTaskResult', false)).toBe(1), { timeout: 30_000 });
    await vi.waitFor(async () => expect(await queue.depths()).toEqual({ default: 0 }));
    const log = await readTaskLog({ logFolder: join(dir, 'logs'), dagId: 'itest', runId: 'manual__1', taskId: 'zombie' });
    // The log says why, as the scheduler said (before: the same words for every kill).
    expect(log).toMatch(/reason: killed: the scheduler ended this try: cleared while running/);
  });

  it('drains when the scheduler asks: finishes running tasks, deregisters, stops', async () => {
    const worker = await startWorker({ workerName: 'drainer' });
    const row = await scheduler.add(queue, { taskId: 'finishing', kind: 'bash', bashCommand: 'sleep 0.5; echo finished' });
    await vi.waitFor(() => expect(row.state).toBe('running'));
    scheduler.heartbeatAnswer = () => ({ kill: [], drain: true });
    await worker.stopped;
    expect(row.state).toBe('success');
    expect(scheduler.deregistered).toEqual(['w-drainer']);
    const later = await scheduler.add(queue, { taskId: 'after_drain', kind: 'empty' });
    await new Promise((r) => setTimeout(r, 300));
    expect(later.state).toBe('queued');
  });

  it('stop(): a task that outlives the grace period is killed and reported failed', async () => {
    const worker = await startWorker({ shutdownGracePeriodMs: 3000, workerName: 'stopper' });
    const quick = await scheduler.add(queue, { taskId: 'quick', kind: 'bash', bashCommand: 'sleep 0.2' });
    const long = await scheduler.add(queue, { taskId: 'long', kind: 'bash', bashCommand: 'sleep 60' });
    await vi.waitFor(() => expect([quick.state, long.state]).toEqual(['running', 'running']));
    await worker.stop();
    expect(quick.state).toBe('success');
    expect(long.state).toBe('failed');
    expect(long.report!.outcome.error).toMatch(/shut down and the task did not finish within the shutdown grace period/);
    expect(scheduler.deregistered).toEqual(['w-stopper']);
    expect(await queue.depths()).toEqual({ default: 0 });
    const log = await readTaskLog({ logFolder: join(dir, 'logs'), dagId: 'itest', runId: 'manual__1', taskId: 'long' });
    expect(log).toMatch(/task failed \(exit code -1\)/);
  });

  it('refuses a DAG file whose content does not match its hash', async () => {
    await startWorker({ dagCacheFolder: join(dir, 'dag-cache-bad') });
    const row = await scheduler.add(queue, { taskId: 'compute', kind: 'function', dagFile: { fileloc: 'itest.ts', content: DAG_SOURCE } });
    const [hash, file] = [...scheduler.files][0]!;
    scheduler.files.set(hash, { ...file, content: Buffer.from(`${DAG_SOURCE}\n// tampered`) });
    await vi.waitFor(() => expect(row.state).toBe('failed'), { timeout: 30_000 });
    expect(row.report!.outcome.error).toMatch(/refusing to run it/);
  });

  it.runIf(process.geteuid?.() === 0)('runs every task as run_as_user with the worker umask (664/775 owned by 65534)', async () => {
    const out = await mkdtemp(join(dir, 'out-'));
    await chmod(out, 0o777);
    const source = `import { writeFileSync, mkdirSync } from 'node:fs';
import { dag } from '@updraft/sdk';
export default dag({ dagId: 'itest' }, (d) => {
  d.fn('write', () => { writeFileSync('${out}/fn-file', 'x'); mkdirSync('${out}/fn-dir'); return process.getuid(); });
});`;
    await startWorker({ runAsUser: 'nobody', runAsGroup: '65534', umask: '0002', dagCacheFolder: join(dir, 'dag-cache-nobody') });
    expect(scheduler.registered[0]).toMatchObject({ uid: 65534, gid: 65534, umask: '0002' });
    const sh = await scheduler.add(queue, { taskId: 'sh', kind: 'bash', bashCommand: `touch ${out}/sh-file && mkdir ${out}/sh-dir` });
    const fn = await scheduler.add(queue, { taskId: 'write', kind: 'function', dagFile: { fileloc: 'w.ts', content: source } });
    await vi.waitFor(() => expect([sh.state, fn.state]).toEqual(['success', 'success']), { timeout: 30_000 });
    expect(fn.report!.outcome.returnValueJson!).toBe('65534');
    for (const [name, mode] of [['sh-file', 0o664], ['sh-dir', 0o775], ['fn-file', 0o664], ['fn-dir', 0o775]] as const) {
      const st = await stat(join(out, name));
      expect([name, st.uid, st.gid, (st.mode & 0o777).toString(8)]).toEqual([name, 65534, 65534, mode.toString(8)]);
    }
  });

  it('applies a per-queue umask unless the task sets its own', async () => {
    const out = await mkdtemp(join(dir, 'outq-'));
    await startWorker({ queues: ['default', 'private'], queueOverrides: { private: { umask: '0077' } } });
    const a = await scheduler.add(queue, { taskId: 'q_private', kind: 'bash', queue: 'private', bashCommand: `touch ${out}/private` });
    const b = await scheduler.add(queue, { taskId: 'q_own', kind: 'bash', queue: 'private', umask: '0002', bashCommand: `touch ${out}/own` });
    const c = await scheduler.add(queue, { taskId: 'q_default', kind: 'bash', bashCommand: `touch ${out}/default` });
    await vi.waitFor(() => expect([a.state, b.state, c.state]).toEqual(['success', 'success', 'success']), { timeout: 30_000 });
    const mode = async (f: string) => ((await stat(join(out, f))).mode & 0o777).toString(8);
    expect([await mode('private'), await mode('own'), await mode('default')]).toEqual(['600', '664', '644']);
  });

  it('refuses to start when it cannot write its log folder, saying what to fix', async () => {
    const blocker = join(dir, 'not-a-dir');
    await writeFile(blocker, '');
    await expect(startWorker({ logFolder: join(blocker, 'logs') })).rejects.toThrow(/cannot write its task log folder .*logging\.base_log_folder.*Fix:/);
    expect(scheduler.registered).toHaveLength(0);
  });

  it('waits for an unreachable scheduler and can be stopped meanwhile', async () => {
    const worker = new Worker({
      allowRootTasks: true, // the tests run as root
      schedulerAddress: `127.0.0.1:${await freePort()}`, token: 't', queue, logFolder: join(dir, 'logs'),
      dagCacheFolder: join(dir, 'dag-cache'), logger: silentLogger,
    });
    const starting = worker.start();
    // Its rejection is asserted below; it may come before stop() resolves.
    const outcome = starting.then(() => null, (err: unknown) => err);
    await new Promise((r) => setTimeout(r, 500));
    await worker.stop();
    expect(String(await outcome)).toMatch(/stopped before it could register/);
    expect(worker.status().state).toBe('stopped');
  });

  it('refuses to start with a wrong token', async () => {
    await expect(startWorker({ token: 'wrong' })).rejects.toThrow(/refused to register.*worker_token/);
  });

  it('logs a readable error when the message names an unknown task, and drops it', async () => {
    const events: WorkerEvent[] = [];
    await startWorker({}, events);
    await queue.publish({ key: { dagId: 'x', runId: 'r', taskId: 'ghost', mapIndex: -1 }, tryNumber: 1, attemptToken: 't', queue: 'default', priorityWeight: 1 });
    await vi.waitFor(() => expect(events.some((e) => e.type === 'claim-refused')).toBe(true), { timeout: 30_000 });
    await vi.waitFor(async () => expect(await queue.depths()).toEqual({ default: 0 }));
    expect(events.some((e) => e.type === 'task-started')).toBe(false);
  });
});
