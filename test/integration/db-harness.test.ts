/** The test harness itself: throwaway servers survive kill/restart with their data. */
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, freePort, startNats, startPostgres } from '../harness/index.js';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('createTestDatabase', () => {
  const dropLater: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const drop of dropLater) await drop();
  });

  it('clones the migrated template into a database of its own', async () => {
    const a = await createTestDatabase();
    const b = await createTestDatabase();
    dropLater.push(a.drop, b.drop);
    expect(a.name).not.toBe(b.name);
    const { rows } = await a.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
    expect(rows[0]?.n).toBeGreaterThanOrEqual(1);
    await a.pool.query(`INSERT INTO variable (key, value) VALUES ('only_in_a', 'x')`);
    const inB = await b.pool.query(`SELECT 1 FROM variable WHERE key = 'only_in_a'`);
    expect(inB.rowCount).toBe(0);
  });

  it('gives an empty database on request, and drop() removes it', async () => {
    const db = await createTestDatabase({ empty: true });
    const { rows } = await db.pool.query<{ t: string | null }>(`SELECT to_regclass('schema_migrations')::text AS t`);
    expect(rows[0]?.t).toBeNull();
    await db.drop();
    await db.drop(); // idempotent
    const base = new URL(db.url);
    base.pathname = '/postgres';
    const left = await query(base.toString(), `SELECT 1 FROM pg_database WHERE datname = '${db.name}'`);
    expect(left).toHaveLength(0);
  });
});

describe('startPostgres', () => {
  it('keeps committed data across kill() and restart() on the same port', async () => {
    const server = await startPostgres();
    try {
      await query(server.url, 'CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)');
      const port = server.port;
      await server.kill();
      await expect(query(server.url, 'SELECT 1')).rejects.toThrow();
      await server.restart();
      expect(server.port).toBe(port);
      expect(await query(server.url, 'SELECT v FROM kept')).toEqual([{ v: 42 }]);
      await server.restart(); // a restart of a running server stops it first
      expect(await query(server.url, 'SELECT v FROM kept')).toEqual([{ v: 42 }]);
    } finally {
      await server.stop();
    }
    await expect(server.restart()).rejects.toThrow(/removed/);
  });

  it('starts on a requested port', async () => {
    const port = await freePort();
    const server = await startPostgres({ port });
    try {
      expect(server.url).toContain(`:${port}/`);
      expect(await query(server.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await server.stop();
    }
  });
});

describe('startNats', () => {
  it('serves JetStream and keeps streams across kill() and restart()', async () => {
    const server = await startNats();
    try {
      let nc = await connect({ servers: server.url });
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: 'HARNESS', subjects: ['harness.>'] });
      await nc.close();
      await server.kill();
      await expect(connect({ servers: server.url, reconnect: false, timeout: 1000 })).rejects.toThrow();
      await server.restart();
      nc = await connect({ servers: server.url });
      const info = await (await jetstreamManager(nc)).streams.info('HARNESS');
      expect(info.config.subjects).toEqual(['harness.>']);
      await nc.close();
    } finally {
      await server.stop();
    }
  });
});
