import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { SHARED_PG_URL_ENV, TEMPLATE_DATABASE } from './provided.js';

export interface TestDatabaseOptions {
  /** An empty database (from template0) instead of a clone of the migrated template. */
  empty?: boolean;
  /** `max` of the returned pool. Default 5. */
  poolMax?: number;
}

export interface TestDatabase {
  /** URL of the new database (superuser). */
  url: string;
  /** Its name, `t_<random>`. */
  name: string;
  /** A pool on it; drop() ends it. */
  pool: pg.Pool;
  /** Ends the pool and drops the database (disconnecting anyone left). Idempotent. */
  drop(): Promise<void>;
}

/**
 * A new database on the shared test server, cloned from the migrated `updraft_template`
 * (so it has the full schema and schema_migrations), or empty with `{ empty: true }`.
 * Needs the global setup (test/harness/global-setup.ts), which vitest.config.ts installs.
 */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const baseUrl = await sharedServerUrl();
  const name = `t_${randomBytes(6).toString('hex')}`;
  const template = options.empty ? 'template0' : TEMPLATE_DATABASE;
  await adminQuery(baseUrl, `CREATE DATABASE ${name} TEMPLATE ${template}`);
  const url = withDatabase(baseUrl, name);
  const pool = new pg.Pool({ connectionString: url, max: options.poolMax ?? 5 });
  pool.on('error', () => undefined); // a dropped database kills idle connections
  let dropped = false;
  return {
    url,
    name,
    pool,
    async drop() {
      if (dropped) return;
      dropped = true;
      await pool.end();
      await adminQuery(baseUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function sharedServerUrl(): Promise<string> {
  const fromEnv = process.env[SHARED_PG_URL_ENV];
  if (fromEnv) return fromEnv;
  const { inject } = await import('vitest');
  const url = inject('updraftPgUrl');
  if (!url) {
    throw new Error('createTestDatabase: no shared PostgreSQL; run tests through vitest.config.ts (its globalSetup starts it)');
  }
  return url;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
