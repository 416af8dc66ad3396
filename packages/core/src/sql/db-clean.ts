/**
 * `updraft db clean`: deletes old rows in bounded batches. Every delete removes at most `limit`
 * rows in one short statement (its own transaction), so no lock is held for long and the scheduler
 * keeps scheduling; the caller loops until a batch comes back short. Counts are for --dry-run.
 *
 * A DAG run is old when it is finished (success / failed) and its end (its logical date when it
 * has none) is before the cutoff. Never deleted: queued or running runs, the latest run of each
 * DAG, and its latest scheduled / backfill run (the scheduler reads it to know where the schedule
 * stands), runs of an active backfill, and runs with a callback or an alert still to send. The
 * children of a run (xcom, tries, task instances) are deleted first, each table in batches of
 * their own, so the cascade from dag_run has nothing left to do.
 *
 * A DAG bundle version is old when it was stored before the cutoff, is not the current version
 * and no DAG run left in the table started with it (so it goes after the runs: a version outlives
 * the last run that needs it, whatever the run's age, and goes with the first clean after that
 * run is deleted). Its file contents (dag_code) go with it unless another version, a DAG version
 * or a DAG file still names them.
 */
import type { Queryable } from '../db/types.js';
import { query, rows } from './query.js';

/** The tables `db clean` knows, children before their parents. */
export const CLEANABLE_TABLES = [
  'xcom', 'task_instance_try', 'task_instance', 'dag_run', 'dag_bundle_version', 'event_log', 'callback_request', 'alert_outbox', 'worker',
] as const;
export type CleanableTable = (typeof CLEANABLE_TABLES)[number];

/** `r` (a dag_run) is old enough to delete and nothing still needs it. $1 is the cutoff. */
const OLD_RUN = `r.state IN ('success', 'failed') AND COALESCE(r.end_date, r.logical_date) < $1
  AND EXISTS (SELECT 1 FROM dag_run n WHERE n.dag_id = r.dag_id AND n.logical_date > r.logical_date
              AND (r.run_type = 'manual' OR n.run_type IN ('scheduled', 'backfill')))
  AND NOT EXISTS (SELECT 1 FROM backfill b WHERE b.id = r.backfill_id AND b.state IN ('running', 'paused'))
  AND NOT EXISTS (SELECT 1 FROM callback_request c WHERE c.dag_id = r.dag_id AND c.run_id = r.run_id AND c.state IN ('pending', 'running'))
  AND NOT EXISTS (SELECT 1 FROM alert_outbox a WHERE a.dag_id = r.dag_id AND a.run_id = r.run_id AND a.state IN ('pending', 'sending'))`;

const OLD_BUNDLE_VERSION = `v.created_at < $1
  AND NOT EXISTS (SELECT 1 FROM dag_bundle b WHERE b.version = v.version)
  AND NOT EXISTS (SELECT 1 FROM dag_run r WHERE r.bundle_version = v.version)`;
const OLD_EVENT = `e.dttm < $1`;
const OLD_CALLBACK = `c.state IN ('success', 'failed') AND COALESCE(c.ended_at, c.created_at) < $1`;
const OLD_ALERT = `a.state IN ('sent', 'failed') AND COALESCE(a.sent_at, a.created_at) < $1`;
const OLD_WORKER = `w.state = 'offline' AND w.state_since < $1`;

/** Rows of each table selected from `alias`: the FROM/WHERE shared by the count and the delete. */
const SELECTION: Record<CleanableTable, string> = {
  xcom: `xcom x JOIN dag_run r ON r.dag_id = x.dag_id AND r.run_id = x.run_id WHERE ${OLD_RUN}`,
  task_instance_try: `task_instance_try t JOIN dag_run r ON r.dag_id = t.dag_id AND r.run_id = t.run_id WHERE ${OLD_RUN}`,
  task_instance: `task_instance ti JOIN dag_run r ON r.id = ti.dag_run_id WHERE ${OLD_RUN}`,
  dag_run: `dag_run r WHERE ${OLD_RUN}`,
  dag_bundle_version: `dag_bundle_version v WHERE ${OLD_BUNDLE_VERSION}`,
  event_log: `event_log e WHERE ${OLD_EVENT}`,
  callback_request: `callback_request c WHERE ${OLD_CALLBACK}`,
  alert_outbox: `alert_outbox a WHERE ${OLD_ALERT}`,
  worker: `worker w WHERE ${OLD_WORKER}`,
};

const ALIAS: Record<CleanableTable, string> = {
  xcom: 'x', task_instance_try: 't', task_instance: 'ti', dag_run: 'r', dag_bundle_version: 'v',
  event_log: 'e', callback_request: 'c', alert_outbox: 'a', worker: 'w',
};

async function countOld(db: Queryable, name: string, table: CleanableTable, cutoff: Date): Promise<number> {
  const result = await rows<{ n: string }>(db, name, `SELECT count(*) AS n FROM ${SELECTION[table]}`, [cutoff]);
  return Number(result[0]?.n ?? 0);
}

/** Deletes at most `limit` old rows of `table` by their physical row ids; returns how many went. */
async function deleteOld(db: Queryable, name: string, table: CleanableTable, cutoff: Date, limit: number): Promise<number> {
  const result = await query(db, name,
    `DELETE FROM ${table} WHERE ctid = ANY (ARRAY (SELECT ${ALIAS[table]}.ctid FROM ${SELECTION[table]} LIMIT $2))`,
    [cutoff, limit]);
  return result.rowCount ?? 0;
}

export const countOldXcom = (db: Queryable, cutoff: Date): Promise<number> => countOld(db, 'countOldXcom', 'xcom', cutoff);
export const deleteOldXcom = (db: Queryable, cutoff: Date, limit: number): Promise<number> => deleteOld(db, 'deleteOldXcom', 'xcom', cutoff, limit);

export const countOldTries = (db: Queryable, cutoff: Date): Promise<number> => countOld(db, 'countOldTries', 'task_instance_try', cutoff);
export const deleteOldTries = (db: Queryable, cutoff: Date, limit: number): Promise<number> => deleteOld(db, 'deleteOldTries', 'task_instance_try', cutoff, limit);

export const countOldTaskInstances = (db: Queryable, cutoff: Date): Promise<number> => countOld(db, 'countOldTaskInstances', 'task_instance', cutoff);
export const deleteOldTaskInstances = (db: Queryable, cutoff: Date, limit: number): Promise<number> =>
  deleteOld(db, 'deleteOldTaskInstances', 'task_instance', cutoff, limit);

export const countOldDagRuns = (db: Queryable, cutoff: Date): Promise<number> => countOld(db, 'countOldDagRuns', 'dag_run', cutoff);
export const deleteOldDagRuns = (db: Queryable, cutoff: Date, limit: number): Promise<number> => deleteOld(db, 'deleteOldDagRuns', 'dag_run', cutoff, limit);

export const countOldBundleVersions = (db: Queryable, cutoff: Date): Promise<number> => countOld(db, 'countOldBundleVersions', 'dag_bundle_version', cutoff);

/**
 * Deletes at most `limit` old bundle versions and the file contents only they named; returns how
 * many versions went. Run it in a transaction after lockDagProcessing (sql/dags.ts): the DAG
 * processor stores a version under that lock after looking up which contents the database already
 * holds, so a content it found cannot be deleted before the version naming it is visible here.
 */
export async function deleteOldBundleVersions(db: Queryable, cutoff: Date, limit: number): Promise<number> {
  const r = await rows<{ versions: number }>(db, 'deleteOldBundleVersions',
    `WITH gone AS (
       DELETE FROM dag_bundle_version WHERE version IN (SELECT v.version FROM ${SELECTION.dag_bundle_version} LIMIT $2)
       RETURNING version, manifest),
     dropped AS (SELECT DISTINCT e->>'hash' AS h FROM gone, jsonb_array_elements(gone.manifest) e),
     -- The statement sees the table as it was: the versions it deletes are left out by hand.
     kept AS (SELECT DISTINCT e->>'hash' AS h FROM dag_bundle_version o, jsonb_array_elements(o.manifest) e
              WHERE NOT EXISTS (SELECT 1 FROM gone g WHERE g.version = o.version)),
     contents AS (
       DELETE FROM dag_code c USING dropped d WHERE c.file_hash = d.h
         AND NOT EXISTS (SELECT 1 FROM kept k WHERE k.h = d.h)
         AND NOT EXISTS (SELECT 1 FROM dag_version dv WHERE dv.file_hash = d.h)
         AND NOT EXISTS (SELECT 1 FROM dag_file f WHERE f.file_hash = d.h)
       RETURNING 1)
     SELECT (SELECT count(*)::int FROM gone) AS versions, (SELECT count(*)::int FROM contents) AS contents`,
    [cutoff, limit]);
  return r[0]?.versions ?? 0;
}

export const countOldEvents = (db: Queryable, cutoff: Date): Promise<number> => countOld(db, 'countOldEvents', 'event_log', cutoff);
export const deleteOldEvents = (db: Queryable, cutoff: Date, limit: number): Promise<number> => deleteOld(db, 'deleteOldEvents', 'event_log', cutoff, limit);

export const countOldCallbacks = (db: Queryable, cutoff: Date): Promise<number> => countOld(db, 'countOldCallbacks', 'callback_request', cutoff);
export const deleteOldCallbacks = (db: Queryable, cutoff: Date, limit: number): Promise<number> =>
  deleteOld(db, 'deleteOldCallbacks', 'callback_request', cutoff, limit);

export const countOldAlerts = (db: Queryable, cutoff: Date): Promise<number> => countOld(db, 'countOldAlerts', 'alert_outbox', cutoff);
export const deleteOldAlerts = (db: Queryable, cutoff: Date, limit: number): Promise<number> => deleteOld(db, 'deleteOldAlerts', 'alert_outbox', cutoff, limit);

export const countOfflineWorkers = (db: Queryable, cutoff: Date): Promise<number> => countOld(db, 'countOfflineWorkers', 'worker', cutoff);
export const deleteOfflineWorkers = (db: Queryable, cutoff: Date, limit: number): Promise<number> =>
  deleteOld(db, 'deleteOfflineWorkers', 'worker', cutoff, limit);

/**
 * Per table, its count and its batch delete (for the caller's loop); `lockDagProcessing`: run each
 * batch in a transaction after sql/dags.ts's lockDagProcessing.
 */
export const CLEANERS: Record<CleanableTable, {
  count: (db: Queryable, cutoff: Date) => Promise<number>;
  deleteBatch: (db: Queryable, cutoff: Date, limit: number) => Promise<number>;
  lockDagProcessing?: true;
}> = {
  xcom: { count: countOldXcom, deleteBatch: deleteOldXcom },
  task_instance_try: { count: countOldTries, deleteBatch: deleteOldTries },
  task_instance: { count: countOldTaskInstances, deleteBatch: deleteOldTaskInstances },
  dag_run: { count: countOldDagRuns, deleteBatch: deleteOldDagRuns },
  dag_bundle_version: { count: countOldBundleVersions, deleteBatch: deleteOldBundleVersions, lockDagProcessing: true },
  event_log: { count: countOldEvents, deleteBatch: deleteOldEvents },
  callback_request: { count: countOldCallbacks, deleteBatch: deleteOldCallbacks },
  alert_outbox: { count: countOldAlerts, deleteBatch: deleteOldAlerts },
  worker: { count: countOfflineWorkers, deleteBatch: deleteOfflineWorkers },
};
