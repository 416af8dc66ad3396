/**
 * The alert outbox's group window against a real PostgreSQL (core alertsSql): a task failure waits
 * for the window after it was recorded while its run runs, and is due at once when its run has
 * ended (no other failure of the run can join it), grouped with its run's other pending failures;
 * nextAlertDue says when the next row is due and whether a failure is held for a running run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertsSql } from '@updraft/core';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';

const WINDOW_MS = 10 * 60_000;
const LEASE_MS = 60_000;
let db: TestDatabase;

/** A pending task failure (onFailure, never sent) of run `runId`, recorded `agoMs` ago. */
async function failure(runId: string, taskId: string, agoMs = 0): Promise<string> {
  const r = await db.pool.query<{ id: string }>(
    `INSERT INTO alert_outbox (dag_id, run_id, task_id, try_number, event, notifier_index, target, created_at)
     VALUES ('gw', $1, $2, 1, 'onFailure', 0, $3, now() - $4 * interval '1 millisecond') RETURNING id`,
    [runId, taskId, JSON.stringify({ kind: 'slack', channel: '#etl', connId: 'slack_default' }), agoMs]);
  return String(r.rows[0]!.id);
}

const setRunState = (runId: string, state: string) =>
  db.pool.query(`UPDATE dag_run SET state = $2, end_date = CASE WHEN $2 IN ('success', 'failed') THEN now() END WHERE dag_id = 'gw' AND run_id = $1`, [runId, state]);

const claimedTasks = async (): Promise<string[]> =>
  (await alertsSql.claimAlerts(db.pool, 20, LEASE_MS, WINDOW_MS)).map((a) => `${a.runId}.${a.taskId}`).sort();

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`INSERT INTO dag (dag_id, fileloc) VALUES ('gw', 'dags/gw.ts')`);
  for (const runId of ['running', 'ended', 'old']) {
    await db.pool.query(`INSERT INTO dag_run (dag_id, run_id, run_type, state, logical_date, start_date)
      VALUES ('gw', $1, 'manual', 'running', now(), now())`, [runId]);
  }
});

afterAll(async () => {
  await db?.drop();
});

describe('alert group window', () => {
  it('holds a failure while its run runs; its run\'s end makes it and its run\'s other failures due at once', async () => {
    await failure('running', 'a');
    await failure('ended', 'a');
    await failure('ended', 'b');
    // Both runs running: nothing is due before the window ends, and a failure is held.
    expect(await claimedTasks()).toEqual([]);
    const held = await alertsSql.nextAlertDue(db.pool, WINDOW_MS);
    expect(held.held).toBe(true);
    expect(held.inMs).toBeGreaterThan(WINDOW_MS - LEASE_MS);

    // One run ends: its two failures are due now, together; the other run's stays held.
    await setRunState('ended', 'failed');
    expect((await alertsSql.nextAlertDue(db.pool, WINDOW_MS)).inMs).toBe(0);
    expect(await claimedTasks()).toEqual(['ended.a', 'ended.b']);
    const after = await alertsSql.nextAlertDue(db.pool, WINDOW_MS);
    expect(after.held).toBe(true);
    expect(await claimedTasks()).toEqual([]);

    // A success ends a run too.
    await setRunState('running', 'success');
    expect(await claimedTasks()).toEqual(['running.a']);
    // Only rows being sent are open now (their lease), none held.
    const leased = await alertsSql.nextAlertDue(db.pool, WINDOW_MS);
    expect(leased.held).toBe(false);
    expect(leased.inMs).toBeGreaterThan(0);
  });

  it('sends a failure of a running run once its window has passed; without a window, at once', async () => {
    await failure('old', 'late', WINDOW_MS + 1000);
    expect(await claimedTasks()).toEqual(['old.late']);
    await failure('old', 'now');
    expect(await claimedTasks()).toEqual([]);
    expect((await alertsSql.claimAlerts(db.pool, 20, LEASE_MS, 0)).map((a) => a.taskId)).toEqual(['now']);
    expect((await alertsSql.nextAlertDue(db.pool, 0)).held).toBe(false);
  });
});
