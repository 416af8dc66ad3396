/**
 * Fleet supervision, stuck queued tasks, on a real stack (PostgreSQL, nats-server, the scheduler
 * service, in-process workers over real gRPC and JetStream, or a protocol-level fake worker):
 *  - a message removed from JetStream after the database said queued is requeued with a new token
 *    once its queue has free slots, and the task runs once;
 *  - a task waiting while every slot of its queue is busy is not requeued;
 *  - a queue no worker serves is reported as such and spends no requeues;
 *  - past scheduler.max_requeues the task fails with the reason (and its downstream with it);
 *  - dead letters (delivered max_deliver times, never claimed) are requeued, then failed.
 * Short timeouts keep it quick; nothing asserts how long anything took.
 */
import { writeFileSync } from 'node:fs';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJetStreamQueue, proto, taskInstancePagesSql } from '@updraft/core';
import {
  FAST_SUPERVISION,
  diagnostics,
  expectRunEnd,
  startFakeWorker,
  startSupervisedStack,
  ti,
  tries,
  waitForFlag,
  waitUntil,
  type SupervisedStack,
} from './supervision-support.js';

let stack: SupervisedStack;
let jsm: JetStreamManager;
const Q = FAST_SUPERVISION.taskQueuedTimeoutMs;
const STREAM = 'UPDRAFT_TASKS';
const subject = (queue: string): string => `updraft.tasks.${queue}`;

beforeAll(async () => {
  stack = await startSupervisedStack();
  jsm = await jetstreamManager(stack.queue.nc);
});

afterAll(async () => {
  await stack?.stop();
});

const queuedRow = (dagId: string, runId: string, taskId: string) =>
  waitUntil(`${taskId} queued`, async () => {
    const row = await ti(stack, dagId, runId, taskId);
    return row?.state === 'queued' ? row : undefined;
  }, 60_000, () => diagnostics(stack));

const running = (dagId: string, runId: string, taskId: string) =>
  waitUntil(`${taskId} running`, async () => ((await ti(stack, dagId, runId, taskId))?.state === 'running' ? true : undefined),
    60_000, () => diagnostics(stack));

/** Waits until the task has been queued longer than `ms` (database clock), still queued. */
const queuedLongerThan = (dagId: string, runId: string, taskId: string, ms: number) =>
  waitUntil(`${taskId} queued for ${ms} ms`, async () => {
    const row = await ti(stack, dagId, runId, taskId);
    if (row?.state !== 'queued') throw new Error(`${taskId} left queued: ${JSON.stringify(row)}`);
    return (row.queuedMs ?? 0) > ms ? row : undefined;
  }, 60_000, () => diagnostics(stack));

/** Messages stored in the stream for a queue. */
async function storedMessages(queue: string): Promise<number> {
  const info = await jsm.streams.info(STREAM, { subjects_filter: subject(queue) });
  return info.state.subjects?.[subject(queue)] ?? 0;
}

describe('stuck queued tasks', () => {
  it('a message lost after the database said queued is requeued with a new token and runs once', async () => {
    const flag = stack.path('lost.flag');
    await stack.addDag('sv_lost_blocker', [{ taskId: 'blocker', body: waitForFlag(flag), queue: 'ql' }]);
    await stack.addDag('sv_lost_victim', [{ taskId: 'victim', queue: 'ql' }]);
    await stack.startWorker('ql-w', { queues: ['ql'], concurrency: 1 });
    const blockerRun = await stack.trigger('sv_lost_blocker');
    await running('sv_lost_blocker', blockerRun, 'blocker');
    const runId = await stack.trigger('sv_lost_victim');
    const queued = await queuedRow('sv_lost_victim', runId, 'victim');

    // The worker is busy, so the victim's message waits in the stream: remove it (a lost message).
    const stored = await jsm.streams.getMessage(STREAM, { last_by_subj: subject('ql') });
    const lost = proto.TaskMessage.decode(stored!.data);
    expect(lost).toMatchObject({ key: { taskId: 'victim', runId }, attemptToken: queued.attemptToken });
    expect(await jsm.streams.deleteMessage(STREAM, stored!.seq, false)).toBe(true);

    writeFileSync(flag, '');
    await expectRunEnd(stack, 'sv_lost_victim', runId, 'success');
    const row = await ti(stack, 'sv_lost_victim', runId, 'victim');
    expect(row).toMatchObject({ state: 'success', tryNumber: 1, requeueCount: 1 });
    expect(row!.lastRequeueReason).toMatch(/^not claimed within \d+\.\ds although queue ql had free worker slots for \d+\.\ds \(message lost or never claimed\)$/);
    expect(row!.attemptToken).not.toBe(queued.attemptToken);
    const t = await tries(stack, 'sv_lost_victim', runId, 'victim');
    expect(t.map((x) => [x.state, x.attemptToken])).toEqual([['success', row!.attemptToken]]);
    // The try itself says it was requeued and why (what its panel in the UI shows).
    const [shown] = await taskInstancePagesSql.listTaskTries(stack.db.pool, { dagId: 'sv_lost_victim', runId, taskId: 'victim', mapIndex: -1 });
    expect(shown).toMatchObject({ tryNumber: 1, requeueCount: 1, lastRequeueReason: row!.lastRequeueReason, exitCode: 0 });
    expect(stack.records('sv_lost_victim').map((r) => `${r.event} ${r.tryNumber}`)).toEqual(['start 1', 'end 1']);
    await expectRunEnd(stack, 'sv_lost_blocker', blockerRun, 'success');
  });

  it('a task waiting while every slot of its queue is busy is not requeued', async () => {
    const flag = stack.path('busy.flag');
    await stack.addDag('sv_busy_blocker', [{ taskId: 'blocker', body: waitForFlag(flag), queue: 'qb' }]);
    await stack.addDag('sv_busy_waiter', [{ taskId: 'waiter', queue: 'qb' }]);
    await stack.startWorker('qb-w', { queues: ['qb'], concurrency: 1 });
    const blockerRun = await stack.trigger('sv_busy_blocker');
    await running('sv_busy_blocker', blockerRun, 'blocker');
    const runId = await stack.trigger('sv_busy_waiter');
    const queued = await queuedRow('sv_busy_waiter', runId, 'waiter');

    const waited = await queuedLongerThan('sv_busy_waiter', runId, 'waiter', 3 * Q);
    expect(waited).toMatchObject({ requeueCount: 0, lastRequeueReason: null, attemptToken: queued.attemptToken });

    writeFileSync(flag, '');
    await expectRunEnd(stack, 'sv_busy_waiter', runId, 'success');
    expect(await ti(stack, 'sv_busy_waiter', runId, 'waiter')).toMatchObject({ requeueCount: 0, attemptToken: queued.attemptToken });
    expect(stack.records('sv_busy_waiter').map((r) => r.event)).toEqual(['start', 'end']);
  });

  it('a queue no worker serves is reported as such and spends no requeues', async () => {
    await stack.addDag('sv_unserved', [{ taskId: 'orphan', queue: 'qnobody' }]);
    const runId = await stack.trigger('sv_unserved');
    const queued = await queuedRow('sv_unserved', runId, 'orphan');
    await waitUntil('the unserved reason', async () =>
      ((await ti(stack, 'sv_unserved', runId, 'orphan'))?.lastRequeueReason === 'no worker serves queue qnobody' ? true : undefined));
    const waited = await queuedLongerThan('sv_unserved', runId, 'orphan', 3 * Q);
    expect(waited).toMatchObject({ requeueCount: 0, attemptToken: queued.attemptToken, lastRequeueReason: 'no worker serves queue qnobody' });
    const warnings = stack.schedulerLog().split('\n').filter((l) => l.includes('no worker serves queue qnobody:'));
    expect(warnings).toHaveLength(1);

    await stack.startWorker('qnobody-w', { queues: ['qnobody'], concurrency: 1 });
    await expectRunEnd(stack, 'sv_unserved', runId, 'success');
    expect(await ti(stack, 'sv_unserved', runId, 'orphan')).toMatchObject({ requeueCount: 0, attemptToken: queued.attemptToken });
  });

  it('past max_requeues the task fails with the reason, and its downstream with it', async () => {
    const dagId = 'sv_budget';
    await stack.addDag(dagId, [{ taskId: 'never', queue: 'qvoid' }, { taskId: 'after', queue: 'qvoid', upstream: ['never'] }]);
    // A live worker with free slots that never pulls: every message of the queue is "lost".
    const fake = await startFakeWorker(stack, 'qvoid-fake', ['qvoid'], 2);
    try {
      const runId = await stack.trigger(dagId);
      await expectRunEnd(stack, dagId, runId, 'failed');
      const row = await ti(stack, dagId, runId, 'never');
      expect(row).toMatchObject({ state: 'failed', tryNumber: 1, requeueCount: FAST_SUPERVISION.maxRequeues });
      expect(row!.error).toMatch(/^not delivered: queued without a claim after 2 requeues \(scheduler\.max_requeues\); last: not claimed within /);
      expect((await tries(stack, dagId, runId, 'never'))[0]).toMatchObject({ state: 'failed', error: row!.error });
      expect((await ti(stack, dagId, runId, 'after'))?.state).toBe('upstream_failed');
      // One message per token: the first and each requeue (a republish of one token would be deduplicated).
      expect(await storedMessages('qvoid')).toBe(1 + FAST_SUPERVISION.maxRequeues);
      expect(stack.records(dagId)).toEqual([]);
    } finally {
      await fake.stop();
    }
  });

  it('dead letters are requeued with a new token, then failed past the budget', async () => {
    const dagId = 'sv_dead';
    await stack.addDag(dagId, [{ taskId: 'poison', queue: 'qdead' }]);
    // The queue has a (busy) worker, so only dead letters drive this task, not the queued timeout.
    const fake = await startFakeWorker(stack, 'qdead-fake', ['qdead'], 0);
    // A consumer that gives every message back: after max_deliver (2) deliveries it is a dead letter.
    const nakker = await createJetStreamQueue({ url: stack.nats.url, maxDeliver: 2 });
    const consumer = await nakker.consumer(['qdead']);
    let stop = false;
    const naks = (async () => {
      while (!stop) for (const d of await consumer.fetch(1, 200)) d.nak(0);
    })();
    try {
      const runId = await stack.trigger(dagId);
      await expectRunEnd(stack, dagId, runId, 'failed');
      const row = await ti(stack, dagId, runId, 'poison');
      expect(row).toMatchObject({ state: 'failed', requeueCount: FAST_SUPERVISION.maxRequeues });
      expect(row!.error).toMatch(/^not delivered: .*; last: dead letter: the message was delivered 2 times on queue qdead without a claim$/);
    } finally {
      stop = true;
      await naks;
      await consumer.stop();
      await nakker.close();
      await fake.stop();
    }
  });
});
