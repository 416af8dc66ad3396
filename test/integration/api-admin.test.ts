/**
 * The REST API's admin and audit resources over real HTTP against a migrated database holding the
 * example DAGs: pausing DAGs, variables, connections, pools, the event log, import errors, DAG
 * sources, XCom entries and the configuration. Roles (Viewer never mutates; User pauses; Op edits
 * connections, variables and pools; only Admin reads the configuration), masking (a connection's
 * password is in no answer and in no column as plain text), problem documents naming the field,
 * and an event log row for every mutation.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dagFilesSql, DagProcessor, fernetFromConfig, generateFernetKey, loadConfig, type Role } from '@updraft/core';
import type { RunningWebserver } from '@updraft/webserver';
import { secretsContext } from '@updraft/core';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';
import { call, createRoleUsers, startApi, type CallResult } from './api-support.js';

const EXAMPLES = fileURLToPath(new URL('../../dags', import.meta.url));
const PASSWORD = 'pw-that-must-never-leave-7Qx';
const FERNET_KEY = generateFernetKey();
let db: TestDatabase;
let web: RunningWebserver;
let webNoTest: RunningWebserver;

beforeAll(async () => {
  db = await createTestDatabase();
  const processor = new DagProcessor(db.pool, { dagsFolder: EXAMPLES });
  try {
    await processor.processDagsFolder();
  } finally {
    await processor.close();
  }
  await createRoleUsers(db.pool);
  const env = { UPDRAFT__SECURITY__FERNET_KEY: FERNET_KEY, UPDRAFT__DATABASE__URL: 'postgres://u:dbsecret@127.0.0.1:5432/x', UPDRAFT__WEBSERVER__TEST_CONNECTION: 'Enabled' };
  const cfg = loadConfig({ env, cwd: '/nonexistent-updraft-cwd' });
  web = await startApi({ db: db.pool, secrets: secretsContext(cfg, {}), config: cfg });
  const off = loadConfig({ env: { ...env, UPDRAFT__WEBSERVER__TEST_CONNECTION: 'Disabled' }, cwd: '/nonexistent-updraft-cwd' });
  webNoTest = await startApi({ db: db.pool, secrets: secretsContext(off, {}), config: off });
});

afterAll(async () => {
  await web?.close();
  await webNoTest?.close();
  await db?.drop();
});

function expectProblem(r: CallResult, status: number, field?: string): void {
  expect(r.status, r.text).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(r.json).toMatchObject({ type: 'about:blank', status, detail: expect.any(String) });
  if (field !== undefined) expect(r.json.field).toBe(field);
}

async function events(event: string): Promise<Array<{ owner: string; dag_id: string | null; extra: unknown; remote_addr: string }>> {
  const r = await db.pool.query('SELECT owner, dag_id, extra, remote_addr FROM event_log WHERE event = $1 ORDER BY id', [event]);
  return r.rows;
}

describe('pausing DAGs', () => {
  it('pauses and unpauses one DAG (User may, Viewer may not), with update_mask, and logs who did it', async () => {
    expectProblem(await call(web, '/api/v1/dags/hello_world', { method: 'PATCH', body: { is_paused: true }, as: 'Viewer' }), 403);
    // The examples load paused: unpause first (one event), then pause (another); a PATCH that changes nothing logs nothing.
    expect((await call(web, '/api/v1/dags/hello_world', { method: 'PATCH', body: { is_paused: false }, as: 'User' })).json.is_paused).toBe(false);
    expect((await call(web, '/api/v1/dags/hello_world', { method: 'PATCH', body: { is_paused: false }, as: 'User' })).json.is_paused).toBe(false);
    expect(await events('unpause')).toHaveLength(1);
    const r = await call(web, '/api/v1/dags/hello_world?update_mask=is_paused', { method: 'PATCH', body: { is_paused: true }, as: 'User' });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ dag_id: 'hello_world', is_paused: true });
    expect((await call(web, '/api/v1/dags/hello_world')).json.is_paused).toBe(true);
    expect(await events('pause')).toEqual([{ owner: 'ursula', dag_id: 'hello_world', extra: null, remote_addr: '127.0.0.1' }]);
    const back = await call(web, '/api/v1/dags/hello_world', { method: 'PATCH', body: { is_paused: false }, as: 'User' });
    expect(back.json.is_paused).toBe(false);
    expect(await events('unpause')).toHaveLength(2);
    expectProblem(await call(web, '/api/v1/dags/nope', { method: 'PATCH', body: { is_paused: true } }), 404, 'path.dag_id');
    expectProblem(await call(web, '/api/v1/dags/hello_world?update_mask=owners', { method: 'PATCH', body: { is_paused: true } }), 400, 'query.update_mask.0');
    expectProblem(await call(web, '/api/v1/dags/hello_world', { method: 'PATCH', body: { is_paused: 'yes' } }), 400, 'body.is_paused');
    expectProblem(await call(web, '/api/v1/dags/hello_world', { method: 'PATCH', body: {} }), 400, 'body.is_paused');
  });

  it('pauses the DAGs matching dag_id_pattern at once and answers them', async () => {
    expectProblem(await call(web, '/api/v1/dags', { method: 'PATCH', body: { is_paused: true } }), 400, 'query.dag_id_pattern');
    const r = await call(web, '/api/v1/dags?dag_id_pattern=_out', { method: 'PATCH', body: { is_paused: true }, as: 'User' });
    expect(r.status, r.text).toBe(200);
    expect(r.json.dags.map((d: { dag_id: string; is_paused: boolean }) => [d.dag_id, d.is_paused])).toEqual([['fan_out', true]]);
    const all = await call(web, '/api/v1/dags?dag_id_pattern=~', { method: 'PATCH', body: { is_paused: false }, as: 'User' });
    expect(all.json.total_entries).toBe(10);
    expect(all.json.dags.every((d: { is_paused: boolean }) => !d.is_paused)).toBe(true);
  });
});

describe('variables', () => {
  it('creates, reads (masked when the key looks secret), changes and deletes; Op may, User may not', async () => {
    expectProblem(await call(web, '/api/v1/variables', { method: 'POST', body: { key: 'region', value: 'eu' }, as: 'User' }), 403);
    expectProblem(await call(web, '/api/v1/variables', { as: 'User' }), 403);
    const made = await call(web, '/api/v1/variables', { method: 'POST', body: { key: 'region', value: 'eu', description: 'where' }, as: 'Op' });
    expect(made.status, made.text).toBe(200);
    expect(made.json).toEqual({ key: 'region', value: 'eu', description: 'where' });
    await call(web, '/api/v1/variables', { method: 'POST', body: { key: 'api_token', value: 'tok-123' }, as: 'Op' });
    const list = await call(web, '/api/v1/variables?limit=10', { as: 'Op' });
    expect(list.json).toEqual({ variables: [{ key: 'api_token', value: '***', description: null }, { key: 'region', value: 'eu', description: 'where' }], total_entries: 2 });
    expect((await call(web, '/api/v1/variables/api_token', { as: 'Op' })).json.value).toBe('***');
    const stored = await db.pool.query("SELECT value, is_encrypted FROM variable WHERE key = 'api_token'");
    expect(stored.rows[0].is_encrypted).toBe(true);
    expect(stored.rows[0].value).not.toContain('tok-123');
    const patched = await call(web, '/api/v1/variables/region?update_mask=value', { method: 'PATCH', body: { key: 'region', value: 'us', description: 'ignored' }, as: 'Op' });
    expect(patched.json).toEqual({ key: 'region', value: 'us', description: 'where' });
    expectProblem(await call(web, '/api/v1/variables/region', { method: 'PATCH', body: { key: 'other', value: 'x' } }), 400, 'body.key');
    expectProblem(await call(web, '/api/v1/variables/nope', { method: 'PATCH', body: { key: 'nope', value: 'x' } }), 404, 'path.variable_key');
    expectProblem(await call(web, '/api/v1/variables', { method: 'POST', body: { key: 'a b', value: 'x' } }), 400, 'body.key');
    expectProblem(await call(web, '/api/v1/variables', { method: 'POST', body: { key: 'k' } }), 400, 'body.value');
    expectProblem(await call(web, '/api/v1/variables/region', { method: 'DELETE', as: 'Viewer' }), 403);
    const del = await call(web, '/api/v1/variables/region', { method: 'DELETE', as: 'Op' });
    expect(del.status).toBe(204);
    expectProblem(await call(web, '/api/v1/variables/region', { as: 'Op' }), 404, 'path.variable_key');
    expectProblem(await call(web, '/api/v1/variables/region', { method: 'DELETE' }), 404, 'path.variable_key');
    expect((await events('variable.create')).map((e) => [e.owner, e.extra])).toEqual([['otto', { key: 'region' }], ['otto', { key: 'api_token' }]]);
    expect(await events('variable.delete')).toHaveLength(1);
    expect(JSON.stringify(await db.pool.query('SELECT extra FROM event_log'))).not.toContain('tok-123');
  });
});

describe('connections', () => {
  it('never answers a password, masks secret extra fields, and stores no plain text', async () => {
    const body = { connection_id: 'warehouse', conn_type: 'postgres', host: 'db.example', port: 5432, login: 'etl', password: PASSWORD, extra: JSON.stringify({ sslmode: 'require', api_key: 'extra-secret-9' }) };
    expectProblem(await call(web, '/api/v1/connections', { method: 'POST', body, as: 'User' }), 403);
    const made = await call(web, '/api/v1/connections', { method: 'POST', body, as: 'Op' });
    expect(made.status, made.text).toBe(200);
    expect(made.json).toEqual({ connection_id: 'warehouse', conn_type: 'postgres', description: null, host: 'db.example', login: 'etl', schema: null, port: 5432, extra: JSON.stringify({ sslmode: 'require', api_key: '***' }) });
    expectProblem(await call(web, '/api/v1/connections', { method: 'POST', body, as: 'Op' }), 409, 'body.connection_id');
    const answers = [
      made, await call(web, '/api/v1/connections', { as: 'Op' }), await call(web, '/api/v1/connections/warehouse', { as: 'Op' }),
      await call(web, '/api/v1/connections/warehouse?update_mask=host', { method: 'PATCH', body: { ...body, host: 'db2.example' }, as: 'Op' }),
      await call(web, '/api/v1/eventLogs?limit=1000'),
    ];
    for (const a of answers) {
      expect(a.status, a.text).toBe(200);
      expect(a.text).not.toContain(PASSWORD);
      expect(a.text).not.toContain('extra-secret-9');
      expect(a.text).not.toContain('"password"');
    }
    expect(answers[1]!.json).toEqual({ connections: [{ connection_id: 'warehouse', conn_type: 'postgres', description: null, host: 'db.example', login: 'etl', schema: null, port: 5432 }], total_entries: 1 });
    expect(answers[3]!.json.host).toBe('db2.example');
    const row = await db.pool.query("SELECT * FROM connection WHERE conn_id = 'warehouse'");
    expect(JSON.stringify(row.rows)).not.toContain(PASSWORD);
    expect(JSON.stringify(row.rows)).not.toContain('extra-secret-9');
    // A PATCH without the password keeps it (it is write-only): the stored token still decrypts to it.
    const kept = await call(web, '/api/v1/connections/warehouse', { method: 'PATCH', body: { connection_id: 'warehouse', conn_type: 'postgres', description: 'main' }, as: 'Op' });
    expect(kept.json).toMatchObject({ description: 'main', host: 'db2.example', login: 'etl' });
    const after = await db.pool.query("SELECT password_encrypted FROM connection WHERE conn_id = 'warehouse'");
    expect(fernetFromConfig(FERNET_KEY)!.decrypt(after.rows[0].password_encrypted).toString('utf8')).toBe(PASSWORD);
  });

  it('refuses bad input naming the field, unknown ids with 404, and reads need Op', async () => {
    expectProblem(await call(web, '/api/v1/connections', { method: 'POST', body: { connection_id: 'x' } }), 400, 'body.conn_type');
    expectProblem(await call(web, '/api/v1/connections', { method: 'POST', body: { connection_id: 'x', conn_type: 'http', port: 70000 } }), 400, 'body.port');
    expectProblem(await call(web, '/api/v1/connections', { method: 'POST', body: { connection_id: 'x/y', conn_type: 'http' } }), 400, 'body.connection_id');
    expectProblem(await call(web, '/api/v1/connections/nope', { as: 'Op' }), 404, 'path.connection_id');
    expectProblem(await call(web, '/api/v1/connections/nope', { method: 'DELETE', as: 'Op' }), 404, 'path.connection_id');
    expectProblem(await call(web, '/api/v1/connections/warehouse', { method: 'PATCH', body: { connection_id: 'other', conn_type: 'http' }, as: 'Op' }), 400, 'body.connection_id');
    expectProblem(await call(web, '/api/v1/connections', { as: 'User' }), 403);
    expectProblem(await call(web, '/api/v1/connections/warehouse', { method: 'DELETE', as: 'Viewer' }), 403);
  });

  it('tests a connection only when webserver.test_connection is Enabled', async () => {
    const off = await call(webNoTest, '/api/v1/connections/test', { method: 'POST', body: { connection_id: 'probe', conn_type: 'http', host: '127.0.0.1', port: 1 }, as: 'Op' });
    expectProblem(off, 403);
    expect(off.json.detail).toContain('webserver.test_connection');
    const port = new URL(web.url).port;
    const ok = await call(web, '/api/v1/connections/test', { method: 'POST', body: { connection_id: 'probe', conn_type: 'http', host: '127.0.0.1', port: Number(port), password: PASSWORD }, as: 'Op' });
    expect(ok.json).toEqual({ status: true, message: `connected to 127.0.0.1:${port}` });
    const noPort = await call(web, '/api/v1/connections/test', { method: 'POST', body: { connection_id: 'probe', conn_type: 'http', host: '127.0.0.1' }, as: 'Op' });
    expect(noPort.json.status).toBe(false);
    expectProblem(await call(web, '/api/v1/connections/test', { method: 'POST', body: { connection_id: 'probe', conn_type: 'http' }, as: 'User' }), 403);
  });

  it('deletes a connection and logs it', async () => {
    expect((await call(web, '/api/v1/connections/warehouse', { method: 'DELETE', as: 'Op' })).status).toBe(204);
    expect((await events('connection.delete')).map((e) => [e.owner, e.extra])).toEqual([['otto', { connection_id: 'warehouse' }]]);
  });
});

describe('pools', () => {
  it('creates, lists with slot counts, changes and deletes pools; default_pool stays', async () => {
    expectProblem(await call(web, '/api/v1/pools', { method: 'POST', body: { name: 'gpu', slots: 2 }, as: 'User' }), 403);
    const made = await call(web, '/api/v1/pools', { method: 'POST', body: { name: 'gpu', slots: 2, description: 'cards' }, as: 'Op' });
    expect(made.status, made.text).toBe(200);
    expect(made.json).toEqual({
      name: 'gpu', slots: 2, occupied_slots: 0, running_slots: 0, queued_slots: 0, scheduled_slots: 0, deferred_slots: 0, open_slots: 2,
      description: 'cards', include_deferred: false,
    });
    expectProblem(await call(web, '/api/v1/pools', { method: 'POST', body: { name: 'gpu', slots: 2 }, as: 'Op' }), 409, 'body.name');
    const list = await call(web, '/api/v1/pools', { as: 'Viewer' });
    expect(list.json.pools.map((p: { name: string }) => p.name)).toEqual(['default_pool', 'gpu']);
    const patched = await call(web, '/api/v1/pools/gpu?update_mask=slots', { method: 'PATCH', body: { slots: 5, description: 'ignored' }, as: 'Op' });
    expect(patched.json).toMatchObject({ name: 'gpu', slots: 5, open_slots: 5, description: 'cards' });
    expectProblem(await call(web, '/api/v1/pools/gpu', { method: 'PATCH', body: { name: 'tpu' }, as: 'Op' }), 400, 'body.name');
    expectProblem(await call(web, '/api/v1/pools/gpu', { method: 'PATCH', body: { slots: -5 }, as: 'Op' }), 400, 'body.slots');
    expectProblem(await call(web, '/api/v1/pools/nope', { as: 'Viewer' }), 404, 'path.pool_name');
    expectProblem(await call(web, '/api/v1/pools/default_pool', { method: 'DELETE', as: 'Op' }), 400, 'path.pool_name');
    expect((await call(web, '/api/v1/pools/gpu', { method: 'DELETE', as: 'Op' })).status).toBe(204);
    expectProblem(await call(web, '/api/v1/pools/gpu', { method: 'DELETE', as: 'Op' }), 404, 'path.pool_name');
    expect((await events('pool.edit')).map((e) => e.extra)).toEqual([{ pool: 'gpu', slots: 5, fields: ['slots'] }]);
  });
});

describe('event log, import errors, DAG sources, XCom, configuration', () => {
  it('lists and filters the event log; gets one entry; 404 for an unknown id', async () => {
    const all = await call(web, '/api/v1/eventLogs?order_by=-when&limit=2', { as: 'Viewer' });
    expect(all.status, all.text).toBe(200);
    expect(all.json.event_logs).toHaveLength(2);
    expect(all.json.total_entries).toBeGreaterThan(5);
    expect(all.json.event_logs[0].event_log_id).toBeGreaterThan(all.json.event_logs[1].event_log_id);
    const pauses = await call(web, '/api/v1/eventLogs?event=pause&dag_id=hello_world');
    expect(pauses.json.event_logs.map((e: { owner: string }) => e.owner)).toEqual(['ursula']);
    const only = await call(web, '/api/v1/eventLogs?included_events=pool.create,pool.delete');
    expect(only.json.event_logs.map((e: { event: string }) => e.event)).toEqual(['pool.create', 'pool.delete']);
    const one = await call(web, `/api/v1/eventLogs/${all.json.event_logs[0].event_log_id}`);
    expect(one.json).toEqual(all.json.event_logs[0]);
    expectProblem(await call(web, '/api/v1/eventLogs/999999'), 404, 'path.event_log_id');
    expectProblem(await call(web, '/api/v1/eventLogs/abc'), 400, 'path.event_log_id');
    expectProblem(await call(web, '/api/v1/eventLogs?after=yesterday'), 400, 'query.after');
  });

  it('lists import errors and gets one by id', async () => {
    await dagFilesSql.upsertImportErrors(db.pool, [{ fileloc: 'broken.ts', fileHash: null, kind: 'syntax', message: 'Unexpected token' }]);
    const list = await call(web, '/api/v1/importErrors', { as: 'Viewer' });
    expect(list.json.total_entries).toBe(1);
    const e = list.json.import_errors[0];
    expect(e).toMatchObject({ filename: 'broken.ts', stack_trace: 'Unexpected token', kind: 'syntax', timestamp: expect.any(String) });
    expect((await call(web, `/api/v1/importErrors/${e.import_error_id}`)).json).toEqual(e);
    expectProblem(await call(web, '/api/v1/importErrors/424242'), 404, 'path.import_error_id');
  });

  it('serves a DAG file\'s source by its file token, as JSON or text', async () => {
    const dag = await call(web, '/api/v1/dags/hello_world', { as: 'Viewer' });
    const src = await call(web, `/api/v1/dagSources/${dag.json.file_token}`, { as: 'Viewer' });
    expect(src.status, src.text).toBe(200);
    expect(src.json.content).toContain('print_hello');
    const text = await call(web, `/api/v1/dagSources/${dag.json.file_token}`, { as: 'Viewer', headers: { accept: 'text/plain' } });
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(text.text).toBe(src.json.content);
    expectProblem(await call(web, `/api/v1/dagSources/${'0'.repeat(64)}`), 404, 'path.file_token');
    expectProblem(await call(web, '/api/v1/dagSources/..%2F..'), 400, 'path.file_token');
  });

  it('lists and gets the XCom entries of a task instance', async () => {
    const run = await call(web, '/api/v1/dags/xcom_handoff/dagRuns', { method: 'POST', body: { dag_run_id: 'xcom_run' } });
    expect(run.status, run.text).toBe(200);
    const ti = (await call(web, '/api/v1/dags/xcom_handoff/dagRuns/xcom_run/taskInstances')).json.task_instances[0];
    await db.pool.query("INSERT INTO xcom (dag_id, run_id, task_id, map_index, key, value) VALUES ('xcom_handoff', 'xcom_run', $1, -1, 'return_value', '{\"rows\": 3}')", [ti.task_id]);
    const base = `/api/v1/dags/xcom_handoff/dagRuns/xcom_run/taskInstances/${ti.task_id}/xcomEntries`;
    const list = await call(web, base, { as: 'Viewer' });
    expect(list.json).toEqual({ xcom_entries: [{ key: 'return_value', timestamp: expect.any(String), execution_date: ti.execution_date, map_index: -1, task_id: ti.task_id, dag_id: 'xcom_handoff' }], total_entries: 1 });
    expect((await call(web, `${base}/return_value`)).json.value).toBe('{"rows": 3}');
    expect((await call(web, `${base}/return_value?deserialize=true`)).json.value).toEqual({ rows: 3 });
    expectProblem(await call(web, `${base}/nope`), 404, 'path.xcom_key');
    expectProblem(await call(web, '/api/v1/dags/xcom_handoff/dagRuns/xcom_run/taskInstances/nope/xcomEntries'), 404, 'path.task_id');
  });

  it('lists the XCom entries of every task, run and DAG with ~ (Airflow\'s wildcard), each with its own run\'s logical date', async () => {
    const dates: Record<string, string> = {};
    const runs = [['xcom_handoff', 'xcom_wild_a', '2025-03-01'], ['xcom_handoff', 'xcom_wild_b', '2025-03-02'], ['hello_world', 'xcom_wild_c', '2025-03-03']] as const;
    for (const [dagId, runId, day] of runs) {
      const run = await call(web, `/api/v1/dags/${dagId}/dagRuns`, { method: 'POST', body: { dag_run_id: runId, logical_date: `${day}T00:00:00Z` } });
      expect(run.status, run.text).toBe(200);
      dates[runId] = run.json.logical_date;
      const tis = (await call(web, `/api/v1/dags/${dagId}/dagRuns/${runId}/taskInstances`)).json.task_instances as Array<{ task_id: string }>;
      for (const ti of tis) {
        await db.pool.query("INSERT INTO xcom (dag_id, run_id, task_id, map_index, key, value) VALUES ($1, $2, $3, -1, 'wild', '1')", [dagId, runId, ti.task_id]);
      }
    }
    const entries = async (path: string) => {
      const r = await call(web, `${path}?xcom_key=wild&limit=100`, { as: 'Viewer' });
      expect(r.status, r.text).toBe(200);
      const list = r.json.xcom_entries as Array<{ dag_id: string; task_id: string; execution_date: string }>;
      expect(r.json.total_entries).toBe(list.length);
      return list;
    };
    const oneRun = await entries('/api/v1/dags/xcom_handoff/dagRuns/xcom_wild_a/taskInstances/~/xcomEntries');
    expect(oneRun.length).toBeGreaterThan(1);
    expect(new Set(oneRun.map((e) => e.execution_date))).toEqual(new Set([dates.xcom_wild_a]));
    const oneDag = await entries('/api/v1/dags/xcom_handoff/dagRuns/~/taskInstances/~/xcomEntries');
    expect(oneDag).toHaveLength(2 * oneRun.length);
    expect(new Set(oneDag.map((e) => e.execution_date))).toEqual(new Set([dates.xcom_wild_a, dates.xcom_wild_b]));
    const task = oneRun[0]!.task_id;
    expect((await entries(`/api/v1/dags/xcom_handoff/dagRuns/~/taskInstances/${task}/xcomEntries`)).map((e) => e.task_id)).toEqual([task, task]);
    const everywhere = await entries('/api/v1/dags/~/dagRuns/~/taskInstances/~/xcomEntries');
    expect(new Set(everywhere.map((e) => e.dag_id))).toEqual(new Set(['hello_world', 'xcom_handoff']));
    expect(everywhere.filter((e) => e.dag_id === 'hello_world').every((e) => e.execution_date === dates.xcom_wild_c)).toBe(true);
    // Getting one entry still names one task instance.
    expectProblem(await call(web, '/api/v1/dags/xcom_handoff/dagRuns/xcom_wild_a/taskInstances/~/xcomEntries/wild'), 400, 'path.task_id');
  });

  it('shows the configuration to Admin only, secrets masked', async () => {
    for (const role of ['Viewer', 'User', 'Op'] as Role[]) expectProblem(await call(web, '/api/v1/config', { as: role }), 403);
    const cfg = await call(web, '/api/v1/config');
    expect(cfg.status, cfg.text).toBe(200);
    const security = cfg.json.sections.find((s: { name: string }) => s.name === 'security');
    expect(security.options.find((o: { key: string }) => o.key === 'fernet_key').value).toBe('***');
    expect(cfg.text).not.toContain('dbsecret');
    const one = await call(web, '/api/v1/config/section/webserver/option/test_connection');
    expect(one.json.sections[0].options[0]).toMatchObject({ key: 'test_connection', value: 'enabled' });
    expectProblem(await call(web, '/api/v1/config?section=nope'), 404, 'query.section');
    expectProblem(await call(web, '/api/v1/config/section/core/option/nope'), 404, 'path.option');
  });
});

describe('clearing a selection too big to answer', () => {
  it('refuses to clear more than 10000 task instances in one request, naming the body; a narrower selection works', async () => {
    const run = await call(web, '/api/v1/dags/hello_world/dagRuns', { method: 'POST', body: { dag_run_id: 'big_run', logical_date: '2025-05-05T00:00:00Z' } });
    expect(run.status, run.text).toBe(200);
    await db.pool.query(
      `INSERT INTO task_instance (dag_run_id, dag_id, run_id, task_id, map_index, operator, state)
       SELECT r.id, 'hello_world', 'big_run', 'print_hello', i, 'bash', 'failed' FROM dag_run r, generate_series(0, 10000) AS i
       WHERE r.dag_id = 'hello_world' AND r.run_id = 'big_run'`);
    const big = await call(web, '/api/v1/dags/hello_world/clearTaskInstances', { method: 'POST', body: { dag_run_id: 'big_run', dry_run: false }, as: 'User' });
    expectProblem(big, 400, 'body');
    expect(big.json.detail).toContain('more than 10000');
    const narrow = await call(web, '/api/v1/dags/hello_world/clearTaskInstances', { method: 'POST', body: { dag_run_id: 'big_run', task_ids: ['print_goodbye'], only_failed: false } });
    expect(narrow.json.task_instances.map((t: { task_id: string }) => t.task_id)).toEqual(['print_goodbye']);
    const failedCount = await db.pool.query("SELECT count(*)::int AS n FROM task_instance WHERE run_id = 'big_run' AND state = 'failed'");
    expect(failedCount.rows[0].n).toBe(10001);
  });
});

describe('roles on every mutation', () => {
  it('refuses Viewer on every route that changes something, User on connections, variables and pools, and Op on users', async () => {
    const doc = await call(web, '/api/docs/json', { as: null });
    const mutations = Object.entries(doc.json.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, methods]) => Object.keys(methods).filter((m) => ['post', 'patch', 'put', 'delete'].includes(m)).map((m) => ({ method: m.toUpperCase(), path })))
      // Reads that take their filters in a body (a backfill's dry run creates nothing).
      .filter((op) => op.path !== '/api/v1/dags/~/dagRuns/list' && op.path !== '/api/v1/backfills/dry_run')
      // Called by Slack, not by a user: authenticated by Slack's signature (test/semantics/alerts.test.ts), not by a role.
      .filter((op) => op.path !== '/integrations/slack/actions')
      // Logging in and out is for everyone (test/integration/api-sessions.test.ts).
      .filter((op) => op.path !== '/api/v1/auth/login' && op.path !== '/api/v1/auth/logout')
      // Each user's own favourite DAGs change nothing anyone else sees: every role keeps them (test/e2e/ui-home.test.ts).
      .filter((op) => !/^\/api\/v1\/dags\/\{dag_id\}\/(un)?favorite$/.test(op.path));
    expect(mutations.length).toBeGreaterThan(15);
    expect(mutations.map((op) => `${op.method} ${op.path}`)).toEqual(expect.arrayContaining(['POST /api/v1/users', 'PATCH /api/v1/users/{username}', 'DELETE /api/v1/users/{username}']));
    const ids: Record<string, string> = { dag_id: 'hello_world', dag_run_id: 'r1', task_id: 'print_hello', variable_key: 'k', connection_id: 'c', pool_name: 'p', username: 'vic' };
    for (const op of mutations) {
      const path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => ids[name] ?? 'x');
      const viewer = await call(web, path, { method: op.method, body: {}, as: 'Viewer' });
      expect({ op: `${op.method} ${op.path}`, status: viewer.status }).toEqual({ op: `${op.method} ${op.path}`, status: 403 });
      const alsoRefused: Role[] = /^\/api\/v1\/users/.test(op.path) ? ['User', 'Op'] : /\/(connections|variables|pools)/.test(op.path) ? ['User'] : [];
      for (const role of alsoRefused) {
        const r = await call(web, path, { method: op.method, body: {}, as: role });
        expect({ op: `${op.method} ${op.path}`, role, status: r.status }).toEqual({ op: `${op.method} ${op.path}`, role, status: 403 });
      }
    }
  });
});
