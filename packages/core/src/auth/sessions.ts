/**
 * Browser sessions: the session id is 32 random bytes (base64url) kept only in the browser's
 * HttpOnly cookie; the database holds its SHA-256 (like API tokens: 256 bits of entropy need no
 * slow hash), so a copy of the table cannot be replayed. Each session has its own CSRF token.
 * `verifyLogin` checks a username and password with the same argon2id verification as basic auth.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../db/types.js';
import { findUserCredentials, type UserRow } from '../sql/users.js';
import { hashPassword, verifyPassword } from './passwords.js';

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** A new session id (for the cookie), its hash (for the row) and a CSRF token. */
export function newSession(): { id: string; idHash: string; csrfToken: string } {
  const id = randomBytes(32).toString('base64url');
  return { id, idHash: hashSessionId(id), csrfToken: randomBytes(32).toString('base64url') };
}

export function hashSessionId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

/** Whether a cookie value can be a session id (anything else is not looked up). */
export function isSessionId(value: string): boolean {
  return SESSION_ID.test(value);
}

// A hash to verify against when the user does not exist, so an unknown username costs as much
// time as a wrong password and the answer's timing does not tell which it was.
let dummyHash: Promise<string> | undefined;

/** The active user whose password this is, or null (unknown user, inactive, wrong password). */
export async function verifyLogin(db: Queryable, username: string, password: string): Promise<UserRow | null> {
  if (username.length === 0 || username.length > 256 || username.includes('\0')) return null;
  const user = await findUserCredentials(db, username);
  if (user === null) {
    dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
    await verifyPassword(await dummyHash, password);
    return null;
  }
  const ok = await verifyPassword(user.passwordHash, password);
  if (!ok || !user.active) return null;
  const { passwordHash: _hash, ...row } = user;
  return row;
}
