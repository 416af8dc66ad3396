/**
 * A DAG's `failFast` (Airflow's fail_fast, fail_stop before 3.0): when a task of a run fails for
 * good, the run stops at once instead of going on with its other branches. Its running task
 * instances fail and lose their attempt (a report of theirs is refused; their workers are told to
 * kill them at their next heartbeat), its other unfinished ones are skipped, and their current
 * tries say why, in one statement. What the caller keeps (the failed tasks' downstream, which their
 * trigger rules make upstream_failed, and teardown tasks, which still run) is left alone.
 */
import type { Queryable } from '../db/types.js';
import type { RunKey } from '../state/keys.js';
import { RUN_FAILED_OTHERS, RUN_FAILED_RUNNING, TASK_SET } from './mark-state.js';
import { rows } from './query.js';

export interface StoppedTask {
  taskId: string;
  mapIndex: number;
  /** failed (it was running) or skipped. */
  state: 'failed' | 'skipped';
}

/** Stops the unfinished task instances of `run` but those of the `keep` tasks; `reason` goes on their tries. */
export async function stopRunTasks(db: Queryable, run: RunKey, keep: readonly string[], reason: string): Promise<StoppedTask[]> {
  const result = await rows<{ task_id: string; map_index: number; state: 'failed' | 'skipped' }>(db, 'stopRunTasks',
    `WITH f AS (
       UPDATE task_instance ti SET state = 'failed', error = $3, ${TASK_SET},
         duration_ms = CASE WHEN ti.started_at IS NULL THEN ti.duration_ms ELSE EXTRACT(EPOCH FROM now() - ti.started_at) * 1000 END
       WHERE ti.dag_run_id = $1 AND NOT (ti.task_id = ANY ($2::text[])) AND ${RUN_FAILED_RUNNING.guard('ti')}
       RETURNING ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number, ti.state),
     s AS (
       UPDATE task_instance ti SET state = 'skipped', ${TASK_SET}
       WHERE ti.dag_run_id = $1 AND NOT (ti.task_id = ANY ($2::text[])) AND ${RUN_FAILED_OTHERS.guard('ti')}
       RETURNING ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number, ti.state),
     x AS (SELECT * FROM f UNION ALL SELECT * FROM s),
     -- The current try of each (a queued or running one) ends with the instance, saying why.
     t AS (
       UPDATE task_instance_try tt SET state = x.state, ended_at = now(), error = $3
       FROM x WHERE tt.dag_id = x.dag_id AND tt.run_id = x.run_id AND tt.task_id = x.task_id AND tt.map_index = x.map_index
         AND tt.try_number = x.try_number AND tt.state IN ('queued', 'running'))
     SELECT task_id, map_index, state FROM x ORDER BY task_id, map_index`,
    [run.dagRunId, [...keep], reason]);
  return result.map((r) => ({ taskId: r.task_id, mapIndex: r.map_index, state: r.state }));
}
