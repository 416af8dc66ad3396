/**
 * vitest globalSetup: one shared PostgreSQL for the whole run with a migrated `updraft_template`
 * database that createTestDatabase() clones. Runs in vitest's main process; the returned
 * teardown runs even when tests fail, and cleanup.ts kills the server if the run is interrupted.
 */
import { createPool, migrate } from '@updraft/core';
import type { TestProject } from 'vitest/node';
import { pgTemplateDir, startPostgres, TEMPLATE_DIR_ENV, type PostgresServer } from './postgres.js';
import { SHARED_PG_URL_ENV, TEMPLATE_DATABASE } from './provided.js';
import { withDatabase } from './test-database.js';

let server: PostgresServer | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Test processes inherit this and copy the template instead of running initdb themselves.
  process.env[TEMPLATE_DIR_ENV] = await pgTemplateDir();
  server = await startPostgres({ settings: { synchronous_commit: 'off' } });
  const admin = createPool({ url: server.url, max: 1, applicationName: 'updraft-test-setup' });
  try {
    await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  // No connection may stay open on a template while it is cloned.
  const templatePool = createPool({ url: withDatabase(server.url, TEMPLATE_DATABASE), max: 1 });
  try {
    await migrate(templatePool);
  } finally {
    await templatePool.end();
  }
  process.env[SHARED_PG_URL_ENV] = server.url;
  project.provide('updraftPgUrl', server.url);
  return async () => {
    await server?.stop();
    server = undefined;
  };
}
