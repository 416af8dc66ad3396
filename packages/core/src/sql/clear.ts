/**
 * Clearing task instances ("rerun from the failure point"): what a range of runs holds, and the
 * clear itself. A cleared instance goes back to no state with its try number kept (the next try
 * gets a new number) and its retries given again; its old tries and their logs stay. A finished
 * run goes back to queued, so a scheduler starts it again (max_active_runs applies) and evaluates
 * it whole; a running run stays running (its start date too), as in Airflow, and is flagged for
 * the scheduler's next tick to evaluate it whole.
 */
import type { Queryable } from '../db/types.js';
import { taskInstanceStateOf, type TaskInstanceState } from '../state/states.js';
import { DAG_RUNS_CHANNEL } from './dag-runs.js';
import { rows } from './query.js';
import { runTransition, taskTransition } from './transitions.js';

/** Any state but none goes back to none; a finished run to queued. */
const CLEAR = taskTransition(
  ['scheduled', 'queued', 'running', 'success', 'failed', 'up_for_retry', 'up_for_reschedule', 'deferred', 'skipped', 'upstream_failed', 'removed'],
  ['none'],
);
const REQUEUE_RUN = runTransition(['success', 'failed'], ['queued']);

/**
 * The SET list that hands the runs of changed instances back to a scheduler: a finished run is
 * queued again, without its start and end dates (the scheduler that starts it sets a new start
 * date, as Airflow's clear does); any run is flagged (the tick evaluates the flagged running ones). One UPDATE for
 * both: a run that finished while the statement waited for its row is still queued again.
 */
export const HAND_BACK_RUN = `evaluate_requested_at = now(), marked_state = NULL,
  state = CASE WHEN ${REQUEUE_RUN.guard('dag_run')} THEN 'queued' ELSE dag_run.state END,
  queued_at = CASE WHEN ${REQUEUE_RUN.guard('dag_run')} THEN now() ELSE dag_run.queued_at END,
  start_date = CASE WHEN ${REQUEUE_RUN.guard('dag_run')} THEN NULL ELSE dag_run.start_date END,
  end_date = CASE WHEN ${REQUEUE_RUN.guard('dag_run')} THEN NULL ELSE dag_run.end_date END`;

export interface ClearableInstance {
  runId: string;
  logicalDate: Date;
  taskId: string;
  mapIndex: number;
  state: TaskInstanceState;
  tryNumber: number;
}

/**
 * Task instances of the DAG's runs with a logical date in [from, to] (either bound optional), or of
 * one run; only of `taskIds` and in `states` when given (none is not a state to filter on), at
 * most `limit` of them.
 */
export async function instancesInRange(
  db: Queryable,
  dagId: string,
  range: {
    from?: Date; to?: Date; runId?: string; taskIds?: readonly string[]; states?: readonly Exclude<TaskInstanceState, 'none'>[]; limit?: number;
    /** Of a task named here, only the instances of these map indexes (one pair per element); other tasks are not narrowed. */
    mapIndexes?: ReadonlyArray<{ taskId: string; mapIndex: number }>;
  },
): Promise<ClearableInstance[]> {
  const result = await rows<{ run_id: string; logical_date: Date; task_id: string; map_index: number; state: string | null; try_number: number }>(
    db, 'instancesInRange',
    `SELECT r.run_id, r.logical_date, ti.task_id, ti.map_index, ti.state, ti.try_number
     FROM dag_run r JOIN task_instance ti ON ti.dag_run_id = r.id
     WHERE r.dag_id = $1 AND ($2::timestamptz IS NULL OR r.logical_date >= $2) AND ($3::timestamptz IS NULL OR r.logical_date <= $3)
       AND ($4::text IS NULL OR r.run_id = $4) AND ($5::text[] IS NULL OR ti.task_id = ANY($5)) AND ($6::text[] IS NULL OR ti.state = ANY($6))
       AND ($8::text[] IS NULL OR ti.task_id <> ALL($8) OR (ti.task_id, ti.map_index) IN (SELECT * FROM unnest($8::text[], $9::int[])))
     ORDER BY r.logical_date, ti.task_id, ti.map_index
     LIMIT $7`,
    [dagId, range.from ?? null, range.to ?? null, range.runId ?? null, range.taskIds ?? null, range.states ?? null, range.limit ?? null,
      range.mapIndexes?.map((p) => p.taskId) ?? null, range.mapIndexes?.map((p) => p.mapIndex) ?? null]);
  return result.map((r) => ({
    runId: r.run_id, logicalDate: r.logical_date, taskId: r.task_id, mapIndex: r.map_index,
    state: taskInstanceStateOf(r.state), tryNumber: r.try_number,
  }));
}

export interface ClearItem {
  runId: string;
  taskId: string;
  mapIndex: number;
  /** The task's retries (its tries allowed after the clear: this many + 1 more). */
  retries: number;
}

/**
 * Clears the instances in one statement: no state, no attempt (a running try's report is refused
 * and its worker is told to kill it), retries given again; a try that was queued or running is
 * recorded failed with the reason; finished runs go back to queued, running ones are flagged to
 * be evaluated again, and a scheduler is notified.
 * Returns how many instances were cleared.
 */
export async function clearTaskInstances(db: Queryable, dagId: string, items: readonly ClearItem[]): Promise<number> {
  if (items.length === 0) return 0;
  const result = await rows<{ n: number }>(db, 'clearTaskInstances',
    `WITH a AS (SELECT * FROM unnest($2::text[], $3::text[], $4::int[], $5::int[]) AS a(run_id, task_id, map_index, retries)),
     c AS (
       UPDATE task_instance ti SET state = NULL, attempt_token = NULL, max_tries = ti.try_number + a.retries + 1,
         scheduled_at = NULL, queued_at = NULL, started_at = NULL, ended_at = NULL, duration_ms = NULL, next_retry_at = NULL, first_poke_at = NULL,
         worker_id = NULL, hostname = NULL, pid = NULL, exit_code = NULL, error = NULL, requeue_count = 0,
         last_requeue_reason = NULL, wait_reason = NULL, updated_at = now()
       FROM a WHERE ti.dag_id = $1 AND ti.run_id = a.run_id AND ti.task_id = a.task_id AND ti.map_index = a.map_index
         AND ${CLEAR.guard('ti')}
       RETURNING ti.dag_run_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number),
     t AS (
       UPDATE task_instance_try tt SET state = 'failed', ended_at = now(), error = 'cleared while ' || tt.state
       FROM c WHERE tt.dag_id = $1 AND tt.run_id = c.run_id AND tt.task_id = c.task_id AND tt.map_index = c.map_index
         AND tt.try_number = c.try_number AND tt.state IN ('queued', 'running')),
     r AS (
       UPDATE dag_run SET ${HAND_BACK_RUN}
       WHERE id IN (SELECT DISTINCT dag_run_id FROM c)),
     n AS (SELECT pg_notify($6, $1))
     SELECT (SELECT count(*)::int FROM c) AS n FROM n`,
    [dagId, items.map((i) => i.runId), items.map((i) => i.taskId), items.map((i) => i.mapIndex), items.map((i) => i.retries), DAG_RUNS_CHANNEL]);
  return result[0]?.n ?? 0;
}
