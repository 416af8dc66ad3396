/**
 * Shared by the distributed benchmarks (chain-40, throughput): a throwaway PostgreSQL (with
 * pg_stat_statements, to count statements per task), a nats-server, the scheduler in this process
 * (startScheduler, as `updraft scheduler` wires it: JetStream queue, WorkerService over gRPC) and
 * real `updraft worker` child processes (test/e2e/stack.ts). Runs are triggered through the
 * engine and timed from the database and from timestamps the tasks return (XCom).
 */
import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJetStreamQueue, createLogger, createPool, migrate, type Queryable } from '@updraft/core';
import { type JetStreamQueue } from '@updraft/core/internal';
import { startScheduler, type RunningScheduler, type SchedulerEngineOptions } from '@updraft/scheduler';
import type pg from 'pg';
import { startPostgres, type PostgresServer } from '../harness/index.js';
import { startStack, type Stack, type WorkerSpec } from '../e2e/stack.js';
import type { UpdraftProcess } from '../e2e/processes.js';
import { cpuSnapshot, pidsMatching, type Components } from './_cpu.js';
import { profileArgs, profileSummary } from './_profile.js';

/**
 * BENCH_PG_EXPLAIN_MS=N: PostgreSQL logs the plan (EXPLAIN ANALYZE) of every statement slower than
 * N ms, and the server log is copied to the working directory as bench-postgres.log at the end.
 * With BENCH_PG_EXPLAIN_TIMING=off the plans carry rows and buffers but no node timings.
 */
const EXPLAIN_MS = process.env.BENCH_PG_EXPLAIN_MS;

function pgSettings(): Record<string, string> {
  // BENCH_VERBOSE lists statements with how often each was planned (a statement planned at every call
  // pays the planner each time); counting that costs a little, so only then.
  const planning: Record<string, string> = process.env.BENCH_VERBOSE ? { 'pg_stat_statements.track_planning': 'on' } : {};
  if (EXPLAIN_MS === undefined) return { shared_preload_libraries: 'pg_stat_statements', ...planning };
  return {
    ...planning,
    shared_preload_libraries: 'pg_stat_statements,auto_explain',
    'auto_explain.log_min_duration': EXPLAIN_MS,
    'auto_explain.log_analyze': 'on',
    'auto_explain.log_buffers': 'on',
    'auto_explain.log_nested_statements': 'on',
    // Timing every plan node costs more than many of the nodes themselves: the buffers and row counts stay.
    ...(process.env.BENCH_PG_EXPLAIN_TIMING === 'off' ? { 'auto_explain.log_timing': 'off' } : {}),
  };
}

function keepExplainLog(server: PostgresServer): void {
  if (EXPLAIN_MS === undefined) return;
  copyFileSync(server.logFile, 'bench-postgres.log');
  console.log(`  PostgreSQL log with plans of statements over ${EXPLAIN_MS} ms: bench-postgres.log`);
}

export interface BenchStack {
  stack: Stack;
  scheduler: RunningScheduler;
  /** The scheduler's JetStream queue (publisher). */
  queue: JetStreamQueue;
  /** The scheduler's pool (for the benchmark's own reads use `stack.pool`). */
  pg: PostgresServer;
  stop(): Promise<void>;
}

/** Starts everything; `dags` maps file names to DAG file sources. */
export async function startBenchStack(
  dags: Record<string, string>,
  workers: WorkerSpec[],
  engine: Omit<SchedulerEngineOptions, 'pool' | 'publisher' | 'logger'> = {},
): Promise<BenchStack> {
  const srcDir = mkdtempSync(join(tmpdir(), 'updraft-bench-src-'));
  mkdirSync(srcDir, { recursive: true });
  const files = Object.entries(dags).map(([name, source]) => {
    const file = join(srcDir, name);
    writeFileSync(file, source);
    return file;
  });
  const server = await startPostgres({ settings: { ...pgSettings(), synchronous_commit: 'off' } });
  let scheduler: RunningScheduler | undefined;
  let queue: JetStreamQueue | undefined;
  let schedulerPool: pg.Pool | undefined;
  try {
    const setup = createPool({ url: server.url, max: 1 });
    await migrate(setup);
    await setup.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await setup.end();
    const logger = createLogger({ name: 'scheduler', level: (process.env.BENCH_LOG_LEVEL as 'info' | undefined) ?? 'warn' });
    const stack = await startStack({
      databaseUrl: server.url,
      dagFiles: files,
      workers: workers.map((w) => ({ ...w, ...profileArgs() })),
      inProcessScheduler: async (w) => {
        schedulerPool = createPool({ url: w.databaseUrl, max: 10, applicationName: 'updraft-scheduler' });
        const q = await createJetStreamQueue({ url: w.natsUrl, name: 'updraft-scheduler', logger });
        queue = q;
        scheduler = await startScheduler({
          pool: schedulerPool,
          queue: q,
          listen: w.grpcListen,
          token: w.token,
          dagProcessor: { dagsFolder: w.dagsFolder },
          watchDagsFolder: false,
          engine,
          logger,
        });
        const s = scheduler;
        return {
          stop: async () => {
            await s.stop();
            await q.close();
            await schedulerPool?.end();
          },
        };
      },
    });
    return {
      stack,
      scheduler: scheduler!,
      queue: queue!,
      pg: server,
      stop: async () => {
        await stack.stop();
        keepExplainLog(server);
        for (const line of profileSummary()) console.log(`  ${line}`);
        await server.stop();
        rmSync(srcDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await server.stop();
    rmSync(srcDir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * The stack's processes by component, for CPU accounting: the scheduler (this process's own time:
 * its children are the servers and workers), the worker processes, their runner and task
 * processes, PostgreSQL (postmaster and backends), nats-server.
 */
export function components(b: BenchStack): Components {
  const postmaster = Number(readFileSync(join(b.pg.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  return {
    scheduler: { own: [process.pid] },
    workers: { own: live(b).map((w) => w.pid) },
    runners: { descendants: live(b).map((w) => w.pid) },
    postgres: { tree: [postmaster] },
    nats: { tree: pidsMatching(`-p ${b.stack.nats.port}`) },
  };
}

const live = (b: BenchStack): UpdraftProcess[] => b.stack.workers.filter((w) => !w.hasExited());

/**
 * Stops the stack's worker processes (SIGTERM: they finish and deregister) and starts `workers` in
 * their place, with fresh runner processes: a runner is replaced after `maxTasksPerRunner` tasks,
 * so a measurement that follows many others on the same workers would also pay for runner starts.
 */
export async function restartWorkers(b: BenchStack, workers: WorkerSpec[]): Promise<void> {
  await Promise.all(live(b).map((w) => w.stop('SIGTERM', 30_000)));
  for (const w of workers) await b.stack.startWorker({ ...w, ...profileArgs() });
}

export { cpuSnapshot };

/** Load of the machine (other sessions' work skews wall-clock figures; CPU per task much less). */
export const loadLine = (): string => `load average ${loadavg().map((n) => n.toFixed(1)).join(' ')} on ${cpus().length} CPUs`;

/**
 * What creating a file costs in the temporary folder now (every try creates its log file). On a
 * journal-less ext4 the kernel skips inodes deleted in the last minutes one by one when it
 * allocates a new one, so right after a run that removed thousands of files (an earlier bench's
 * clean-up) each create can cost ten times more: this line shows when a figure paid for that.
 */
export function fileCreateLine(files = 200): string {
  const dir = mkdtempSync(join(tmpdir(), 'updraft-bench-create-'));
  try {
    const before = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < files; i++) closeSync(openSync(join(dir, `f${i}.log`), 'wx'));
    const sys = process.cpuUsage(before).system / files;
    return `creating a file here costs ${sys.toFixed(0)} us of system time now (${((performance.now() - t0) * 1000 / files).toFixed(0)} us wall, ${files} files)`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What one PostgreSQL round trip (a prepared `SELECT 1`, on a connection of `pool`) costs here now,
 * back to back and after 10 ms idle. On a virtual machine whose CPUs halt when idle, each process a
 * hop wakes (runner, worker, scheduler, PostgreSQL) pays about half the difference again: the
 * floor under the hop figures, whatever the code does.
 */
export async function roundTripLine(pool: pg.Pool): Promise<string> {
  const client = await pool.connect();
  try {
    const timed = async (idleMs: number, n: number): Promise<number> => {
      const ms: number[] = [];
      for (let i = 0; i < n; i++) {
        if (idleMs > 0) await sleep(idleMs);
        const t0 = performance.now();
        await client.query({ name: 'bench_round_trip', text: '/* bench */ SELECT 1' });
        ms.push(performance.now() - t0);
      }
      return percentile(ms, 50);
    };
    await timed(0, 20);
    const busy = await timed(0, 200);
    const idle = await timed(10, 50);
    return `a PostgreSQL round trip here costs p50 ${fmtMs(busy)} back to back, ${fmtMs(idle)} after 10 ms idle (the CPUs' wake-up, paid on every hop)`;
  } finally {
    client.release();
  }
}

/** Tries that did not succeed, grouped by error ("12 x the task's process exited with code 143 ..."). */
export function failureSummary(tries: TryTimes[]): string[] {
  const counts = new Map<string, number>();
  for (const t of tries) {
    if (t.state === 'success') continue;
    const reason = `${t.state}: ${(t.error ?? '').replace(/\d{3,}/g, 'N')}`;
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([reason, n]) => `${n} x ${reason}`);
}

/** Warnings and errors the worker processes logged, counted by message. */
export function workerWarnings(b: BenchStack): string[] {
  const counts = new Map<string, number>();
  for (const w of b.stack.workers) {
    for (const line of w.output().split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        const entry = JSON.parse(line) as { level?: number; msg?: string };
        if ((entry.level ?? 0) >= 40) counts.set(`${w.name}: ${entry.msg}`, (counts.get(`${w.name}: ${entry.msg}`) ?? 0) + 1);
      } catch {
        // not a log line
      }
    }
  }
  return [...counts].map(([msg, n]) => `${n} x ${msg}`);
}

export interface TryTimes {
  taskId: string;
  state: string;
  queuedAt: number;
  startedAt: number;
  endedAt: number;
  /** Set by function tasks that return `{ s, e }` (epoch ms with sub-ms precision, worker side). */
  bodyStart?: number;
  bodyEnd?: number;
  /** pid of the process that ran the task body (function tasks returning `{ p }`). */
  runnerPid?: number;
  error: string | null;
}

export interface RunTimes {
  runId: string;
  state: string;
  /** dag_run.start_date .. end_date (database clock), ms. */
  startDate: number;
  endDate: number;
  /** Trigger call to the end being seen by this process, ms (includes up to one poll interval). */
  wallMs: number;
  tries: TryTimes[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits for a DAG run to end, polling its state; the final state, or the last one seen after `timeoutMs`. */
export async function waitForRun(pool: Queryable, dagRunId: string, timeoutMs = 600_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let state = '';
  while (Date.now() < deadline) {
    const { rows } = await pool.query<{ state: string }>('/* bench */ SELECT state FROM dag_run WHERE id = $1', [dagRunId]);
    state = rows[0]?.state ?? '';
    if (state === 'success' || state === 'failed') break;
    await sleep(20);
  }
  return state;
}

/** BENCH_WARMUP: tasks of the warm-up run the mapping and fanout benches make first (0 = none, a cold stack). */
export const WARMUP_TASKS = Number(process.env.BENCH_WARMUP ?? 3000);

/**
 * Triggers a manual run of `dagId` through the engine, waits for its end and reads its tries. `onEnded` is called as soon as
 * the run ended, before the tries are read: a CPU snapshot taken there leaves out the reading
 * (a join over every try of a 10,000-task run costs PostgreSQL as much as a share of the run).
 */
export async function runOnce(b: BenchStack, dagId: string, timeoutMs = 600_000, onEnded?: () => void): Promise<RunTimes> {
  const t0 = performance.now();
  const created = await b.scheduler.engine.triggerDagRun({ dagId });
  const pool = b.stack.pool;
  const state = await waitForRun(pool, created.dagRunId, timeoutMs);
  const wallMs = performance.now() - t0;
  if (state !== 'success' && state !== 'failed') throw new Error(`run ${dagId}/${created.runId} did not end within ${timeoutMs} ms`);
  onEnded?.();
  // Epoch milliseconds as floats: the database keeps microseconds, a JS Date only milliseconds.
  const { rows: [run] } = await pool.query<{ start_ms: number; end_ms: number }>(
    `/* bench */ SELECT extract(epoch FROM start_date) * 1000 AS start_ms, extract(epoch FROM end_date) * 1000 AS end_ms
       FROM dag_run WHERE id = $1`,
    [created.dagRunId],
  );
  const { rows: tries } = await pool.query<{ task_id: string; map_index: number; state: string; q: number; s: number; e: number; error: string | null }>(
    `/* bench */ SELECT t.task_id, t.map_index, t.state, t.error, extract(epoch FROM t.queued_at) * 1000 AS q,
            extract(epoch FROM t.started_at) * 1000 AS s, extract(epoch FROM t.ended_at) * 1000 AS e
       FROM task_instance_try t WHERE t.dag_id = $1 AND t.run_id = $2`,
    [dagId, created.runId],
  );
  // Read apart and joined here: joined in SQL right after a run, with statistics from before it, the
  // plan walked every return value of the run once per try (12,500,000 rows for 5,000 tasks, 3 s).
  const { rows: values } = await pool.query<{ task_id: string; map_index: number; value: { s?: number; e?: number; p?: number } | null }>(
    `/* bench */ SELECT task_id, map_index, value FROM xcom WHERE dag_id = $1 AND run_id = $2 AND key = 'return_value'`,
    [dagId, created.runId],
  );
  const valueOf = new Map(values.map((v) => [`${v.task_id}\0${v.map_index}`, v.value]));
  const rows = tries.map((t) => ({ ...t, value: valueOf.get(`${t.task_id}\0${t.map_index}`) ?? null }));
  return {
    runId: created.runId,
    state,
    startDate: Number(run!.start_ms),
    endDate: Number(run!.end_ms),
    wallMs,
    tries: rows.map((r) => ({
      taskId: r.task_id,
      state: r.state,
      error: r.error,
      queuedAt: Number(r.q),
      startedAt: Number(r.s),
      endedAt: Number(r.e),
      ...(typeof r.value?.s === 'number' ? { bodyStart: r.value.s } : {}),
      ...(typeof r.value?.e === 'number' ? { bodyEnd: r.value.e } : {}),
      ...(typeof r.value?.p === 'number' ? { runnerPid: r.value.p } : {}),
    })),
  };
}

/** Statements executed since the last reset (the benchmark's own, marked `/* bench *\/`, left out), and their total time. */
export async function statementStats(pool: pg.Pool): Promise<{ calls: number; ms: number; top: Array<{ calls: number; plans: number; ms: number; query: string }> }> {
  const { rows } = await pool.query<{ calls: string; plans: string; ms: number; query: string }>(
    `SELECT calls::text, plans::text, total_exec_time AS ms, query FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
      WHERE d.datname = current_database() AND query NOT ILIKE '%pg_stat_statements%' AND query NOT LIKE '/* bench */%'
      ORDER BY s.calls DESC`,
  );
  const top = rows.map((r) => ({ calls: Number(r.calls), plans: Number(r.plans), ms: r.ms, query: r.query.replace(/\s+/g, ' ').slice(0, 110) }));
  return { calls: top.reduce((n, r) => n + r.calls, 0), ms: top.reduce((n, r) => n + r.ms, 0), top };
}

/** Lines for the statements that took most time (calls, total time, the statement's start). */
export function slowestStatements(stats: { top: Array<{ calls: number; ms: number; query: string }> }, n = 6): string[] {
  return [...stats.top].sort((x, y) => y.ms - x.ms).slice(0, n)
    .map((s) => `${fmtMs(s.ms).padStart(10)} ${String(s.calls).padStart(7)}x  ${s.query}`);
}

export async function resetStatementStats(pool: pg.Pool): Promise<void> {
  await pool.query('SELECT pg_stat_statements_reset()');
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export const fmtMs = (n: number): string => `${n.toFixed(n < 10 ? 2 : 1)} ms`;
