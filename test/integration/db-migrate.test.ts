/** migrate(): schema 0001 on a fresh database, idempotence, safety under concurrency, clear refusals. */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPool, isUpdraftError, migrate, migrationStatus } from '@updraft/core';
import { DEFAULT_MIGRATIONS_DIR, readMigrationFiles } from '@updraft/core/internal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, runCli, type TestDatabase } from '../harness/index.js';

const databases: TestDatabase[] = [];
async function emptyDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase({ empty: true });
  databases.push(db);
  return db;
}
afterAll(async () => {
  for (const db of databases) await db.drop();
});

async function tableNames(db: TestDatabase): Promise<string[]> {
  const { rows } = await db.pool.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

async function indexNames(db: TestDatabase): Promise<string[]> {
  const { rows } = await db.pool.query<{ name: string }>(`SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public'`);
  return rows.map((r) => r.name);
}

async function migrationRows(db: TestDatabase): Promise<Array<{ version: number; name: string; checksum: string }>> {
  const { rows } = await db.pool.query<{ version: number; name: string; checksum: string }>(
    'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
  );
  return rows;
}

describe('migrate on a fresh database', () => {
  let db: TestDatabase;
  let init: string;
  beforeAll(async () => {
    db = await emptyDatabase();
    init = await readFile(join(DEFAULT_MIGRATIONS_DIR, '0001_init.sql'), 'utf8');
  });

  it('applies every migration and creates every table and index of 0001', async () => {
    const files = await readMigrationFiles();
    const applied = await migrate(db.pool);
    expect(applied.map((m) => m.version)).toEqual(files.map((f) => f.version));
    expect(applied[0]).toMatchObject({ version: 1, name: 'init' });

    const declaredTables = [...init.matchAll(/^CREATE TABLE (\w+)/gm)].map((m) => m[1]);
    expect(declaredTables.length).toBeGreaterThanOrEqual(14);
    const tables = await tableNames(db);
    for (const table of declaredTables) expect(tables).toContain(table);
    expect(tables).toContain('schema_migrations');

    const declaredIndexes = [...init.matchAll(/^CREATE (?:UNIQUE )?INDEX (\w+)/gm)].map((m) => m[1]);
    const indexes = await indexNames(db);
    for (const index of declaredIndexes) expect(indexes).toContain(index);

    expect(await migrationRows(db)).toEqual(files.map((f) => ({ version: f.version, name: f.name, checksum: f.checksum })));
  });

  it('is a no-op the second time', async () => {
    const before = await db.pool.query('SELECT version, applied_at FROM schema_migrations ORDER BY version');
    expect(await migrate(db.pool)).toEqual([]);
    const after = await db.pool.query('SELECT version, applied_at FROM schema_migrations ORDER BY version');
    expect(after.rows).toEqual(before.rows);
    const status = await migrationStatus(db.pool);
    expect(status.every((s) => s.state === 'applied')).toBe(true);
  });

  it('seeds default_pool', async () => {
    const { rows } = await db.pool.query(`SELECT slots FROM slot_pool WHERE pool = 'default_pool'`);
    expect(rows).toEqual([{ slots: 128 }]);
  });
});

describe('migrate with several callers at once', () => {
  it('applies each migration once when five pools race on one empty database', async () => {
    const db = await emptyDatabase();
    const pools = Array.from({ length: 5 }, () => createPool({ url: db.url, max: 1 }));
    try {
      const results = await Promise.all(pools.map((pool) => migrate(pool)));
      const files = await readMigrationFiles();
      expect(results.filter((r) => r.length > 0)).toHaveLength(1);
      expect(results.flat().map((m) => m.version)).toEqual(files.map((f) => f.version));
      expect((await migrationRows(db)).map((r) => r.version)).toEqual(files.map((f) => f.version));
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it('two `updraft db migrate` processes started together both succeed and leave one schema', async () => {
    const db = await emptyDatabase();
    const env = { UPDRAFT__DATABASE__URL: db.url };
    const [a, b] = await Promise.all([runCli(['db', 'migrate'], { env }), runCli(['db', 'migrate'], { env })]);
    expect(a.stderr).toBe('');
    expect(b.stderr).toBe('');
    expect([a.code, b.code]).toEqual([0, 0]);
    const files = await readMigrationFiles();
    expect((await migrationRows(db)).map((r) => r.version)).toEqual(files.map((f) => f.version));
    // Exactly one of them applied 0001; the other found the database up to date.
    const output = a.stdout + b.stdout;
    expect(output.match(/applied 0001_init/g)).toHaveLength(1);
    expect(output.match(/is up to date/g)).toHaveLength(1);
    const tables = await tableNames(db);
    expect(tables).toContain('task_instance');
  });
});

describe('updraft db status / migrate', () => {
  it('shows pending, then applied after migrate', async () => {
    const db = await emptyDatabase();
    const env = { UPDRAFT__DATABASE__URL: db.url };
    const before = await runCli(['db', 'status'], { env });
    expect(before.code).toBe(0);
    expect(before.stdout).toMatch(/0001\s+init\s+pending/);
    expect(before.stdout).toMatch(/pending: run `updraft db migrate`/);
    const migrated = await runCli(['db', 'migrate'], { env });
    expect(migrated.code).toBe(0);
    const after = await runCli(['db', 'status'], { env });
    expect(after.stdout).toMatch(/0001\s+init\s+applied\s+\d{4}-/);
    expect(after.stdout).toMatch(/up to date/);
    const again = await runCli(['db', 'migrate'], { env });
    expect(again.stdout).toMatch(/is up to date/);
  });

  it('names the database it cannot reach, without its password', async () => {
    const result = await runCli(['db', 'migrate'], {
      env: { UPDRAFT__DATABASE__URL: 'postgres://u:secret@127.0.0.1:1/nowhere' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('127.0.0.1:1/nowhere');
    expect(result.stderr).not.toContain('secret');
  });
});

describe('migrate refuses what it must not do', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'updraft-migrations-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('rolls back a failing migration whole and names its line; applies it once fixed', async () => {
    const migrationsDir = join(dir, 'rollback');
    await rm(migrationsDir, { recursive: true, force: true });
    await mkdir(migrationsDir);
    await writeFile(join(migrationsDir, '0001_one.sql'), 'CREATE TABLE one (id int);\n');
    await writeFile(join(migrationsDir, '0002_two.sql'), 'CREATE TABLE two (id int);\n\nSELEC 1;\n');
    const db = await emptyDatabase();
    const err = await migrate(db.pool, { migrationsDir }).catch((e: unknown) => e);
    expect(isUpdraftError(err, 'MIGRATION_FAILED')).toBe(true);
    expect((err as Error).message).toMatch(/0002_two failed at line 3: syntax error/);
    expect((await migrationRows(db)).map((r) => r.version)).toEqual([1]);
    const { rows } = await db.pool.query(`SELECT to_regclass('two')::text AS t`);
    expect(rows).toEqual([{ t: null }]);

    await writeFile(join(migrationsDir, '0002_two.sql'), 'CREATE TABLE two (id int);\n');
    expect((await migrate(db.pool, { migrationsDir })).map((m) => m.version)).toEqual([2]);
  });

  it('refuses to run when an applied migration was edited, and status says changed', async () => {
    const migrationsDir = join(dir, 'edited');
    await mkdir(migrationsDir);
    await writeFile(join(migrationsDir, '0001_one.sql'), 'CREATE TABLE one (id int);\n');
    const db = await emptyDatabase();
    await migrate(db.pool, { migrationsDir });
    await writeFile(join(migrationsDir, '0001_one.sql'), 'CREATE TABLE one (id bigint);\n');
    await writeFile(join(migrationsDir, '0002_two.sql'), 'CREATE TABLE two (id int);\n');
    await expect(migrate(db.pool, { migrationsDir })).rejects.toThrow(/0001_one .* changed after it was applied/);
    const { rows } = await db.pool.query(`SELECT to_regclass('two')::text AS t`);
    expect(rows).toEqual([{ t: null }]);
    const status = await migrationStatus(db.pool, { migrationsDir });
    expect(status.map((s) => [s.version, s.state])).toEqual([
      [1, 'changed'],
      [2, 'pending'],
    ]);
  });

  it('refuses a database migrated by a newer version (a migration it has no file for)', async () => {
    const migrationsDir = join(dir, 'newer');
    await mkdir(migrationsDir);
    await writeFile(join(migrationsDir, '0001_one.sql'), 'CREATE TABLE one (id int);\n');
    const db = await emptyDatabase();
    await migrate(db.pool, { migrationsDir });
    await db.pool.query(`INSERT INTO schema_migrations (version, name, checksum) VALUES (9, 'future', 'x')`);
    await expect(migrate(db.pool, { migrationsDir })).rejects.toThrow(/0009_future applied, which this version/);
    const status = await migrationStatus(db.pool, { migrationsDir });
    expect(status.map((s) => [s.version, s.state])).toEqual([
      [1, 'applied'],
      [9, 'unknown'],
    ]);
  });

  it('refuses badly named and duplicate migration files', async () => {
    const bad = join(dir, 'badname');
    await mkdir(bad);
    await writeFile(join(bad, '1_one.sql'), 'SELECT 1;\n');
    await expect(readMigrationFiles(bad)).rejects.toThrow(/1_one.sql is not named NNNN_name.sql/);
    const dup = join(dir, 'dup');
    await mkdir(dup);
    await writeFile(join(dup, '0001_a.sql'), 'SELECT 1;\n');
    await writeFile(join(dup, '0001_b.sql'), 'SELECT 1;\n');
    await expect(readMigrationFiles(dup)).rejects.toThrow(/share version 0001/);
  });
});
