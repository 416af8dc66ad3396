/**
 * Variables as stored: `value` is text, a Fernet token when `is_encrypted` (encrypted by the caller
 * with security.fernet_key, see ../secrets/store.ts).
 */
import type { Queryable } from '../db/types.js';
import { query, rows } from './query.js';

export interface VariableRow {
  key: string;
  /** Plain text, or a Fernet token when isEncrypted. */
  value: string;
  isEncrypted: boolean;
  description: string | null;
}

interface Row { key: string; value: string; is_encrypted: boolean; description: string | null }

const toRow = (r: Row): VariableRow => ({ key: r.key, value: r.value, isEncrypted: r.is_encrypted, description: r.description });

/**
 * Writes variables. `overwrite` false: keys that exist are left alone; true: they are replaced.
 * Returns the keys that were written.
 */
export async function saveVariables(db: Queryable, vars: readonly VariableRow[], overwrite: boolean): Promise<string[]> {
  if (vars.length === 0) return [];
  const result = await rows<{ key: string }>(db, 'saveVariables',
    `INSERT INTO variable AS v (key, value, is_encrypted, description, updated_at)
     SELECT x.*, now() FROM unnest($1::text[], $2::text[], $3::bool[], $4::text[]) AS x(key, value, is_encrypted, description)
     ON CONFLICT (key) DO ${overwrite ? `UPDATE SET value = EXCLUDED.value, is_encrypted = EXCLUDED.is_encrypted,
       description = EXCLUDED.description, updated_at = now()` : 'NOTHING'}
     RETURNING v.key`,
    [vars.map((v) => v.key), vars.map((v) => v.value), vars.map((v) => v.isEncrypted), vars.map((v) => v.description)]);
  return result.map((r) => r.key);
}

/** The stored variables among `keys` (absent keys are missing from the result). */
export async function getVariables(db: Queryable, keys: readonly string[]): Promise<VariableRow[]> {
  if (keys.length === 0) return [];
  const result = await rows<Row>(db, 'getVariables',
    'SELECT key, value, is_encrypted, description FROM variable WHERE key = ANY($1::text[]) ORDER BY key', [keys], { prepare: true });
  return result.map(toRow);
}

/** One page of variables by key, and how many there are in all. */
export async function listVariables(
  db: Queryable, page: { limit: number; offset: number }, exceptUpper: readonly string[] = [],
): Promise<{ rows: VariableRow[]; total: number }> {
  // exceptUpper: keys (upper-cased) the environment defines, which hide the stored ones.
  const result = await rows<Row & { total: string }>(db, 'listVariables',
    `SELECT key, value, is_encrypted, description, count(*) OVER () AS total FROM variable
     WHERE NOT (upper(key) = ANY($3::text[])) ORDER BY key LIMIT $1 OFFSET $2`,
    [page.limit, page.offset, exceptUpper]);
  const total = result[0] !== undefined ? result[0].total
    : (await rows<{ n: string }>(db, 'countVariables', 'SELECT count(*) AS n FROM variable WHERE NOT (upper(key) = ANY($1::text[]))', [exceptUpper]))[0]!.n;
  return { rows: result.map(toRow), total: Number(total) };
}

/** Deletes variables; returns the keys that existed. */
export async function deleteVariables(db: Queryable, keys: readonly string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const result = await rows<{ key: string }>(db, 'deleteVariables', 'DELETE FROM variable WHERE key = ANY($1::text[]) RETURNING key', [keys]);
  return result.map((r) => r.key);
}

/** Up to `limit` encrypted variables with keys after `afterKey` (key rotation pages through them). */
export async function encryptedVariables(db: Queryable, afterKey: string, limit: number): Promise<Array<{ key: string; value: string }>> {
  return rows<{ key: string; value: string }>(db, 'encryptedVariables',
    'SELECT key, value FROM variable WHERE is_encrypted AND key > $1 ORDER BY key LIMIT $2', [afterKey, limit]);
}

/** Replaces encrypted values (key rotation) where they still hold the token that was read. */
export async function replaceVariableSecrets(db: Queryable, changes: ReadonlyArray<{ key: string; from: string; value: string }>): Promise<number> {
  if (changes.length === 0) return 0;
  const { rowCount } = await query(db, 'replaceVariableSecrets',
    `UPDATE variable v SET value = x.value, updated_at = now()
     FROM unnest($1::text[], $2::text[], $3::text[]) AS x(key, from_value, value)
     WHERE v.key = x.key AND v.is_encrypted AND v.value = x.from_value`,
    [changes.map((c) => c.key), changes.map((c) => c.from), changes.map((c) => c.value)]);
  return rowCount ?? 0;
}
