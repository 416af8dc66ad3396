/**
 * history: the chain-40 and throughput figures on an empty database, then again after 1,000,000
 * finished task instances (1,000 finished runs of 1,000 tasks, spread over the benchmark's own
 * three DAGs, with a try row each) were inserted with INSERT ... SELECT generate_series and the
 * database vacuumed and analysed (as db-clean and api seed theirs). One stack for both: a real
 * PostgreSQL and nats-server, the scheduler in this process, 2 `updraft worker` processes (the
 * chains run on them too, where chain-40 has one), started again before the second case so that
 * both begin with fresh runner processes. Prints the summary line of each case and
 * their ratio per figure. Target: history within 10% of empty.
 * BENCH_HISTORY_RUNS (default 1000) runs of 1,000 tasks.
 */
import type pg from 'pg';
import { CHAIN_DAG_SOURCE, measureChains, type ChainFigures } from './chain-40.js';
import { loadLine, restartWorkers, startBenchStack } from './_distributed.js';
import { measureThroughput, THROUGHPUT_DAG_SOURCE, THROUGHPUT_WORKERS, type ThroughputFigures } from './throughput.js';

const RUNS = Number(process.env.BENCH_HISTORY_RUNS ?? 1000);
const TASKS = 1000;
const DAGS = ['bench_chain_noop', 'bench_chain_sleep10', 'bench_throughput'];

type Figures = ChainFigures & ThroughputFigures;

async function addHistory(pool: pg.Pool): Promise<void> {
  // Round-robin over the measured DAGs: their own queries (active runs, latest run, ...) see the history.
  await pool.query(`INSERT INTO dag_run (dag_id, run_id, run_type, state, logical_date, start_date, end_date)
    SELECT ($1::text[])[1 + h % 3], 'scheduled__hist_' || h, 'scheduled', 'success', '2025-01-01'::timestamptz + h * interval '1 hour',
           '2025-01-01'::timestamptz + h * interval '1 hour', '2025-01-01'::timestamptz + h * interval '1 hour' + interval '5 minutes'
    FROM generate_series(0, ${RUNS - 1}) h`, [DAGS]);
  await pool.query(`INSERT INTO task_instance (dag_run_id, dag_id, run_id, task_id, state, try_number, operator, started_at, ended_at, duration_ms)
    SELECT r.id, r.dag_id, r.run_id, 'h' || t, 'success', 1, 'function', r.start_date, r.end_date, 300000
    FROM dag_run r CROSS JOIN generate_series(1, ${TASKS}) t WHERE r.run_id LIKE 'scheduled__hist_%'`);
  await pool.query(`INSERT INTO task_instance_try (dag_id, run_id, task_id, map_index, try_number, state, started_at, ended_at, duration_ms)
    SELECT dag_id, run_id, task_id, map_index, 1, 'success', started_at, ended_at, duration_ms FROM task_instance WHERE run_id LIKE 'scheduled__hist_%'`);
  // As after a nightly vacuum: no autovacuum of the new rows competes with the measurement.
  await pool.query('VACUUM ANALYZE');
}

const KEYS: Array<keyof Figures> = ['chain40_10ms_ms', 'chain40_noop_ms', 'hop_p50_ms', 'hop_p99_ms', 'tasks_per_s', 'cpu_ms_per_task'];
const line = (f: Figures): string => KEYS.map((k) => `${k}=${f[k].toFixed(k === 'tasks_per_s' ? 0 : k === 'cpu_ms_per_task' ? 2 : 1)}`).join(' ');

async function measure(b: Parameters<typeof measureChains>[0]): Promise<Figures> {
  return { ...(await measureChains(b)), ...(await measureThroughput(b)) };
}

export async function run(): Promise<void> {
  const b = await startBenchStack({ 'chains.ts': CHAIN_DAG_SOURCE, 'throughput.ts': THROUGHPUT_DAG_SOURCE }, THROUGHPUT_WORKERS);
  try {
    console.log(`PostgreSQL :${b.pg.port}, nats-server :${b.stack.nats.port}, scheduler in-process, 2 worker processes; ${loadLine()}`);
    console.log('\n--- empty database ---');
    const empty = await measure(b);
    const t0 = Date.now();
    await addHistory(b.stack.pool);
    console.log(`\n--- history: ${RUNS} runs, ${RUNS * TASKS} task instances and tries inserted, vacuumed and analysed in ${((Date.now() - t0) / 1000).toFixed(1)} s ---`);
    // Without it the second case's runners reach maxTasksPerRunner (10,000) and it alone pays for runner starts.
    await restartWorkers(b, THROUGHPUT_WORKERS);
    const history = await measure(b);
    console.log(`\n${loadLine()}`);
    console.log(`empty:   ${line(empty)}`);
    console.log(`history: ${line(history)}`);
    console.log(`ratio history/empty (target within 10%: 0.90-1.10; tasks_per_s higher is better, the rest lower): ` +
      KEYS.map((k) => `${k}=${(history[k] / empty[k]).toFixed(2)}`).join(' '));
  } finally {
    await b.stop();
  }
}
