/**
 * sensors.externalTask: a ready sensor goes none|scheduled -> deferred with a row in
 * external_task_wait naming the task (or run) it waits for, and its timeout in next_retry_at.
 * The scheduler resolves waits for all of them (or those on some DAGs): one statement decides
 * them, one ends them (compare-and-set) with what the task's definition says an end records:
 * deferred -> success when the target reached an allowed state, -> failed at once when it reached
 * a failed state, -> failed (skipped with softFail) once the timeout passed; a failure with tries
 * left -> up_for_retry; the callbacks and alerts of the event.
 */
import type { Queryable } from '../db/types.js';
import type { RunKey } from '../state/keys.js';
import { rows } from './query.js';
import { endEffectCtes, endEffectList, positionalEffectParams, type EndEffects } from './task-end-effects.js';
import { taskTransition } from './transitions.js';

const DEFER = taskTransition(['none', 'scheduled'], ['deferred']);
const RESOLVE = taskTransition(['deferred'], ['success', 'failed', 'skipped', 'up_for_retry']);

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

/** A wait whose target is decided, or whose timeout passed (decideExternalWaits). */
export interface DecidedWait {
  dagRunId: string;
  dagId: string;
  runId: string;
  dagHash: string | null;
  taskId: string;
  mapIndex: number;
  /** The sensor's try that waits. */
  tryNumber: number;
  verdict: 'success' | 'failed' | 'skipped';
  /** Why it failed or was skipped; null for success. */
  error: string | null;
}

/**
 * The waits whose target is decided or whose timeout passed: those waiting on `extDagIds`, or all
 * (null; then also drops rows of task instances no longer deferred, e.g. marked by a person).
 * Writes no state: endExternalWaits ends them, each only while it is still deferred at the try
 * decided (what changed meanwhile, a person's mark or another resolution, wins).
 */
export async function decideExternalWaits(db: Queryable, extDagIds: readonly string[] | null): Promise<DecidedWait[]> {
  const result = await rows<{
    dag_run_id: string; dag_id: string; run_id: string; dag_hash: string | null; task_id: string; map_index: number; try_number: number;
    verdict: DecidedWait['verdict']; error: string | null;
  }>(db, 'decideExternalWaits',
    `WITH w AS (
       SELECT ew.*, ti.dag_run_id, ti.try_number, ti.next_retry_at <= now() AS timed_out FROM external_task_wait ew
       JOIN task_instance ti ON ti.dag_id = ew.dag_id AND ti.run_id = ew.run_id AND ti.task_id = ew.task_id AND ti.map_index = ew.map_index
       WHERE ti.state = 'deferred' AND ($1::text[] IS NULL OR ew.ext_dag_id = ANY($1))),
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
         COALESCE(o.failed_state, o.run_state) AS seen_state
       FROM o),
     stale AS (
       DELETE FROM external_task_wait ew WHERE $1::text[] IS NULL AND NOT EXISTS (
         SELECT 1 FROM task_instance ti WHERE ti.dag_id = ew.dag_id AND ti.run_id = ew.run_id AND ti.task_id = ew.task_id
           AND ti.map_index = ew.map_index AND ti.state = 'deferred'))
     SELECT v.dag_run_id, v.dag_id, v.run_id, r.dag_hash, v.task_id, v.map_index, v.try_number, v.verdict, CASE
         WHEN v.verdict = 'success' THEN NULL
         WHEN v.timed_out AND (v.failed_state IS NULL AND NOT COALESCE(v.run_state = ANY(v.failed_states), false))
           THEN format('sensor timed out: %s did not reach %s', v.target, array_to_string(v.allowed_states, ' or '))
         ELSE format('%s ended %s', v.target, v.seen_state) END AS error
     FROM v JOIN dag_run r ON r.id = v.dag_run_id WHERE v.verdict IS NOT NULL`,
    [extDagIds === null ? null : [...extDagIds]]);
  return result.map((r) => ({
    dagRunId: String(r.dag_run_id), dagId: r.dag_id, runId: r.run_id, dagHash: r.dag_hash, taskId: r.task_id, mapIndex: r.map_index,
    tryNumber: r.try_number, verdict: r.verdict, error: r.error,
  }));
}

/** A decided wait, with what its end records besides the state. */
export interface ExternalWaitEnd extends DecidedWait, EndEffects {
  /** A sensor that failed with tries left ends up_for_retry, due after this delay. */
  retryDelayMs: number;
}

export interface EndedWait {
  dagRunId: string;
  dagId: string;
  runId: string;
  dagHash: string | null;
  taskId: string;
  /** As recorded: a failure with tries left is up_for_retry. */
  state: 'success' | 'failed' | 'skipped' | 'up_for_retry';
  /** Ms until an up_for_retry one is due; null otherwise. */
  retryInMs: number | null;
}

/**
 * Ends the decided waits (their instances still deferred at that try): deferred -> the verdict (a
 * failure with tries left -> up_for_retry, its try failed), the try rows,
 * the wait rows gone, and the callbacks and alerts of the recorded state's event, in one statement.
 */
export async function endExternalWaits(db: Queryable, ends: readonly ExternalWaitEnd[]): Promise<EndedWait[]> {
  if (ends.length === 0) return [];
  const result = await rows<{
    dag_run_id: string; dag_id: string; run_id: string; dag_hash: string | null; task_id: string; state: EndedWait['state']; retry_in_ms: number | null;
  }>(
    db, 'endExternalWaits',
    `WITH e AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::text[], $7::text[], $8::float8[])
         WITH ORDINALITY AS e(dag_id, run_id, task_id, map_index, try_number, verdict, error, retry_delay_ms, i)),
     -- Not now(): that is when the transaction began, before the waits were decided, so a target
     -- that ended meanwhile (seen by the decision) could end after the sensor.
     c AS MATERIALIZED (SELECT clock_timestamp() AS at),
     d AS (
       UPDATE task_instance ti SET
         state = CASE WHEN e.verdict = 'failed' AND ti.try_number < ti.max_tries THEN 'up_for_retry' ELSE e.verdict END,
         next_retry_at = CASE WHEN e.verdict = 'failed' AND ti.try_number < ti.max_tries
           THEN c.at + e.retry_delay_ms * interval '1 millisecond' END,
         ended_at = c.at, updated_at = now(), duration_ms = EXTRACT(EPOCH FROM (c.at - ti.started_at)) * 1000, error = e.error
       FROM e, c
       WHERE ti.dag_id = e.dag_id AND ti.run_id = e.run_id AND ti.task_id = e.task_id AND ti.map_index = e.map_index
         AND ti.try_number = e.try_number AND ${RESOLVE.guard('ti')}
       RETURNING e.i, ti.dag_run_id, ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number, ti.state, ti.ended_at, ti.duration_ms, ti.error,
         (EXTRACT(EPOCH FROM (ti.next_retry_at - clock_timestamp())) * 1000)::float8 AS retry_in_ms),
     t AS (
       UPDATE task_instance_try tt SET state = CASE WHEN d.state = 'up_for_retry' THEN 'failed' ELSE d.state END,
         ended_at = d.ended_at, duration_ms = d.duration_ms, error = d.error
       FROM d WHERE tt.dag_id = d.dag_id AND tt.run_id = d.run_id AND tt.task_id = d.task_id
         AND tt.map_index = d.map_index AND tt.try_number = d.try_number),
     gone AS (
       DELETE FROM external_task_wait ew USING d
       WHERE ew.dag_id = d.dag_id AND ew.run_id = d.run_id AND ew.task_id = d.task_id AND ew.map_index = d.map_index),
     ${endEffectCtes('d', positionalEffectParams(9))}
     SELECT d.dag_run_id, d.dag_id, d.run_id, r.dag_hash, d.task_id, d.state, d.retry_in_ms FROM d JOIN dag_run r ON r.id = d.dag_run_id`,
    [ends.map((e) => e.dagId), ends.map((e) => e.runId), ends.map((e) => e.taskId), ends.map((e) => e.mapIndex), ends.map((e) => e.tryNumber),
      ends.map((e) => e.verdict), ends.map((e) => e.error), ends.map((e) => e.retryDelayMs), ...endEffectList(ends)]);
  return result.map((r) => ({
    dagRunId: String(r.dag_run_id), dagId: r.dag_id, runId: r.run_id, dagHash: r.dag_hash, taskId: r.task_id, state: r.state, retryInMs: r.retry_in_ms,
  }));
}

/** Whether any task instance waits for another DAG's task. */
export async function anyExternalWaits(db: Queryable): Promise<boolean> {
  const result = await rows<{ any: boolean }>(db, 'anyExternalWaits', 'SELECT EXISTS (SELECT 1 FROM external_task_wait) AS any');
  return result[0]?.any ?? false;
}
