/**
 * Tasks the scheduler ends itself, without a worker (`d.triggerDagRun`, `d.latestOnly`): in one
 * transaction it locks the ready task instances (lockReadyTasks), does what they do (creates the
 * runs they trigger, decides whether the run is the latest), and ends them (endReadyTasks) or
 * defers them (external-waits.ts). The lock makes a second evaluation of the same run wait, then
 * find them no longer ready: each is done once per try.
 */
import type { Queryable } from '../db/types.js';
import type { RunKey } from '../state/keys.js';
import { rows } from './query.js';
import { endEffectCtes, endEffectList, positionalEffectParams, type EndEffects } from './task-end-effects.js';
import { taskTransition } from './transitions.js';

const END = taskTransition(['none', 'scheduled'], ['success', 'failed', 'skipped', 'up_for_retry']);

/** A ready task instance the scheduler ends, with what it needs of its run. */
export interface LockedReadyTask {
  taskId: string;
  /** The try it is about to make. */
  tryNumber: number;
  dagHash: string | null;
  runType: string;
  logicalDate: Date;
  dataIntervalStart: Date;
  dataIntervalEnd: Date;
  conf: Record<string, unknown>;
}

/** Locks these tasks' instances of `run` that are still ready (state none or scheduled; unmapped). Call inside a transaction. */
export async function lockReadyTasks(db: Queryable, run: RunKey, taskIds: readonly string[]): Promise<LockedReadyTask[]> {
  if (taskIds.length === 0) return [];
  const result = await rows<{
    task_id: string; try_number: number; dag_hash: string | null; run_type: string; logical_date: Date; data_interval_start: Date; data_interval_end: Date; conf: Record<string, unknown> | null;
  }>(db, 'lockReadyTasks',
    `SELECT ti.task_id, ti.try_number + 1 AS try_number, r.dag_hash, r.run_type, r.logical_date, r.data_interval_start, r.data_interval_end, r.conf
     FROM task_instance ti JOIN dag_run r ON r.id = ti.dag_run_id
     WHERE ti.dag_run_id = $1 AND ti.task_id = ANY($2::text[]) AND ti.map_index = -1 AND (ti.state IS NULL OR ti.state = 'scheduled')
     ORDER BY ti.task_id
     FOR UPDATE OF ti`,
    [run.dagRunId, [...taskIds]]);
  return result.map((r) => ({
    taskId: r.task_id, tryNumber: r.try_number, dagHash: r.dag_hash, runType: r.run_type, logicalDate: r.logical_date,
    dataIntervalStart: r.data_interval_start, dataIntervalEnd: r.data_interval_end, conf: r.conf ?? {},
  }));
}

export interface ReadyTaskEnd extends EndEffects {
  taskId: string;
  state: 'success' | 'failed' | 'skipped';
  /** Why it failed or was skipped; null for success. */
  error: string | null;
  /** A failure with tries left ends up_for_retry, due after this delay. Default 0. */
  retryDelayMs?: number;
}

export interface ReadyTaskEnded {
  taskId: string;
  /** As recorded: a failure with tries left is up_for_retry. */
  state: 'success' | 'failed' | 'skipped' | 'up_for_retry';
  tryNumber: number;
  /** Ms until an up_for_retry one is due; null otherwise. */
  retryInMs: number | null;
}

/**
 * Ends these ready task instances of `run` as a try of their own (started and ended now, so the
 * UI shows the try and its reason): a failure with tries left is up_for_retry (its try failed), and
 * the callbacks and alerts of the recorded state's event are requested in the same statement.
 * Returns the instances that moved.
 */
export async function endReadyTasks(db: Queryable, run: RunKey, ends: readonly ReadyTaskEnd[]): Promise<ReadyTaskEnded[]> {
  if (ends.length === 0) return [];
  const result = await rows<{ task_id: string; state: ReadyTaskEnded['state']; try_number: number; retry_in_ms: number | null }>(db, 'endReadyTasks',
    `WITH e AS (SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::float8[]) WITH ORDINALITY AS e(task_id, state, error, retry_delay_ms, i)),
     d AS (
       UPDATE task_instance ti SET state = CASE WHEN e.state = 'failed' AND ti.try_number + 1 < ti.max_tries THEN 'up_for_retry' ELSE e.state END,
         next_retry_at = CASE WHEN e.state = 'failed' AND ti.try_number + 1 < ti.max_tries THEN now() + e.retry_delay_ms * interval '1 millisecond' END,
         try_number = ti.try_number + 1, scheduled_at = COALESCE(ti.scheduled_at, now()),
         queued_at = now(), started_at = now(), ended_at = now(), duration_ms = 0, error = e.error, attempt_token = NULL,
         wait_reason = NULL, updated_at = now()
       FROM e WHERE ti.dag_run_id = $1 AND ti.task_id = e.task_id AND ti.map_index = -1 AND ${END.guard('ti')}
       RETURNING e.i, ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number, ti.state, ti.started_at, ti.error,
         (EXTRACT(EPOCH FROM (ti.next_retry_at - now())) * 1000)::float8 AS retry_in_ms),
     t AS (
       INSERT INTO task_instance_try (dag_id, run_id, task_id, map_index, try_number, state, queued_at, started_at, ended_at, duration_ms, error)
       SELECT dag_id, run_id, task_id, map_index, try_number, CASE WHEN state = 'up_for_retry' THEN 'failed' ELSE state END,
         started_at, started_at, started_at, 0, error FROM d
       ON CONFLICT (dag_id, run_id, task_id, map_index, try_number) DO UPDATE SET state = EXCLUDED.state, queued_at = EXCLUDED.queued_at,
         started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at, duration_ms = 0, error = EXCLUDED.error, attempt_token = NULL),
     ${endEffectCtes('d', positionalEffectParams(6))}
     SELECT task_id, state, try_number, retry_in_ms FROM d`,
    [run.dagRunId, ends.map((e) => e.taskId), ends.map((e) => e.state), ends.map((e) => e.error), ends.map((e) => e.retryDelayMs ?? 0),
      ...endEffectList(ends)]);
  return result.map((r) => ({ taskId: r.task_id, state: r.state, tryNumber: r.try_number, retryInMs: r.retry_in_ms }));
}

/** The run of `dagId` with this run id, or else with this logical date (what a trigger collided with); null: neither given or found. */
export async function findCollidingRun(
  db: Queryable, dagId: string, runId: string | null, logicalDate: Date | null,
): Promise<{ runId: string; logicalDate: Date; conf: Record<string, unknown> } | null> {
  if (runId === null && logicalDate === null) return null;
  const result = await rows<{ run_id: string; logical_date: Date; conf: Record<string, unknown> | null }>(db, 'findCollidingRun',
    `SELECT run_id, logical_date, conf FROM dag_run WHERE dag_id = $1 AND (run_id = $2 OR logical_date = $3)
     ORDER BY (run_id = $2) IS TRUE DESC LIMIT 1`,
    [dagId, runId, logicalDate]);
  const r = result[0];
  return r === undefined ? null : { runId: r.run_id, logicalDate: r.logical_date, conf: r.conf ?? {} };
}
