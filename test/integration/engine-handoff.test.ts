/**
 * The chain fast path against a real PostgreSQL: a report that offers its worker's freed slot gets
 * one ready downstream task of an offered queue, already claimed for that worker (running, its try
 * row started on the offered host) and never published; everything else is published as before.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskMessage } from '@updraft/core';
import { SchedulerEngine, type ReportAnswer } from '@updraft/scheduler';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';
import { attemptOf, claim, makeDag, RecordingPublisher, runState, silentLogger, storeDag, tiStates } from './engine-support.js';

let db: TestDatabase;
let publisher: RecordingPublisher;
let engine: SchedulerEngine;

beforeEach(async () => {
  db = await createTestDatabase();
  publisher = new RecordingPublisher();
  engine = new SchedulerEngine({ pool: db.pool, publisher, logger: silentLogger, tickIntervalMs: 60_000 });
});

afterEach(async () => {
  await engine.stop();
  await db.drop();
});

function succeed(m: TaskMessage, queues: string[] | null, workerId = 'w1'): Promise<ReportAnswer> {
  return engine.reportTaskResult({
    workerId, attempt: attemptOf(m), timedOut: false,
    outcome: { success: true, exitCode: 0, error: null, durationMs: 5, returnValueJson: null },
    ...(queues === null ? {} : { handoff: { queues, hostname: 'fast-host' } }),
  });
}

async function tryRow(runId: string, taskId: string): Promise<{ state: string; hostname: string | null; worker_id: string | null }> {
  const { rows } = await db.pool.query(
    'SELECT state, hostname, worker_id FROM task_instance_try WHERE run_id = $1 AND task_id = $2 ORDER BY try_number DESC LIMIT 1', [runId, taskId]);
  return rows[0];
}

const chain = makeDag({
  dagId: 'handoff_chain',
  tasks: [
    { taskId: 'extract', bashCommand: 'echo {{ ds }}' },
    { taskId: 'transform', upstream: ['extract'], bashCommand: 'echo transform {{ ds_nodash }}' },
    { taskId: 'load', upstream: ['transform'] },
  ],
});

describe('chain fast path', () => {
  it('hands each next task of a chain to the reporting worker, claimed and unpublished', async () => {
    await storeDag(db.pool, chain);
    const { runId } = await engine.triggerDagRun({ dagId: 'handoff_chain', logicalDate: new Date('2024-05-01T00:00:00Z') });
    expect(publisher.messages.map((m) => m.key.taskId)).toEqual(['extract']);
    await claim(engine, publisher.messages[0]!);

    const first = await succeed(publisher.messages[0]!, ['default']);
    expect(first.state).toBe('success');
    expect(first.handoff?.message.key).toEqual({ dagId: 'handoff_chain', runId, taskId: 'transform', mapIndex: -1 });
    expect(first.handoff?.claim.spec).toMatchObject({ kind: 'bash', bashCommand: 'echo transform 20240501' });
    expect(await tiStates(db.pool, runId)).toEqual({ extract: 'success', load: 'none', transform: 'running' });
    expect(await tryRow(runId, 'transform')).toMatchObject({ state: 'running', hostname: 'fast-host', worker_id: 'w1' });

    const second = await succeed(first.handoff!.message, ['default']);
    expect(second.handoff?.message.key.taskId).toBe('load');
    const last = await succeed(second.handoff!.message, ['default']);
    expect(last).toEqual({ state: 'success', handoff: null });
    expect(await runState(db.pool, 'handoff_chain', runId)).toBe('success');
    // Only the root went through the queue.
    expect(publisher.messages.map((m) => m.key.taskId)).toEqual(['extract']);
    expect(engine.stats().handedOff).toBe(2);
  });

  it('without an offer, or for a queue the worker does not serve, the task is published as before', async () => {
    const dag = makeDag({
      dagId: 'handoff_queues',
      tasks: [{ taskId: 'a' }, { taskId: 'b', upstream: ['a'], queue: 'gpu' }, { taskId: 'c', upstream: ['b'] }],
    });
    await storeDag(db.pool, dag);
    const { runId } = await engine.triggerDagRun({ dagId: 'handoff_queues', logicalDate: new Date('2024-05-01T00:00:00Z') });
    await claim(engine, publisher.messages[0]!);
    expect((await succeed(publisher.messages[0]!, ['default'])).handoff).toBeNull();
    expect(publisher.messages.map((m) => [m.key.taskId, m.queue])).toEqual([['a', 'default'], ['b', 'gpu']]);
    expect((await tiStates(db.pool, runId)).b).toBe('queued');
    await claim(engine, publisher.messages[1]!, 'w2');
    expect((await succeed(publisher.messages[1]!, null, 'w2')).handoff).toBeNull();
    expect(publisher.messages.map((m) => m.key.taskId)).toEqual(['a', 'b', 'c']);
  });

  it('a fan-out hands one task to the reporting worker and publishes the others', async () => {
    const dag = makeDag({
      dagId: 'handoff_fanout',
      tasks: [{ taskId: 'root' }, { taskId: 'x', upstream: ['root'] }, { taskId: 'y', upstream: ['root'] }, { taskId: 'z', upstream: ['root'] }],
    });
    await storeDag(db.pool, dag);
    const { runId } = await engine.triggerDagRun({ dagId: 'handoff_fanout', logicalDate: new Date('2024-05-01T00:00:00Z') });
    await claim(engine, publisher.messages[0]!);
    const answer = await succeed(publisher.messages[0]!, ['default']);
    const handed = answer.handoff!.message.key.taskId;
    const published = publisher.messages.slice(1).map((m) => m.key.taskId);
    expect([handed, ...published].sort()).toEqual(['x', 'y', 'z']);
    expect(published).toHaveLength(2);
    const states = await tiStates(db.pool, runId);
    expect(states[handed]).toBe('running');
    for (const t of published) expect(states[t]).toBe('queued');
  });

  it('a success reported again (its answer lost) gets the same handed-off task, claimed once', async () => {
    await storeDag(db.pool, chain);
    const { runId } = await engine.triggerDagRun({ dagId: 'handoff_chain', logicalDate: new Date('2024-05-01T00:00:00Z') });
    await claim(engine, publisher.messages[0]!);
    const first = await succeed(publisher.messages[0]!, ['default']);
    expect(first.handoff?.message.key.taskId).toBe('transform');

    // The worker never saw that answer (the scheduler died, the connection broke) and reports again.
    const again = await succeed(publisher.messages[0]!, ['default']);
    expect(again.state).toBe('success');
    expect(again.handoff?.message).toEqual(first.handoff!.message);
    expect(again.handoff?.claim.spec).toEqual(first.handoff!.claim.spec);
    expect(again.handoff?.claim.logPath).toBe(first.handoff!.claim.logPath);
    expect(await tiStates(db.pool, runId)).toEqual({ extract: 'success', load: 'none', transform: 'running' });
    expect(engine.stats().handedOff).toBe(1);
    expect(publisher.messages.map((m) => m.key.taskId)).toEqual(['extract']);

    // Without an offer the retried report is answered too, with nothing handed off; another worker gets nothing.
    expect(await succeed(publisher.messages[0]!, null)).toEqual({ state: 'success', handoff: null });
    expect((await succeed(publisher.messages[0]!, ['default'], 'w2')).handoff).toBeNull();

    // The run goes on from the task the retried answer carried.
    const next = await succeed(again.handoff!.message, ['default']);
    expect(next.handoff?.message.key.taskId).toBe('load');
    expect(await succeed(next.handoff!.message, null)).toEqual({ state: 'success', handoff: null });
    expect(await runState(db.pool, 'handoff_chain', runId)).toBe('success');
  });

  it('a failure reported again is still refused: only a recorded success is answered again', async () => {
    const dag = makeDag({ dagId: 'handoff_failed', tasks: [{ taskId: 'a' }, { taskId: 'b', upstream: ['a'] }] });
    await storeDag(db.pool, dag);
    await engine.triggerDagRun({ dagId: 'handoff_failed', logicalDate: new Date('2024-05-01T00:00:00Z') });
    const m = publisher.messages[0]!;
    await claim(engine, m);
    const fail = (): Promise<ReportAnswer> => engine.reportTaskResult({
      workerId: 'w1', attempt: attemptOf(m), timedOut: false, handoff: { queues: ['default'], hostname: 'fast-host' },
      outcome: { success: false, exitCode: 1, error: 'boom', durationMs: 5, returnValueJson: null },
    });
    expect((await fail()).state).toBe('failed');
    await expect(fail()).rejects.toMatchObject({ code: 'STALE_ATTEMPT' });
    // A success reported for a try that failed is no replay either.
    await expect(succeed(m, ['default'])).rejects.toMatchObject({ code: 'STALE_ATTEMPT' });
  });

  it('a handed-off attempt whose worker dies ends like any running attempt: retried with a new try', async () => {
    const dag = makeDag({ dagId: 'handoff_zombie', tasks: [{ taskId: 'a' }, { taskId: 'b', upstream: ['a'], retries: 1, retryDelayMs: 60_000 }] });
    await storeDag(db.pool, dag);
    const { runId } = await engine.triggerDagRun({ dagId: 'handoff_zombie', logicalDate: new Date('2024-05-01T00:00:00Z') });
    await claim(engine, publisher.messages[0]!);
    const handed = (await succeed(publisher.messages[0]!, ['default'])).handoff!.message;
    // Supervision ends it as a zombie (the worker that got it was killed before reporting).
    expect(await engine.endAttempt(attemptOf(handed), { success: false, exitCode: null, error: 'zombie: worker w1 missed heartbeats', durationMs: null, returnValueJson: null }))
      .toBe('up_for_retry');
    // A late report of the handed-off try is refused by its token.
    await expect(succeed(handed, ['default'])).rejects.toMatchObject({ code: 'STALE_ATTEMPT' });
    expect((await tiStates(db.pool, runId)).b).toBe('up_for_retry');
  });
});
