/**
 * Worker authentication on the WorkerService: every call carries
 * `authorization: Bearer <security.worker_token>` as gRPC metadata.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import { Metadata } from '@grpc/grpc-js';
import { UpdraftError } from '../errors.js';

export const AUTHORIZATION_METADATA_KEY = 'authorization';

/** Throws CONFIG_INVALID for an empty token: the WorkerService never runs without authentication. */
export function assertWorkerToken(token: string | undefined, where: string): string {
  if (typeof token !== 'string' || token.trim() === '') {
    throw new UpdraftError(
      'CONFIG_INVALID',
      `${where}: security.worker_token is empty; the WorkerService requires a shared token`,
    );
  }
  return token;
}

/** Metadata carrying the bearer token (a fresh object per call: grpc-js may mutate it). */
export function bearerMetadata(token: string): Metadata {
  const md = new Metadata();
  md.set(AUTHORIZATION_METADATA_KEY, `Bearer ${token}`);
  return md;
}

/** The token presented in `authorization: Bearer <token>`, or undefined when absent or malformed. */
export function readBearerToken(metadata: Metadata): string | undefined {
  const values = metadata.get(AUTHORIZATION_METADATA_KEY);
  if (values.length !== 1) return undefined;
  const value = values[0];
  if (typeof value !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value);
  return match?.[1];
}

/** Constant-time comparison (hashing first so lengths do not leak either). */
export function tokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(presented).digest();
  return timingSafeEqual(a, b);
}
