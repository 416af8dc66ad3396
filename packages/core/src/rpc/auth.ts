/**
 * Worker authentication on the WorkerService: every call carries
 * `authorization: Bearer <token>` as gRPC metadata, the token being the fleet's shared
 * `security.worker_token` or a per-worker credential (`updraft workers credentials create NAME`).
 */
import { timingSafeEqual, createHash, randomBytes } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import { Metadata } from '@grpc/grpc-js';
import { UpdraftError } from '../errors.js';

export const AUTHORIZATION_METADATA_KEY = 'authorization';

/** Prefix of per-worker credential tokens (tells them apart from a shared token in logs and docs). */
export const WORKER_CREDENTIAL_PREFIX = 'updraft_wc_';

/** A new per-worker credential token: the prefix and 256 random bits. */
export function newWorkerCredentialToken(): string {
  return `${WORKER_CREDENTIAL_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** How a token is stored and looked up: its SHA-256, hex. */
export function hashWorkerToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The names a TLS peer certificate gives its holder: the subject's CN and every DNS name of its
 * subjectAltName. Under mutual TLS a worker's certificate must name the worker this way.
 */
export function certificateNames(cert: Pick<PeerCertificate, 'subject' | 'subjectaltname'> | undefined): string[] {
  if (!cert) return [];
  const names = new Set<string>();
  const cn = cert.subject?.CN as string | string[] | undefined;
  for (const n of Array.isArray(cn) ? cn : cn ? [cn] : []) names.add(n);
  for (const entry of (cert.subjectaltname ?? '').split(',')) {
    const m = /^\s*DNS:(.+)$/.exec(entry);
    if (m?.[1]) names.add(m[1].trim());
  }
  return [...names];
}

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

// The digest of the expected token, kept: it is the same (security.worker_token) on every call.
let expectedDigest: { token: string; digest: Buffer } | undefined;

/** Constant-time comparison (hashing first so lengths do not leak either). */
export function tokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  if (expectedDigest?.token !== expected) expectedDigest = { token: expected, digest: createHash('sha256').update(expected).digest() };
  const b = createHash('sha256').update(presented).digest();
  return timingSafeEqual(expectedDigest.digest, b);
}
