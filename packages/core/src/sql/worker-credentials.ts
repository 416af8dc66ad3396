/**
 * Per-worker credentials: a token bound to one worker name, stored hashed. The scheduler looks a
 * presented token up by its hash; revoking notifies `updraft_worker_credentials` so every
 * scheduler drops what it cached at once (see scheduler/src/rpc/worker-auth.ts).
 */
import type { Queryable } from '../db/types.js';
import { query, rows } from './query.js';

/** Channel a revocation (or replacement) is announced on; the payload is the worker name. */
export const WORKER_CREDENTIALS_CHANNEL = 'updraft_worker_credentials';

export interface WorkerCredentialView {
  workerName: string;
  createdAt: Date;
  /** null while the credential is valid. */
  revokedAt: Date | null;
}

/**
 * Stores the hash of a new token for `workerName`. Without `replace`, a name that already has a
 * valid credential is left alone and false is returned; a revoked one is always replaced.
 */
export async function createCredential(db: Queryable, workerName: string, tokenHash: string, replace: boolean): Promise<boolean> {
  const result = await query(db, 'createCredential',
    `WITH upserted AS (
       INSERT INTO worker_credential (worker_name, token_hash) VALUES ($1, $2)
       ON CONFLICT (worker_name) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = now(), revoked_at = NULL
         WHERE worker_credential.revoked_at IS NOT NULL OR $3::boolean
       RETURNING worker_name)
     SELECT worker_name, pg_notify($4, worker_name) FROM upserted`,
    [workerName, tokenHash, replace, WORKER_CREDENTIALS_CHANNEL]);
  return (result.rowCount ?? 0) > 0;
}

/** Revokes the credential of `workerName`; false when it has none that is valid. */
export async function revokeCredential(db: Queryable, workerName: string): Promise<boolean> {
  const result = await query(db, 'revokeCredential',
    `WITH revoked AS (
       UPDATE worker_credential SET revoked_at = now() WHERE worker_name = $1 AND revoked_at IS NULL RETURNING worker_name)
     SELECT worker_name, pg_notify($2, worker_name) FROM revoked`,
    [workerName, WORKER_CREDENTIALS_CHANNEL]);
  return (result.rowCount ?? 0) > 0;
}

/** Every credential, valid and revoked, by name (never the hashes). */
export async function listCredentials(db: Queryable): Promise<WorkerCredentialView[]> {
  return rows<WorkerCredentialView>(db, 'listCredentials',
    `SELECT worker_name AS "workerName", created_at AS "createdAt", revoked_at AS "revokedAt"
     FROM worker_credential ORDER BY worker_name`);
}

/** The worker a token hash belongs to, if it is valid; null for an unknown or revoked token. */
export async function findValidCredential(db: Queryable, tokenHash: string): Promise<string | null> {
  const found = await rows<{ worker_name: string }>(db, 'findValidCredential',
    'SELECT worker_name FROM worker_credential WHERE token_hash = $1 AND revoked_at IS NULL', [tokenHash], { prepare: true });
  return found[0]?.worker_name ?? null;
}
