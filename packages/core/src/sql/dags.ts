/**
 * DAGs: the dag rows and serialized DAGs the processor writes, pausing, the scheduler's "what is
 * due" index (dag.next_dagrun*), and the reads of the CLI, webserver and scheduler.
 */
import { DAG_DEFAULTS, type SerializedAssetCondition, type SerializedDag, type SerializedTimetable } from '@updraft/sdk';
import type { Queryable } from '../db/types.js';
import type { ParsedDag } from '../dag/types.js';
import type { DagRunInfo } from '../time/timetable.js';
import { query, rows } from './query.js';

/**
 * Inserts or updates the dag rows of parsed DAGs: active again, metadata from the file; a new DAG
 * starts paused when its isPausedUponCreation says so, an existing one keeps is_paused.
 */
export async function upsertDags(db: Queryable, dags: readonly ParsedDag[]): Promise<void> {
  if (dags.length === 0) return;
  const rows = dags.map(({ serialized: s }) => ({
    dag_id: s.dagId,
    fileloc: s.fileloc,
    paused: s.isPausedUponCreation,
    schedule: s.schedule,
    timezone: s.timezone,
    owner: s.owner,
    description: s.description,
    tags: s.tags,
    max_active_runs: s.maxActiveRuns,
    max_active_tasks: s.maxActiveTasks ?? DAG_DEFAULTS.maxActiveTasks,
    dagrun_timeout_ms: s.dagrunTimeoutMs ?? null,
    max_consecutive_failed_runs: s.maxConsecutiveFailedDagRuns ?? null,
    deadline_from: s.deadline?.from ?? null,
    deadline_after_ms: s.deadline?.afterMs ?? null,
  }));
  await query(db, 'upsertDags',
    `INSERT INTO dag (dag_id, fileloc, is_active, is_paused, schedule, timezone, owner, description, tags,
                      max_active_runs, max_active_tasks, dagrun_timeout_ms, max_consecutive_failed_runs, deadline_from, deadline_after_ms,
                      last_parsed_at, updated_at)
     SELECT x.dag_id, x.fileloc, true, x.paused, x.schedule, x.timezone, x.owner, x.description,
            ARRAY(SELECT jsonb_array_elements_text(x.tags)), x.max_active_runs, x.max_active_tasks,
            x.dagrun_timeout_ms, x.max_consecutive_failed_runs, x.deadline_from, x.deadline_after_ms, now(), now()
       FROM jsonb_to_recordset($1::jsonb) AS x(dag_id text, fileloc text, paused boolean, schedule text,
            timezone text, owner text, description text, tags jsonb, max_active_runs integer, max_active_tasks integer,
            dagrun_timeout_ms double precision, max_consecutive_failed_runs integer, deadline_from text, deadline_after_ms double precision)
     ON CONFLICT (dag_id) DO UPDATE SET
       fileloc = EXCLUDED.fileloc, is_active = true, schedule = EXCLUDED.schedule,
       timezone = EXCLUDED.timezone, owner = EXCLUDED.owner, description = EXCLUDED.description,
       tags = EXCLUDED.tags, max_active_runs = EXCLUDED.max_active_runs, max_active_tasks = EXCLUDED.max_active_tasks,
       dagrun_timeout_ms = EXCLUDED.dagrun_timeout_ms, max_consecutive_failed_runs = EXCLUDED.max_consecutive_failed_runs,
       deadline_from = EXCLUDED.deadline_from, deadline_after_ms = EXCLUDED.deadline_after_ms,
       last_parsed_at = now(), updated_at = now()`,
    [JSON.stringify(rows)],
  );
}

/** Inserts or replaces serialized DAGs (and records each new version); a row whose dag_hash did not change is left alone. */
export async function upsertSerializedDags(db: Queryable, dags: readonly ParsedDag[]): Promise<void> {
  if (dags.length === 0) return;
  const rows = dags.map(({ serialized: s, dagHash }) => ({
    dag_id: s.dagId,
    fileloc: s.fileloc,
    file_hash: s.fileHash,
    schema_version: s.schemaVersion,
    dag_hash: dagHash,
    data: s,
  }));
  await query(db, 'upsertSerializedDags',
    `WITH v AS (
       -- Every version is kept (the current one is also serialized_dag's row).
       INSERT INTO dag_version (dag_id, dag_hash, fileloc, file_hash)
       SELECT x.dag_id, x.dag_hash, x.fileloc, x.file_hash
         FROM jsonb_to_recordset($1::jsonb) AS x(dag_id text, dag_hash text, fileloc text, file_hash text)
       ON CONFLICT (dag_id, dag_hash) DO NOTHING),
     -- The assets the DAGs name (schedules and outlets) exist from their first parse, as in Airflow:
     -- the assets page lists them before their first event. In uri order, as every asset writer.
     declared AS (
       INSERT INTO asset (uri)
       SELECT DISTINCT u.uri FROM jsonb_to_recordset($1::jsonb) AS x(data jsonb) CROSS JOIN LATERAL (
         SELECT jsonb_array_elements_text(CASE WHEN jsonb_typeof(x.data -> 'assetSchedule') = 'array' THEN x.data -> 'assetSchedule' ELSE '[]' END) AS uri
         UNION
         SELECT jsonb_array_elements_text(CASE WHEN jsonb_typeof(t -> 'outlets') = 'array' THEN t -> 'outlets' ELSE '[]' END)
           FROM jsonb_array_elements(CASE WHEN jsonb_typeof(x.data -> 'tasks') = 'array' THEN x.data -> 'tasks' ELSE '[]' END) t) u
       ORDER BY u.uri
       ON CONFLICT (uri) DO NOTHING)
     INSERT INTO serialized_dag (dag_id, fileloc, file_hash, schema_version, dag_hash, data, updated_at)
     SELECT x.dag_id, x.fileloc, x.file_hash, x.schema_version, x.dag_hash, x.data, now()
       FROM jsonb_to_recordset($1::jsonb) AS x(dag_id text, fileloc text, file_hash text,
            schema_version integer, dag_hash text, data jsonb)
     ON CONFLICT (dag_id) DO UPDATE SET
       fileloc = EXCLUDED.fileloc, file_hash = EXCLUDED.file_hash, schema_version = EXCLUDED.schema_version,
       dag_hash = EXCLUDED.dag_hash, data = EXCLUDED.data, updated_at = now()
     WHERE serialized_dag.dag_hash IS DISTINCT FROM EXCLUDED.dag_hash`,
    [JSON.stringify(rows)],
  );
}

/** Marks inactive every active DAG not in `activeDagIds`; returns the ids it deactivated. */
export async function deactivateDagsNotIn(db: Queryable, activeDagIds: readonly string[]): Promise<string[]> {
  const result = await rows<{ dag_id: string }>(db, 'deactivateDagsNotIn',
    `UPDATE dag SET is_active = false, updated_at = now()
      WHERE is_active AND NOT (dag_id = ANY($1::text[]))
      RETURNING dag_id`,
    [activeDagIds],
  );
  return result.map((r) => r.dag_id).sort();
}

// Serializes passes of several processors (e.g. two schedulers) over one database.
const DAG_PROCESSING_LOCK = 7_246_001;

/** Takes the transaction-scoped lock that serializes the write phase of processor passes. */
export async function lockDagProcessing(db: Queryable): Promise<void> {
  await query(db, 'lockDagProcessing',
    'SELECT pg_advisory_xact_lock($1)', [DAG_PROCESSING_LOCK]);
}
export interface DagSummary {
  dagId: string;
  fileloc: string;
  isActive: boolean;
  isPaused: boolean;
  schedule: string | null;
  /** From the serialized DAG: its timetable (then schedule is null), or null. */
  timetable: SerializedTimetable | null;
  /** From the serialized DAG: the assets it is scheduled on and their condition (null: none / each of them). */
  assetSchedule: string[] | null;
  assetCondition: SerializedAssetCondition | null;
  timezone: string;
  owner: string;
  description: string | null;
  tags: string[];
  maxActiveRuns: number;
  /** From the serialized DAG (ISO instants), for timetables. */
  startDate: string | null;
  endDate: string | null;
  catchup: boolean;
  /** The next run the scheduler planned (dag.next_dagrun*), when it has. */
  nextDagrun: Date | null;
  nextDagrunIntervalStart: Date | null;
  nextDagrunIntervalEnd: Date | null;
  nextDagrunCreateAfter: Date | null;
  /** The latest automated run (scheduled or backfill), if any: the scheduler plans from it. */
  lastScheduledRun: { logicalDate: Date; dataIntervalStart: Date; dataIntervalEnd: Date } | null;
  lastParsedAt: Date | null;
}

interface DagSummaryRow {
  dag_id: string;
  fileloc: string;
  is_active: boolean;
  is_paused: boolean;
  schedule: string | null;
  timezone: string;
  owner: string;
  description: string | null;
  tags: string[];
  max_active_runs: number;
  timetable: SerializedTimetable | null;
  asset_schedule: string[] | null;
  asset_condition: SerializedAssetCondition | null;
  start_date: string | null;
  end_date: string | null;
  catchup: boolean | null;
  next_dagrun: Date | null;
  next_dagrun_interval_start: Date | null;
  next_dagrun_interval_end: Date | null;
  next_dagrun_create_after: Date | null;
  last_parsed_at: Date | null;
  last_logical_date: Date | null;
  last_interval_start: Date | null;
  last_interval_end: Date | null;
}

export interface ListDagsOptions {
  /** Include DAGs whose file is gone. Default false. */
  includeInactive?: boolean;
}

/** DAGs ordered by id, with what is needed to show their next run. */
export async function listDags(db: Queryable, options: ListDagsOptions = {}): Promise<DagSummary[]> {
  const result = await rows<DagSummaryRow>(db, 'listDags',
    `SELECT d.dag_id, d.fileloc, d.is_active, d.is_paused, d.schedule, d.timezone, d.owner, d.description,
            d.tags, d.max_active_runs, d.next_dagrun, d.next_dagrun_interval_start, d.next_dagrun_interval_end,
            d.next_dagrun_create_after, d.last_parsed_at,
            s.data->'timetable' AS timetable, s.data->'assetSchedule' AS asset_schedule, s.data->'assetCondition' AS asset_condition,
            s.data->>'startDate' AS start_date, s.data->>'endDate' AS end_date, (s.data->>'catchup')::boolean AS catchup,
            r.logical_date AS last_logical_date, r.data_interval_start AS last_interval_start,
            r.data_interval_end AS last_interval_end
       FROM dag d
       LEFT JOIN serialized_dag s ON s.dag_id = d.dag_id
       LEFT JOIN LATERAL (
         SELECT logical_date, data_interval_start, data_interval_end FROM dag_run
          WHERE dag_run.dag_id = d.dag_id AND run_type IN ('scheduled', 'backfill')
          ORDER BY logical_date DESC LIMIT 1) r ON true
      WHERE $1 OR d.is_active
      ORDER BY d.dag_id`,
    [options.includeInactive ?? false],
  );
  return result.map((r) => ({
    dagId: r.dag_id,
    fileloc: r.fileloc,
    isActive: r.is_active,
    isPaused: r.is_paused,
    schedule: r.schedule,
    timetable: r.timetable ?? null,
    assetSchedule: r.asset_schedule ?? null,
    assetCondition: r.asset_condition ?? null,
    timezone: r.timezone,
    owner: r.owner,
    description: r.description,
    tags: r.tags,
    maxActiveRuns: r.max_active_runs,
    startDate: r.start_date,
    endDate: r.end_date,
    catchup: r.catchup ?? false,
    nextDagrun: r.next_dagrun,
    nextDagrunIntervalStart: r.next_dagrun_interval_start,
    nextDagrunIntervalEnd: r.next_dagrun_interval_end,
    nextDagrunCreateAfter: r.next_dagrun_create_after,
    lastScheduledRun:
      r.last_logical_date === null
        ? null
        : {
            logicalDate: r.last_logical_date,
            dataIntervalStart: r.last_interval_start ?? r.last_logical_date,
            dataIntervalEnd: r.last_interval_end ?? r.last_logical_date,
          },
    lastParsedAt: r.last_parsed_at,
  }));
}

/** The current version of a DAG: its hash (what runs created now are bound to) and dag row flags. */
export interface CurrentDag {
  dagId: string;
  dagHash: string;
  isPaused: boolean;
  isActive: boolean;
}

/**
 * The current version of a DAG with its flags, or null when unknown; with `withData` also its
 * serialized form (the scheduler reads a version's data once per hash, see serializedDagData).
 */
export async function currentDag(db: Queryable, dagId: string): Promise<CurrentDag | null>;
export async function currentDag(db: Queryable, dagId: string, options: { withData: true }): Promise<(CurrentDag & { dag: SerializedDag }) | null>;
export async function currentDag(db: Queryable, dagId: string, options: { withData?: boolean } = {}): Promise<(CurrentDag & { dag?: SerializedDag }) | null> {
  const result = await rows<{ data?: SerializedDag; dag_hash: string; is_paused: boolean; is_active: boolean }>(db, 'currentDag',
    `SELECT ${options.withData ? 's.data, ' : ''}s.dag_hash, d.is_paused, d.is_active
       FROM serialized_dag s JOIN dag d ON d.dag_id = s.dag_id
      WHERE s.dag_id = $1`,
    [dagId]);
  const r = result[0];
  if (r === undefined) return null;
  const current: CurrentDag & { dag?: SerializedDag } = { dagId, dagHash: r.dag_hash, isPaused: r.is_paused, isActive: r.is_active };
  if (r.data !== undefined) current.dag = r.data;
  return current;
}

/** The serialized form of a DAG version, or null when that version is no longer the stored one. */
export async function serializedDagData(db: Queryable, dagId: string, dagHash: string): Promise<unknown> {
  const result = await rows<{ data: unknown }>(db, 'serializedDagData',
    'SELECT data FROM serialized_dag WHERE dag_id = $1 AND dag_hash = $2', [dagId, dagHash]);
  return result[0]?.data ?? null;
}

/** Sets dag.is_paused. Returns whether it changed, or null when there is no such DAG. */
export async function setDagPaused(db: Queryable, dagId: string, paused: boolean): Promise<boolean | null> {
  // The old value comes from the row as it was before the update (a self-join in FROM).
  const result = await rows<{ was_paused: boolean }>(db, 'setDagPaused',
    `UPDATE dag d SET is_paused = $2, updated_at = now() FROM dag old
     WHERE d.dag_id = $1 AND old.dag_id = d.dag_id
     RETURNING old.is_paused AS was_paused`,
    [dagId, paused]);
  const r = result[0];
  return r === undefined ? null : r.was_paused !== paused;
}

/** Sets dag.is_paused of several DAGs (one statement). Returns the ids that changed. */
export async function setDagsPaused(db: Queryable, dagIds: readonly string[], paused: boolean): Promise<string[]> {
  if (dagIds.length === 0) return [];
  const result = await rows<{ dag_id: string }>(db, 'setDagsPaused',
    `UPDATE dag SET is_paused = $2, updated_at = now() WHERE dag_id = ANY($1::text[]) AND is_paused IS DISTINCT FROM $2 RETURNING dag_id`,
    [dagIds, paused]);
  return result.map((r) => r.dag_id);
}

/** DAGs whose next run may be created at `now` (index dag_due_idx), earliest first. */
export async function dueDagIds(db: Queryable, now: Date, limit: number): Promise<string[]> {
  const result = await rows<{ dag_id: string }>(db, 'dueDagIds',
    `SELECT dag_id FROM dag
     WHERE is_active AND NOT is_paused AND next_dagrun_create_after IS NOT NULL AND next_dagrun_create_after <= $1
     ORDER BY next_dagrun_create_after LIMIT $2`,
    [now, limit],
  );
  return result.map((r) => r.dag_id);
}

export interface SerializedDagVersion {
  dagId: string;
  dagHash: string;
  updatedAt: Date;
}

/** Serialized DAGs written at or after `since` (new or changed DAGs to plan). */
export async function serializedDagsSince(db: Queryable, since: Date): Promise<SerializedDagVersion[]> {
  const result = await rows<{ dag_id: string; dag_hash: string; updated_at: Date }>(db, 'serializedDagsSince',
    'SELECT dag_id, dag_hash, updated_at FROM serialized_dag WHERE updated_at >= $1 ORDER BY updated_at',
    [since],
  );
  return result.map((r) => ({ dagId: r.dag_id, dagHash: r.dag_hash, updatedAt: r.updated_at }));
}

/** Stores the next automated run of a DAG (null: none, the DAG drops out of the due index). */
export async function setNextDagRun(db: Queryable, dagId: string, info: DagRunInfo | null): Promise<void> {
  await query(db, 'setNextDagRun',
    `UPDATE dag SET next_dagrun = $2, next_dagrun_interval_start = $3, next_dagrun_interval_end = $4,
       next_dagrun_create_after = $5
     WHERE dag_id = $1`,
    [dagId, info?.logicalDate ?? null, info?.dataIntervalStart ?? null, info?.dataIntervalEnd ?? null, info?.runAfter ?? null],
  );
}

// The API's DAG pages live in dag-pages.ts; dagsSql keeps offering them.
export { DAG_ORDER_COLUMNS, listDagPage, type DagOrderColumn, type DagPageFilter, type DagView } from './dag-pages.js';
