/**
 * `updraft worker drain NAME`, `updraft workers drain HOSTNAME` and `updraft workers list` against
 * a real scheduler (WorkerService over gRPC) and real Worker instances: the CLI marks the worker
 * draining in the database, the scheduler says so in the answer to its next heartbeat, and the
 * worker stops taking tasks and deregisters (offline).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, createMemoryQueue, silentLogger } from '@updraft/core';
import { type MemoryQueue } from '@updraft/core/internal';
import { startScheduler, type RunningScheduler } from '@updraft/scheduler';
import { Worker } from '@updraft/worker';
import { createTestDatabase, runCli } from '../harness/index.js';
import type { TestDatabase } from '../harness/index.js';

const TOKEN = 'drain-test-token';

let db: TestDatabase;
let dir: string;
let queue: MemoryQueue;
let scheduler: RunningScheduler;
let env: Record<string, string>;
const workers: Worker[] = [];

async function startWorker(name: string, hostname: string): Promise<Worker> {
  const worker = new Worker({
    allowRootTasks: true, // the tests run as root
    schedulerAddress: `127.0.0.1:${scheduler.grpcPort}`, token: TOKEN, queue, workerName: name, hostname,
    heartbeatIntervalMs: 200, logFolder: join(dir, 'logs'), dagCacheFolder: join(dir, 'dag-cache'), logger: silentLogger,
  });
  workers.push(worker);
  await worker.start();
  return worker;
}

async function stateOf(name: string): Promise<string | undefined> {
  const { rows } = await db.pool.query('SELECT state FROM worker WHERE worker_name = $1', [name]);
  return rows[0]?.state as string | undefined;
}

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'updraft-cli-drain-'));
  env = { UPDRAFT__DATABASE__URL: db.url };
  queue = createMemoryQueue();
  scheduler = await startScheduler({
    pool: db.pool, queue, listen: '127.0.0.1:0', token: TOKEN, watchDagsFolder: false,
    dagProcessor: { dagsFolder: dir }, engine: { heartbeatIntervalMs: 200 }, logger: createLogger({ name: 'test', level: 'silent' }),
  });
});

afterAll(async () => {
  for (const w of workers) await w.stop().catch(() => undefined);
  await scheduler?.stop();
  await queue?.close();
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('draining workers from the CLI', () => {
  it('drains by name and by hostname; the worker finishes and deregisters', async () => {
    const a = await startWorker('worker-a', 'host-a');
    const b = await startWorker('worker-b', 'host-b');
    expect([await stateOf('worker-a'), await stateOf('worker-b')]).toEqual(['online', 'online']);

    const list = await runCli(['workers', 'list'], { env });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^worker-a\s+host-a\s+online\s+default\s/m);
    expect(list.stdout).toMatch(/^worker-b\s+host-b\s+online\s+default\s/m);

    const drained = await runCli(['worker', 'drain', 'worker-a'], { env });
    expect(drained.stderr).toBe('');
    expect(drained.code).toBe(0);
    expect(drained.stdout).toMatch(/^worker worker-a on host-a is draining/);
    // The scheduler answers its next heartbeat with drain; it stops and deregisters.
    await a.stopped;
    expect(await stateOf('worker-a')).toBe('offline');
    expect(b.status().state).toBe('running');
    expect(await stateOf('worker-b')).toBe('online');

    const again = await runCli(['workers', 'drain', 'worker-a'], { env });
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('worker worker-a on host-a is already offline\n');

    const byHost = await runCli(['workers', 'drain', 'host-b'], { env });
    expect(byHost.stdout).toMatch(/^worker worker-b on host-b is draining/);
    await b.stopped;
    expect(await stateOf('worker-b')).toBe('offline');

    const json = JSON.parse((await runCli(['workers', 'list', '--all', '--output', 'json'], { env })).stdout) as Array<{ workerName: string; state: string }>;
    expect(json.map((w) => [w.workerName, w.state])).toEqual([['worker-a', 'offline'], ['worker-b', 'offline']]);
    // By default the list shows live workers only.
    expect(JSON.parse((await runCli(['workers', 'list', '--output', 'json'], { env })).stdout)).toEqual([]);
    expect((await runCli(['workers', 'list'], { env })).stdout).toBe('no live workers (`updraft workers list --all` shows offline ones too)\n');

    const unknown = await runCli(['worker', 'drain', 'nobody'], { env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no worker named 'nobody' or on host 'nobody'");
  });

  it('prunes workers offline longer than scheduler.worker_retention (7 days); recent offline ones stay', async () => {
    // worker-a and worker-b are offline (drained above); worker-a's last sign of life is 8 days old.
    await db.pool.query(`UPDATE worker SET last_heartbeat = now() - interval '8 days', registered_at = now() - interval '9 days' WHERE worker_name = 'worker-a'`);
    // A new scheduler prunes on its first supervision pass.
    await scheduler.stop();
    scheduler = await startScheduler({
      pool: db.pool, queue, listen: '127.0.0.1:0', token: TOKEN, watchDagsFolder: false,
      dagProcessor: { dagsFolder: dir }, engine: { heartbeatIntervalMs: 200 }, logger: createLogger({ name: 'test', level: 'silent' }),
    });
    const deadline = Date.now() + 60_000;
    while ((await stateOf('worker-a')) !== undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await stateOf('worker-a')).toBeUndefined();
    expect(await stateOf('worker-b')).toBe('offline');
    const all = await runCli(['workers', 'list', '--all'], { env });
    expect(all.stdout).not.toContain('worker-a');
    expect(all.stdout).toMatch(/^worker-b\s+host-b\s+offline\s/m);
  });

  it('keeps `updraft worker` itself a runner: its options still parse, drain is listed in its help', async () => {
    const help = await runCli(['worker', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--queues <list>');
    expect(help.stdout).toMatch(/drain <name_or_hostname>/);
    // The runner refuses to start without a token before touching anything: its action still runs.
    const run = await runCli(['worker', '--queues', 'a,b'], { env: { UPDRAFT__SECURITY__WORKER_TOKEN: '' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('security.worker_token is empty');
  });
});
