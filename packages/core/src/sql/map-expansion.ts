/**
 * The instances of a mapped task (`task.expand(...)`), made when it becomes ready: one per element
 * of its array (expandMappedTask), made again to the array's length when its source ran again
 * (reviseMapIndexes), or none when the array cannot be mapped over (failUnmappable).
 */
import type { Queryable } from '../db/types.js';
import type { RunKey } from '../state/keys.js';
import { rows } from './query.js';
import { taskTransition } from './transitions.js';

/**
 * Expands a mapped task: its placeholder instance (map_index -1, state none) becomes map index 0
 * and instances 1..count-1 are added (state none, same queue, pool, priority and tries). One
 * statement; false when the placeholder is no longer there (expanded by a concurrent evaluation).
 */
export async function expandMappedTask(db: Queryable, run: RunKey, taskId: string, count: number): Promise<boolean> {
  const result = await rows<{ n: number }>(db, 'expandMappedTask',
    `WITH p AS (
       UPDATE task_instance ti SET map_index = 0, updated_at = now()
       WHERE ti.dag_id = $1 AND ti.run_id = $2 AND ti.task_id = $3 AND ti.map_index = -1 AND ti.state IS NULL
       RETURNING ti.*),
     more AS (
       INSERT INTO task_instance (dag_run_id, dag_id, run_id, task_id, map_index, operator, queue, pool, priority_weight, max_tries,
                                  pool_slots, max_active_tis_per_dag, max_active_tis_per_dagrun)
       SELECT p.dag_run_id, p.dag_id, p.run_id, p.task_id, i, p.operator, p.queue, p.pool, p.priority_weight, p.max_tries,
              p.pool_slots, p.max_active_tis_per_dag, p.max_active_tis_per_dagrun
       FROM p, generate_series(1, $4::int - 1) AS i)
     SELECT count(*)::int AS n FROM p`,
    [run.dagId, run.runId, taskId, count]);
  return (result[0]?.n ?? 0) > 0;
}

const MAP_INDEX_GONE = taskTransition(['none', 'scheduled'], ['removed']);
const MAP_INDEX_BACK = taskTransition(['removed'], ['none']);

/**
 * A mapped task whose source returned an array of another length (it ran again, cleared with its
 * downstream): instances 0..count-1 exist (missing ones added in state none with `maxTries`, removed
 * ones back to none) and the waiting ones past `count` are removed, their XCom values with them
 * (Airflow marks them removed too). One statement.
 */
export async function reviseMapIndexes(db: Queryable, run: RunKey, taskId: string, count: number, maxTries: number): Promise<void> {
  await rows(db, 'reviseMapIndexes',
    `WITH p AS (
       SELECT * FROM task_instance WHERE dag_id = $1 AND run_id = $2 AND task_id = $3 AND map_index >= 0 ORDER BY map_index LIMIT 1),
     more AS (
       INSERT INTO task_instance (dag_run_id, dag_id, run_id, task_id, map_index, operator, queue, pool, priority_weight, max_tries,
                                  pool_slots, max_active_tis_per_dag, max_active_tis_per_dagrun)
       SELECT p.dag_run_id, p.dag_id, p.run_id, p.task_id, i, p.operator, p.queue, p.pool, p.priority_weight, $5,
              p.pool_slots, p.max_active_tis_per_dag, p.max_active_tis_per_dagrun
       FROM p, generate_series(0, $4::int - 1) AS i
       ON CONFLICT DO NOTHING),
     back AS (
       UPDATE task_instance ti SET state = NULL, ended_at = NULL, error = NULL, updated_at = now()
       WHERE ti.dag_id = $1 AND ti.run_id = $2 AND ti.task_id = $3 AND ti.map_index >= 0 AND ti.map_index < $4 AND ${MAP_INDEX_BACK.guard('ti')}),
     gone AS (
       UPDATE task_instance ti SET state = 'removed', ended_at = now(), updated_at = now()
       WHERE ti.dag_id = $1 AND ti.run_id = $2 AND ti.task_id = $3 AND ti.map_index >= $4 AND ${MAP_INDEX_GONE.guard('ti')}
       RETURNING ti.map_index),
     x AS (
       DELETE FROM xcom USING gone WHERE xcom.dag_id = $1 AND xcom.run_id = $2 AND xcom.task_id = $3 AND xcom.map_index = gone.map_index)
     SELECT 1`,
    [run.dagId, run.runId, taskId, count, maxTries]);
}

const UNMAPPABLE = taskTransition(['none', 'scheduled'], ['upstream_failed']);

/** A mapped task that cannot be expanded (its source is not an array, or too long): upstream_failed with the reason. */
export async function failUnmappable(db: Queryable, run: RunKey, taskId: string, reason: string): Promise<void> {
  await rows(db, 'failUnmappable',
    `UPDATE task_instance ti SET state = 'upstream_failed', error = $4, ended_at = now(), updated_at = now()
     WHERE ti.dag_id = $1 AND ti.run_id = $2 AND ti.task_id = $3 AND ${UNMAPPABLE.guard('ti')}`,
    [run.dagId, run.runId, taskId, reason]);
}
