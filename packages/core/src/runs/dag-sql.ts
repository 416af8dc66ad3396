/**
 * Statements on a DAG for administration from any process (CLI, webserver): its current
 * serialized version with its flags, and pausing.
 */
import type { SerializedDag } from '@updraft/sdk';
import type { Queryable } from '../db/types.js';
import { queryRows } from './sql.js';

export interface CurrentDag {
  dag: SerializedDag;
  /** serialized_dag.dag_hash: the version runs created now are bound to. */
  dagHash: string;
  isPaused: boolean;
  isActive: boolean;
}

/** The latest serialized form of a DAG with its hash and dag row flags; null when unknown. */
export async function readCurrentDag(db: Queryable, dagId: string): Promise<CurrentDag | null> {
  const rows = await queryRows<{ data: SerializedDag; dag_hash: string; is_paused: boolean; is_active: boolean }>(
    db, `reading DAG '${dagId}'`,
    `SELECT s.data, s.dag_hash, d.is_paused, d.is_active FROM serialized_dag s JOIN dag d ON d.dag_id = s.dag_id
     WHERE s.dag_id = $1`,
    [dagId],
  );
  const r = rows[0];
  return r === undefined ? null : { dag: r.data, dagHash: r.dag_hash, isPaused: r.is_paused, isActive: r.is_active };
}

/** Sets dag.is_paused. Returns whether it changed, or null when there is no such DAG. */
export async function setDagPaused(db: Queryable, dagId: string, paused: boolean): Promise<boolean | null> {
  // The old value comes from the row as it was before the update (a self-join in FROM).
  const rows = await queryRows<{ was_paused: boolean }>(
    db, `${paused ? 'pausing' : 'unpausing'} DAG '${dagId}'`,
    `UPDATE dag d SET is_paused = $2, updated_at = now() FROM dag old
     WHERE d.dag_id = $1 AND old.dag_id = d.dag_id
     RETURNING old.is_paused AS was_paused`,
    [dagId, paused],
  );
  const r = rows[0];
  return r === undefined ? null : r.was_paused !== paused;
}
