/**
 * The DAG processor's records of DAG files: what each file held last time (dag_file: lets an
 * unchanged file be skipped by hash), file sources by content hash (dag_code: workers fetch the
 * exact version a run was scheduled with), and import errors. Rows go in as one JSON (or array)
 * parameter, so a batch of any size is one round trip.
 */
import type { Queryable } from '../db/types.js';
import type { ImportErrorKind } from '../dag/types.js';
import { query, rows } from './query.js';

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

/** Every dag_file row by fileloc: what the last pass stored for each file. */
export async function selectDagFiles(db: Queryable): Promise<Map<string, StoredDagFile>> {
  const result = await rows<{ fileloc: string; file_hash: string; dag_ids: string[] }>(db, 'selectDagFiles',
    'SELECT fileloc, file_hash, dag_ids FROM dag_file',
    [],
  );
  return new Map(result.map((r) => [r.fileloc, { fileloc: r.fileloc, fileHash: r.file_hash, dagIds: r.dag_ids }]));
}

/** Records the hash and DAG ids of processed files (what lets the next pass skip them). */
export async function upsertDagFiles(db: Queryable, files: readonly DagFileRow[]): Promise<void> {
  if (files.length === 0) return;
  const json = files.map((r) => ({ fileloc: r.fileloc, file_hash: r.fileHash, dag_ids: r.dagIds, ms: r.parseDurationMs }));
  await query(db, 'upsertDagFiles',
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
  await query(db, 'deleteDagFiles',
    'DELETE FROM dag_file WHERE fileloc = ANY($1::text[])', [filelocs]);
}

/** Stores DAG file sources by content hash (workers fetch the exact version); known hashes are kept. */
export async function insertDagCode(db: Queryable, codes: readonly DagCodeRow[]): Promise<void> {
  if (codes.length === 0) return;
  await query(db, 'insertDagCode',
    `INSERT INTO dag_code (file_hash, fileloc, source)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[])
     ON CONFLICT (file_hash) DO NOTHING`,
    [codes.map((r) => r.fileHash), codes.map((r) => r.fileloc), codes.map((r) => r.source)],
  );
}

/** A DAG file's source by content hash (what a worker runs), or null. */
export async function dagCode(db: Queryable, fileHash: string): Promise<{ fileloc: string; source: Buffer } | null> {
  const result = await rows<{ fileloc: string; source: Buffer }>(db, 'dagCode',
    'SELECT fileloc, source FROM dag_code WHERE file_hash = $1', [fileHash]);
  return result[0] ?? null;
}

/** Records (or replaces) the import error of each file. */
export async function upsertImportErrors(db: Queryable, errors: readonly ImportErrorRow[]): Promise<void> {
  if (errors.length === 0) return;
  await query(db, 'upsertImportErrors',
    `INSERT INTO import_error (fileloc, file_hash, kind, message, created_at)
     SELECT x.fileloc, x.file_hash, x.kind, x.message, now()
       FROM jsonb_to_recordset($1::jsonb) AS x(fileloc text, file_hash text, kind text, message text)
     ON CONFLICT (fileloc) DO UPDATE SET
       file_hash = EXCLUDED.file_hash, kind = EXCLUDED.kind, message = EXCLUDED.message, created_at = now()`,
    [JSON.stringify(errors.map((r) => ({ fileloc: r.fileloc, file_hash: r.fileHash, kind: r.kind, message: r.message })))],
  );
}

/** Clears the import errors of files that loaded (or are gone). */
export async function deleteImportErrors(db: Queryable, filelocs: readonly string[]): Promise<void> {
  if (filelocs.length === 0) return;
  await query(db, 'deleteImportErrors',
    'DELETE FROM import_error WHERE fileloc = ANY($1::text[])', [filelocs]);
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
  const r = await rows<{ fileloc: string; file_hash: string | null; kind: ImportErrorKind; message: string; created_at: Date }>(db, 'listImportErrors',
    'SELECT fileloc, file_hash, kind, message, created_at FROM import_error ORDER BY fileloc',
    [],
  );
  return r.map((e) => ({ fileloc: e.fileloc, fileHash: e.file_hash, kind: e.kind, message: e.message, createdAt: e.created_at }));
}


export interface ImportErrorView extends StoredImportError {
  id: string;
}

interface ImportErrorViewRow { id: string; fileloc: string; file_hash: string | null; kind: ImportErrorKind; message: string; created_at: Date }

const toImportErrorView = (e: ImportErrorViewRow): ImportErrorView => ({
  id: String(e.id), fileloc: e.fileloc, fileHash: e.file_hash, kind: e.kind, message: e.message, createdAt: e.created_at,
});

/** One page of import errors (by id, or newest first), or the one with `id`, and how many match. */
export async function listImportErrorPage(
  db: Queryable, f: { limit: number; offset: number; id?: string; orderBy?: { column: 'import_error_id' | 'timestamp' | 'filename'; desc: boolean } },
): Promise<{ rows: ImportErrorView[]; total: number }> {
  const column = { import_error_id: 'id', timestamp: 'created_at', filename: 'fileloc' }[f.orderBy?.column ?? 'import_error_id'];
  const result = await rows<ImportErrorViewRow & { total: string }>(db, 'listImportErrorPage',
    `SELECT id, fileloc, file_hash, kind, message, created_at, count(*) OVER () AS total FROM import_error
     WHERE ($3::bigint IS NULL OR id = $3)
     ORDER BY ${column} ${f.orderBy?.desc ? 'DESC' : 'ASC'}, id LIMIT $1 OFFSET $2`,
    [f.limit, f.offset, f.id ?? null]);
  const total = result[0] !== undefined ? Number(result[0].total)
    : Number((await rows<{ n: string }>(db, 'countImportErrors', 'SELECT count(*) AS n FROM import_error WHERE ($1::bigint IS NULL OR id = $1)', [f.id ?? null]))[0]!.n);
  return { rows: result.map(toImportErrorView), total };
}
