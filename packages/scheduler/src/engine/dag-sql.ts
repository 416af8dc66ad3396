/**
 * Statements on the DAG tables the DAG processor writes (dag, serialized_dag, dag_code): the
 * engine reads them and maintains dag.next_dagrun* (the cheap "what is due" index).
 */
import type { DagRunInfo, Queryable } from '@updraft/core';

/** DAGs whose next run may be created at `now` (index dag_due_idx), earliest first. */
export async function dueDagIds(db: Queryable, now: Date, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ dag_id: string }>(
    `SELECT dag_id FROM dag
     WHERE is_active AND NOT is_paused AND next_dagrun_create_after IS NOT NULL AND next_dagrun_create_after <= $1
     ORDER BY next_dagrun_create_after LIMIT $2`,
    [now, limit],
  );
  return rows.map((r) => r.dag_id);
}

export interface SerializedDagVersion {
  dagId: string;
  dagHash: string;
  updatedAt: Date;
}

/** Serialized DAGs written at or after `since` (new or changed DAGs to plan). */
export async function serializedDagsSince(db: Queryable, since: Date): Promise<SerializedDagVersion[]> {
  const { rows } = await db.query<{ dag_id: string; dag_hash: string; updated_at: Date }>(
    'SELECT dag_id, dag_hash, updated_at FROM serialized_dag WHERE updated_at >= $1 ORDER BY updated_at',
    [since],
  );
  return rows.map((r) => ({ dagId: r.dag_id, dagHash: r.dag_hash, updatedAt: r.updated_at }));
}

export interface DagVersionRow {
  dagId: string;
  dagHash: string;
  isPaused: boolean;
  isActive: boolean;
}

/** The current version (hash) of a DAG with its dag row flags, or null; no serialized data. */
export async function currentDagVersion(db: Queryable, dagId: string): Promise<DagVersionRow | null> {
  const { rows } = await db.query<{ dag_hash: string; is_paused: boolean; is_active: boolean }>(
    `SELECT s.dag_hash, d.is_paused, d.is_active FROM serialized_dag s JOIN dag d ON d.dag_id = s.dag_id
     WHERE s.dag_id = $1`,
    [dagId],
  );
  const r = rows[0];
  return r === undefined ? null : { dagId, dagHash: r.dag_hash, isPaused: r.is_paused, isActive: r.is_active };
}

/** The serialized form of a DAG version, or null when that version is no longer the stored one. */
export async function serializedDagData(db: Queryable, dagId: string, dagHash: string): Promise<unknown> {
  const { rows } = await db.query<{ data: unknown }>(
    'SELECT data FROM serialized_dag WHERE dag_id = $1 AND dag_hash = $2', [dagId, dagHash]);
  return rows[0]?.data ?? null;
}

/** Stores the next automated run of a DAG (null: none, the DAG drops out of the due index). */
export async function setNextDagRun(db: Queryable, dagId: string, info: DagRunInfo | null): Promise<void> {
  await db.query(
    `UPDATE dag SET next_dagrun = $2, next_dagrun_interval_start = $3, next_dagrun_interval_end = $4,
       next_dagrun_create_after = $5
     WHERE dag_id = $1`,
    [dagId, info?.logicalDate ?? null, info?.dataIntervalStart ?? null, info?.dataIntervalEnd ?? null, info?.runAfter ?? null],
  );
}

/** A DAG file's source by content hash, or null. */
export async function dagCode(db: Queryable, fileHash: string): Promise<{ fileloc: string; source: Buffer } | null> {
  const { rows } = await db.query<{ fileloc: string; source: Buffer }>(
    'SELECT fileloc, source FROM dag_code WHERE file_hash = $1', [fileHash]);
  return rows[0] ?? null;
}
