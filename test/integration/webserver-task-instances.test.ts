import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';
import { startWebserver, type RunningWebserver } from '@updraft/webserver';

describe('webserver API: task instances of a run', () => {
  let db: TestDatabase;
  let web: RunningWebserver;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query(`INSERT INTO dag (dag_id, fileloc) VALUES ('etl', 'etl.ts')`);
    const { rows } = await db.pool.query<{ id: string }>(
      `INSERT INTO dag_run (dag_id, run_id, run_type, state, logical_date)
       VALUES ('etl', 'manual__1', 'manual', 'running', now()) RETURNING id`,
    );
    await db.pool.query(
      `INSERT INTO task_instance (dag_run_id, dag_id, run_id, task_id, state, try_number, max_tries, operator, queue,
                                  requeue_count, last_requeue_reason)
       VALUES ($1, 'etl', 'manual__1', 'extract', 'queued', 1, 2, 'bash', 'etl', 2, 'no worker serves queue etl')`,
      [rows[0]!.id],
    );
    web = await startWebserver({ listen: '127.0.0.1:0', db: db.pool });
  });

  afterAll(async () => {
    await web?.close();
    await db?.drop();
  });

  it('lists each task with its state, try and requeue count and reason', async () => {
    const res = await fetch(`${web.url}/api/v1/dags/etl/dagRuns/manual__1/taskInstances`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { total_entries: number; task_instances: Array<Record<string, unknown>> };
    expect(body.total_entries).toBe(1);
    expect(body.task_instances[0]).toMatchObject({
      taskId: 'extract', state: 'queued', tryNumber: 1, maxTries: 2, queue: 'etl',
      requeueCount: 2, lastRequeueReason: 'no worker serves queue etl',
    });
  });

  it('answers 404 for a run that does not exist and 400 for malformed ids', async () => {
    const missing = await fetch(`${web.url}/api/v1/dags/etl/dagRuns/nope/taskInstances`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "DAG run 'nope' of DAG 'etl' not found" });
    const malformed = await fetch(`${web.url}/api/v1/dags/etl/dagRuns/%E0%A4%A/taskInstances`);
    expect(malformed.status).toBe(400);
  });
});
