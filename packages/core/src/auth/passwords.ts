/**
 * Password hashing: argon2id (@node-rs/argon2 with its default parameters: 19 MiB, 2 passes),
 * the PHC string stored in ab_user.password_hash. The native module is loaded on first use: the
 * processes that never check a password (workers, the scheduler) do not map it (~14 MB of RSS).
 */
import { randomBytes } from 'node:crypto';
import { UpdraftError } from '../errors.js';

/** Argon2id = 2 in @node-rs/argon2 (a const enum, not importable under isolated modules). */
const ARGON2ID = 2;

export const PASSWORD_MAX_LENGTH = 1024;

export function checkPassword(password: string, field = 'password'): string {
  if (password.length === 0) throw new UpdraftError('INVALID_ARGUMENT', `${field} is empty`);
  if (password.length > PASSWORD_MAX_LENGTH) throw new UpdraftError('INVALID_ARGUMENT', `${field} is longer than ${PASSWORD_MAX_LENGTH} characters`);
  if (password.includes('\0')) throw new UpdraftError('INVALID_ARGUMENT', `${field} contains a NUL character`);
  return password;
}

export async function hashPassword(password: string): Promise<string> {
  const checked = checkPassword(password);
  const { hash } = await import('@node-rs/argon2');
  return hash(checked, { algorithm: ARGON2ID });
}

/** False for a wrong password or a hash that is not an argon2 PHC string. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  if (password.length === 0 || password.length > PASSWORD_MAX_LENGTH) return false;
  try {
    const { verify } = await import('@node-rs/argon2');
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A random password for a generated account (24 characters, URL-safe). */
export function randomPassword(): string {
  return randomBytes(18).toString('base64url');
}
