/**
 * Connections as stored: password and extra are Fernet tokens (encrypted by the caller with
 * security.fernet_key, see ../secrets/store.ts); this module never sees them in plain text.
 */
import type { Queryable } from '../db/types.js';
import { query, rows } from './query.js';

export interface ConnectionRow {
  connId: string;
  connType: string;
  description: string | null;
  host: string | null;
  schema: string | null;
  login: string | null;
  /** Fernet token, or null when the connection has no password. */
  passwordEncrypted: string | null;
  port: number | null;
  /** Fernet token, or null when the connection has no extra. */
  extraEncrypted: string | null;
}

interface Row {
  conn_id: string; conn_type: string; description: string | null; host: string | null; schema: string | null;
  login: string | null; password_encrypted: string | null; port: number | null; extra_encrypted: string | null;
}

const COLUMNS = 'conn_id, conn_type, description, host, schema, login, password_encrypted, port, extra_encrypted';

const toRow = (r: Row): ConnectionRow => ({
  connId: r.conn_id, connType: r.conn_type, description: r.description, host: r.host, schema: r.schema, login: r.login,
  passwordEncrypted: r.password_encrypted, port: r.port, extraEncrypted: r.extra_encrypted,
});

/**
 * Writes connections. `overwrite` false: ids that exist are left alone; true: they are replaced.
 * Returns the ids that were written.
 */
export async function saveConnections(db: Queryable, conns: readonly ConnectionRow[], overwrite: boolean): Promise<string[]> {
  if (conns.length === 0) return [];
  const result = await rows<{ conn_id: string }>(db, 'saveConnections',
    `INSERT INTO connection AS c (${COLUMNS}, created_at, updated_at)
     SELECT x.*, now(), now() FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
       $8::int[], $9::text[]) AS x(${COLUMNS})
     ON CONFLICT (conn_id) DO ${overwrite ? `UPDATE SET conn_type = EXCLUDED.conn_type, description = EXCLUDED.description,
       host = EXCLUDED.host, schema = EXCLUDED.schema, login = EXCLUDED.login, password_encrypted = EXCLUDED.password_encrypted,
       port = EXCLUDED.port, extra_encrypted = EXCLUDED.extra_encrypted, updated_at = now()` : 'NOTHING'}
     RETURNING c.conn_id`,
    [conns.map((c) => c.connId), conns.map((c) => c.connType), conns.map((c) => c.description), conns.map((c) => c.host),
      conns.map((c) => c.schema), conns.map((c) => c.login), conns.map((c) => c.passwordEncrypted), conns.map((c) => c.port),
      conns.map((c) => c.extraEncrypted)]);
  return result.map((r) => r.conn_id);
}

/** The stored connections among `connIds` (absent ids are missing from the result). */
export async function getConnections(db: Queryable, connIds: readonly string[]): Promise<ConnectionRow[]> {
  if (connIds.length === 0) return [];
  const result = await rows<Row>(db, 'getConnections',
    `SELECT ${COLUMNS} FROM connection WHERE conn_id = ANY($1::text[]) ORDER BY conn_id`, [connIds], { prepare: true });
  return result.map(toRow);
}

export interface Page {
  limit: number;
  offset: number;
}

/** One page of connections by id, and how many there are in all. */
export async function listConnections(db: Queryable, page: Page, exceptUpper: readonly string[] = []): Promise<{ rows: ConnectionRow[]; total: number }> {
  // exceptUpper: ids (upper-cased) the environment defines, which hide the stored ones.
  const result = await rows<Row & { total: string }>(db, 'listConnections',
    `SELECT ${COLUMNS}, count(*) OVER () AS total FROM connection WHERE NOT (upper(conn_id) = ANY($3::text[]))
     ORDER BY conn_id LIMIT $1 OFFSET $2`, [page.limit, page.offset, exceptUpper]);
  const total = result[0] !== undefined ? Number(result[0].total) : (await rows<{ n: string }>(db, 'countConnections',
    'SELECT count(*) AS n FROM connection WHERE NOT (upper(conn_id) = ANY($1::text[]))', [exceptUpper]))[0]!.n;
  return { rows: result.map(toRow), total: Number(total) };
}

/** Deletes connections; returns the ids that existed. */
export async function deleteConnections(db: Queryable, connIds: readonly string[]): Promise<string[]> {
  if (connIds.length === 0) return [];
  const result = await rows<{ conn_id: string }>(db, 'deleteConnections',
    'DELETE FROM connection WHERE conn_id = ANY($1::text[]) RETURNING conn_id', [connIds]);
  return result.map((r) => r.conn_id);
}

/** Up to `limit` connections with an encrypted field, with ids after `afterId` (key rotation pages through them). */
export async function encryptedConnections(db: Queryable, afterId: string, limit: number): Promise<Array<Pick<ConnectionRow, 'connId' | 'passwordEncrypted' | 'extraEncrypted'>>> {
  const result = await rows<Pick<Row, 'conn_id' | 'password_encrypted' | 'extra_encrypted'>>(db, 'encryptedConnections',
    `SELECT conn_id, password_encrypted, extra_encrypted FROM connection
     WHERE conn_id > $1 AND (password_encrypted IS NOT NULL OR extra_encrypted IS NOT NULL) ORDER BY conn_id LIMIT $2`,
    [afterId, limit]);
  return result.map((r) => ({ connId: r.conn_id, passwordEncrypted: r.password_encrypted, extraEncrypted: r.extra_encrypted }));
}

/**
 * Replaces the encrypted fields of connections (key rotation), only where they still hold the
 * token that was read (`from*`): a connection changed meanwhile keeps its new value.
 */
export async function replaceConnectionSecrets(
  db: Queryable,
  changes: ReadonlyArray<{ connId: string; fromPassword: string | null; password: string | null; fromExtra: string | null; extra: string | null }>,
): Promise<number> {
  if (changes.length === 0) return 0;
  const { rowCount } = await query(db, 'replaceConnectionSecrets',
    `UPDATE connection c SET password_encrypted = x.password, extra_encrypted = x.extra, updated_at = now()
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS x(conn_id, from_password, password, from_extra, extra)
     WHERE c.conn_id = x.conn_id AND c.password_encrypted IS NOT DISTINCT FROM x.from_password
       AND c.extra_encrypted IS NOT DISTINCT FROM x.from_extra`,
    [changes.map((c) => c.connId), changes.map((c) => c.fromPassword), changes.map((c) => c.password),
      changes.map((c) => c.fromExtra), changes.map((c) => c.extra)]);
  return rowCount ?? 0;
}
