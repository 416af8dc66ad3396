/**
 * Deferred waits (sensors.timeDelta, sensors.dateTime): a ready task instance whose wait the
 * scheduler decides goes none|scheduled -> deferred with its wake time in next_retry_at and a try
 * row (no attempt token: no worker ever claims it); when the time comes the scheduler moves it
 * deferred -> success. Waiting costs no worker, no pool slot and no query per sensor: one indexed
 * query finds what is due (task_instance_deferred_due_idx).
 */
import type { Queryable } from '../db/types.js';
import type { RunKey } from '../state/keys.js';
import { rows } from './query.js';
import { endEffectCtes, endEffectList, positionalEffectParams, type EndEffects } from './task-end-effects.js';
import { taskTransition } from './transitions.js';

const DEFER = taskTransition(['none', 'scheduled'], ['deferred']);
const WAKE = taskTransition(['deferred'], ['success']);

/** A task of the run whose wait ends at the run's data interval end plus deltaMs, or at `at`. */
export interface DeferredWaitInput {
  taskId: string;
  deltaMs: number | null;
  at: Date | null;
}

/** Defers these ready tasks of `run` (every map index); returns ms until the earliest wake (<= 0: due), or null when none moved. */
export async function deferTasks(db: Queryable, run: RunKey, waits: readonly DeferredWaitInput[]): Promise<number | null> {
  if (waits.length === 0) return null;
  const result = await rows<{ ms: number | null }>(db, 'deferTasks',
    `WITH w AS (SELECT * FROM unnest($3::text[], $4::float8[], $5::timestamptz[]) AS w(task_id, delta_ms, at)),
     d AS (
       UPDATE task_instance ti SET state = 'deferred', scheduled_at = COALESCE(ti.scheduled_at, now()), wait_reason = NULL,
         next_retry_at = COALESCE(w.at, r.data_interval_end + w.delta_ms * interval '1 millisecond'),
         try_number = ti.try_number + 1, attempt_token = NULL, queued_at = now(), started_at = now(), ended_at = NULL,
         duration_ms = NULL, error = NULL, updated_at = now()
       FROM w, dag_run r
       WHERE ti.dag_id = $1 AND ti.run_id = $2 AND ti.task_id = w.task_id AND r.id = ti.dag_run_id AND ${DEFER.guard('ti')}
       RETURNING ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number, ti.next_retry_at, ti.started_at),
     t AS (
       INSERT INTO task_instance_try (dag_id, run_id, task_id, map_index, try_number, state, queued_at, started_at)
       SELECT dag_id, run_id, task_id, map_index, try_number, 'deferred', started_at, started_at FROM d
       ON CONFLICT (dag_id, run_id, task_id, map_index, try_number) DO UPDATE SET state = 'deferred', queued_at = EXCLUDED.queued_at,
         started_at = EXCLUDED.started_at, ended_at = NULL, attempt_token = NULL)
     SELECT (EXTRACT(EPOCH FROM (min(next_retry_at) - now())) * 1000)::float8 AS ms FROM d`,
    [run.dagId, run.runId, waits.map((w) => w.taskId), waits.map((w) => w.deltaMs), waits.map((w) => w.at)]);
  return result[0]?.ms ?? null;
}

/** A deferred wait whose time came (dueDeferred), or one that ended (endDueDeferred). */
export interface WokenTask {
  dagRunId: string;
  dagId: string;
  runId: string;
  dagHash: string | null;
  taskId: string;
  mapIndex: number;
  tryNumber: number;
}

type WokenRow = { dag_run_id: string; dag_id: string; run_id: string; dag_hash: string | null; task_id: string; map_index: number; try_number: number };

const wokenOf = (r: WokenRow): WokenTask => ({
  dagRunId: String(r.dag_run_id), dagId: r.dag_id, runId: r.run_id, dagHash: r.dag_hash, taskId: r.task_id, mapIndex: r.map_index, tryNumber: r.try_number,
});

/**
 * Deferred waits whose time has come, in running runs, at most `limit` (earliest first): a plain
 * read (task_instance_deferred_due_idx), so a pass that finds none costs one indexed probe and no
 * transaction. endDueDeferred ends them.
 */
export async function dueDeferred(db: Queryable, limit: number): Promise<WokenTask[]> {
  const result = await rows<WokenRow>(db, 'dueDeferred',
    `SELECT ti.dag_run_id, ti.dag_id, ti.run_id, r.dag_hash, ti.task_id, ti.map_index, ti.try_number FROM task_instance ti
     JOIN dag_run r ON r.id = ti.dag_run_id AND r.state = 'running'
     WHERE ti.state = 'deferred' AND ti.next_retry_at <= now()
       -- A wait for another DAG's task ends by external-waits.ts (next_retry_at is its timeout).
       AND NOT EXISTS (SELECT 1 FROM external_task_wait ew WHERE ew.dag_id = ti.dag_id AND ew.run_id = ti.run_id
         AND ew.task_id = ti.task_id AND ew.map_index = ti.map_index)
     ORDER BY ti.next_retry_at LIMIT $1`,
    [limit], { prepare: true });
  return result.map(wokenOf);
}

/**
 * deferred -> success for exactly these tries, each only while it is still deferred on that try
 * (a person's mark or clear since the read wins), with their try rows and the onSuccess callback
 * requests and alert outbox rows their effects name, in one statement. Returns the ones it ended.
 */
export async function endDueDeferred(db: Queryable, ends: ReadonlyArray<WokenTask & EndEffects>): Promise<WokenTask[]> {
  if (ends.length === 0) return [];
  const result = await rows<WokenRow>(db, 'endDueDeferred',
    `WITH e AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[])
         WITH ORDINALITY AS e(dag_id, run_id, task_id, map_index, try_number, i)),
     d AS (
       UPDATE task_instance ti SET state = 'success', ended_at = now(), next_retry_at = NULL, updated_at = now(),
         duration_ms = EXTRACT(EPOCH FROM (now() - ti.started_at)) * 1000
       FROM e WHERE ti.dag_id = e.dag_id AND ti.run_id = e.run_id AND ti.task_id = e.task_id AND ti.map_index = e.map_index
         AND ti.try_number = e.try_number AND ${WAKE.guard('ti')}
       RETURNING e.i, ti.dag_run_id, ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number, ti.state, ti.ended_at, ti.duration_ms,
         NULL::text AS error),
     t AS (
       UPDATE task_instance_try tt SET state = 'success', ended_at = d.ended_at, duration_ms = d.duration_ms
       FROM d WHERE tt.dag_id = d.dag_id AND tt.run_id = d.run_id AND tt.task_id = d.task_id
         AND tt.map_index = d.map_index AND tt.try_number = d.try_number),
     ${endEffectCtes('d', positionalEffectParams(6))}
     SELECT d.dag_run_id, d.dag_id, d.run_id, r.dag_hash, d.task_id, d.map_index, d.try_number FROM d JOIN dag_run r ON r.id = d.dag_run_id`,
    [ends.map((e) => e.dagId), ends.map((e) => e.runId), ends.map((e) => e.taskId), ends.map((e) => e.mapIndex), ends.map((e) => e.tryNumber),
      ...endEffectList(ends)]);
  return result.map(wokenOf);
}
