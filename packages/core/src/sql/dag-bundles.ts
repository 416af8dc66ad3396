/**
 * DAG bundle versions: the manifest of each version (path -> content hash), which version is
 * current, and file contents by hash (kept in dag_code with the DAG file sources). Workers read a
 * version's manifest and contents through the scheduler.
 */
import type { Queryable } from '../db/types.js';
import type { BundleManifestEntry } from '../dag/bundle.js';
import { query, rows } from './query.js';

/** The name of the DAGs folder's bundle (the one bundle today). */
export const DAGS_BUNDLE = 'dags';

/** The current version of the DAGs bundle, or null before the first scan that stored one. */
export async function currentBundleVersion(db: Queryable): Promise<string | null> {
  const r = await rows<{ version: string }>(db, 'currentBundleVersion',
    'SELECT version FROM dag_bundle WHERE name = $1', [DAGS_BUNDLE]);
  return r[0]?.version ?? null;
}

/** Of `hashes`, those dag_code does not hold yet. */
export async function missingContents(db: Queryable, hashes: readonly string[]): Promise<string[]> {
  if (hashes.length === 0) return [];
  const r = await rows<{ h: string }>(db, 'missingBundleContents',
    `SELECT h FROM unnest($1::text[]) AS h WHERE NOT EXISTS (SELECT 1 FROM dag_code c WHERE c.file_hash = h)`, [hashes]);
  return r.map((x) => x.h);
}

/**
 * Stores a version's manifest and the git commit it was read from (null: the DAGs folder) and makes
 * it the current one. A known version is kept as it is (with the commit that first produced it).
 */
export async function storeCurrentBundleVersion(db: Queryable, version: string, manifest: readonly BundleManifestEntry[], gitCommit: string | null = null): Promise<void> {
  const totalBytes = manifest.reduce((n, f) => n + f.size, 0);
  await query(db, 'storeCurrentBundleVersion',
    `WITH v AS (
       INSERT INTO dag_bundle_version (version, manifest, total_bytes, git_commit) VALUES ($2, $3::jsonb, $4, $5)
       ON CONFLICT (version) DO NOTHING)
     INSERT INTO dag_bundle (name, version, updated_at) VALUES ($1, $2, now())
     ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version, updated_at = now()`,
    [DAGS_BUNDLE, version, JSON.stringify(manifest.map((f) => ({ path: f.path, hash: f.hash, size: f.size }))), totalBytes, gitCommit]);
}

/** The current version of the DAGs bundle and the git commit it was read from (null: from the DAGs folder). */
export async function currentBundle(db: Queryable): Promise<{ version: string; gitCommit: string | null } | null> {
  const r = await rows<{ version: string; git_commit: string | null }>(db, 'currentBundle',
    `SELECT b.version, v.git_commit FROM dag_bundle b JOIN dag_bundle_version v ON v.version = b.version WHERE b.name = $1`, [DAGS_BUNDLE]);
  return r[0] ? { version: r[0].version, gitCommit: r[0].git_commit } : null;
}

/** The channel the leading scheduler LISTENs on: a request id as payload means "fetch the DAG bundle now" (`updraft dags refresh`). */
export const BUNDLE_REFRESH_CHANNEL = 'updraft_bundle_refresh';
/** The channel the answers go to: JSON of BundleRefreshAnswer. */
export const BUNDLE_REFRESHED_CHANNEL = 'updraft_bundle_refreshed';

/** What a refresh resulted in: the current bundle version and its commit, or why it failed (credentials masked). */
export interface BundleRefreshAnswer {
  id: string;
  version: string | null;
  commit: string | null;
  /** Where the bundle comes from, as shown in logs (credentials masked). */
  source: string;
  error: string | null;
}

/** Asks the leading scheduler to refresh the DAG bundle; it answers on BUNDLE_REFRESHED_CHANNEL with the same id. */
export async function requestBundleRefresh(db: Queryable, id: string): Promise<void> {
  await query(db, 'requestBundleRefresh', 'SELECT pg_notify($1, $2)', [BUNDLE_REFRESH_CHANNEL, id]);
}

/** The scheduler's answer to a refresh request (NOTIFY payloads are limited to 8000 bytes: a long error is cut). */
export async function answerBundleRefresh(db: Queryable, answer: BundleRefreshAnswer): Promise<void> {
  const error = answer.error !== null && answer.error.length > 4000 ? `${answer.error.slice(0, 4000)}...` : answer.error;
  await query(db, 'answerBundleRefresh', 'SELECT pg_notify($1, $2)', [BUNDLE_REFRESHED_CHANNEL, JSON.stringify({ ...answer, error })]);
}

/** A version's manifest sorted by path, or null for an unknown version. */
export async function bundleManifest(db: Queryable, version: string): Promise<BundleManifestEntry[] | null> {
  const r = await rows<{ manifest: BundleManifestEntry[] }>(db, 'bundleManifest',
    'SELECT manifest FROM dag_bundle_version WHERE version = $1', [version]);
  return r[0]?.manifest ?? null;
}

/** Contents of files by hash (those known), in no particular order. */
export async function bundleContents(db: Queryable, hashes: readonly string[]): Promise<Map<string, Buffer>> {
  if (hashes.length === 0) return new Map();
  const r = await rows<{ file_hash: string; source: Buffer }>(db, 'bundleContents',
    'SELECT file_hash, source FROM dag_code WHERE file_hash = ANY($1::text[])', [hashes]);
  return new Map(r.map((x) => [x.file_hash, x.source]));
}

/** The bundle version a run started with (null: none recorded, or no such run). */
export async function runBundleVersion(db: Queryable, dagId: string, runId: string): Promise<string | null> {
  const r = await rows<{ bundle_version: string | null }>(db, 'runBundleVersion',
    'SELECT bundle_version FROM dag_run WHERE dag_id = $1 AND run_id = $2', [dagId, runId]);
  return r[0]?.bundle_version ?? null;
}
