/**
 * Change notifications on `updraft_changes` (what live pages re-read on), against a real
 * PostgreSQL: a statement that writes task instances and their tries notifies once, as 'ti' with
 * the DAG ids; a statement that writes try rows alone (their pid) notifies nothing; the rendered
 * fields of tries, the one try-only write a page shows, notify 'try' with their DAG ids. Claims and
 * finishes (the scheduler's hot path) notify nothing themselves: the scheduler announces them,
 * coalesced, with notifyTaskInstanceChanges; their quiet does not outlast their own statement.
 */
import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { attemptsSql, gridSql, tryDetailsSql } from '@updraft/core';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';

let db: TestDatabase;
let listener: pg.PoolClient;
const heard: string[] = [];
let markers = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`INSERT INTO dag (dag_id, fileloc) VALUES ('notif', 'notif.ts')`);
  await db.pool.query(`INSERT INTO dag_run (dag_id, run_id, run_type, state, logical_date) VALUES ('notif', 'r1', 'manual', 'running', '2024-01-01')`);
  listener = await db.pool.connect();
  listener.on('notification', (n) => heard.push(n.payload ?? ''));
  await listener.query(`LISTEN ${gridSql.CHANGES_CHANNEL}`);
}, 120_000);

afterAll(async () => {
  listener?.release();
  await db?.drop();
});

/** The payloads of the notifications `write` caused (notifications arrive in commit order: a marker sent after it closes them). */
async function notificationsOf(write: () => Promise<unknown>): Promise<unknown[]> {
  heard.length = 0;
  await write();
  const marker = `marker-${++markers}`;
  await db.pool.query('SELECT pg_notify($1, $2)', [gridSql.CHANGES_CHANNEL, marker]);
  const deadline = Date.now() + 10_000;
  while (!heard.includes(marker) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  expect(heard).toContain(marker);
  return heard.slice(0, heard.indexOf(marker)).map((p) => JSON.parse(p) as unknown);
}

it('notifies task instances with their tries once as ti, a try-only pid write not at all, rendered fields as try', async () => {
  const both = await notificationsOf(() => db.pool.query(`WITH ti AS (
      INSERT INTO task_instance (dag_run_id, dag_id, run_id, task_id, state, try_number, operator, queued_at, worker_id)
      SELECT dr.id, 'notif', dr.run_id, 't1', 'running', 1, 'bash', now(), 'w1' FROM dag_run dr WHERE dr.run_id = 'r1' RETURNING *)
    INSERT INTO task_instance_try (dag_id, run_id, task_id, map_index, try_number, state, queued_at, worker_id, attempt_token)
    SELECT dag_id, run_id, task_id, map_index, 1, 'running', queued_at, worker_id, gen_random_uuid() FROM ti`));
  expect(both).toEqual([{ k: 'ti', d: ['notif'] }]);

  const pidOnly = await notificationsOf(() => db.pool.query(`UPDATE task_instance_try SET pid = 42 WHERE dag_id = 'notif' AND task_id = 't1'`));
  expect(pidOnly).toEqual([]);

  const { rows: [t] } = await db.pool.query<{ attempt_token: string }>(`SELECT attempt_token::text FROM task_instance_try WHERE dag_id = 'notif' AND task_id = 't1'`);
  const rendered = await notificationsOf(() => tryDetailsSql.recordRenderedFields(db.pool, [{
    dagId: 'notif', runId: 'r1', taskId: 't1', mapIndex: -1, tryNumber: 1, attemptToken: t!.attempt_token, fields: { bash_command: 'echo hi' },
  }]));
  expect(rendered).toEqual([{ k: 'try', d: ['notif'] }]);
  const { rows: [stored] } = await db.pool.query<{ rendered_fields: unknown }>(`SELECT rendered_fields FROM task_instance_try WHERE dag_id = 'notif' AND task_id = 't1'`);
  expect(stored!.rendered_fields).toEqual({ bash_command: 'echo hi' });

  // Rendered fields of a try that does not exist: nothing written, nothing notified.
  const none = await notificationsOf(() => tryDetailsSql.recordRenderedFields(db.pool, [{
    dagId: 'notif', runId: 'r1', taskId: 'nope', mapIndex: -1, tryNumber: 1, attemptToken: t!.attempt_token, fields: {},
  }]));
  expect(none).toEqual([]);
}, 60_000);

it('claims and finishes notify nothing themselves, the next statement on their connection does, and an announcement notifies once as ti', async () => {
  const token = '6f1c1a52-6a1e-4a43-9d1e-0c7f3f0a9b11';
  // Its own notification is awaited here: one arriving late would be counted as the claim's.
  const inserted = await notificationsOf(() => db.pool.query(`WITH ti AS (
      INSERT INTO task_instance (dag_run_id, dag_id, run_id, task_id, state, try_number, operator, queued_at, attempt_token)
      SELECT dr.id, 'notif', dr.run_id, 'hot', 'queued', 1, 'fn', now(), $1::uuid FROM dag_run dr WHERE dr.run_id = 'r1' RETURNING *)
    INSERT INTO task_instance_try (dag_id, run_id, task_id, map_index, try_number, state, queued_at, attempt_token)
    SELECT dag_id, run_id, task_id, map_index, 1, 'queued', queued_at, attempt_token FROM ti`, [token]));
  expect(inserted).toEqual([{ k: 'ti', d: ['notif'] }]);
  const ref = { dagId: 'notif', runId: 'r1', taskId: 'hot', mapIndex: -1, tryNumber: 1, attemptToken: token };
  const c = await db.pool.connect();
  try {
    const claimed = await notificationsOf(async () => {
      const [out] = await attemptsSql.claimAttempts(c, [{ ...ref, workerId: 'w1', hostname: 'h1', logPath: 'x.log' }]);
      expect(out).not.toBeNull();
    });
    expect(claimed).toEqual([]);
    // The quiet is the claim's transaction's only: the next write on the same connection notifies.
    const next = await notificationsOf(() => c.query(`UPDATE task_instance SET updated_at = now() WHERE dag_id = 'notif' AND task_id = 'hot'`));
    expect(next).toEqual([{ k: 'ti', d: ['notif'] }]);
    const finished = await notificationsOf(async () => {
      const [out] = await attemptsSql.finishAttempts(c, [{ ...ref, success: true, exitCode: 0, error: null, durationMs: 1, returnValueJson: null, retryDelayMs: 0 }]);
      expect(out?.state).toBe('success');
    });
    expect(finished).toEqual([]);
    const after = await notificationsOf(() => c.query(`UPDATE task_instance SET updated_at = now() WHERE dag_id = 'notif' AND task_id = 'hot'`));
    expect(after).toEqual([{ k: 'ti', d: ['notif'] }]);
  } finally {
    c.release();
  }
  const announced = await notificationsOf(() => gridSql.notifyTaskInstanceChanges(db.pool, ['zeta', 'notif', 'zeta']));
  expect(announced).toEqual([{ k: 'ti', d: ['notif', 'zeta'] }]);
  const many = await notificationsOf(() => gridSql.notifyTaskInstanceChanges(db.pool, Array.from({ length: 51 }, (_, i) => `d${i}`)));
  expect(many).toEqual([{ k: 'ti', d: null }]);
  expect(await notificationsOf(() => gridSql.notifyTaskInstanceChanges(db.pool, []))).toEqual([]);
}, 60_000);
