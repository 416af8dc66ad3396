/**
 * The REST API's contract over real HTTP against a migrated database holding the example DAGs:
 * public routes, authentication, RFC 7807 problem documents naming the field at fault, 404/405/413,
 * HEAD, security headers, and the read and trigger routes of DAGs, runs and task instances with
 * Airflow's field names.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DagProcessor } from '@updraft/core';
import type { RunningWebserver } from '@updraft/webserver';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';
import { call, createRoleUsers, startApi } from './api-support.js';

const EXAMPLES = fileURLToPath(new URL('../../dags', import.meta.url));
let db: TestDatabase;
let web: RunningWebserver;

beforeAll(async () => {
  db = await createTestDatabase();
  const processor = new DagProcessor(db.pool, { dagsFolder: EXAMPLES });
  try {
    await processor.processDagsFolder();
  } finally {
    await processor.close();
  }
  await createRoleUsers(db.pool);
  web = await startApi({ db: db.pool, bodyLimit: 64 * 1024 });
});

afterAll(async () => {
  await web?.close();
  await db?.drop();
});

function expectProblem(r: { status: number; headers: Headers; json: Record<string, unknown> }, status: number, field?: string): void {
  expect(r.status, JSON.stringify(r.json)).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(r.json).toMatchObject({ type: 'about:blank', status, title: expect.any(String), detail: expect.any(String) });
  if (field !== undefined) expect(r.json.field).toBe(field);
}

describe('public routes and authentication', () => {
  it('answers health and version without credentials, GET and HEAD', async () => {
    for (const path of ['/health', '/api/v1/health']) {
      const r = await call(web, path, { as: null });
      expect(r.status).toBe(200);
      // No scheduler runs against this database: healthy all the same (the answer follows the database), and it says so.
      expect(r.json).toEqual({ status: 'healthy', metadatabase: { status: 'healthy' }, scheduler: { status: 'unhealthy', latest_scheduler_heartbeat: null } });
      const head = await call(web, path, { as: null, method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.text).toBe('');
    }
    const v = await call(web, '/api/v1/version', { as: null });
    expect(v.status).toBe(200);
    expect(v.json.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('refuses every other route without credentials (401 + WWW-Authenticate) or with a wrong password', async () => {
    const r = await call(web, '/api/v1/dags', { as: null });
    expectProblem(r, 401);
    expect(r.headers.get('www-authenticate')).toMatch(/^Basic realm="Updraft"/);
    const wrong = await call(web, '/api/v1/dags', { as: null, headers: { authorization: `Basic ${Buffer.from('ada:nope').toString('base64')}` } });
    expectProblem(wrong, 401);
    const garbage = await call(web, '/api/v1/dags', { as: null, headers: { authorization: 'Basic ###' } });
    expectProblem(garbage, 401);
  });

  it('sets the security headers on every answer', async () => {
    for (const path of ['/health', '/api/v1/dags', '/nope']) {
      const r = await call(web, path);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
  });

  it('serves the OpenAPI document and the interactive docs', async () => {
    const doc = await call(web, '/api/docs/json', { as: null });
    expect(doc.status).toBe(200);
    expect(doc.json.openapi).toBe('3.1.0');
    expect(Object.keys(doc.json.paths)).toContain('/api/v1/dags/{dag_id}/dagRuns');
    const ui = await call(web, '/api/docs/', { as: null });
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
  });
});

describe('bad requests', () => {
  it('404 for an unknown path, 405 with Allow for a wrong method', async () => {
    expectProblem(await call(web, '/api/v1/nope'), 404);
    const r = await call(web, '/api/v1/dags/hello_world/dagRuns', { method: 'DELETE' });
    expectProblem(r, 405);
    expect(r.headers.get('allow')).toBe('GET, HEAD, POST');
    const put = await call(web, '/api/v1/version', { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD');
  });

  it('400 naming the parameter for ids the grammar refuses, never a 500', async () => {
    expectProblem(await call(web, '/api/v1/dags/bad%00id'), 400, 'path.dag_id');
    expectProblem(await call(web, '/api/v1/dags/hello_world/dagRuns/a%2Fb'), 400, 'path.dag_run_id');
    expectProblem(await call(web, `/api/v1/dags/${'x'.repeat(300)}`), 400, 'path.dag_id');
    expectProblem(await call(web, '/api/v1/dags/%E0%A4%A'), 400);
    expectProblem(await call(web, '/api/v1/dags/hello_world/dagRuns/r1/taskInstances/print_hello/logs/0'), 400, 'path.task_try_number');
  });

  it('400 naming the query parameter: limit above the maximum, bad dates, unknown order_by, bad state', async () => {
    expectProblem(await call(web, '/api/v1/dags?limit=100000'), 400, 'query.limit');
    expectProblem(await call(web, '/api/v1/dags?limit=abc'), 400, 'query.limit');
    expectProblem(await call(web, '/api/v1/dags?order_by=password'), 400, 'query.order_by');
    expectProblem(await call(web, '/api/v1/dags/~/dagRuns?start_date_gte=yesterday'), 400, 'query.start_date_gte');
    expectProblem(await call(web, '/api/v1/dags/~/dagRuns?state=sleeping'), 400);
  });

  it('400 for bad JSON, unknown fields and wrong types; 413 for a body above the limit', async () => {
    const path = '/api/v1/dags/hello_world/dagRuns';
    expectProblem(await call(web, path, { method: 'POST', rawBody: '{"conf":' }), 400, 'body');
    expectProblem(await call(web, path, { method: 'POST', body: { conf: {}, color: 'red' } }), 400, 'body.color');
    expectProblem(await call(web, path, { method: 'POST', body: { conf: [1, 2] } }), 400, 'body.conf');
    expectProblem(await call(web, path, { method: 'POST', body: { logical_date: 'soon' } }), 400, 'body.logical_date');
    expectProblem(await call(web, path, { method: 'POST', body: { dag_run_id: 'a b' } }), 400, 'body.dag_run_id');
    expectProblem(await call(web, path, { method: 'POST', body: { conf: { blob: 'x'.repeat(100_000) } } }), 413, 'body');
    // A NUL inside conf (which PostgreSQL cannot store) or a note: a 400 naming the field, without the database's text.
    const nul = await call(web, path, { method: 'POST', body: { conf: { a: 'x\u0000y' }, dag_run_id: 'nul_conf' } });
    expectProblem(nul, 400, 'body.conf');
    expect(nul.json.detail).toContain('contains a NUL character');
    expect(nul.text).not.toMatch(/unsupported Unicode|invalid input syntax|SQLSTATE/i);
    const nulKey = await call(web, path, { method: 'POST', body: { conf: { 'k\u0000': 1 }, dag_run_id: 'nul_key' } });
    expectProblem(nulKey, 400, 'body.conf');
    const surrogate = await call(web, path, { method: 'POST', rawBody: '{"conf":{"a":"\\ud800"},"dag_run_id":"lone_surrogate"}' });
    expectProblem(surrogate, 400, 'body.conf');
    expect(surrogate.json.detail).toContain('unpaired UTF-16 surrogate');
    const nulNote = await call(web, path, { method: 'POST', body: { note: 'n\u0000', dag_run_id: 'nul_note' } });
    expectProblem(nulNote, 400, 'body.note');
    expect(nulNote.json.detail).toContain('contains a NUL character');
  });
});

describe('DAGs', () => {
  it('lists DAGs with Airflow\'s fields, filters and pagination', async () => {
    const r = await call(web, '/api/v1/dags');
    expect(r.status).toBe(200);
    expect(r.json.total_entries).toBe(10);
    expect(r.json.dags.map((d: { dag_id: string }) => d.dag_id)).toEqual([
      'branching', 'etl_daily', 'fan_out', 'hello_world', 'mapped_files', 'orders_report', 'provider_example', 'start_end', 'task_groups', 'xcom_handoff',
    ]);
    const hello = r.json.dags.find((d: { dag_id: string }) => d.dag_id === 'hello_world');
    expect(hello).toMatchObject({
      dag_id: 'hello_world', is_paused: true, is_active: true, fileloc: 'hello_world.ts', owners: ['updraft'],
      description: 'Prints hello, then goodbye.', schedule_interval: { __type: 'CronExpression', value: '0 2 * * *' },
      tags: [{ name: 'example' }], has_import_errors: false, has_task_concurrency_limits: false, file_token: expect.any(String),
    });
    // A task with a per-DAG or per-run limit of its instances (count_lines: maxActiveTisPerDagrun).
    expect(r.json.dags.find((d: { dag_id: string }) => d.dag_id === 'mapped_files').has_task_concurrency_limits).toBe(true);
    const page = await call(web, '/api/v1/dags?limit=2&offset=1&order_by=-dag_id');
    expect(page.json.dags.map((d: { dag_id: string }) => d.dag_id)).toEqual(['task_groups', 'start_end']);
    expect(page.json.total_entries).toBe(10);
    const pattern = await call(web, '/api/v1/dags?dag_id_pattern=HELLO');
    expect(pattern.json.dags.map((d: { dag_id: string }) => d.dag_id)).toEqual(['hello_world']);
    const tagged = await call(web, '/api/v1/dags?tags=example&tags=nothing');
    expect(tagged.json.total_entries).toBeGreaterThan(0);
    // The examples load paused.
    const paused = await call(web, '/api/v1/dags?paused=true');
    expect(paused.json.total_entries).toBe(10);
    const unpaused = await call(web, '/api/v1/dags?paused=false');
    expect(unpaused.json).toEqual({ dags: [], total_entries: 0 });
  });

  it('gets one DAG, its details and its tasks; 404 names the DAG', async () => {
    const d = await call(web, '/api/v1/dags/hello_world');
    expect(d.json.dag_id).toBe('hello_world');
    const details = await call(web, '/api/v1/dags/hello_world/details');
    expect(details.json).toMatchObject({ dag_id: 'hello_world', catchup: expect.any(Boolean), timezone: 'UTC', start_date: '2024-01-01T00:00:00.000Z' });
    const tasks = await call(web, '/api/v1/dags/hello_world/tasks');
    expect(tasks.json.total_entries).toBe(2);
    expect(tasks.json.tasks[0]).toMatchObject({ task_id: 'print_hello', downstream_task_ids: ['print_goodbye'], pool: 'default_pool', retries: 0, is_mapped: false });
    // What each task is, not a constant: a mapped task says so.
    const mapped = await call(web, '/api/v1/dags/mapped_files/tasks');
    expect(Object.fromEntries(mapped.json.tasks.map((t: { task_id: string; is_mapped: boolean }) => [t.task_id, t.is_mapped]))).toEqual({
      list_files: false, count_lines: true, report: false, notify: true,
    });
    const missing = await call(web, '/api/v1/dags/nope');
    expectProblem(missing, 404, 'path.dag_id');
    expect(missing.json.detail).toContain("'nope'");
  });

  it('shows as next run the one unpausing creates, not a plan that came due long ago (no catchup)', async () => {
    await db.pool.query(`UPDATE dag SET next_dagrun = '2024-02-01T02:00:00Z', next_dagrun_interval_start = '2024-02-01T02:00:00Z',
      next_dagrun_interval_end = '2024-02-02T02:00:00Z', next_dagrun_create_after = '2024-02-02T02:00:00Z' WHERE dag_id = 'hello_world'`);
    // The latest complete interval of '0 2 * * *' ends at the latest 02:00 UTC (computed on both sides of the call).
    const latestEnd = (): string => {
      const now = new Date();
      const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 2));
      if (end > now) end.setUTCDate(end.getUTCDate() - 1);
      return end.toISOString();
    };
    const before = latestEnd();
    const one = await call(web, '/api/v1/dags/hello_world');
    const list = await call(web, '/api/v1/dags?dag_id_pattern=hello_world');
    const ends = [before, latestEnd()];
    for (const d of [one.json, list.json.dags[0]]) {
      expect(ends).toContain(d.next_dagrun_create_after);
      expect(d.next_dagrun_data_interval_end).toBe(d.next_dagrun_create_after);
      expect(new Date(d.next_dagrun).getTime()).toBe(new Date(d.next_dagrun_create_after).getTime() - 86_400_000);
    }
    await db.pool.query(`UPDATE dag SET next_dagrun = NULL, next_dagrun_interval_start = NULL, next_dagrun_interval_end = NULL,
      next_dagrun_create_after = NULL WHERE dag_id = 'hello_world'`);
  });

  it('orders by the next run it shows: a paused DAG\'s plan that came due long ago sorts by the run unpausing creates', async () => {
    const saved = await db.pool.query(`SELECT dag_id, next_dagrun, next_dagrun_interval_start, next_dagrun_interval_end, next_dagrun_create_after
      FROM dag WHERE dag_id IN ('hello_world', 'etl_daily')`);
    // Stored: hello_world's plan (no catchup) came due in 2024: it shows its latest interval, ending today or yesterday.
    await db.pool.query(`UPDATE dag SET next_dagrun = '2024-02-01T02:00:00Z', next_dagrun_interval_start = '2024-02-01T02:00:00Z',
      next_dagrun_interval_end = '2024-02-02T02:00:00Z', next_dagrun_create_after = '2024-02-02T02:00:00Z' WHERE dag_id = 'hello_world'`);
    // etl_daily's plan is not due yet: it shows what is stored, a logical date after hello_world's stored one and before its shown one.
    await db.pool.query(`UPDATE dag SET next_dagrun = '2025-06-01T00:00:00Z', next_dagrun_interval_start = '2025-06-01T00:00:00Z',
      next_dagrun_interval_end = '2099-01-01T00:00:00Z', next_dagrun_create_after = '2099-01-01T00:00:00Z' WHERE dag_id = 'etl_daily'`);
    try {
      type Listed = { dag_id: string; next_dagrun: string | null };
      const shown = (r: { json: { dags: Listed[] } }): Array<string | null> => r.json.dags.map((d) => d.next_dagrun);
      const nonDecreasing = (xs: Array<string | null>): boolean => xs.every((x, i) => i === 0 || x === null || (xs[i - 1] !== null && xs[i - 1]! <= x));
      const asc = await call(web, '/api/v1/dags?order_by=next_dagrun');
      expect(asc.status).toBe(200);
      expect(asc.json.total_entries).toBe(10);
      const ids: string[] = asc.json.dags.map((d: Listed) => d.dag_id);
      expect(ids.indexOf('etl_daily')).toBeLessThan(ids.indexOf('hello_world'));
      expect(nonDecreasing(shown(asc)), JSON.stringify(asc.json.dags.map((d: Listed) => [d.dag_id, d.next_dagrun]))).toBe(true);
      // Descending: the reverse order of the dates, DAGs without a next run still last.
      const desc = await call(web, '/api/v1/dags?order_by=-next_dagrun');
      const descShown = shown(desc);
      const dated = descShown.filter((x) => x !== null);
      expect(nonDecreasing([...dated].reverse())).toBe(true);
      expect(descShown.slice(dated.length).every((x) => x === null)).toBe(true);
      // Pages are slices of that order, with the total of every match.
      const page = await call(web, '/api/v1/dags?order_by=next_dagrun&limit=3&offset=2');
      expect(page.json.dags.map((d: Listed) => d.dag_id)).toEqual(ids.slice(2, 5));
      expect(page.json.total_entries).toBe(10);
      const filtered = await call(web, '/api/v1/dags?order_by=next_dagrun&dag_id_pattern=e');
      expect(filtered.json.dags.map((d: Listed) => d.dag_id)).toEqual(ids.filter((id) => id.includes('e')));
    } finally {
      for (const r of saved.rows) {
        await db.pool.query(`UPDATE dag SET next_dagrun = $2, next_dagrun_interval_start = $3, next_dagrun_interval_end = $4,
          next_dagrun_create_after = $5 WHERE dag_id = $1`,
        [r.dag_id, r.next_dagrun, r.next_dagrun_interval_start, r.next_dagrun_interval_end, r.next_dagrun_create_after]);
      }
    }
  });
});

describe('DAG runs and task instances', () => {
  it('triggers a run with conf, logical date, run id and note; refuses a duplicate with 409; writes the event log', async () => {
    const body = { conf: { x: 1 }, logical_date: '2024-03-01T00:00:00Z', dag_run_id: 'api_run_1', note: 'from the API test' };
    const r = await call(web, '/api/v1/dags/hello_world/dagRuns', { method: 'POST', body, as: 'User' });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({
      dag_run_id: 'api_run_1', dag_id: 'hello_world', logical_date: '2024-03-01T00:00:00.000Z', execution_date: '2024-03-01T00:00:00.000Z',
      state: 'queued', run_type: 'manual', external_trigger: true, conf: { x: 1 }, note: 'from the API test',
    });
    // A 409 names what is taken: the run id, or else the logical date (and the run that has it).
    const sameId = await call(web, '/api/v1/dags/hello_world/dagRuns', { method: 'POST', body: { ...body, logical_date: '2024-03-02T00:00:00Z' } });
    expectProblem(sameId, 409, 'body.dag_run_id');
    expect(sameId.json.detail).toBe("DAG 'hello_world' already has a run with run id 'api_run_1'");
    const sameDate = await call(web, '/api/v1/dags/hello_world/dagRuns', { method: 'POST', body: { ...body, dag_run_id: 'api_run_2' } });
    expectProblem(sameDate, 409, 'body.logical_date');
    expect(sameDate.json.detail).toBe("DAG 'hello_world' already has a run for logical date 2024-03-01T00:00:00.000Z (run id 'api_run_1')");
    expectProblem(await call(web, '/api/v1/dags/nope/dagRuns', { method: 'POST', body: {} }), 404, 'path.dag_id');
    expectProblem(await call(web, '/api/v1/dags/hello_world/dagRuns', { method: 'POST', body: {}, as: 'Viewer' }), 403);
    const events = await db.pool.query("SELECT event, owner, dag_id, run_id, remote_addr FROM event_log WHERE run_id = 'api_run_1'");
    expect(events.rows).toEqual([{ event: 'trigger', owner: 'ursula', dag_id: 'hello_world', run_id: 'api_run_1', remote_addr: '127.0.0.1' }]);
  });

  it('lists and gets runs (also across DAGs with ~), with state and date filters', async () => {
    const list = await call(web, '/api/v1/dags/hello_world/dagRuns', { as: 'Viewer' });
    expect(list.json.total_entries).toBe(1);
    expect(list.json.dag_runs[0].dag_run_id).toBe('api_run_1');
    const all = await call(web, '/api/v1/dags/~/dagRuns?state=queued&execution_date_gte=2024-02-01T00:00:00Z');
    expect(all.json.dag_runs.map((x: { dag_run_id: string }) => x.dag_run_id)).toEqual(['api_run_1']);
    const none = await call(web, '/api/v1/dags/~/dagRuns?execution_date_gte=2025-01-01T00:00:00Z');
    expect(none.json).toEqual({ dag_runs: [], total_entries: 0 });
    const one = await call(web, '/api/v1/dags/hello_world/dagRuns/api_run_1');
    expect(one.json.conf).toEqual({ x: 1 });
    expectProblem(await call(web, '/api/v1/dags/hello_world/dagRuns/nope'), 404, 'path.dag_run_id');
  });

  it('lists the task instances of a run and gets one; tries and logs of a task that has not run are 404', async () => {
    const tis = await call(web, '/api/v1/dags/hello_world/dagRuns/api_run_1/taskInstances', { as: 'Viewer' });
    expect(tis.status).toBe(200);
    expect(tis.json.total_entries).toBe(2);
    expect(tis.json.task_instances.find((t: { task_id: string }) => t.task_id === 'print_hello')).toMatchObject({
      dag_id: 'hello_world', dag_run_id: 'api_run_1', task_id: 'print_hello', state: null, try_number: 0, map_index: -1,
      pool: 'default_pool', pool_slots: 1, queue: 'default', operator: 'bash', execution_date: '2024-03-01T00:00:00.000Z',
    });
    const across = await call(web, '/api/v1/dags/~/dagRuns/~/taskInstances?state=none&task_ids=print_goodbye');
    expect(across.json.task_instances.map((t: { task_id: string }) => t.task_id)).toEqual(['print_goodbye']);
    const one = await call(web, '/api/v1/dags/hello_world/dagRuns/api_run_1/taskInstances/print_goodbye');
    expect(one.json.task_id).toBe('print_goodbye');
    const tries = await call(web, '/api/v1/dags/hello_world/dagRuns/api_run_1/taskInstances/print_hello/tries');
    expect(tries.json).toEqual({ task_instances: [], total_entries: 0 });
    expectProblem(await call(web, '/api/v1/dags/hello_world/dagRuns/api_run_1/taskInstances/nope/tries'), 404, 'path.task_id');
    expectProblem(await call(web, '/api/v1/dags/hello_world/dagRuns/api_run_1/taskInstances/print_hello/logs/1'), 404, 'path.task_try_number');
  });
});
