/**
 * Writes of the DAG processor: dag, serialized_dag, dag_code, dag_file, import_error. One SQL
 * statement per function; rows go in as one JSON (or array) parameter so a batch of any size is
 * one round trip.
 */
import type { Queryable } from '../db/types.js';
import { UpdraftError } from '../errors.js';
import type { ImportErrorKind, ParsedDag } from './types.js';

export interface StoredDagFile {
  fileloc: string;
  fileHash: string;
  dagIds: string[];
}

export interface DagFileRow extends StoredDagFile {
  parseDurationMs: number;
}

export interface DagCodeRow {
  fileHash: string;
  fileloc: string;
  source: Buffer;
}

export interface ImportErrorRow {
  fileloc: string;
  fileHash: string | null;
  kind: ImportErrorKind;
  message: string;
}

async function run<T extends object = Record<string, unknown>>(db: Queryable, what: string, sql: string, params: unknown[]): Promise<T[]> {
  try {
    const result = await db.query(sql, params);
    return result.rows as T[];
  } catch (err) {
    throw new UpdraftError('DB_ERROR', `${what} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** Every dag_file row by fileloc: what the last pass stored for each file. */
export async function selectDagFiles(db: Queryable): Promise<Map<string, StoredDagFile>> {
  const rows = await run<{ fileloc: string; file_hash: string; dag_ids: string[] }>(
    db,
    'reading dag_file',
    'SELECT fileloc, file_hash, dag_ids FROM dag_file',
    [],
  );
  return new Map(rows.map((r) => [r.fileloc, { fileloc: r.fileloc, fileHash: r.file_hash, dagIds: r.dag_ids }]));
}

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
  }));
  await run(
    db,
    'storing dag rows',
    `INSERT INTO dag (dag_id, fileloc, is_active, is_paused, schedule, timezone, owner, description, tags,
                      max_active_runs, last_parsed_at, updated_at)
     SELECT x.dag_id, x.fileloc, true, x.paused, x.schedule, x.timezone, x.owner, x.description,
            ARRAY(SELECT jsonb_array_elements_text(x.tags)), x.max_active_runs, now(), now()
       FROM jsonb_to_recordset($1::jsonb) AS x(dag_id text, fileloc text, paused boolean, schedule text,
            timezone text, owner text, description text, tags jsonb, max_active_runs integer)
     ON CONFLICT (dag_id) DO UPDATE SET
       fileloc = EXCLUDED.fileloc, is_active = true, schedule = EXCLUDED.schedule,
       timezone = EXCLUDED.timezone, owner = EXCLUDED.owner, description = EXCLUDED.description,
       tags = EXCLUDED.tags, max_active_runs = EXCLUDED.max_active_runs,
       last_parsed_at = now(), updated_at = now()`,
    [JSON.stringify(rows)],
  );
}

/** Inserts or replaces serialized DAGs; a row whose dag_hash did not change is left alone. */
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
  await run(
    db,
    'storing serialized DAGs',
    `INSERT INTO serialized_dag (dag_id, fileloc, file_hash, schema_version, dag_hash, data, updated_at)
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

/** Stores DAG file sources by content hash (workers fetch the exact version); known hashes are kept. */
export async function insertDagCode(db: Queryable, rows: readonly DagCodeRow[]): Promise<void> {
  if (rows.length === 0) return;
  await run(
    db,
    'storing DAG code',
    `INSERT INTO dag_code (file_hash, fileloc, source)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[])
     ON CONFLICT (file_hash) DO NOTHING`,
    [rows.map((r) => r.fileHash), rows.map((r) => r.fileloc), rows.map((r) => r.source)],
  );
}

/** Records the hash and DAG ids of processed files (what lets the next pass skip them). */
export async function upsertDagFiles(db: Queryable, rows: readonly DagFileRow[]): Promise<void> {
  if (rows.length === 0) return;
  const json = rows.map((r) => ({ fileloc: r.fileloc, file_hash: r.fileHash, dag_ids: r.dagIds, ms: r.parseDurationMs }));
  await run(
    db,
    'storing dag_file rows',
    `INSERT INTO dag_file (fileloc, file_hash, dag_ids, last_parsed_at, parse_duration_ms)
     SELECT x.fileloc, x.file_hash, ARRAY(SELECT jsonb_array_elements_text(x.dag_ids)), now(), x.ms
       FROM jsonb_to_recordset($1::jsonb) AS x(fileloc text, file_hash text, dag_ids jsonb, ms double precision)
     ON CONFLICT (fileloc) DO UPDATE SET
       file_hash = EXCLUDED.file_hash, dag_ids = EXCLUDED.dag_ids,
       last_parsed_at = EXCLUDED.last_parsed_at, parse_duration_ms = EXCLUDED.parse_duration_ms`,
    [JSON.stringify(json)],
  );
}

export async function deleteDagFiles(db: Queryable, filelocs: readonly string[]): Promise<void> {
  if (filelocs.length === 0) return;
  await run(db, 'deleting dag_file rows', 'DELETE FROM dag_file WHERE fileloc = ANY($1::text[])', [filelocs]);
}

/** Records (or replaces) the import error of each file. */
export async function upsertImportErrors(db: Queryable, rows: readonly ImportErrorRow[]): Promise<void> {
  if (rows.length === 0) return;
  await run(
    db,
    'storing import errors',
    `INSERT INTO import_error (fileloc, file_hash, kind, message, created_at)
     SELECT x.fileloc, x.file_hash, x.kind, x.message, now()
       FROM jsonb_to_recordset($1::jsonb) AS x(fileloc text, file_hash text, kind text, message text)
     ON CONFLICT (fileloc) DO UPDATE SET
       file_hash = EXCLUDED.file_hash, kind = EXCLUDED.kind, message = EXCLUDED.message, created_at = now()`,
    [JSON.stringify(rows.map((r) => ({ fileloc: r.fileloc, file_hash: r.fileHash, kind: r.kind, message: r.message })))],
  );
}

/** Clears the import errors of files that loaded (or are gone). */
export async function deleteImportErrors(db: Queryable, filelocs: readonly string[]): Promise<void> {
  if (filelocs.length === 0) return;
  await run(db, 'clearing import errors', 'DELETE FROM import_error WHERE fileloc = ANY($1::text[])', [filelocs]);
}

/** Marks inactive every active DAG not in `activeDagIds`; returns the ids it deactivated. */
export async function deactivateDagsNotIn(db: Queryable, activeDagIds: readonly string[]): Promise<string[]> {
  const rows = await run<{ dag_id: string }>(
    db,
    'deactivating DAGs',
    `UPDATE dag SET is_active = false, updated_at = now()
      WHERE is_active AND NOT (dag_id = ANY($1::text[]))
      RETURNING dag_id`,
    [activeDagIds],
  );
  return rows.map((r) => r.dag_id).sort();
}

// Serializes passes of several processors (e.g. two schedulers) over one database.
const DAG_PROCESSING_LOCK = 7_246_001;

/** Takes the transaction-scoped lock that serializes the write phase of processor passes. */
export async function lockDagProcessing(db: Queryable): Promise<void> {
  await run(db, 'locking DAG processing', 'SELECT pg_advisory_xact_lock($1)', [DAG_PROCESSING_LOCK]);
}
