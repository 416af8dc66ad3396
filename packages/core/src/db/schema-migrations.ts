/**
 * The `schema_migrations` table, which records the migrations applied to a database, and the
 * advisory lock that serializes `migrate()` across processes. One SQL operation per function.
 */
import type pg from 'pg';
import type { Queryable } from './types.js';

/** Key of the session-level advisory lock held while migrating (arbitrary, fixed forever). */
export const MIGRATION_LOCK_KEY = '7283654329100001';

export interface AppliedMigrationRow {
  version: number;
  name: string;
  checksum: string;
  appliedAt: Date;
}

/** Waits until this session holds the migration lock. */
export async function lockMigrations(client: pg.PoolClient): Promise<void> {
  await client.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
}

export async function unlockMigrations(client: pg.PoolClient): Promise<void> {
  await client.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]);
}

/** Creates the table when missing. Call only under the migration lock (concurrent CREATE races). */
export async function ensureMigrationsTable(db: Queryable): Promise<void> {
  await db.query(`
    CREATE TABLE IF NOT EXISTS schema_migrations (
      version     integer PRIMARY KEY,
      name        text NOT NULL,
      checksum    text NOT NULL,
      applied_at  timestamptz NOT NULL DEFAULT now()
    )`);
}

export async function migrationsTableExists(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ exists: boolean }>(
    `SELECT to_regclass('schema_migrations') IS NOT NULL AS exists`,
  );
  return rows[0]?.exists === true;
}

export async function listAppliedMigrations(db: Queryable): Promise<AppliedMigrationRow[]> {
  const { rows } = await db.query<AppliedMigrationRow>(
    `SELECT version, name, checksum, applied_at AS "appliedAt" FROM schema_migrations ORDER BY version`,
  );
  return rows;
}

export async function recordMigration(
  db: Queryable,
  migration: { version: number; name: string; checksum: string },
): Promise<void> {
  await db.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
    migration.version,
    migration.name,
    migration.checksum,
  ]);
}
