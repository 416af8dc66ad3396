/**
 * Deferred waits whose time came, against a real PostgreSQL: found by a plain read (dueDeferred),
 * ended by one compare-and-set statement (endDueDeferred) that records the try's onSuccess
 * callback request with the success. Whatever changed the task instance between the read and the
 * end (a person marked it, a clear started a new try) wins: the end then records nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deferredSql } from '@updraft/core';
import { SchedulerEngine } from '@updraft/scheduler';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';
import { makeDag, RecordingPublisher, silentLogger, storeDag, tiStates } from './engine-support.js';

let db: TestDatabase;
let engine: SchedulerEngine;

beforeEach(async () => {
  db = await createTestDatabase();
  engine = new SchedulerEngine({ pool: db.pool, publisher: new RecordingPublisher(), logger: silentLogger, tickIntervalMs: 60_000 });
});

afterEach(async () => {
  await engine.stop();
  await db.drop();
});

/** A run of a DAG whose tasks `w`, `v` and `later` wait on `a` (so they stay none); `w` and `v` then deferred until now, `later` for a day. */
async function deferredRun(dagId: string): Promise<{ runId: string }> {
  await storeDag(db.pool, makeDag({
    dagId, tasks: [{ taskId: 'a' }, { taskId: 'w', upstream: ['a'] }, { taskId: 'v', upstream: ['a'] }, { taskId: 'later', upstream: ['a'] }],
  }));
  const { runId, dagRunId } = await engine.triggerDagRun({ dagId, logicalDate: new Date('2024-05-01T00:00:00Z') });
  const run = { dagRunId, dagId, runId };
  expect(await deferredSql.deferTasks(db.pool, run, [
    { taskId: 'w', deltaMs: null, at: new Date(Date.now() - 1000) },
    { taskId: 'v', deltaMs: null, at: new Date(Date.now() - 500) },
    { taskId: 'later', deltaMs: null, at: new Date(Date.now() + 86_400_000) },
  ])).toBeLessThanOrEqual(0);
  return run;
}

async function callbackEvents(runId: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ task_id: string; event: string }>(
    'SELECT task_id, event FROM callback_request WHERE run_id = $1 ORDER BY task_id, event', [runId]);
  return rows.map((r) => `${r.task_id}:${r.event}`);
}

describe('deferred waits whose time came', () => {
  it('are read earliest first without the ones still waiting, and ended with their try rows and onSuccess callbacks', async () => {
    const { runId } = await deferredRun('deferred_sql_end');
    const due = await deferredSql.dueDeferred(db.pool, 10);
    expect(due.map((d) => [d.taskId, d.tryNumber, d.mapIndex])).toEqual([['w', 1, -1], ['v', 1, -1]]);
    // Reading ends nothing.
    expect((await tiStates(db.pool, runId))).toMatchObject({ w: 'deferred', v: 'deferred', later: 'deferred' });
    expect((await deferredSql.dueDeferred(db.pool, 1)).map((d) => d.taskId)).toEqual(['w']);

    const ended = await deferredSql.endDueDeferred(db.pool, due.map((d) => ({ ...d, callbacks: d.taskId === 'w' ? ['onSuccess', 'onFailure'] as const : [] })));
    expect(ended.map((e) => e.taskId).sort()).toEqual(['v', 'w']);
    expect(await tiStates(db.pool, runId)).toMatchObject({ w: 'success', v: 'success', later: 'deferred' });
    const { rows: tries } = await db.pool.query<{ task_id: string; state: string; ended: boolean }>(
      `SELECT task_id, state, ended_at IS NOT NULL AS ended FROM task_instance_try WHERE run_id = $1 AND task_id IN ('w', 'v') ORDER BY task_id`, [runId]);
    expect(tries).toEqual([{ task_id: 'v', state: 'success', ended: true }, { task_id: 'w', state: 'success', ended: true }]);
    // Only the event of the recorded state, once.
    expect(await callbackEvents(runId)).toEqual(['w:onSuccess']);
    expect(await deferredSql.endDueDeferred(db.pool, due.map((d) => ({ ...d, callbacks: ['onSuccess'] as const })))).toEqual([]);
    expect(await callbackEvents(runId)).toEqual(['w:onSuccess']);
    expect(await deferredSql.dueDeferred(db.pool, 10)).toEqual([]);
  });

  it('leave alone what changed since the read: a mark, or a new try', async () => {
    const { runId } = await deferredRun('deferred_sql_cas');
    const due = await deferredSql.dueDeferred(db.pool, 10);
    expect(due.map((d) => d.taskId)).toEqual(['w', 'v']);
    await db.pool.query(`UPDATE task_instance SET state = 'failed', ended_at = now() WHERE run_id = $1 AND task_id = 'w'`, [runId]);
    await db.pool.query(`UPDATE task_instance SET try_number = try_number + 1 WHERE run_id = $1 AND task_id = 'v'`, [runId]);

    expect(await deferredSql.endDueDeferred(db.pool, due.map((d) => ({ ...d, callbacks: ['onSuccess'] as const })))).toEqual([]);
    expect(await tiStates(db.pool, runId)).toMatchObject({ w: 'failed', v: 'deferred' });
    expect(await callbackEvents(runId)).toEqual([]);
  });
});
