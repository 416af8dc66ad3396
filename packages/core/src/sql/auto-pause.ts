/**
 * Airflow's max_consecutive_failed_dag_runs (a DAG's `maxConsecutiveFailedDagRuns`, copied to its
 * dag row): when a run of the DAG failed, the DAG is paused if its latest that-many runs by
 * logical date all failed, so a broken pipeline stops piling up failed runs (and alerts) until a
 * person looks. One statement; the event log records it as `dag.auto_pause` by the scheduler.
 */
import type { Queryable } from '../db/types.js';
import { rows } from './query.js';

/** Pauses `dagId` when its latest runs all failed (see above). Returns how many runs that took, or null when it did not pause it. */
export async function pauseAfterFailedRuns(db: Queryable, dagId: string): Promise<number | null> {
  const [r] = await rows<{ n: number }>(db, 'pauseAfterFailedRuns',
    `WITH s AS (SELECT max_consecutive_failed_runs AS n FROM dag WHERE dag_id = $1 AND max_consecutive_failed_runs IS NOT NULL),
     last AS (
       SELECT r.state FROM dag_run r WHERE r.dag_id = $1 AND EXISTS (SELECT 1 FROM s)
       ORDER BY r.logical_date DESC LIMIT (SELECT n FROM s)),
     p AS (
       UPDATE dag SET is_paused = true WHERE dag_id = $1 AND NOT is_paused
         AND (SELECT count(*) FROM last) = (SELECT n FROM s) AND NOT EXISTS (SELECT 1 FROM last WHERE state IS DISTINCT FROM 'failed')
       RETURNING dag_id),
     e AS (
       INSERT INTO event_log (event, owner, dag_id, extra)
       SELECT 'dag.auto_pause', 'scheduler', p.dag_id, jsonb_build_object('consecutive_failed_runs', (SELECT n FROM s)) FROM p)
     SELECT (SELECT n FROM s) AS n FROM p`,
    [dagId]);
  return r === undefined ? null : r.n;
}
