/**
 * Deleting a DAG, or one run of it, as Airflow's "Delete DAG" and "Delete DAG run" do.
 *
 * A DAG: every record of it (runs, task instances, tries,
 * XCom, serialized versions, backfills, queued asset triggers: the foreign keys cascade from
 * `dag`; callback requests, alerts and the alert mute by name), in one statement, refused while
 * any of its task instances is queued or running. The event log and the task logs stay. Its file's
 * parse record goes too, so while the file is still in the DAGs folder the next pass of the DAG
 * processor parses it again and the DAG comes back, without history (as in Airflow).
 *
 * A run: its task instances, tries, XCom, asset event links, callbacks and alerts, the same way,
 * refused while any of its task instances is queued or running. A scheduled run deleted is not
 * made again (the DAG's next run is past it): a backfill or `dags trigger` can.
 */
import type { Queryable } from '../db/types.js';
import { rows } from './query.js';

export type DeleteDagResult =
  | { outcome: 'deleted'; fileloc: string; runs: number; taskInstances: number }
  | { outcome: 'not_found' }
  /** Task instances of the DAG queued or running: nothing was deleted. */
  | { outcome: 'active'; active: number };

/** Deletes the DAG `dagId` and everything recorded of it (see above), unless some of its work is queued or running. */
export async function deleteDag(db: Queryable, dagId: string): Promise<DeleteDagResult> {
  const [r] = await rows<{ fileloc: string | null; active: number; deleted: number; runs: number; tis: number }>(db, 'deleteDag',
    `WITH d AS (SELECT dag_id, fileloc FROM dag WHERE dag_id = $1 FOR UPDATE),
     active AS (SELECT count(*)::int AS n FROM task_instance WHERE dag_id = $1 AND state IN ('queued', 'running')),
     counts AS (SELECT (SELECT count(*) FROM dag_run WHERE dag_id = $1)::int AS runs,
       (SELECT count(*) FROM task_instance WHERE dag_id = $1)::int AS tis),
     del AS (DELETE FROM dag WHERE dag_id IN (SELECT dag_id FROM d) AND (SELECT n FROM active) = 0 RETURNING dag_id, fileloc),
     cb AS (DELETE FROM callback_request WHERE dag_id IN (SELECT dag_id FROM del)),
     al AS (DELETE FROM alert_outbox WHERE dag_id IN (SELECT dag_id FROM del)),
     mu AS (DELETE FROM alert_mute WHERE dag_id IN (SELECT dag_id FROM del)),
     f AS (DELETE FROM dag_file WHERE fileloc IN (SELECT fileloc FROM del))
     SELECT (SELECT fileloc FROM d) AS fileloc, (SELECT n FROM active) AS active, (SELECT count(*) FROM del)::int AS deleted,
       counts.runs, counts.tis
     FROM counts`,
    [dagId]);
  if (r === undefined || r.fileloc === null) return { outcome: 'not_found' };
  if (r.deleted === 0) return { outcome: 'active', active: r.active };
  return { outcome: 'deleted', fileloc: r.fileloc, runs: r.runs, taskInstances: r.tis };
}

export type DeleteDagRunResult =
  | { outcome: 'deleted'; taskInstances: number }
  | { outcome: 'not_found' }
  /** Task instances of the run queued or running: nothing was deleted. */
  | { outcome: 'active'; active: number };

/** Deletes one run of a DAG with everything recorded of it (see above), unless some of its work is queued or running. */
export async function deleteDagRun(db: Queryable, dagId: string, runId: string): Promise<DeleteDagRunResult> {
  const [r] = await rows<{ found: number; active: number; deleted: number; tis: number }>(db, 'deleteDagRun',
    `WITH r AS (SELECT id FROM dag_run WHERE dag_id = $1 AND run_id = $2 FOR UPDATE),
     active AS (SELECT count(*)::int AS n FROM task_instance WHERE dag_run_id IN (SELECT id FROM r) AND state IN ('queued', 'running')),
     tis AS (SELECT count(*)::int AS n FROM task_instance WHERE dag_run_id IN (SELECT id FROM r)),
     del AS (DELETE FROM dag_run WHERE id IN (SELECT id FROM r) AND (SELECT n FROM active) = 0 RETURNING id),
     cb AS (DELETE FROM callback_request WHERE dag_id = $1 AND run_id = $2 AND EXISTS (SELECT 1 FROM del)),
     al AS (DELETE FROM alert_outbox WHERE dag_id = $1 AND run_id = $2 AND EXISTS (SELECT 1 FROM del))
     SELECT (SELECT count(*) FROM r)::int AS found, (SELECT n FROM active) AS active, (SELECT count(*) FROM del)::int AS deleted,
       (SELECT n FROM tis) AS tis`,
    [dagId, runId]);
  if (r === undefined || r.found === 0) return { outcome: 'not_found' };
  if (r.deleted === 0) return { outcome: 'active', active: r.active };
  return { outcome: 'deleted', taskInstances: r.tis };
}
