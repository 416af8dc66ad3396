/**
 * api: the REST API's read latency, in this process against a throwaway PostgreSQL. 1,000 DAGs
 * and one run of 1,000 tasks are inserted directly; then GET /api/v1/dags?limit=100 and the task
 * instances of that run (GET .../dagRuns/{run}/taskInstances?limit=100) are timed: p50 and p99 of
 * 300 sequential requests each, and requests per second with 8 concurrent clients over both.
 * Then 1,000,000 historical task instances (1,000 finished hourly runs of 1,000 tasks of the DAG
 * whose run is listed: a busy DAG's history) are added with one INSERT ... SELECT generate_series, the tables vacuumed and analysed, and the same
 * figures taken again. Prints one summary line per case:
 *   api_dags_p50_ms=… api_dags_p99_ms=… api_tis_p50_ms=… api_tis_p99_ms=… rps=…
 */
import { apiTokensSql, createPool, hashPassword, migrate, newApiToken, usersSql, type Queryable } from '@updraft/core';
import { startWebserver, type RunningWebserver } from '@updraft/webserver';
import { startPostgres } from '../harness/index.js';

const DAGS = 1000;
const TASKS = 1000;
const HISTORY_RUNS = 1000;
const SEQUENTIAL = 300;
const CONCURRENT_CLIENTS = 8;
const CONCURRENT_REQUESTS = 800;

const DAG = 'bench_dag_0000';
const RUN = 'bench_run';

async function seed(db: Queryable): Promise<void> {
  await db.query(`INSERT INTO dag (dag_id, fileloc, schedule, tags, description, next_dagrun, next_dagrun_create_after)
    SELECT 'bench_dag_' || lpad(d::text, 4, '0'), 'dags/bench_' || d || '.ts', '@daily', ARRAY['bench', 'group_' || (d % 10)],
           'bench DAG ' || d, '2026-01-02', '2026-01-03'
    FROM generate_series(0, ${DAGS - 1}) d`);
  await db.query(`INSERT INTO dag_run (dag_id, run_id, run_type, state, logical_date, start_date)
    VALUES ('${DAG}', '${RUN}', 'manual', 'running', '2026-06-01', now())`);
  await db.query(`INSERT INTO task_instance (dag_run_id, dag_id, run_id, task_id, state, try_number, operator, started_at, ended_at, duration_ms)
    SELECT r.id, r.dag_id, r.run_id, 'task_' || lpad(t::text, 4, '0'), CASE WHEN t % 3 = 0 THEN 'running' ELSE 'success' END, 1, 'bash', now(), now(), 5
    FROM dag_run r, generate_series(0, ${TASKS - 1}) t WHERE r.dag_id = '${DAG}' AND r.run_id = '${RUN}'`);
}

async function addHistory(db: Queryable): Promise<void> {
  await db.query(`INSERT INTO dag_run (dag_id, run_id, run_type, state, logical_date, start_date, end_date)
    SELECT '${DAG}', 'scheduled__hist_' || h, 'scheduled', 'success',
           '2025-01-01'::timestamptz + h * interval '1 hour', '2025-01-01'::timestamptz + h * interval '1 hour', '2025-01-01'::timestamptz + h * interval '1 hour' + interval '5 minutes'
    FROM generate_series(0, ${HISTORY_RUNS - 1}) h`);
  await db.query(`INSERT INTO task_instance (dag_run_id, dag_id, run_id, task_id, state, try_number, operator, started_at, ended_at, duration_ms)
    SELECT r.id, r.dag_id, r.run_id, 'task_' || lpad(t::text, 4, '0'), 'success', 1, 'bash', r.start_date, r.end_date, 300000
    FROM dag_run r CROSS JOIN generate_series(0, ${TASKS - 1}) t WHERE r.run_id LIKE 'scheduled__hist_%'`);
  // As after a nightly vacuum: the visibility map set and the statistics fresh, so no autovacuum of
  // the million new rows competes with the measurement for the machine's cores.
  await db.query('VACUUM ANALYZE');
}

interface Figures { dagsP50: number; dagsP99: number; tisP50: number; tisP99: number; rps: number }

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

async function measure(web: RunningWebserver, auth: string): Promise<Figures> {
  const dagsUrl = `${web.url}/api/v1/dags?limit=100`;
  const tisUrl = `${web.url}/api/v1/dags/${DAG}/dagRuns/${RUN}/taskInstances?limit=100`;
  const get = async (url: string, check: (body: { total_entries: number }) => boolean): Promise<number> => {
    const t0 = performance.now();
    const res = await fetch(url, { headers: { authorization: auth } });
    const body = (await res.json()) as { total_entries: number };
    const ms = performance.now() - t0;
    if (res.status !== 200 || !check(body)) throw new Error(`GET ${url}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    return ms;
  };
  const dagsOk = (b: { total_entries: number }) => b.total_entries === DAGS;
  const tisOk = (b: { total_entries: number }) => b.total_entries === TASKS;
  // Warm up: prepared statements, plans, the JIT of this process.
  for (let i = 0; i < 20; i++) {
    await get(dagsUrl, dagsOk);
    await get(tisUrl, tisOk);
  }
  const dags: number[] = [];
  const tis: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) dags.push(await get(dagsUrl, dagsOk));
  for (let i = 0; i < SEQUENTIAL; i++) tis.push(await get(tisUrl, tisOk));
  dags.sort((a, b) => a - b);
  tis.sort((a, b) => a - b);

  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENT_CLIENTS }, async () => {
    for (let i = next++; i < CONCURRENT_REQUESTS; i = next++) await (i % 2 === 0 ? get(dagsUrl, dagsOk) : get(tisUrl, tisOk));
  }));
  const rps = CONCURRENT_REQUESTS / ((performance.now() - started) / 1000);
  return { dagsP50: pct(dags, 0.5), dagsP99: pct(dags, 0.99), tisP50: pct(tis, 0.5), tisP99: pct(tis, 0.99), rps };
}

const line = (label: string, f: Figures): string =>
  `${label.padEnd(28)} api_dags_p50_ms=${f.dagsP50.toFixed(1)} api_dags_p99_ms=${f.dagsP99.toFixed(1)} api_tis_p50_ms=${f.tisP50.toFixed(1)} api_tis_p99_ms=${f.tisP99.toFixed(1)} rps=${f.rps.toFixed(0)}\n`;

export async function run(): Promise<void> {
  const pg = await startPostgres();
  const pool = createPool({ url: pg.url, max: 8 });
  const stops: Array<() => Promise<void>> = [() => pool.end(), () => pg.stop()];
  try {
    await migrate(pool);
    await usersSql.createUser(pool, { username: 'bench', role: 'Viewer', passwordHash: await hashPassword('bench-pw'), email: null, firstName: '', lastName: '' });
    const token = newApiToken();
    await apiTokensSql.createApiToken(pool, { username: 'bench', name: 'bench', tokenHash: token.hash, expiresAt: null });
    const auth = `Bearer ${token.token}`;
    await seed(pool);
    await pool.query('ANALYZE');
    const web = await startWebserver({ listen: '127.0.0.1:0', db: pool });
    stops.unshift(() => web.close());

    const fresh = await measure(web, auth);
    process.stdout.write(line(`${DAGS} DAGs, no history`, fresh));
    const t0 = Date.now();
    await addHistory(pool);
    process.stdout.write(`history: ${HISTORY_RUNS} runs, ${HISTORY_RUNS * TASKS} task instances inserted, vacuumed and analysed in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    const history = await measure(web, auth);
    process.stdout.write(line(`with ${HISTORY_RUNS * TASKS} task instances`, history));
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
  }
}
