/**
 * Browser sessions of the webserver (user_session): one row per login holding only a hash of the
 * session id and the session's CSRF token, bound to a user whose role and active flag count at
 * every request. A row ends on logout, on expiry, and with its user (deleted, password reset).
 */
import type { Queryable } from '../db/types.js';
import { rows } from './query.js';
import type { Role } from './users.js';

export interface NewSession {
  idHash: string;
  userId: string;
  csrfToken: string;
  expiresAt: Date;
  remoteAddr: string | null;
}

/** A live session and the user it belongs to. */
export interface SessionUser {
  id: string;
  username: string;
  role: Role;
  csrfToken: string;
  expiresAt: Date;
  /** The expiry was moved forward by this read (sliding refresh): the cookie should follow it. */
  refreshed: boolean;
}

/** Stores a session; expired sessions of the same user are removed on the way. */
export async function createSession(db: Queryable, s: NewSession): Promise<void> {
  await rows(db, 'createSession',
    `WITH gone AS (DELETE FROM user_session WHERE user_id = $2 AND expires_at <= now())
     INSERT INTO user_session (id_hash, user_id, csrf_token, expires_at, remote_addr) VALUES ($1, $2, $3, $4, $5)`,
    [s.idHash, s.userId, s.csrfToken, s.expiresAt, s.remoteAddr]);
}

/**
 * The active user of a live session, or null (unknown, expired, user inactive). When the session
 * was last refreshed more than `refreshAfterMs` ago its expiry becomes now + `lifetimeMs`
 * (a session in use does not end mid-work; an idle one does).
 */
export async function userOfSession(db: Queryable, idHash: string, o: { lifetimeMs: number; refreshAfterMs: number }): Promise<SessionUser | null> {
  const result = await rows<{ id: string; username: string; role: Role; csrf_token: string; expires_at: Date; refreshed: boolean }>(db, 'userOfSession',
    `WITH s AS (
       SELECT s.id_hash, s.csrf_token, s.expires_at, s.last_seen, u.id, u.username, u.role FROM user_session s JOIN ab_user u ON u.id = s.user_id
       WHERE s.id_hash = $1 AND s.expires_at > now() AND u.active),
     slid AS (
       UPDATE user_session SET last_seen = now(), expires_at = now() + $2 * interval '1 millisecond'
       WHERE id_hash IN (SELECT id_hash FROM s WHERE last_seen < now() - $3 * interval '1 millisecond')
       RETURNING expires_at)
     SELECT s.id, s.username, s.role, s.csrf_token, coalesce((SELECT expires_at FROM slid), s.expires_at) AS expires_at,
            EXISTS (SELECT 1 FROM slid) AS refreshed
     FROM s`, [idHash, o.lifetimeMs, o.refreshAfterMs], { prepare: true });
  const r = result[0];
  return r === undefined ? null
    : { id: String(r.id), username: r.username, role: r.role, csrfToken: r.csrf_token, expiresAt: r.expires_at, refreshed: r.refreshed };
}

/** Ends a session (logout); returns whether it existed. */
export async function deleteSession(db: Queryable, idHash: string): Promise<boolean> {
  const result = await rows<{ id_hash: string }>(db, 'deleteSession', 'DELETE FROM user_session WHERE id_hash = $1 RETURNING id_hash', [idHash]);
  return result.length > 0;
}

/** How many live sessions a user has (shown to admins; used by tests). */
export async function countUserSessions(db: Queryable, username: string): Promise<number> {
  const result = await rows<{ n: number }>(db, 'countUserSessions',
    `SELECT count(*)::int AS n FROM user_session s JOIN ab_user u ON u.id = s.user_id WHERE u.username = $1 AND s.expires_at > now()`, [username]);
  return result[0]?.n ?? 0;
}
