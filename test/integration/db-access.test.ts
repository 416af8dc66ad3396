/** createPool, withTransaction, waitForDatabase and the data-access query (deadlock retry) against real PostgreSQL servers. */
import { createPool, isUpdraftError, waitForDatabase, withTransaction } from '@updraft/core';
import { query } from '@updraft/core/internal';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, freePort, startPostgres, type TestDatabase } from '../harness/index.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

async function variable(key: string): Promise<string | undefined> {
  const { rows } = await db.pool.query<{ value: string }>('SELECT value FROM variable WHERE key = $1', [key]);
  return rows[0]?.value;
}

describe('withTransaction', () => {
  it('commits what fn did and returns its result', async () => {
    const result = await withTransaction(db.pool, async (client) => {
      await client.query(`INSERT INTO variable (key, value) VALUES ('tx_commit', 'yes')`);
      return 7;
    });
    expect(result).toBe(7);
    expect(await variable('tx_commit')).toBe('yes');
  });

  it('rolls back and rethrows the error of fn unchanged', async () => {
    const boom = new Error('boom');
    await expect(
      withTransaction(db.pool, async (client) => {
        await client.query(`INSERT INTO variable (key, value) VALUES ('tx_rollback', 'no')`);
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await variable('tx_rollback')).toBeUndefined();
  });

  it('runs at the requested isolation level', async () => {
    const level = await withTransaction(
      db.pool,
      async (client) => (await client.query<{ l: string }>(`SELECT current_setting('transaction_isolation') AS l`)).rows[0]?.l,
      { isolation: 'serializable' },
    );
    expect(level).toBe('serializable');
  });

  it('reports an unreachable database as DB_ERROR naming it', async () => {
    const pool = createPool({ url: `postgres://postgres@127.0.0.1:${await freePort()}/nowhere`, connectionTimeoutMs: 2000 });
    try {
      const err = await withTransaction(pool, async () => 1).catch((e: unknown) => e);
      expect(isUpdraftError(err, 'DB_ERROR')).toBe(true);
      expect((err as Error).message).toMatch(/cannot connect to the database postgres:\/\/postgres@127\.0\.0\.1:\d+\/nowhere/);
      expect((err as Error).cause).toBeInstanceOf(Error);
    } finally {
      await pool.end();
    }
  });
});

describe('createPool', () => {
  it('refuses an empty or malformed url', () => {
    expect(() => createPool({ url: '' })).toThrow(/database url is empty/);
    expect(() => createPool({ url: 'mysql://u:secret@h/db' })).toThrow(/invalid database url mysql:\/\/u:\*\*\*@h\/db/);
    expect(() => createPool({ url: 'not a url' })).toThrow(/invalid database url/);
  });

  it('sets application_name and survives an idle connection killed by the server', async () => {
    const errors: Error[] = [];
    const pool = createPool({ url: db.url, applicationName: 'updraft-test-pool', onError: (e) => errors.push(e) });
    try {
      const { rows } = await pool.query<{ name: string }>(`SELECT current_setting('application_name') AS name`);
      expect(rows[0]?.name).toBe('updraft-test-pool');
      await db.pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'updraft-test-pool'`);
      // The idle client's error reaches onError instead of crashing the process...
      await expect.poll(() => errors.length).toBeGreaterThan(0);
      // ...and the pool opens a new connection for the next query.
      expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });

  it('turns JIT compilation off on each connection, first thing, unless asked (jit: true)', async () => {
    const server = (await db.pool.query<{ jit: string }>("SELECT current_setting('jit') AS jit")).rows[0]!.jit;
    // The test servers keep PostgreSQL's default (on): else this would prove nothing.
    expect(server).toBe('on');
    const pool = createPool({ url: db.url, max: 3 });
    const jitOn = createPool({ url: db.url, max: 1, jit: true });
    try {
      // The first query of each new connection already sees it (three connections at once).
      const seen = await Promise.all([1, 2, 3].map(() => pool.query<{ jit: string }>("SELECT current_setting('jit') AS jit")));
      expect(seen.map((r) => r.rows[0]!.jit)).toEqual(['off', 'off', 'off']);
      expect((await jitOn.query<{ jit: string }>("SELECT current_setting('jit') AS jit")).rows[0]!.jit).toBe('on');
    } finally {
      await pool.end();
      await jitOn.end();
    }
  });
});

describe('waitForDatabase', () => {
  it('waits for a server that starts later', async () => {
    const port = await freePort();
    const waiting = waitForDatabase(`postgres://postgres@127.0.0.1:${port}/postgres`, 60_000);
    const server = await startPostgres({ port });
    try {
      await expect(waiting).resolves.toBeUndefined();
    } finally {
      await server.stop();
    }
  });

  it('gives up after the timeout with DB_ERROR and the last failure as cause', async () => {
    const url = `postgres://postgres:pw@127.0.0.1:${await freePort()}/postgres`;
    const err = await waitForDatabase(url, 300).catch((e: unknown) => e);
    expect(isUpdraftError(err, 'DB_ERROR')).toBe(true);
    expect((err as Error).message).toMatch(/not reachable after \d+ attempts in 300 ms: .*ECONNREFUSED/);
    expect((err as Error).message).not.toContain(':pw@');
  });
});

describe('a statement on a pool chosen as a deadlock\'s victim', () => {
  it('runs again (PostgreSQL rolled it back whole) and succeeds once the other transaction ends', async () => {
    await db.pool.query(`INSERT INTO variable (key, value) VALUES ('dl_1', '0'), ('dl_2', '0')`);
    // The statement detects the deadlock (100 ms), never the transaction holding its rows (10 s).
    const pool = new pg.Pool({ connectionString: db.url, max: 1, application_name: 'deadlock-victim', options: '-c deadlock_timeout=100ms' });
    // A client still closing when the file's database is dropped gets PostgreSQL's FATAL 57P01; the
    // pool emits it as an idle client's error, which without a listener fails the whole run.
    pool.on('error', () => undefined);
    const holder = await db.pool.connect();
    try {
      await holder.query(`SET deadlock_timeout = '10s'`);
      await holder.query('BEGIN');
      await holder.query(`UPDATE variable SET value = 'held' WHERE key = 'dl_1'`);
      // dl_2 then dl_1: waits for the holder, which then waits for dl_2.
      const statement = query(pool, 'bothRows', `WITH two AS (UPDATE variable SET value = (value::int + 1)::text WHERE key = 'dl_2' RETURNING 1)
        UPDATE variable SET value = 'statement' WHERE key = 'dl_1' AND EXISTS (SELECT 1 FROM two) RETURNING key`);
      // Only once it holds dl_2 and waits for dl_1 does the holder's next update close the cycle.
      await vi.waitUntil(async () => (await db.pool.query(
        `SELECT 1 FROM pg_stat_activity WHERE application_name = 'deadlock-victim' AND wait_event_type = 'Lock'`)).rowCount === 1,
      { timeout: 10_000, interval: 10 });
      // The cycle closes: the statement is ended by PostgreSQL, rolled back, and runs again behind the holder.
      await holder.query(`UPDATE variable SET value = '10' WHERE key = 'dl_2'`);
      await holder.query('COMMIT');
      const result = await statement;
      expect(result.rows).toEqual([{ key: 'dl_1' }]);
    } finally {
      holder.release();
      await pool.end();
    }
    // The first run left nothing: dl_2 is the holder's 10, counted up once, by the second run.
    const { rows } = await db.pool.query<{ key: string; value: string }>(`SELECT key, value FROM variable WHERE key LIKE 'dl_%' ORDER BY key`);
    expect(rows).toEqual([{ key: 'dl_1', value: 'statement' }, { key: 'dl_2', value: '11' }]);
  });
});
