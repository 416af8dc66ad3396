/**
 * monitor: the fleet monitor under load, in this process against a throwaway PostgreSQL. 50
 * simulated workers heartbeat every 2 s (their rows updated as the scheduler does); 100,000 tries
 * of 100 runs are written as fast as the database takes them while the monitor's task feed follows
 * them. Prints the events per second the feed sustained, the latency of GET /api/workers (p50, p99
 * over 300 requests, basic auth cached), and the RSS of the monitor process (its own process,
 * _monitor-process.mjs; the writer here is not counted) after the 100,000 tasks, with where it goes:
 * the monitor's own default process metrics on its /metrics (resident memory, V8 heap used and
 * total, external memory), at idle before the load and at the highest heap seen while following
 * the feed and at the end. Targets: RSS <= 150 MB, p99 <= 50 ms, >= 2,000 events/s.
 *
 * BENCH_MONITOR_WRITE says how the tries arrive. `burst` (default): the fastest arrival, every
 * statement in one transaction, so all 100,000 tries commit at once at one moment and the feed
 * finds them all waiting; the monitor's memory must stay bounded even then. `statements`: one
 * statement (1,000 tries) after another, each its own commit, as fast as the database takes them
 * (how fast depends on the machine's load).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { createPool, hashPassword, migrate, usersSql, workersSql } from '@updraft/core';
import { startPostgres } from '../harness/index.js';

/** Starts the monitor in its own process; resolves with its URL and pid. */
async function monitorProcess(databaseUrl: string): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./_monitor-process.mjs', import.meta.url)), databaseUrl], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^listening (\S+)/.exec(line);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the monitor process exited (${code}) before listening`)));
  });
  return { url, pid: child.pid!, stop: async () => { child.kill('SIGTERM'); await exited; } };
}

/** Resident memory of a process, MB: now (VmRSS) or its peak (VmHWM). */
const memMb = (pid: number, field: 'VmRSS' | 'VmHWM'): number => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** The monitor's memory as its /metrics reports it (prom-client's default process metrics), MB. */
interface MemoryFigures { rss: number; heapUsed: number; heapTotal: number; young: number; external: number }
const metricMb = (text: string, name: string): number => {
  const m = new RegExp(`^updraft_monitor_${name}(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(text);
  return m ? Number(m[1]) / 1024 / 1024 : NaN;
};
const memoryOf = (text: string): MemoryFigures => ({
  rss: metricMb(text, 'process_resident_memory_bytes'), heapUsed: metricMb(text, 'nodejs_heap_size_used_bytes'),
  heapTotal: metricMb(text, 'nodejs_heap_size_total_bytes'), young: metricMb(text, 'nodejs_heap_space_size_total_bytes\\{space="new"\\}'),
  external: metricMb(text, 'nodejs_external_memory_bytes'),
});
const memoryText = (m: MemoryFigures): string =>
  `rss ${m.rss.toFixed(0)}, heap used ${m.heapUsed.toFixed(0)} of ${m.heapTotal.toFixed(0)} (young generation ${m.young.toFixed(0)}), external ${m.external.toFixed(0)} MB`;

const WORKERS = 50;
const RUNS = 100;
const TASKS_PER_RUN = 1000;
const WRITE = process.env.BENCH_MONITOR_WRITE ?? 'burst';
if (WRITE !== 'burst' && WRITE !== 'statements') throw new Error(`BENCH_MONITOR_WRITE: ${JSON.stringify(WRITE)} is not burst or statements`);

export async function run(): Promise<void> {
  const pg = await startPostgres();
  const pool = createPool({ url: pg.url, max: 8 });
  const stops: Array<() => Promise<void>> = [() => pool.end(), () => pg.stop()];
  try {
    await migrate(pool);
    await usersSql.createUser(pool, { username: 'bench', role: 'Viewer', passwordHash: await hashPassword('bench-pw'), email: null, firstName: '', lastName: '' });
    for (let i = 0; i < WORKERS; i++) {
      await workersSql.upsertWorker(pool, `w-${i}`, { workerName: `bench-w${i}`, hostname: `host-${i % 10}`, queues: ['default'], concurrency: 8, version: '0.1.0', umask: '0022', uid: 1000, gid: 1000, pid: 1000 + i });
    }
    const beat = setInterval(() => {
      for (let i = 0; i < WORKERS; i++) void workersSql.recordHeartbeat(pool, { workerId: `w-${i}`, running: 2, freeSlots: 6, load1: 1, load5: 1, load15: 1, processed: 0, concurrency: 8 });
    }, 2000);
    stops.unshift(async () => clearInterval(beat));
    await pool.query(`INSERT INTO dag (dag_id, fileloc) VALUES ('bench', 'bench.ts')`);
    await pool.query(`INSERT INTO dag_run (dag_id, run_id, run_type, state, logical_date)
      SELECT 'bench', 'run_' || r, 'manual', 'running', '2024-01-01'::timestamptz + r * interval '1 hour' FROM generate_series(1, ${RUNS}) r`);

    const monitor = await monitorProcess(pg.url);
    stops.unshift(() => monitor.stop());
    await new Promise((r) => setTimeout(r, 2000));
    const rssAtStart = memMb(monitor.pid, 'VmRSS');
    const auth = `Basic ${Buffer.from('bench:bench-pw').toString('base64')}`;
    const memoryNow = async (): Promise<MemoryFigures> => memoryOf(await (await fetch(`${monitor.url}/metrics`)).text());
    const memoryIdle = await memoryNow();
    let memoryPeak = memoryIdle;
    const eventsSeen = async (): Promise<number> => {
      const text = await (await fetch(`${monitor.url}/metrics`)).text();
      const m = memoryOf(text);
      if (m.heapTotal > memoryPeak.heapTotal) memoryPeak = m;
      return [...text.matchAll(/^updraft_task_events_total\{[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
    };

    // 100,000 tries (queued, started, succeeded: 3 events each), 1,000 per statement.
    const started = Date.now();
    const writer = WRITE === 'burst' ? await pool.connect() : pool;
    if (WRITE === 'burst') await writer.query('BEGIN');
    for (let r = 1; r <= RUNS; r++) {
      await writer.query(`WITH ti AS (
          INSERT INTO task_instance (dag_run_id, dag_id, run_id, task_id, state, try_number, operator, queued_at, started_at, ended_at, duration_ms, worker_id)
          SELECT dr.id, 'bench', dr.run_id, 't' || t, 'success', 1, 'bash', now(), now(), now(), 5, 'w-' || (t % ${WORKERS})
          FROM dag_run dr, generate_series(1, ${TASKS_PER_RUN}) t WHERE dr.run_id = $1 RETURNING *)
        INSERT INTO task_instance_try (dag_id, run_id, task_id, map_index, try_number, state, queued_at, started_at, ended_at, duration_ms, worker_id, hostname)
        SELECT dag_id, run_id, task_id, map_index, 1, 'success', queued_at, started_at, ended_at, duration_ms, worker_id, 'host' FROM ti`, [`run_${r}`]);
    }
    if (WRITE === 'burst') {
      await writer.query('COMMIT');
      (writer as pg.PoolClient).release();
    }
    const written = Date.now();
    const expected = RUNS * TASKS_PER_RUN * 3;
    for (;;) {
      if ((await eventsSeen()) >= expected || Date.now() - written > 300_000) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const followed = Date.now();
    const seen = await eventsSeen();

    const latencies: number[] = [];
    for (let i = 0; i < 300; i++) {
      const t0 = performance.now();
      const res = await fetch(`${monitor.url}/api/workers`, { headers: { authorization: auth } });
      const body = (await res.json()) as { workers: unknown[] };
      latencies.push(performance.now() - t0);
      if (body.workers.length !== WORKERS) throw new Error(`expected ${WORKERS} workers, got ${body.workers.length}`);
    }
    latencies.sort((a, b) => a - b);
    const pct = (p: number): string => `${latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(1)} ms`;
    const rss = memMb(monitor.pid, 'VmRSS');
    const peak = memMb(monitor.pid, 'VmHWM');
    const memoryEnd = await memoryNow();
    process.stdout.write(
      `tasks written            ${RUNS * TASKS_PER_RUN} (${WRITE}) in ${((written - started) / 1000).toFixed(1)} s\n` +
      `task events followed     ${seen} of ${expected} in ${((followed - started) / 1000).toFixed(1)} s from the first write: ${Math.round(seen / ((followed - started) / 1000))} events/s (target >= 2000)\n` +
      `GET /api/workers (${WORKERS}) p50 ${pct(0.5)}, p99 ${pct(0.99)} (target p99 <= 50 ms)\n` +
      `RSS of the monitor process ${rss.toFixed(0)} MB, peak ${peak.toFixed(0)} MB, idle at start ${rssAtStart.toFixed(0)} MB (target <= 150 MB); this writer process ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB\n` +
      `monitor memory idle      ${memoryText(memoryIdle)}\n` +
      `monitor memory peak heap ${memoryText(memoryPeak)}\n` +
      `monitor memory at end    ${memoryText(memoryEnd)}\n`,
    );
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
  }
}
