/**
 * Reads of DAG metadata for the CLI, the webserver and the scheduler: one SQL statement per function.
 */
import type { SerializedDag } from '@updraft/sdk';
import type { Queryable } from '../db/types.js';
import { UpdraftError } from '../errors.js';
import type { ImportErrorKind } from './types.js';

async function rows<T>(db: Queryable, what: string, sql: string, params: unknown[]): Promise<T[]> {
  try {
    return (await db.query(sql, params)).rows as T[];
  } catch (err) {
    throw new UpdraftError('DB_ERROR', `${what} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

export interface DagSummary {
  dagId: string;
  fileloc: string;
  isActive: boolean;
  isPaused: boolean;
  schedule: string | null;
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
  /** The latest scheduled run, if any. */
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
  const result = await rows<DagSummaryRow>(
    db,
    'listing DAGs',
    `SELECT d.dag_id, d.fileloc, d.is_active, d.is_paused, d.schedule, d.timezone, d.owner, d.description,
            d.tags, d.max_active_runs, d.next_dagrun, d.next_dagrun_interval_start, d.next_dagrun_interval_end,
            d.next_dagrun_create_after, d.last_parsed_at,
            s.data->>'startDate' AS start_date, s.data->>'endDate' AS end_date, (s.data->>'catchup')::boolean AS catchup,
            r.logical_date AS last_logical_date, r.data_interval_start AS last_interval_start,
            r.data_interval_end AS last_interval_end
       FROM dag d
       LEFT JOIN serialized_dag s ON s.dag_id = d.dag_id
       LEFT JOIN LATERAL (
         SELECT logical_date, data_interval_start, data_interval_end FROM dag_run
          WHERE dag_run.dag_id = d.dag_id AND run_type = 'scheduled'
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

/** The stored serialized DAG, or undefined. */
export async function getSerializedDag(db: Queryable, dagId: string): Promise<SerializedDag | undefined> {
  const r = await rows<{ data: SerializedDag }>(db, `reading serialized DAG '${dagId}'`, 'SELECT data FROM serialized_dag WHERE dag_id = $1', [dagId]);
  return r[0]?.data;
}

export interface StoredImportError {
  fileloc: string;
  fileHash: string | null;
  kind: ImportErrorKind;
  message: string;
  createdAt: Date;
}

/** Import errors ordered by file. */
export async function listImportErrors(db: Queryable): Promise<StoredImportError[]> {
  const r = await rows<{ fileloc: string; file_hash: string | null; kind: ImportErrorKind; message: string; created_at: Date }>(
    db,
    'listing import errors',
    'SELECT fileloc, file_hash, kind, message, created_at FROM import_error ORDER BY fileloc',
    [],
  );
  return r.map((e) => ({ fileloc: e.fileloc, fileHash: e.file_hash, kind: e.kind, message: e.message, createdAt: e.created_at }));
}

/** Source of a DAG file by content hash (what a worker runs), or undefined. */
export async function getDagCode(db: Queryable, fileHash: string): Promise<{ fileloc: string; source: Buffer } | undefined> {
  const r = await rows<{ fileloc: string; source: Buffer }>(
    db,
    `reading DAG code ${fileHash}`,
    'SELECT fileloc, source FROM dag_code WHERE file_hash = $1',
    [fileHash],
  );
  return r[0];
}
