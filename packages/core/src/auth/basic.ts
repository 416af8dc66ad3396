/**
 * HTTP basic authentication against the users table, shared by the webserver and the monitor
 * (each wraps it in its own request hook). The user's row is read on every call, so a deleted
 * user or a changed role counts at once; only the (deliberately slow) argon2 check of a password
 * is remembered for a minute, keyed by the stored hash, so a password reset ends it.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../db/types.js';
import { findUserCredentials, type Role } from '../sql/users.js';
import { verifyPassword } from './passwords.js';

/** Who is asking, as both servers see it. */
export interface AuthUser {
  id: string;
  username: string;
  role: Role;
  via: 'basic' | 'token' | 'session';
}

/** The user, or why the credentials were refused (a message safe to show: it never echoes the password). */
export type BasicAuthResult = { ok: true; user: AuthUser } | { ok: false; reason: string };

export interface BasicAuthOptions {
  db: Queryable;
  /** How long a verified password is remembered. Default 60 s. */
  verifiedTtlMs?: number;
  /** Most remembered verifications (then the memory is cleared). Default 10,000. */
  verifiedMax?: number;
}

/** The `WWW-Authenticate` challenge both servers send with a 401. */
export const BASIC_REALM = 'Basic realm="Updraft", charset="UTF-8"';

/** `Basic base64(user:password)` split, or null when malformed. */
export function parseBasicHeader(header: string): { username: string; password: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return null;
  return { username: decoded.slice(0, i), password: decoded.slice(i + 1) };
}

/** A checker of `Authorization: Basic ...` headers against the users table. */
export function basicAuthenticator(o: BasicAuthOptions): (header: string) => Promise<BasicAuthResult> {
  const ttl = o.verifiedTtlMs ?? 60_000;
  const max = o.verifiedMax ?? 10_000;
  const verified = new Map<string, number>();
  const salt = randomBytes(16);
  return async (header) => {
    const creds = parseBasicHeader(header);
    if (creds === null) return { ok: false, reason: 'malformed basic credentials' };
    if (creds.username.length === 0 || creds.username.length > 256 || creds.username.includes('\0')) {
      return { ok: false, reason: 'invalid username or password' };
    }
    const user = await findUserCredentials(o.db, creds.username);
    const key = createHash('sha256').update(salt).update(`${creds.username}\0${creds.password}\0${user?.passwordHash ?? ''}`).digest('hex');
    const until = verified.get(key);
    const ok = user !== null && user.active && ((until !== undefined && until > Date.now()) || (await verifyPassword(user.passwordHash, creds.password)));
    if (!ok || user === null) return { ok: false, reason: 'invalid username or password' };
    if (until === undefined) {
      if (verified.size >= max) verified.clear();
      verified.set(key, Date.now() + ttl);
    }
    return { ok: true, user: { id: user.id, username: user.username, role: user.role, via: 'basic' } };
  };
}
