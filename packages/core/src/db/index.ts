export { createPool, POOL_DEFAULTS, type PoolOptions } from './pool.js';
export { withTransaction, type IsolationLevel, type TransactionOptions } from './transaction.js';
export {
  migrate,
  migrationStatus,
  type AppliedMigration,
  type MigrateOptions,
  type MigrationState,
  type MigrationStatusEntry,
} from './migrate.js';
export { DEFAULT_MIGRATIONS_DIR, readMigrationFiles, type MigrationFile } from './migration-files.js';
export { waitForDatabase } from './wait.js';
export { redactDatabaseUrl } from './url.js';
