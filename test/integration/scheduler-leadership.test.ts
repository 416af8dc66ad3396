/**
 * Two schedulers on one database: one leads, the other stands by (its WorkerService answers
 * "standby"); when the leader stops, or its leader-lock session is ended by the database, the
 * standby takes over. Real PostgreSQL, in-process schedulers with the in-process queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryQueue, createWorkerServiceClient, GrpcStatus, silentLogger, STANDBY_DETAILS_PREFIX, type proto } from '@updraft/core';
import { UpdraftRpcError } from '@updraft/core/internal';
import { startScheduler, type RunningScheduler } from '@updraft/scheduler';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';

const TOKEN = 'leadership-token';
let db: TestDatabase;
let dir: string;
const running: RunningScheduler[] = [];

const registration: proto.RegisterWorkerRequest = {
  workerName: 'lw', hostname: 'h', queues: ['default'], concurrency: 1, version: '0', umask: '0022', uid: 0, gid: 0, pid: 1,
};

async function start(): Promise<RunningScheduler> {
  const s = await startScheduler({
    pool: db.pool, queue: createMemoryQueue(), listen: '127.0.0.1:0', token: TOKEN,
    dagProcessor: { dagsFolder: dir, parsingProcesses: 1 }, watchDagsFolder: false, listenForRuns: false,
    leaderLease: { checkIntervalMs: 200, checkTimeoutMs: 1000, retryDelayMs: 200 },
    logger: silentLogger,
  });
  running.push(s);
  return s;
}

async function register(port: number): Promise<unknown> {
  const client = createWorkerServiceClient({ address: `127.0.0.1:${port}`, token: TOKEN });
  try {
    return await client.registerWorker(registration).catch((e: unknown) => e);
  } finally {
    client.close();
  }
}

const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms))]);

beforeAll(async () => {
  db = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'updraft-leadership-'));
});

afterAll(async () => {
  await Promise.allSettled(running.map((s) => s.stop()));
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('scheduler leadership', () => {
  it('one leads, the other stands by and answers workers "standby"; it takes over when the leader stops', async () => {
    const first = await start();
    const second = await start();
    expect([first.leading, second.leading]).toEqual([true, false]);
    expect(() => second.engine).toThrow(/standby/);
    const refused = await register(second.grpcPort);
    expect(refused).toBeInstanceOf(UpdraftRpcError);
    expect((refused as UpdraftRpcError).grpcCode).toBe(GrpcStatus.UNAVAILABLE);
    expect((refused as UpdraftRpcError).message).toContain(STANDBY_DETAILS_PREFIX);
    await expect(register(first.grpcPort)).resolves.toMatchObject({ workerId: expect.any(String) });

    await first.stop();
    await within(second.whenLeading(), 30_000, 'the standby to lead');
    expect(second.leading).toBe(true);
    await expect(register(second.grpcPort)).resolves.toMatchObject({ workerId: expect.any(String) });
  });

  it('a leader whose lock session the database ends steps down, and a standby takes over', async () => {
    const leader = running.find((s) => s.leading)!;
    const standby = await start();
    expect(standby.leading).toBe(false);
    // The database ends the leader's lock session (as when its connection dies). The session is
    // matched while idle; on a loaded machine it may be busy with a keepalive at that instant, so the
    // termination is repeated until the standby leads.
    const leading = standby.whenLeading();
    const deadline = Date.now() + 30_000;
    for (let done = false; !done;) {
      await db.pool.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'updraft-scheduler-leader' AND pid <> pg_backend_pid() AND state = 'idle'");
      done = await Promise.race([leading.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 2000))]);
      if (!done && Date.now() > deadline) throw new Error('timed out waiting for the standby to lead');
    }
    // Exactly one leads once things settle: the old leader stepped down (and stands by again).
    expect(leader.leading).toBe(false);
    expect(running.filter((s) => s.leading)).toEqual([standby]);
  });
});
