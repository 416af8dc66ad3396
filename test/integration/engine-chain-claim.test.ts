/**
 * A chain's next task claimed by the statement that ends its upstream, against a real PostgreSQL:
 * the report's answer carries it as before, but it went none -> running in that one statement
 * (queued_at = started_at = the upstream's ended_at: one transaction). Where its places are not
 * certain (a pool made smaller, another pool, more slots), the ordinary path decides.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { poolsSql, type TaskMessage } from '@updraft/core';
import { SchedulerEngine, type ReportAnswer } from '@updraft/scheduler';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';
import { attemptOf, claim, makeDag, RecordingPublisher, silentLogger, storeDag, tiStates, type TaskSpecInput } from './engine-support.js';

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

function succeed(m: TaskMessage): Promise<ReportAnswer> {
  return engine.reportTaskResult({
    workerId: 'w1', attempt: attemptOf(m), timedOut: false, handoff: { queues: ['default'], hostname: 'fast-host' },
    outcome: { success: true, exitCode: 0, error: null, durationMs: 5, returnValueJson: null },
  });
}

/** How the task instance got to running: in the statement that ended `upstream` (one transaction), or later. */
async function howStarted(runId: string, taskId: string, upstream: string): Promise<'with its upstream' | 'later'> {
  const { rows } = await db.pool.query<{ same: boolean }>(
    `SELECT ti.queued_at = ti.started_at AND ti.started_at = u.ended_at AS same
     FROM task_instance ti JOIN task_instance u ON u.run_id = ti.run_id AND u.task_id = $3
     WHERE ti.run_id = $1 AND ti.task_id = $2`, [runId, taskId, upstream]);
  return rows[0]!.same ? 'with its upstream' : 'later';
}

async function startChain(dagId: string, tasks: TaskSpecInput[], extra: { maxActiveTasks?: number } = {}): Promise<string> {
  await storeDag(db.pool, { ...makeDag({ dagId, tasks }), ...extra });
  const { runId } = await engine.triggerDagRun({ dagId, logicalDate: new Date('2024-05-01T00:00:00Z') });
  await claim(engine, publisher.messages[0]!);
  return runId;
}

describe('a chain step claimed by its upstream\'s finish statement', () => {
  it('starts the next task for the reporting worker in the same statement, with its try row and log path', async () => {
    const runId = await startChain('chain_claim', [{ taskId: 'a' }, { taskId: 'b', upstream: ['a'] }, { taskId: 'c', upstream: ['b'] }]);
    // b had two tries before (cleared): its next try is the third.
    await db.pool.query(`UPDATE task_instance SET try_number = 2 WHERE run_id = $1 AND task_id = 'b'`, [runId]);

    const first = await succeed(publisher.messages[0]!);
    expect(first.handoff?.message).toMatchObject({ key: { taskId: 'b', mapIndex: -1 }, tryNumber: 3 });
    const logPath = `dag_id=chain_claim/run_id=${runId}/task_id=b/attempt=3.log`;
    expect(first.handoff?.claim.logPath).toBe(logPath);
    expect(await howStarted(runId, 'b', 'a')).toBe('with its upstream');
    const { rows: [tt] } = await db.pool.query(
      `SELECT state, worker_id, hostname, log_path, attempt_token::text AS token FROM task_instance_try WHERE run_id = $1 AND task_id = 'b' AND try_number = 3`, [runId]);
    expect(tt).toEqual({ state: 'running', worker_id: 'w1', hostname: 'fast-host', log_path: logPath, token: first.handoff!.message.attemptToken });

    const second = await succeed(first.handoff!.message);
    expect(second.handoff?.message.key.taskId).toBe('c');
    expect(await howStarted(runId, 'c', 'b')).toBe('with its upstream');
    expect(await succeed(second.handoff!.message)).toEqual({ state: 'success', handoff: null });
    expect(publisher.messages.map((m) => m.key.taskId)).toEqual(['a']);
    expect(engine.stats().handedOff).toBe(2);
  });

  it('takes the place its upstream leaves under max_active_tasks', async () => {
    const runId = await startChain('chain_claim_limit', [{ taskId: 'a' }, { taskId: 'b', upstream: ['a'] }], { maxActiveTasks: 1 });
    expect((await succeed(publisher.messages[0]!)).handoff?.message.key.taskId).toBe('b');
    expect(await howStarted(runId, 'b', 'a')).toBe('with its upstream');
  });

  it('leaves a task whose pool was made smaller to the admission (it waits)', async () => {
    await poolsSql.savePools(db.pool, [{ pool: 'narrow', slots: 1, description: null }]);
    const runId = await startChain('chain_claim_pool', [{ taskId: 'a', pool: 'narrow' }, { taskId: 'b', upstream: ['a'], pool: 'narrow' }]);
    await poolsSql.savePools(db.pool, [{ pool: 'narrow', slots: 0, description: null }]);
    expect((await succeed(publisher.messages[0]!)).handoff).toBeNull();
    expect(await tiStates(db.pool, runId)).toEqual({ a: 'success', b: 'scheduled' });
    expect(publisher.messages.map((m) => m.key.taskId)).toEqual(['a']);
  });

  it('leaves a task of another pool, or with more slots, to the ordinary hand-off', async () => {
    await poolsSql.savePools(db.pool, [{ pool: 'other', slots: 4, description: null }]);
    const runId = await startChain('chain_claim_other', [
      { taskId: 'a' }, { taskId: 'b', upstream: ['a'], pool: 'other' }, { taskId: 'c', upstream: ['b'], pool: 'other', poolSlots: 2 },
    ]);
    const first = await succeed(publisher.messages[0]!);
    expect(first.handoff?.message.key.taskId).toBe('b');
    expect(await howStarted(runId, 'b', 'a')).toBe('later');
    expect((await succeed(first.handoff!.message)).handoff?.message.key.taskId).toBe('c');
    expect(await howStarted(runId, 'c', 'b')).toBe('later');
  });

  it('leaves a task with another upstream to the evaluation', async () => {
    const runId = await startChain('chain_claim_join', [{ taskId: 'a' }, { taskId: 'x' }, { taskId: 'b', upstream: ['a', 'x'] }]);
    const [first, second] = publisher.messages;
    await claim(engine, second!);
    expect((await succeed(first!)).handoff).toBeNull();
    expect((await succeed(second!)).handoff?.message.key.taskId).toBe('b');
    expect(await howStarted(runId, 'b', second!.key.taskId)).toBe('later');
  });
});
