/**
 * The finish statement comes in variants (core's sql/finish-attempts.ts): a batch whose inputs
 * have no branch skips, callbacks, alerts or asset events runs it without those parts. Against a
 * real PostgreSQL: a batch that mixes both kinds records each input's effects and only those; a
 * batch without effects records the finishes alike and writes nothing else.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { attemptsSql, type TaskMessage } from '@updraft/core';
import { SchedulerEngine } from '@updraft/scheduler';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';
import { attemptOf, claim, makeDag, RecordingPublisher, silentLogger, storeDag, tiStates } from './engine-support.js';

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

/** A run of three independent tasks a, b, c, all claimed by w1; their messages by task id. */
async function claimedRun(dagId: string): Promise<{ runId: string; m: Record<string, TaskMessage> }> {
  await storeDag(db.pool, makeDag({ dagId, tasks: [{ taskId: 'a' }, { taskId: 'b' }, { taskId: 'c' }] }));
  const { runId } = await engine.triggerDagRun({ dagId, logicalDate: new Date('2024-05-01T00:00:00Z') });
  const m: Record<string, TaskMessage> = {};
  for (const msg of publisher.messages) {
    await claim(engine, msg);
    m[msg.key!.taskId] = msg;
  }
  return { runId, m };
}

const done = { success: true, exitCode: 0, error: null, durationMs: 1, returnValueJson: null, retryDelayMs: 0 };

async function callbacksOf(runId: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ r: string }>(
    `SELECT task_id || ':' || event AS r FROM callback_request WHERE run_id = $1 ORDER BY 1`, [runId]);
  return rows.map((x) => x.r);
}

it('a batch mixing inputs with and without effects records each one\'s effects, and only those', async () => {
  const { runId, m } = await claimedRun('finish_mixed');
  const out = await attemptsSql.finishAttempts(db.pool, [
    { ...attemptOf(m.a!), ...done },
    { ...attemptOf(m.b!), ...done, callbacks: ['onSuccess', 'onFailure'], skipTaskIds: [] },
    { ...attemptOf(m.c!), ...done, returnValueJson: '{"n":1}', outlets: [] },
  ]);
  expect(out.map((o) => o?.state)).toEqual(['success', 'success', 'success']);
  expect(out.map((o) => o?.assetQueuedDagIds)).toEqual([[], [], []]);
  expect(await callbacksOf(runId)).toEqual(['b:onSuccess']);
  const { rows: xcom } = await db.pool.query(`SELECT task_id, value FROM xcom WHERE run_id = $1`, [runId]);
  expect(xcom).toEqual([{ task_id: 'c', value: { n: 1 } }]);
  expect(await tiStates(db.pool, runId)).toEqual({ a: 'success', b: 'success', c: 'success' });
});

it('a batch without effects finishes its attempts alike: a success, a failure, a stale token left alone', async () => {
  const { runId, m } = await claimedRun('finish_lean');
  const out = await attemptsSql.finishAttempts(db.pool, [
    { ...attemptOf(m.a!), ...done },
    { ...attemptOf(m.b!), ...done, success: false, exitCode: 1, error: 'boom' },
    // A stale token: not current, nothing happens to c.
    { ...attemptOf(m.c!), ...done, attemptToken: '00000000-0000-4000-8000-000000000000' },
  ]);
  expect(out.map((o) => o?.state ?? null)).toEqual(['success', 'failed', null]);
  expect(out[0]!.runGoesOn).toBe(true);
  expect(await callbacksOf(runId)).toEqual([]);
  expect(await tiStates(db.pool, runId)).toEqual({ a: 'success', b: 'failed', c: 'running' });
  const { rows: tries } = await db.pool.query(
    `SELECT task_id, state, error FROM task_instance_try WHERE run_id = $1 ORDER BY task_id`, [runId]);
  expect(tries).toEqual([
    { task_id: 'a', state: 'success', error: null }, { task_id: 'b', state: 'failed', error: 'boom' }, { task_id: 'c', state: 'running', error: null },
  ]);
});
