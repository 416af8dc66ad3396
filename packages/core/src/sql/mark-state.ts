/**
 * A person setting states by hand (REST API), Airflow's "mark success / mark failed" of task
 * instances and of DAG runs. Each is one statement guarded by its declared transitions. A marked
 * instance loses its attempt (a running try's report is refused and its worker is told to kill
 * it) and that try is recorded with the mark. Marking task instances hands their run back to a
 * scheduler as a clear does (a finished run is queued again, a running one stays running and is
 * flagged) and notifies it, so the scheduler evaluates the run whole at once: what the mark made
 * ready is queued, and the run finishes when nothing is left.
 */
import type { Queryable } from '../db/types.js';
import { taskInstanceStateOf, type DagRunState, type TaskInstanceState } from '../state/states.js';
import { HAND_BACK_RUN } from './clear.js';
import { DAG_RUNS_CHANNEL } from './dag-runs.js';
import { rows } from './query.js';
import { runTransition, taskTransition, type Transition } from './transitions.js';

const MARKABLE: TaskInstanceState[] = ['none', 'scheduled', 'queued', 'running', 'up_for_retry', 'up_for_reschedule', 'deferred', 'skipped', 'upstream_failed'];
const MARK_SUCCESS = taskTransition([...MARKABLE, 'failed'], ['success']);
const MARK_FAILED = taskTransition([...MARKABLE, 'success'], ['failed']);

/** Unfinished instances of a run marked success; marked failed: running ones fail, the others are skipped. */
const RUN_SUCCESS_TASKS = taskTransition(['none', 'scheduled', 'queued', 'running', 'up_for_retry', 'up_for_reschedule', 'deferred'], ['success']);
/** Shared with run-timeouts.ts: a run that timed out ends its tasks as a run marked failed. */
export const RUN_FAILED_RUNNING = taskTransition(['running'], ['failed']);
export const RUN_FAILED_OTHERS = taskTransition(['none', 'scheduled', 'queued', 'up_for_retry', 'up_for_reschedule', 'deferred'], ['skipped']);
const RUN_SUCCESS = runTransition(['queued', 'running', 'failed'], ['success']);
const RUN_FAILED = runTransition(['queued', 'running', 'success'], ['failed']);
const RUN_QUEUED = runTransition(['running', 'success', 'failed'], ['queued']);

export interface MarkItem {
  runId: string;
  taskId: string;
  mapIndex: number;
}

export interface MarkedInstance extends MarkItem {
  /** The state it had. */
  from: TaskInstanceState;
}

const MARK_INSTANCES = (T: Transition<TaskInstanceState>): string => `
  WITH a AS (SELECT * FROM unnest($2::text[], $3::text[], $4::int[]) AS a(run_id, task_id, map_index)),
  old AS (
    SELECT ti.dag_run_id, ti.run_id, ti.task_id, ti.map_index, ti.state, ti.try_number FROM task_instance ti JOIN a USING (run_id, task_id, map_index)
    WHERE ti.dag_id = $1 FOR UPDATE OF ti),
  m AS (
    UPDATE task_instance ti SET state = $5::text, attempt_token = NULL, ended_at = now(), next_retry_at = NULL, wait_reason = NULL,
      duration_ms = CASE WHEN ti.started_at IS NULL THEN ti.duration_ms ELSE EXTRACT(EPOCH FROM now() - ti.started_at) * 1000 END,
      updated_at = now()
    FROM old WHERE ti.dag_id = $1 AND ti.run_id = old.run_id AND ti.task_id = old.task_id AND ti.map_index = old.map_index
      AND ${T.guard('ti')}
    RETURNING ti.dag_run_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number, old.state AS old_state),
  t AS (
    UPDATE task_instance_try tt SET state = $5::text, ended_at = now(), error = 'marked ' || $5::text || ' while ' || tt.state
    FROM m WHERE tt.dag_id = $1 AND tt.run_id = m.run_id AND tt.task_id = m.task_id AND tt.map_index = m.map_index
      AND tt.try_number = m.try_number AND tt.state IN ('queued', 'running')),
  r AS (UPDATE dag_run SET ${HAND_BACK_RUN} WHERE id IN (SELECT DISTINCT dag_run_id FROM m)),
  n AS (SELECT pg_notify($6, $1) WHERE EXISTS (SELECT 1 FROM m))
  SELECT m.run_id, m.task_id, m.map_index, m.old_state FROM m LEFT JOIN n ON true`;

const SQL_SUCCESS = MARK_INSTANCES(MARK_SUCCESS);
const SQL_FAILED = MARK_INSTANCES(MARK_FAILED);

/**
 * Sets task instances to success or failed (those already in it, or removed, are left alone) and
 * hands their runs back to a scheduler. Returns what changed, with the state each had.
 */
export async function markTaskInstances(db: Queryable, dagId: string, items: readonly MarkItem[], state: 'success' | 'failed'): Promise<MarkedInstance[]> {
  if (items.length === 0) return [];
  const result = await rows<{ run_id: string; task_id: string; map_index: number; old_state: string | null }>(db, 'markTaskInstances',
    state === 'success' ? SQL_SUCCESS : SQL_FAILED,
    [dagId, items.map((i) => i.runId), items.map((i) => i.taskId), items.map((i) => i.mapIndex), state, DAG_RUNS_CHANNEL]);
  return result.map((r) => ({ runId: r.run_id, taskId: r.task_id, mapIndex: r.map_index, from: taskInstanceStateOf(r.old_state) }));
}

/** What marking instances would change: those of `items` that exist and are not in `state` (nor removed). */
export async function markableInstances(db: Queryable, dagId: string, items: readonly MarkItem[], state: 'success' | 'failed'): Promise<MarkedInstance[]> {
  if (items.length === 0) return [];
  const result = await rows<{ run_id: string; task_id: string; map_index: number; state: string | null }>(db, 'markableInstances',
    `SELECT ti.run_id, ti.task_id, ti.map_index, ti.state FROM task_instance ti
     JOIN unnest($2::text[], $3::text[], $4::int[]) AS a(run_id, task_id, map_index) USING (run_id, task_id, map_index)
     WHERE ti.dag_id = $1 AND ti.state IS DISTINCT FROM $5 AND ti.state IS DISTINCT FROM 'removed'
     ORDER BY ti.run_id, ti.task_id, ti.map_index`,
    [dagId, items.map((i) => i.runId), items.map((i) => i.taskId), items.map((i) => i.mapIndex), state]);
  return result.map((r) => ({ runId: r.run_id, taskId: r.task_id, mapIndex: r.map_index, from: taskInstanceStateOf(r.state) }));
}

const TRY_MARK = `
  UPDATE task_instance_try tt SET state = x.state, ended_at = now(), error = 'marked ' || x.state || ' with its run while ' || tt.state
  FROM x WHERE tt.dag_id = x.dag_id AND tt.run_id = x.run_id AND tt.task_id = x.task_id AND tt.map_index = x.map_index
    AND tt.try_number = x.try_number AND tt.state IN ('queued', 'running')`;

/** The columns every end of a task instance by mark or timeout resets. */
export const TASK_SET = `attempt_token = NULL, ended_at = now(), next_retry_at = NULL, wait_reason = NULL, updated_at = now()`;

/** Unfinished task instance states (a teardown in one of them has still to run or end). */
const UNFINISHED = `(ti.state IS NULL OR ti.state IN ('scheduled', 'queued', 'running', 'up_for_retry', 'up_for_reschedule', 'deferred'))`;

/**
 * The run and how it ends: `fin` is the run set to $state at once; `kept` the running run that
 * keeps running because a teardown task ($4) of it has not ended (marked_state holds $state, the
 * scheduler evaluates it at once, its teardowns run, then it takes that state). `z`: either.
 */
const RUN_ENDS = (T: Transition<DagRunState>): string => `
      old AS (SELECT id, state FROM dag_run WHERE dag_id = $1 AND run_id = $2 FOR UPDATE),
      td AS (SELECT EXISTS (SELECT 1 FROM task_instance ti WHERE ti.dag_run_id = (SELECT id FROM old)
               AND ti.task_id = ANY ($4::text[]) AND ${UNFINISHED}) AND (SELECT state FROM old) = 'running' AS pending),
      fin AS (UPDATE dag_run SET state = $5::text, end_date = now(), start_date = COALESCE(start_date, now())
            WHERE id = (SELECT id FROM old) AND NOT (SELECT pending FROM td) AND ${T.guard('dag_run')} RETURNING id),
      kept AS (UPDATE dag_run SET marked_state = $5::text, evaluate_requested_at = now()
            WHERE id = (SELECT id FROM old) AND (SELECT pending FROM td) RETURNING id),
      z AS (SELECT id FROM fin UNION ALL SELECT id FROM kept),
      -- Teardowns are left to run only where the run keeps running for them.
      spare AS (SELECT CASE WHEN EXISTS (SELECT 1 FROM kept) THEN $4::text[] ELSE '{}'::text[] END AS ids)`;

/**
 * Sets a DAG run's state as Airflow does: success (its unfinished task instances too), failed (its
 * running instances fail, its other unfinished ones are skipped) or queued (a scheduler starts it
 * again and evaluates it whole). `teardownTaskIds`: the DAG's teardown tasks. In a running run,
 * success or failed leaves them alone while one has not ended, so the cleanup still runs (Airflow
 * 2.9's rule): the run keeps running until they end, then takes the state marked (no run callback
 * or alert, as for any mark). Returns the run's previous state, or null when it was already in
 * `state` or does not exist.
 */
export async function setDagRunState(db: Queryable, dagId: string, runId: string, state: DagRunState & ('success' | 'failed' | 'queued'),
  teardownTaskIds: readonly string[] = []): Promise<DagRunState | null> {
  const name = `setDagRunState_${state}`;
  let params: unknown[] = [dagId, runId, DAG_RUNS_CHANNEL, teardownTaskIds, state];
  let text: string;
  if (state === 'success') {
    text = `
      WITH ${RUN_ENDS(RUN_SUCCESS)},
      x AS (UPDATE task_instance ti SET state = 'success', ${TASK_SET}
            WHERE ti.dag_run_id = (SELECT id FROM z) AND NOT EXISTS (SELECT 1 FROM spare WHERE ti.task_id = ANY (spare.ids)) AND ${RUN_SUCCESS_TASKS.guard('ti')}
            RETURNING ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number, ti.state),
      t AS (${TRY_MARK}),
      n AS (SELECT pg_notify($3, $1) WHERE EXISTS (SELECT 1 FROM z))
      SELECT old.state FROM old JOIN z ON z.id = old.id LEFT JOIN n ON true`;
  } else if (state === 'failed') {
    text = `
      WITH ${RUN_ENDS(RUN_FAILED)},
      f AS (UPDATE task_instance ti SET state = 'failed', ${TASK_SET}
            WHERE ti.dag_run_id = (SELECT id FROM z) AND NOT EXISTS (SELECT 1 FROM spare WHERE ti.task_id = ANY (spare.ids)) AND ${RUN_FAILED_RUNNING.guard('ti')}
            RETURNING ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number, ti.state),
      s AS (UPDATE task_instance ti SET state = 'skipped', ${TASK_SET}
            WHERE ti.dag_run_id = (SELECT id FROM z) AND NOT EXISTS (SELECT 1 FROM spare WHERE ti.task_id = ANY (spare.ids)) AND ${RUN_FAILED_OTHERS.guard('ti')}
            RETURNING ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number, ti.state),
      x AS (SELECT * FROM f UNION ALL SELECT * FROM s),
      t AS (${TRY_MARK}),
      n AS (SELECT pg_notify($3, $1) WHERE EXISTS (SELECT 1 FROM z))
      SELECT old.state FROM old JOIN z ON z.id = old.id LEFT JOIN n ON true`;
  } else {
    params = [dagId, runId, DAG_RUNS_CHANNEL];
    text = `
      WITH old AS (SELECT id, state FROM dag_run WHERE dag_id = $1 AND run_id = $2 FOR UPDATE),
      r AS (UPDATE dag_run SET state = 'queued', queued_at = now(), end_date = NULL, marked_state = NULL
            WHERE id = (SELECT id FROM old) AND ${RUN_QUEUED.guard('dag_run')} RETURNING id),
      n AS (SELECT pg_notify($3, $1) WHERE EXISTS (SELECT 1 FROM r))
      SELECT old.state FROM old JOIN r ON r.id = old.id LEFT JOIN n ON true`;
  }
  const result = await rows<{ state: DagRunState }>(db, name, text, params);
  return result[0]?.state ?? null;
}
