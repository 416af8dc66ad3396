/**
 * Deleting a DAG (DELETE /api/v1/dags/{dag_id}, `updraft dags delete`) and a DAG run (DELETE
 * /api/v1/dags/{dag_id}/dagRuns/{dag_run_id}) against a real PostgreSQL,
 * the real DAG processor and the real CLI process: every record of the DAG goes, the event log
 * says who did it, a DAG with work queued or running is refused whole, and a DAG whose file is
 * still in the DAGs folder comes back without history at the next parse (one whose file is gone
 * does not).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DagProcessor } from '@updraft/core';
import { startWebserver, type RunningWebserver } from '@updraft/webserver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, REPO_ROOT, runCli, type TestDatabase } from '../harness/index.js';
import { call, createRoleUsers } from './api-support.js';

let db: TestDatabase;
let web: RunningWebserver;
let dagsFolder: string;
let env: Record<string, string>;

const dagFile = (dagId: string): string => `import { dag } from '@updraft/sdk';
export default dag({ dagId: '${dagId}' }, (d) => {
  d.bash('first', { command: 'echo first' }).then(d.bash('second', { command: 'echo second' }));
});
`;

/** One DAG processor pass over the folder (what a scheduler does on its own). */
async function parse(): Promise<void> {
  const processor = new DagProcessor(db.pool, { dagsFolder });
  try {
    await processor.processDagsFolder();
  } finally {
    await processor.close();
  }
}

/** Rows of the DAG in each table that holds some. */
async function records(dagId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['dag', 'serialized_dag', 'dag_version', 'dag_run', 'task_instance', 'task_instance_try', 'xcom', 'callback_request', 'alert_outbox', 'alert_mute']) {
    const { rows } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE dag_id = $1`, [dagId]);
    out[table] = rows[0]!.n;
  }
  return out;
}

/** Two triggered runs whose tasks ended, with a try, a return value, a callback, an alert and a mute: a DAG with history. */
async function withHistory(dagId: string): Promise<void> {
  for (let i = 0; i < 2; i++) {
    const res = await call(web, `/api/v1/dags/${dagId}/dagRuns`, { method: 'POST', body: {}, as: 'User' });
    expect(res.status, res.text).toBe(200);
  }
  await db.pool.query(`UPDATE task_instance SET state = 'success', try_number = 1 WHERE dag_id = $1`, [dagId]);
  await db.pool.query(`UPDATE dag_run SET state = 'success' WHERE dag_id = $1`, [dagId]);
  await db.pool.query(`INSERT INTO task_instance_try (dag_id, run_id, task_id, map_index, try_number, state)
     SELECT dag_id, run_id, task_id, map_index, 1, 'success' FROM task_instance WHERE dag_id = $1`, [dagId]);
  await db.pool.query(`INSERT INTO xcom (dag_id, run_id, task_id, map_index, key, value)
     SELECT dag_id, run_id, task_id, map_index, 'return_value', '1'::jsonb FROM task_instance WHERE dag_id = $1`, [dagId]);
  await db.pool.query(`INSERT INTO callback_request (dag_id, run_id, event) SELECT dag_id, run_id, 'onDagRunSuccess' FROM dag_run WHERE dag_id = $1`, [dagId]);
  await db.pool.query(`INSERT INTO alert_outbox (dag_id, run_id, event, notifier_index, target)
     SELECT dag_id, run_id, 'onDagRunSuccess', 0, '{}'::jsonb FROM dag_run WHERE dag_id = $1`, [dagId]);
  await db.pool.query(`INSERT INTO alert_mute (dag_id, until) VALUES ($1, now() + interval '1 hour')`, [dagId]);
}

beforeAll(async () => {
  db = await createTestDatabase();
  await createRoleUsers(db.pool);
  // Inside the repository, so the DAG files resolve @updraft/sdk.
  await mkdir(join(REPO_ROOT, 'tmp'), { recursive: true });
  dagsFolder = await mkdtemp(join(REPO_ROOT, 'tmp', 'dag-delete-'));
  for (const dagId of ['del_api', 'del_cli', 'del_busy', 'del_run']) await writeFile(join(dagsFolder, `${dagId}.ts`), dagFile(dagId));
  await parse();
  web = await startWebserver({ listen: '127.0.0.1:0', db: db.pool, logFolder: join(dagsFolder, 'logs') });
  env = { UPDRAFT__DATABASE__URL: db.url, UPDRAFT__CORE__DAGS_FOLDER: dagsFolder };
});

afterAll(async () => {
  await web?.close();
  await db?.drop();
  if (dagsFolder) await rm(dagsFolder, { recursive: true, force: true });
});

describe('DELETE /api/v1/dags/{dag_id}', () => {
  it('deletes every record of the DAG, records who did it, and the DAG comes back without history while its file is there', async () => {
    await withHistory('del_api');
    const before = await records('del_api');
    expect(before).toMatchObject({ dag: 1, serialized_dag: 1, dag_run: 2, task_instance: 4, task_instance_try: 4, xcom: 4, callback_request: 2, alert_outbox: 2, alert_mute: 1 });
    expect(before.dag_version).toBeGreaterThan(0);
    const other = await records('del_cli');

    expect((await call(web, '/api/v1/dags/del_api', { method: 'DELETE', as: 'Viewer' })).status).toBe(403);
    const res = await call(web, '/api/v1/dags/del_api', { method: 'DELETE', as: 'User' });
    expect(res.status, res.text).toBe(204);
    expect(Object.values(await records('del_api')).every((n) => n === 0)).toBe(true);
    // Another DAG keeps all it had.
    expect(await records('del_cli')).toEqual(other);

    const missing = await call(web, '/api/v1/dags/del_api');
    expect(missing.status).toBe(404);
    const again = await call(web, '/api/v1/dags/del_api', { method: 'DELETE' });
    expect(again.status).toBe(404);
    expect(again.json.detail).toBe("DAG 'del_api' not found");

    const { rows: events } = await db.pool.query(`SELECT event, owner, extra FROM event_log WHERE dag_id = 'del_api' AND event = 'dag.delete'`);
    expect(events).toEqual([{ event: 'dag.delete', owner: 'ursula', extra: { runs: 2, task_instances: 4 } }]);

    // The file is still in the folder: the next parse brings the DAG back, with no runs.
    await parse();
    const back = await records('del_api');
    expect(back).toMatchObject({ dag: 1, serialized_dag: 1, dag_run: 0, task_instance: 0 });
    expect((await call(web, '/api/v1/dags/del_api')).status).toBe(200);
  });

  it('refuses, deleting nothing, while a task instance of the DAG is queued or running', async () => {
    await withHistory('del_busy');
    await db.pool.query(`UPDATE task_instance SET state = 'running' WHERE dag_id = 'del_busy' AND task_id = 'first'`);
    const before = await records('del_busy');
    const res = await call(web, '/api/v1/dags/del_busy', { method: 'DELETE' });
    expect(res.status).toBe(409);
    expect(res.json.detail).toBe("DAG 'del_busy' has 2 task instance(s) queued or running: wait for them to end (or mark their runs failed), then delete it");
    const cli = await runCli(['dags', 'delete', 'del_busy', '--yes'], { env });
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain("DAG 'del_busy' has 2 task instance(s) queued or running: nothing deleted");
    expect(await records('del_busy')).toEqual(before);
  });
});

describe('updraft dags delete', () => {
  it('asks first (refusing without a terminal), then deletes; a DAG whose file is gone stays gone', async () => {
    await withHistory('del_cli');
    const before = await records('del_cli');
    const unasked = await runCli(['dags', 'delete', 'del_cli'], { env });
    expect(unasked.code).toBe(1);
    expect(unasked.stderr).toContain('not deleting without confirmation: pass --yes (no terminal to ask on)');
    expect(await records('del_cli')).toEqual(before);

    // Its file removed, the DAG stays listed (inactive) with its history until deleted.
    await rm(join(dagsFolder, 'del_cli.ts'));
    await parse();
    const { rows: [inactive] } = await db.pool.query(`SELECT is_active FROM dag WHERE dag_id = 'del_cli'`);
    expect(inactive).toEqual({ is_active: false });

    const deleted = await runCli(['dags', 'delete', 'del_cli', '--yes'], { env });
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toContain("deleted DAG 'del_cli': 2 run(s), 4 task instance(s)");
    expect(Object.values(await records('del_cli')).every((n) => n === 0)).toBe(true);
    const { rows: events } = await db.pool.query(`SELECT event, extra FROM event_log WHERE dag_id = 'del_cli' AND event = 'cli.dag.delete'`);
    expect(events).toEqual([{ event: 'cli.dag.delete', extra: expect.objectContaining({ runs: 2, task_instances: 4 }) }]);
    await parse();
    expect((await records('del_cli')).dag).toBe(0);

    const unknown = await runCli(['dags', 'delete', 'no_such_dag', '--yes'], { env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no DAG 'no_such_dag'");
  });
});

describe('DELETE /api/v1/dags/{dag_id}/dagRuns/{dag_run_id}', () => {
  it('deletes one run with its task instances, tries, XCom, callbacks and alerts; the other run keeps all it had', async () => {
    await withHistory('del_run');
    const { rows: runs } = await db.pool.query<{ run_id: string }>(`SELECT run_id FROM dag_run WHERE dag_id = 'del_run' ORDER BY id`);
    const [gone, kept] = runs.map((r) => r.run_id) as [string, string];
    const path = (runId: string): string => `/api/v1/dags/del_run/dagRuns/${encodeURIComponent(runId)}`;

    await db.pool.query(`UPDATE task_instance SET state = 'queued' WHERE dag_id = 'del_run' AND run_id = $1 AND task_id = 'second'`, [gone]);
    const busy = await call(web, path(gone), { method: 'DELETE' });
    expect(busy.status).toBe(409);
    expect(busy.json.detail).toBe(`DAG run '${gone}' has 1 task instance(s) queued or running: wait for them to end (or mark the run failed), then delete it`);
    expect((await records('del_run')).task_instance).toBe(4);
    await db.pool.query(`UPDATE task_instance SET state = 'success' WHERE dag_id = 'del_run' AND run_id = $1`, [gone]);

    expect((await call(web, path(gone), { method: 'DELETE', as: 'Viewer' })).status).toBe(403);
    const res = await call(web, path(gone), { method: 'DELETE', as: 'User' });
    expect(res.status, res.text).toBe(204);
    expect(await records('del_run')).toMatchObject({ dag: 1, dag_run: 1, task_instance: 2, task_instance_try: 2, xcom: 2, callback_request: 1, alert_outbox: 1 });
    const { rows: left } = await db.pool.query(`SELECT DISTINCT run_id FROM task_instance WHERE dag_id = 'del_run'`);
    expect(left).toEqual([{ run_id: kept }]);
    expect((await call(web, path(gone))).status).toBe(404);
    const again = await call(web, path(gone), { method: 'DELETE' });
    expect(again.status).toBe(404);
    expect(again.json.detail).toBe(`DAG run '${gone}' of DAG 'del_run' not found`);
    const { rows: events } = await db.pool.query(`SELECT owner, run_id, extra FROM event_log WHERE dag_id = 'del_run' AND event = 'dag_run.delete'`);
    expect(events).toEqual([{ owner: 'ursula', run_id: gone, extra: { task_instances: 2 } }]);
  });
});
