import type pg from 'pg';
import { UpdraftError } from '../errors.js';
import { readMigrationFiles, type MigrationFile } from './migration-files.js';
import {
  ensureMigrationsTable,
  listAppliedMigrations,
  lockMigrations,
  migrationsTableExists,
  recordMigration,
  unlockMigrations,
  type AppliedMigrationRow,
} from './schema-migrations.js';
import { messageOf } from '../lib.js';
import { acquire } from './transaction.js';

/** Options of {@link migrate} and {@link migrationStatus}. */
export interface MigrateOptions {
  /** Directory of `NNNN_name.sql` files. Default: packages/core/migrations. */
  migrationsDir?: string;
}

export interface AppliedMigration {
  version: number;
  name: string;
  durationMs: number;
}

/**
 * Applies the pending migrations in version order, each in its own transaction together with its
 * `schema_migrations` row. A session-level advisory lock makes concurrent callers (several
 * processes starting at once) wait for each other; the later ones then find nothing to do.
 * Refuses to run when an applied migration's file changed or the database holds a migration
 * this code does not know. Returns the migrations this call applied (empty when up to date).
 */
export async function migrate(pool: pg.Pool, options: MigrateOptions = {}): Promise<AppliedMigration[]> {
  const files = await readMigrationFiles(options.migrationsDir);
  const client = await acquire(pool);
  let broken: Error | undefined;
  try {
    await step('take the migration lock', () => lockMigrations(client));
    try {
      await step('create schema_migrations', () => ensureMigrationsTable(client));
      const applied = await step('read schema_migrations', () => listAppliedMigrations(client));
      const pending = pendingMigrations(files, applied);
      const done: AppliedMigration[] = [];
      for (const file of pending) done.push(await applyOne(client, file));
      return done;
    } finally {
      await unlockMigrations(client).catch((err: unknown) => {
        broken = err instanceof Error ? err : new Error(String(err));
      });
    }
  } finally {
    // Destroy the connection if the lock could not be released, so the server drops the lock.
    client.release(broken);
  }
}

export type MigrationState = 'applied' | 'pending' | 'changed' | 'unknown';

export interface MigrationStatusEntry {
  version: number;
  name: string;
  /**
   * applied: recorded and unchanged; pending: not yet applied; changed: applied, but the file
   * differs from what was applied; unknown: recorded in the database but no file has it.
   */
  state: MigrationState;
  appliedAt: Date | null;
}

/** Every migration known to the files or the database, in version order, with its state. */
export async function migrationStatus(pool: pg.Pool, options: MigrateOptions = {}): Promise<MigrationStatusEntry[]> {
  const files = await readMigrationFiles(options.migrationsDir);
  const client = await acquire(pool);
  let applied: AppliedMigrationRow[];
  try {
    applied = await step('read schema_migrations', async () =>
      (await migrationsTableExists(client)) ? listAppliedMigrations(client) : [],
    );
  } finally {
    client.release();
  }
  const byVersion = new Map(applied.map((row) => [row.version, row]));
  const entries: MigrationStatusEntry[] = files.map((file) => {
    const row = byVersion.get(file.version);
    if (!row) return { version: file.version, name: file.name, state: 'pending', appliedAt: null };
    const state = row.checksum === file.checksum ? 'applied' : 'changed';
    return { version: file.version, name: file.name, state, appliedAt: row.appliedAt };
  });
  for (const row of applied) {
    if (!files.some((f) => f.version === row.version)) {
      entries.push({ version: row.version, name: row.name, state: 'unknown', appliedAt: row.appliedAt });
    }
  }
  return entries.sort((a, b) => a.version - b.version);
}

/** The files not yet applied, after checking that the applied ones still match their files. */
function pendingMigrations(files: MigrationFile[], applied: AppliedMigrationRow[]): MigrationFile[] {
  const fileByVersion = new Map(files.map((f) => [f.version, f]));
  for (const row of applied) {
    const file = fileByVersion.get(row.version);
    if (!file) {
      throw new UpdraftError(
        'MIGRATION_FAILED',
        `the database has migration ${label(row)} applied, which this version of Updraft does not ` +
          'have: the database was migrated by a newer version; run that version or restore a backup',
      );
    }
    if (file.checksum !== row.checksum) {
      throw new UpdraftError(
        'MIGRATION_FAILED',
        `migration ${label(file)} (${file.path}) changed after it was applied ` +
          `(applied checksum ${row.checksum.slice(0, 12)}, file ${file.checksum.slice(0, 12)}); ` +
          'an applied migration must never be edited: restore the file and add a new migration',
      );
    }
  }
  const appliedVersions = new Set(applied.map((row) => row.version));
  return files.filter((f) => !appliedVersions.has(f.version));
}

async function applyOne(client: pg.PoolClient, file: MigrationFile): Promise<AppliedMigration> {
  const started = performance.now();
  try {
    await client.query('BEGIN');
    // Simple query protocol (no parameters): the file may hold many statements.
    await client.query(file.sql);
    await recordMigration(client, file);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new UpdraftError(
      'MIGRATION_FAILED',
      `migration ${label(file)} failed${where(file.sql, err)}: ${messageOf(err)} (nothing of it was applied)`,
      { cause: err },
    );
  }
  return { version: file.version, name: file.name, durationMs: performance.now() - started };
}

/** Runs a database step of the migration, turning driver errors into DB_ERROR. */
async function step<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof UpdraftError) throw err;
    throw new UpdraftError('DB_ERROR', `cannot ${what}: ${messageOf(err)}`, { cause: err });
  }
}

function label(m: { version: number; name: string }): string {
  return `${String(m.version).padStart(4, '0')}_${m.name}`;
}

/** " at line N" from the 1-based character position PostgreSQL reports for syntax errors. */
function where(sql: string, err: unknown): string {
  const position = Number((err as { position?: unknown }).position);
  if (!Number.isInteger(position) || position < 1) return '';
  return ` at line ${sql.slice(0, position - 1).split('\n').length}`;
}
