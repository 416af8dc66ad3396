/**
 * sensors.externalTask: a ready sensor goes none|scheduled -> deferred with a row in
 * external_task_wait naming the task (or run) it waits for, and its timeout in next_retry_at.
 * The scheduler resolves waits in one statement for all of them (or those on some DAGs):
 * deferred -> success when the target reached an allowed state, -> failed at once when it reached
 * a failed state, -> failed (skipped with softFail) once the timeout passed.
 */
import type { Queryable } from '../db/types.js';
import type { RunKey } from '../state/keys.js';
import { rows } from './query.js';
import { taskTransition } from './transitions.js';

const DEFER = taskTransition(['none', 'scheduled'], ['deferred']);
const RESOLVE = taskTransition(['deferred'], ['success', 'failed', 'skipped']);

/** A task of the run that waits for another DAG's task (`extTaskId` null: its run). */
export interface ExternalWaitInput {
  taskId: string;
  extDagId: string;
  extTaskId: string | null;
  /** Fixed logical date; null: the run's own logical date less `deltaMs`. */
  logicalDate: string | null;
  deltaMs: number;
  allowedStates: string[];
  failedStates: string[];
  softFail: boolean;
  timeoutMs: number;
}

/** Defers these ready tasks of `run` (every map index); returns ms until the earliest timeout, or null when none moved. */
export async function deferExternalWaits(db: Queryable, run: RunKey, waits: readonly ExternalWaitInput[]): Promise<number | null> {
  if (waits.length === 0) return null;
  const result = await rows<{ ms: number | null }>(db, 'deferExternalWaits',
    `WITH w AS (SELECT * FROM jsonb_to_recordset($3::jsonb) AS w(
         "taskId" text, "extDagId" text, "extTaskId" text, "logicalDate" timestamptz, "deltaMs" float8,
         "allowedStates" text[], "failedStates" text[], "softFail" boolean, "timeoutMs" float8)),
     d AS (
       UPDATE task_instance ti SET state = 'deferred', scheduled_at = COALESCE(ti.scheduled_at, now()), wait_reason = NULL,
         next_retry_at = now() + w."timeoutMs" * interval '1 millisecond',
         try_number = ti.try_number + 1, attempt_token = NULL, queued_at = now(), started_at = now(), ended_at = NULL,
         duration_ms = NULL, error = NULL, updated_at = now()
       FROM w, dag_run r
       WHERE ti.dag_id = $1 AND ti.run_id = $2 AND ti.task_id = w."taskId" AND r.id = ti.dag_run_id AND ${DEFER.guard('ti')}
       RETURNING ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number, ti.next_retry_at, ti.started_at,
         w."extDagId", w."extTaskId", COALESCE(w."logicalDate", r.logical_date - w."deltaMs" * interval '1 millisecond') AS ext_logical_date,
         w."allowedStates", w."failedStates", w."softFail"),
     t AS (
       INSERT INTO task_instance_try (dag_id, run_id, task_id, map_index, try_number, state, queued_at, started_at)
       SELECT dag_id, run_id, task_id, map_index, try_number, 'deferred', started_at, started_at FROM d
       ON CONFLICT (dag_id, run_id, task_id, map_index, try_number) DO UPDATE SET state = 'deferred', queued_at = EXCLUDED.queued_at,
         started_at = EXCLUDED.started_at, ended_at = NULL, attempt_token = NULL),
     e AS (
       INSERT INTO external_task_wait (dag_id, run_id, task_id, map_index, ext_dag_id, ext_task_id, ext_logical_date, allowed_states, failed_states, soft_fail)
       SELECT dag_id, run_id, task_id, map_index, "extDagId", "extTaskId", ext_logical_date, "allowedStates", "failedStates", "softFail" FROM d
       ON CONFLICT (dag_id, run_id, task_id, map_index) DO UPDATE SET ext_dag_id = EXCLUDED.ext_dag_id, ext_task_id = EXCLUDED.ext_task_id,
         ext_logical_date = EXCLUDED.ext_logical_date, allowed_states = EXCLUDED.allowed_states,
         failed_states = EXCLUDED.failed_states, soft_fail = EXCLUDED.soft_fail)
     SELECT (EXTRACT(EPOCH FROM (min(next_retry_at) - now())) * 1000)::float8 AS ms FROM d`,
    [run.dagId, run.runId, JSON.stringify(waits)]);
  return result[0]?.ms ?? null;
}

export interface ResolvedWait {
  dagRunId: string;
  dagId: string;
  runId: string;
  dagHash: string | null;
  taskId: string;
  state: 'success' | 'failed' | 'skipped';
}

/**
 * Ends the waits whose target is decided or whose timeout passed: those waiting on `extDagIds`,
 * or all (null; then also drops rows of task instances no longer deferred, e.g. marked by a person).
 */
export async function resolveExternalWaits(db: Queryable, extDagIds: readonly string[] | null): Promise<ResolvedWait[]> {
  const result = await rows<{ dag_run_id: string; dag_id: string; run_id: string; dag_hash: string | null; task_id: string; state: ResolvedWait['state'] }>(db, 'resolveExternalWaits',
    `WITH w AS (
       SELECT ew.*, ti.next_retry_at <= now() AS timed_out FROM external_task_wait ew
       JOIN task_instance ti ON ti.dag_id = ew.dag_id AND ti.run_id = ew.run_id AND ti.task_id = ew.task_id AND ti.map_index = ew.map_index
       WHERE ti.state = 'deferred' AND ($1::text[] IS NULL OR ew.ext_dag_id = ANY($1))
       FOR UPDATE OF ti SKIP LOCKED),
     o AS (
       SELECT w.*, r.state AS run_state, x.n, x.n_allowed, x.failed_state FROM w
       LEFT JOIN dag_run r ON r.dag_id = w.ext_dag_id AND r.logical_date = w.ext_logical_date
       LEFT JOIN LATERAL (
         SELECT count(*) AS n, count(*) FILTER (WHERE COALESCE(t.state, 'none') = ANY(w.allowed_states)) AS n_allowed,
           min(t.state) FILTER (WHERE t.state = ANY(w.failed_states)) AS failed_state
         FROM task_instance t WHERE t.dag_run_id = r.id AND t.task_id = w.ext_task_id) x ON w.ext_task_id IS NOT NULL),
     v AS (
       SELECT o.*, CASE
           WHEN o.ext_task_id IS NULL AND o.run_state = ANY(o.allowed_states) THEN 'success'
           WHEN o.ext_task_id IS NOT NULL AND o.n > 0 AND o.n = o.n_allowed THEN 'success'
           WHEN o.ext_task_id IS NULL AND o.run_state = ANY(o.failed_states) THEN 'failed'
           WHEN o.failed_state IS NOT NULL THEN 'failed'
           WHEN o.timed_out THEN CASE WHEN o.soft_fail THEN 'skipped' ELSE 'failed' END
         END AS verdict,
         format('DAG %L %s for logical date %s', o.ext_dag_id, CASE WHEN o.ext_task_id IS NULL THEN 'run' ELSE format('task %L', o.ext_task_id) END,
           to_char(o.ext_logical_date AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')) AS target,
         COALESCE(o.failed_state, o.run_state) AS seen_state,
         -- Not now(): that is when the statement's transaction began, before its plan was made and
         -- its snapshot taken, so a target that ended meanwhile (seen here) could end after it.
         clock_timestamp() AS resolved_at
       FROM o),
     d AS (
       UPDATE task_instance ti SET state = v.verdict, ended_at = v.resolved_at, next_retry_at = NULL, updated_at = now(),
         duration_ms = EXTRACT(EPOCH FROM (v.resolved_at - ti.started_at)) * 1000,
         error = CASE
           WHEN v.verdict = 'success' THEN NULL
           WHEN v.timed_out AND (v.failed_state IS NULL AND NOT COALESCE(v.run_state = ANY(v.failed_states), false))
             THEN format('sensor timed out: %s did not reach %s', v.target, array_to_string(v.allowed_states, ' or '))
           ELSE format('%s ended %s', v.target, v.seen_state) END
       FROM v WHERE v.verdict IS NOT NULL AND ti.dag_id = v.dag_id AND ti.run_id = v.run_id AND ti.task_id = v.task_id
         AND ti.map_index = v.map_index AND ${RESOLVE.guard('ti')}
       RETURNING ti.dag_run_id, ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number, ti.state, ti.ended_at, ti.duration_ms, ti.error),
     t AS (
       UPDATE task_instance_try tt SET state = d.state, ended_at = d.ended_at, duration_ms = d.duration_ms, error = d.error
       FROM d WHERE tt.dag_id = d.dag_id AND tt.run_id = d.run_id AND tt.task_id = d.task_id
         AND tt.map_index = d.map_index AND tt.try_number = d.try_number),
     gone AS (
       DELETE FROM external_task_wait ew USING d
       WHERE ew.dag_id = d.dag_id AND ew.run_id = d.run_id AND ew.task_id = d.task_id AND ew.map_index = d.map_index),
     stale AS (
       DELETE FROM external_task_wait ew WHERE $1::text[] IS NULL AND NOT EXISTS (
         SELECT 1 FROM task_instance ti WHERE ti.dag_id = ew.dag_id AND ti.run_id = ew.run_id AND ti.task_id = ew.task_id
           AND ti.map_index = ew.map_index AND ti.state = 'deferred'))
     SELECT DISTINCT ON (d.dag_run_id, d.task_id) d.dag_run_id, d.dag_id, d.run_id, r.dag_hash, d.task_id, d.state
     FROM d JOIN dag_run r ON r.id = d.dag_run_id`,
    [extDagIds === null ? null : [...extDagIds]]);
  return result.map((r) => ({ dagRunId: String(r.dag_run_id), dagId: r.dag_id, runId: r.run_id, dagHash: r.dag_hash, taskId: r.task_id, state: r.state }));
}

/** Whether any task instance waits for another DAG's task. */
export async function anyExternalWaits(db: Queryable): Promise<boolean> {
  const result = await rows<{ any: boolean }>(db, 'anyExternalWaits', 'SELECT EXISTS (SELECT 1 FROM external_task_wait) AS any');
  return result[0]?.any ?? false;
}
