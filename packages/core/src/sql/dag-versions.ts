/**
 * The versions of a DAG (dag_version): each serialized form the processor stored, with the file
 * content (dag_code, by hash) it came from and when it was parsed. Runs name theirs by dag_hash.
 */
import type { Queryable } from '../db/types.js';
import { rows } from './query.js';

export interface DagVersion {
  dagId: string;
  dagHash: string;
  fileloc: string;
  /** Content hash of the DAG file: the key of its source in dag_code. */
  fileHash: string;
  /** 1 for the oldest version kept, counting up. */
  versionNumber: number;
  createdAt: Date;
  /** Whether this is the version new runs use now. */
  isCurrent: boolean;
}

interface Row { dag_id: string; dag_hash: string; fileloc: string; file_hash: string; version_number: string; created_at: Date; is_current: boolean }
const toVersion = (r: Row): DagVersion => ({
  dagId: r.dag_id, dagHash: r.dag_hash, fileloc: r.fileloc, fileHash: r.file_hash, versionNumber: Number(r.version_number),
  createdAt: r.created_at, isCurrent: r.is_current,
});

/** The versions of one DAG, newest first (at most `limit`), and how many there are. */
export async function listDagVersions(db: Queryable, dagId: string, page: { limit: number; offset: number }): Promise<{ rows: DagVersion[]; total: number }> {
  const result = await rows<Row & { total: string }>(db, 'listDagVersions',
    `SELECT v.dag_id, v.dag_hash, v.fileloc, v.file_hash, v.created_at,
            row_number() OVER (ORDER BY v.created_at, v.dag_hash) AS version_number,
            (s.dag_hash IS NOT NULL) AS is_current, count(*) OVER () AS total
       FROM dag_version v LEFT JOIN serialized_dag s ON s.dag_id = v.dag_id AND s.dag_hash = v.dag_hash
      WHERE v.dag_id = $1
      ORDER BY v.created_at DESC, v.dag_hash DESC
      LIMIT $2 OFFSET $3`,
    [dagId, page.limit, page.offset]);
  return { rows: result.map(toVersion), total: Number(result[0]?.total ?? 0) };
}

/** One version of a DAG by its hash, or null. */
export async function findDagVersion(db: Queryable, dagId: string, dagHash: string): Promise<DagVersion | null> {
  const result = await rows<Row>(db, 'findDagVersion',
    `SELECT * FROM (
       SELECT v.dag_id, v.dag_hash, v.fileloc, v.file_hash, v.created_at,
              row_number() OVER (ORDER BY v.created_at, v.dag_hash) AS version_number,
              (s.dag_hash IS NOT NULL) AS is_current
         FROM dag_version v LEFT JOIN serialized_dag s ON s.dag_id = v.dag_id AND s.dag_hash = v.dag_hash
        WHERE v.dag_id = $1) x
      WHERE x.dag_hash = $2`,
    [dagId, dagHash]);
  return result[0] === undefined ? null : toVersion(result[0]);
}
