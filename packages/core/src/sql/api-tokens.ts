/**
 * API tokens for scripts (`Authorization: Bearer ...`): rows of api_token holding only a hash of
 * each token, bound to a user (its role counts at each request), with an optional expiry; a
 * revoked or expired token is refused at once.
 */
import type { Queryable } from '../db/types.js';
import { rows } from './query.js';
import type { Role } from './users.js';

export interface ApiTokenRow {
  id: string;
  username: string;
  name: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsed: Date | null;
}

/** Stores a token's hash for the user; null when the user does not exist or already has a token of that name. */
export async function createApiToken(
  db: Queryable,
  t: { username: string; name: string; tokenHash: string; expiresAt: Date | null },
): Promise<ApiTokenRow | null> {
  const result = await rows<{ id: string; created_at: Date }>(db, 'createApiToken',
    `INSERT INTO api_token (user_id, name, token_hash, expires_at)
     SELECT id, $2, $3, $4 FROM ab_user WHERE username = $1
     ON CONFLICT (user_id, name) DO NOTHING RETURNING id, created_at`,
    [t.username, t.name, t.tokenHash, t.expiresAt]);
  const r = result[0];
  return r === undefined ? null : { id: String(r.id), username: t.username, name: t.name, createdAt: r.created_at, expiresAt: t.expiresAt, revokedAt: null, lastUsed: null };
}

/** Tokens of one user (or of every user), newest first; the hashes never leave this module. */
export async function listApiTokens(db: Queryable, username: string | null): Promise<ApiTokenRow[]> {
  const result = await rows<{ id: string; username: string; name: string; created_at: Date; expires_at: Date | null; revoked_at: Date | null; last_used: Date | null }>(
    db, 'listApiTokens',
    `SELECT t.id, u.username, t.name, t.created_at, t.expires_at, t.revoked_at, t.last_used
     FROM api_token t JOIN ab_user u ON u.id = t.user_id
     WHERE $1::text IS NULL OR u.username = $1 ORDER BY t.id DESC LIMIT 10000`, [username]);
  return result.map((r) => ({
    id: String(r.id), username: r.username, name: r.name, createdAt: r.created_at, expiresAt: r.expires_at, revokedAt: r.revoked_at, lastUsed: r.last_used,
  }));
}

/** Revokes a user's token by name; returns whether an active one was revoked. */
export async function revokeApiToken(db: Queryable, username: string, name: string): Promise<boolean> {
  const result = await rows<{ id: string }>(db, 'revokeApiToken',
    `UPDATE api_token t SET revoked_at = now() FROM ab_user u
     WHERE u.id = t.user_id AND u.username = $1 AND t.name = $2 AND t.revoked_at IS NULL RETURNING t.id`, [username, name]);
  return result.length > 0;
}

/**
 * The active user a live token belongs to (not revoked, not expired, user active), recording its
 * use (at most once a minute per token, so a busy script does not write on every call); null otherwise.
 */
export async function userOfApiToken(db: Queryable, tokenHash: string): Promise<{ id: string; username: string; role: Role } | null> {
  const result = await rows<{ id: string; username: string; role: Role }>(db, 'userOfApiToken',
    `WITH t AS (
       SELECT t.id AS token_id, u.id, u.username, u.role, t.last_used FROM api_token t JOIN ab_user u ON u.id = t.user_id
       WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now()) AND u.active),
     used AS (
       UPDATE api_token SET last_used = now() WHERE id IN (
         SELECT token_id FROM t WHERE last_used IS NULL OR last_used < now() - interval '1 minute'))
     SELECT id, username, role FROM t`, [tokenHash], { prepare: true });
  const r = result[0];
  return r === undefined ? null : { id: String(r.id), username: r.username, role: r.role };
}
