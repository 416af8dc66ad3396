/**
 * Callback requests (task and DAG run callbacks): recorded by the statements that change the
 * states they report (attempts.ts, dag-runs.ts), claimed and ended here by the scheduler that runs
 * them.
 */
import type { Queryable } from '../db/types.js';
import type { AlertRequest } from './alerts.js';
import { query, rows } from './query.js';
import { eventJoins } from './event-joins.js';

/** A claimed callback request with what its context needs. */
export interface ClaimedCallback {
  id: string;
  dagId: string;
  runId: string;
  /** null for DAG run callbacks. */
  taskId: string | null;
  mapIndex: number;
  tryNumber: number;
  event: string;
  exception: string | null;
  /** Claims of this request so far, this one included (a scheduler that died while running it claimed it before). */
  attempts: number;
  logicalDate: Date;
  conf: Record<string, unknown>;
  /** The DAG file, relative to the DAGs folder; null when the DAG is gone. */
  fileloc: string | null;
  maxTries: number;
  tryState: string | null;
  hostname: string | null;
  /** The try's log file relative to the log folder. */
  logPath: string | null;
}

/**
 * pending -> running for at most `limit` requests (oldest first), and running ones whose runner
 * went away (started more than `staleMs` ago, fewer than `maxAttempts` claims): their scheduler died.
 */
export async function claimCallbacks(db: Queryable, limit: number, staleMs: number, maxAttempts: number): Promise<ClaimedCallback[]> {
  const result = await rows<{
    id: string; dag_id: string; run_id: string; task_id: string; map_index: number; try_number: number; event: string;
    exception: string | null; attempts: number; logical_date: Date; conf: Record<string, unknown> | null; fileloc: string | null;
    max_tries: number | null; try_state: string | null; hostname: string | null; log_path: string | null;
  }>(db, 'claimCallbacks',
    `WITH c AS (
       SELECT id FROM callback_request
       WHERE state = 'pending'
          OR (state = 'running' AND started_at < now() - $2 * interval '1 millisecond' AND attempts < $3)
       ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED),
     u AS (
       UPDATE callback_request cr SET state = 'running', started_at = now(), attempts = cr.attempts + 1
       FROM c WHERE cr.id = c.id
       RETURNING cr.*)
     SELECT u.id, u.dag_id, u.run_id, u.task_id, u.map_index, u.try_number, u.event, u.exception, u.attempts,
       r.logical_date, r.conf, d.fileloc, ti.max_tries, tt.state AS try_state, tt.hostname, tt.log_path
     FROM u
     ${eventJoins('u')}
     LEFT JOIN dag d ON d.dag_id = u.dag_id
     ORDER BY u.id`,
    [limit, staleMs, maxAttempts]);
  return result.map((r) => ({
    id: String(r.id), dagId: r.dag_id, runId: r.run_id, taskId: r.task_id === '' ? null : r.task_id, mapIndex: r.map_index,
    tryNumber: r.try_number, event: r.event, exception: r.exception, attempts: r.attempts, logicalDate: r.logical_date,
    conf: r.conf ?? {}, fileloc: r.fileloc, maxTries: r.max_tries ?? 0, tryState: r.try_state, hostname: r.hostname,
    logPath: r.log_path,
  }));
}

/**
 * Records a task event (once per try and event; a repeat is ignored): its callback request when
 * `callback`, and an alert outbox row per declarative notifier of `alerts` (those of this event),
 * in one statement.
 */
export async function requestTaskCallback(
  db: Queryable,
  r: { dagId: string; runId: string; taskId: string; mapIndex: number; tryNumber: number; event: string },
  o: { callback?: boolean; alerts?: readonly AlertRequest[] } = {},
): Promise<void> {
  const alerts = (o.alerts ?? []).filter((a) => a.event === r.event);
  await query(db, 'requestTaskCallback',
    `WITH cb AS (
       INSERT INTO callback_request (dag_id, run_id, task_id, map_index, try_number, event)
       SELECT $1, $2, $3, $4, $5, $6 WHERE $7::bool
       ON CONFLICT DO NOTHING)
     INSERT INTO alert_outbox (dag_id, run_id, task_id, map_index, try_number, event, notifier_index, target)
     SELECT $1, $2, $3, $4, $5, $6, n.idx, n.target::jsonb FROM unnest($8::int[], $9::text[]) AS n(idx, target)
     ON CONFLICT DO NOTHING`,
    [r.dagId, r.runId, r.taskId, r.mapIndex, r.tryNumber, r.event, o.callback ?? true, alerts.map((a) => a.index),
      alerts.map((a) => JSON.stringify(a.target))]);
}

/** running -> success | failed (with the error), for one request. */
export async function endCallback(db: Queryable, id: string, error: string | null): Promise<void> {
  await query(db, 'endCallback',
    `UPDATE callback_request SET state = CASE WHEN $2::text IS NULL THEN 'success' ELSE 'failed' END, ended_at = now(), error = $2
     WHERE id = $1 AND state = 'running'`,
    [id, error]);
}

/** Whether requests are waiting to run (pending, or running but abandoned), for the scheduler's tick. */
export async function hasPendingCallbacks(db: Queryable, staleMs: number, maxAttempts: number): Promise<boolean> {
  const result = await rows<{ n: number }>(db, 'hasPendingCallbacks',
    `SELECT count(*)::int AS n FROM callback_request
     WHERE state = 'pending' OR (state = 'running' AND started_at < now() - $1 * interval '1 millisecond' AND attempts < $2)`,
    [staleMs, maxAttempts]);
  return (result[0]?.n ?? 0) > 0;
}

/** Every request of a run (tests, the CLI), oldest first. */
export async function runCallbacks(db: Queryable, dagId: string, runId: string): Promise<Array<{ taskId: string | null; tryNumber: number; event: string; state: string; attempts: number; error: string | null; exception: string | null }>> {
  const result = await rows<{ task_id: string; try_number: number; event: string; state: string; attempts: number; error: string | null; exception: string | null }>(db, 'runCallbacks',
    'SELECT task_id, try_number, event, state, attempts, error, exception FROM callback_request WHERE dag_id = $1 AND run_id = $2 ORDER BY id',
    [dagId, runId]);
  return result.map((r) => ({ taskId: r.task_id === '' ? null : r.task_id, tryNumber: r.try_number, event: r.event, state: r.state, attempts: r.attempts, error: r.error, exception: r.exception }));
}
