/**
 * Fleet supervision, zombies and fencing, on a real stack (PostgreSQL, nats-server, the scheduler
 * service with its WorkerService on a socket, workers as processes or in-process over gRPC):
 *  - kill -9 of a worker mid-task: zombie, retried on the other worker, exactly one success;
 *  - a worker cut off the scheduler (partition): zombie and retry; when the link returns its late
 *    report is refused (FAILED_PRECONDITION) and its heartbeat's kill list kills the task;
 *  - a task its live worker stops listing in heartbeats is a zombie too, not before;
 *  - a scheduler restart keeps the running tasks of live workers running.
 * Short timeouts keep it quick; nothing asserts how long anything took.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkerServiceClient, GrpcStatus, isUpdraftRpcError, proto } from '@updraft/core';
import { runCli } from '../harness/index.js';
import {
  FAST_SUPERVISION,
  isAlive,
  killHost,
  diagnostics,
  expectRunEnd,
  sleep,
  startFakeWorker,
  startPartitionProxy,
  startSupervisedStack,
  ti,
  tries,
  waitForFlag,
  waitUntil,
  workerNameOf,
  type SupervisedStack,
} from './supervision-support.js';

let stack: SupervisedStack;
const T = FAST_SUPERVISION.workerHeartbeatTimeoutMs;
/** Try 1 runs until killed; later tries end at once. */
const LONG_FIRST_TRY = 'if [ "$UPDRAFT_TRY_NUMBER" = 1 ]; then sleep 300; fi';

beforeAll(async () => {
  stack = await startSupervisedStack();
});

afterAll(async () => {
  await stack?.stop();
});

const runningTry = (dagId: string, runId: string, taskId: string, tryNumber: number) =>
  waitUntil(`${taskId} try ${tryNumber} running`, async () => {
    const row = await ti(stack, dagId, runId, taskId);
    return row?.state === 'running' && row.tryNumber === tryNumber && row.workerId !== null ? row : undefined;
  }, 60_000, () => diagnostics(stack));

const startedPid = (dagId: string, taskId: string, tryNumber: number) =>
  waitUntil(`${taskId} try ${tryNumber} started`, () =>
    stack.records(dagId).find((r) => r.event === 'start' && r.taskId === taskId && r.tryNumber === tryNumber)?.pid);

describe('zombies', () => {
  it('kill -9 of a worker mid-task: zombie, retried on the other worker, exactly one success', async () => {
    const dagId = 'sv_zombie_kill';
    await stack.addDag(dagId, [{ taskId: 'long', body: LONG_FIRST_TRY, queue: 'zk', retries: 1 }]);
    const w1 = await stack.spawnWorker('zk-w1', ['zk']);
    const runId = await stack.trigger(dagId);
    const first = await runningTry(dagId, runId, 'long', 1);
    expect(await workerNameOf(stack, first.workerId!)).toBe('zk-w1');
    const pid = await startedPid(dagId, 'long', 1);
    await stack.spawnWorker('zk-w2', ['zk']);
    // Kill only after a heartbeat listed the running try (it recorded its pid). Killed before that,
    // the worker's last heartbeat predates the try, which then ends as a try its worker, alive as
    // far as the scheduler knows, stopped listing: a zombie for another reason than this test's.
    await waitUntil('a heartbeat listing try 1', async () => {
      const { rows } = await stack.db.pool.query<{ pid: number | null }>(
        'SELECT pid FROM task_instance WHERE dag_id = $1 AND run_id = $2 AND task_id = $3', [dagId, runId, 'long']);
      return (rows[0]?.pid ?? 0) > 0 ? true : undefined;
    });

    killHost(w1.pid);
    await expectRunEnd(stack, dagId, runId, 'success');

    const t = await tries(stack, dagId, runId, 'long');
    expect(t.map((x) => x.state)).toEqual(['failed', 'success']);
    expect(t[0]!.error).toMatch(/^zombie: worker zk-w1 on \S+ missed heartbeats for \d+\.\ds \(last heartbeat at \d{4}-\d\d-\d\dT[\d:.]+Z\)$/);
    expect(t[0]!.workerId).toBe(first.workerId);
    expect(await workerNameOf(stack, t[1]!.workerId!)).toBe('zk-w2');
    const row = await ti(stack, dagId, runId, 'long');
    expect(row).toMatchObject({ state: 'success', tryNumber: 2, error: null });
    // What really ran: try 1 started and never ended (its host died), try 2 ran once.
    const records = stack.records(dagId);
    expect(records.filter((r) => r.event === 'start').map((r) => r.tryNumber)).toEqual([1, 2]);
    expect(records.filter((r) => r.event === 'end').map((r) => r.tryNumber)).toEqual([2]);
    expect(isAlive(pid)).toBe(false);
    const { rows } = await stack.db.pool.query<{ state: string }>("SELECT state FROM worker WHERE worker_name = 'zk-w1'");
    expect(rows[0]?.state).toBe('offline');
    // The first try's log stops where its host died; `updraft tasks logs` ends it with the reason.
    const log = await runCli(['tasks', 'logs', dagId, runId, 'long', '--try', '1'], {
      env: { UPDRAFT__DATABASE__URL: stack.db.url, UPDRAFT__LOGGING__BASE_LOG_FOLDER: stack.logFolder },
    });
    expect(log.code, log.stderr).toBe(0);
    expect(log.stdout.trimEnd().split('\n').at(-1)).toMatch(
      /\[scheduler\] task failed \(recorded by the scheduler; the worker did not finish this log\): zombie: worker zk-w1 on \S+ missed heartbeats/);
  });

  it('a partitioned worker: zombie and retry; when the link returns its late report is refused and its task is killed', async () => {
    const dagId = 'sv_partition';
    await stack.addDag(dagId, [{ taskId: 'long', body: LONG_FIRST_TRY, queue: 'zp', retries: 1 }]);
    const proxy = await startPartitionProxy(stack.address);
    try {
      const a = await stack.startWorker('zp-a', { schedulerAddress: proxy.address, queues: ['zp'], concurrency: 1 });
      const runId = await stack.trigger(dagId);
      await runningTry(dagId, runId, 'long', 1);
      const pid = await startedPid(dagId, 'long', 1);
      await stack.startWorker('zp-b', { queues: ['zp'], concurrency: 1 });

      proxy.cut();
      await expectRunEnd(stack, dagId, runId, 'success');
      const t = await tries(stack, dagId, runId, 'long');
      expect(t.map((x) => x.state)).toEqual(['failed', 'success']);
      expect(t[0]!.error).toMatch(/^zombie: worker zp-a on zp-a-host missed heartbeats for /);
      expect(await workerNameOf(stack, t[1]!.workerId!)).toBe('zp-b');
      // Cut off, worker A still runs its copy of try 1.
      expect(isAlive(pid)).toBe(true);

      // A late report of try 1 is refused by its token: FAILED_PRECONDITION on the wire.
      const client = createWorkerServiceClient({ address: stack.address, token: stack.token });
      try {
        const late = await client.reportTaskResult({
          workerId: a.worker.workerId, key: { dagId, runId, taskId: 'long', mapIndex: -1 }, tryNumber: 1,
          attemptToken: t[0]!.attemptToken!, outcome: proto.TaskOutcome.TASK_OUTCOME_SUCCESS, exitCode: 0, error: '',
          durationMs: 1, returnValueJson: '', timedOut: false, pid: 0, handoff: undefined, noRetry: false, outletExtrasJson: '', outletAliasEventsJson: '',
        }).then(() => null, (err: unknown) => err);
        expect(isUpdraftRpcError(late, GrpcStatus.FAILED_PRECONDITION)).toBe(true);
      } finally {
        client.close();
      }

      proxy.heal();
      const finished = await waitUntil('worker A to end its copy of try 1', () =>
        a.events.find((e) => e.type === 'task-finished' && e.message.tryNumber === 1));
      expect(finished).toMatchObject({ report: 'discarded', result: { outcome: 'failed' } });
      // Killed with the reason the scheduler recorded for try 1.
      expect(finished.type === 'task-finished' && finished.result.error).toMatch(/^killed: the scheduler ended this try: zombie: worker zp-a on zp-a-host missed heartbeats for /);
      expect(isAlive(pid)).toBe(false);
      expect(stack.records(dagId).filter((r) => r.event === 'end').map((r) => r.tryNumber)).toEqual([2]);
      expect((await ti(stack, dagId, runId, 'long'))?.state).toBe('success');
    } finally {
      await proxy.close();
    }
  });

  it('a running task its live worker stops listing in heartbeats is a zombie, not before', async () => {
    const dagId = 'sv_task_heartbeat';
    await stack.addDag(dagId, [{ taskId: 'ghost', queue: 'zh' }]);
    const fake = await startFakeWorker(stack, 'zh-fake', ['zh'], 1);
    try {
      const runId = await stack.trigger(dagId);
      const queued = await waitUntil('ghost queued', async () => {
        const row = await ti(stack, dagId, runId, 'ghost');
        return row?.state === 'queued' ? row : undefined;
      });
      const key = { dagId, runId, taskId: 'ghost', mapIndex: -1 };
      await fake.client.claimTask({ workerId: fake.workerId, key, tryNumber: 1, attemptToken: queued.attemptToken!, hostname: 'zh-fake-host' });
      fake.running = [{ key, tryNumber: 1, attemptToken: queued.attemptToken!, pid: 0 }];
      // Listed in every heartbeat: it stays running well past the timeout.
      await sleep(4 * T + FAST_SUPERVISION.reconnectGraceMs);
      expect((await ti(stack, dagId, runId, 'ghost'))?.state).toBe('running');

      fake.running = [];
      await expectRunEnd(stack, dagId, runId, 'failed');
      const [t1] = await tries(stack, dagId, runId, 'ghost');
      expect(t1!.error).toMatch(/^zombie: worker zh-fake on zh-fake-host is alive but has not reported this task in its heartbeats for \d+\.\ds/);
      const { rows } = await stack.db.pool.query<{ state: string }>('SELECT state FROM worker WHERE worker_id = $1', [fake.workerId]);
      expect(rows[0]?.state).toBe('online');
      // Listing it again now gets it in the kill list.
      fake.running = [{ key, tryNumber: 1, attemptToken: queued.attemptToken!, pid: 0 }];
      await waitUntil('a kill answer', () => (fake.kills.some((k) => k.attemptToken === queued.attemptToken) ? true : undefined));
    } finally {
      await fake.stop();
    }
  });

  it('a worker marked offline (heartbeats stalled) that claims a task is online again; its try runs on', async () => {
    const dagId = 'sv_offline_claim';
    await stack.addDag(dagId, [{ taskId: 'late', queue: 'zo' }]);
    const fake = await startFakeWorker(stack, 'zo-fake', ['zo'], 1);
    try {
      fake.beating = false;
      await waitUntil('zo-fake offline', async () => {
        const { rows } = await stack.db.pool.query<{ state: string }>('SELECT state FROM worker WHERE worker_id = $1', [fake.workerId]);
        return rows[0]?.state === 'offline' ? true : undefined;
      });
      const runId = await stack.trigger(dagId);
      const queued = await waitUntil('late queued', async () => {
        const row = await ti(stack, dagId, runId, 'late');
        return row?.state === 'queued' ? row : undefined;
      });
      const key = { dagId, runId, taskId: 'late', mapIndex: -1 };
      await fake.client.claimTask({ workerId: fake.workerId, key, tryNumber: 1, attemptToken: queued.attemptToken!, hostname: 'zo-fake-host' });
      const { rows } = await stack.db.pool.query<{ state: string }>('SELECT state FROM worker WHERE worker_id = $1', [fake.workerId]);
      expect(rows[0]?.state).toBe('online');
      fake.running = [{ key, tryNumber: 1, attemptToken: queued.attemptToken!, pid: 0 }];
      fake.beating = true;
      // Well past the heartbeat timeout, the try is still running, not a zombie.
      await sleep(3 * T + FAST_SUPERVISION.reconnectGraceMs);
      expect(await ti(stack, dagId, runId, 'late')).toMatchObject({ state: 'running', tryNumber: 1, error: null });
      expect(fake.kills).toEqual([]);
    } finally {
      await fake.stop();
    }
  });

  it('a scheduler restart keeps the running tasks of live workers running', async () => {
    const dagId = 'sv_restart';
    const flag = stack.path('sv_restart.flag');
    await stack.addDag(dagId, [{ taskId: 'hold', body: waitForFlag(flag), queue: 'zr' }]);
    await stack.startWorker('zr-w', { queues: ['zr'], concurrency: 1 });
    const runId = await stack.trigger(dagId);
    const before = await runningTry(dagId, runId, 'hold', 1);

    // Down for several heartbeat timeouts: every heartbeat of the worker fails meanwhile.
    await stack.restartScheduler(3 * T);
    await sleep(3 * T + FAST_SUPERVISION.reconnectGraceMs);
    expect(await ti(stack, dagId, runId, 'hold')).toMatchObject({ state: 'running', tryNumber: 1, workerId: before.workerId, error: null });

    writeFileSync(flag, '');
    await expectRunEnd(stack, dagId, runId, 'success');
    expect((await tries(stack, dagId, runId, 'hold')).map((t) => t.state)).toEqual(['success']);
    expect(stack.records(dagId).map((r) => `${r.event} ${r.tryNumber}`)).toEqual(['start 1', 'end 1']);
  });
});
