/**
 * API tokens: `updraft_` + 32 random bytes (base64url). Only their SHA-256 is stored: a token has
 * 256 bits of entropy, so a slow password hash would add cost and no safety. Checked on every
 * request (revocation counts at once), shared by the webserver and the monitor.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../db/types.js';
import { userOfApiToken } from '../sql/api-tokens.js';
import type { AuthUser } from './basic.js';

const PREFIX = 'updraft_';
const TOKEN = /^updraft_[A-Za-z0-9_-]{43}$/;

/** A new token (shown once) and the hash to store. */
export function newApiToken(): { token: string; hash: string } {
  const token = `${PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashApiToken(token) };
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export type TokenAuthResult = { ok: true; user: AuthUser } | { ok: false; reason: string };

/** A checker of `Authorization: Bearer <token>` headers. */
export function tokenAuthenticator(o: { db: Queryable }): (header: string) => Promise<TokenAuthResult> {
  return async (header) => {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    if (token === undefined || !TOKEN.test(token)) return { ok: false, reason: 'malformed bearer token (an Updraft API token starts with updraft_)' };
    const user = await userOfApiToken(o.db, hashApiToken(token));
    if (user === null) return { ok: false, reason: 'invalid, expired or revoked API token' };
    return { ok: true, user: { ...user, via: 'token' } };
  };
}
