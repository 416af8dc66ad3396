/**
 * GET /api/v1/alerts against a real PostgreSQL and real HTTP: the alert outbox newest first, filtered
 * by failed / DAG / run, the error of a failed one (naming the connection), the mute a muted one
 * fell under, where each goes without any secret (a webhook's origin only); Viewer reads it, no
 * credentials get 401, a bad filter 400.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningWebserver } from '@updraft/webserver';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';
import { call, createRoleUsers, startApi } from './api-support.js';

let db: TestDatabase;
let web: RunningWebserver;

beforeAll(async () => {
  db = await createTestDatabase();
  await createRoleUsers(db.pool);
  const rows: Array<[string, string, string, string, object, string, string | null]> = [
    ['etl', 'r1', 'load', 'onFailure', { kind: 'slack', channel: '#etl', connId: 'slack_default' }, 'sent', null],
    ['etl', 'r1', '', 'onDagRunFailure', { kind: 'webhook', url: 'https://hooks.example.com/T0/secret-path?token=abc', connId: null }, 'failed', 'HTTP 500 from the receiver'],
    ['etl', 'r2', 'load', 'onFailure', { kind: 'email', to: ['oncall@example.com'], connId: 'smtp_default' }, 'muted', 'muted until 2026-12-02T12:00:00Z: maintenance'],
    ['other', 'r9', 'x', 'onFailure', { kind: 'slack', channel: '#other', connId: 'slack_bad' }, 'failed', "Slack refused the token of connection 'slack_bad' (invalid_auth)"],
  ];
  for (const [dag, run, task, event, target, state, error] of rows) {
    await db.pool.query(
      `INSERT INTO alert_outbox (dag_id, run_id, task_id, try_number, event, notifier_index, target, state, attempts, error, sent_at)
       VALUES ($1, $2, $3, $4, $5, 0, $6, $7, 1, $8, CASE WHEN $7 IN ('sent', 'muted') THEN now() END)`,
      [dag, run, task, task === '' ? 0 : 1, event, JSON.stringify(target), state, error]);
  }
  web = await startApi({ db: db.pool });
});

afterAll(async () => {
  await web?.close();
  await db?.drop();
});

describe('GET /api/v1/alerts', () => {
  it('lists alerts newest first with where each went, its state and error, never a secret', async () => {
    const r = await call(web, '/api/v1/alerts', { as: 'Viewer' });
    expect(r.status, r.text).toBe(200);
    expect(r.json.total_entries).toBe(4);
    expect(r.json.alerts.map((a: { dag_id: string; event: string; state: string }) => `${a.dag_id} ${a.event} ${a.state}`)).toEqual([
      'other onFailure failed', 'etl onFailure muted', 'etl onDagRunFailure failed', 'etl onFailure sent',
    ]);
    const hook = r.json.alerts[2];
    expect(hook).toMatchObject({ dag_run_id: 'r1', task_id: null, notifier: 'webhook https://hooks.example.com', error: 'HTTP 500 from the receiver' });
    expect(r.text).not.toContain('secret-path');
    expect(r.text).not.toContain('token=abc');
    expect(r.json.alerts[1]).toMatchObject({ notifier: 'email oncall@example.com (smtp_default)', error: 'muted until 2026-12-02T12:00:00Z: maintenance' });
    expect(r.json.alerts[3]).toMatchObject({ task_id: 'load', try_number: 1, notifier: 'slack #etl (slack_default)', next_attempt_at: null });
    expect(r.json.alerts[3].sent_at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('filters by failed, DAG and run, and limits', async () => {
    const failed = await call(web, '/api/v1/alerts?failed=true', { as: 'Viewer' });
    expect(failed.json.alerts.map((a: { dag_id: string }) => a.dag_id)).toEqual(['other', 'etl']);
    expect(failed.json.alerts[0].error).toContain("connection 'slack_bad'");
    const run = await call(web, '/api/v1/alerts?dag_id=etl&dag_run_id=r1', { as: 'Viewer' });
    expect(run.json.alerts.map((a: { event: string }) => a.event)).toEqual(['onDagRunFailure', 'onFailure']);
    const one = await call(web, '/api/v1/alerts?limit=1', { as: 'Viewer' });
    expect(one.json.alerts).toHaveLength(1);
  });

  it('refuses no credentials (401) and bad filters (400, naming the parameter)', async () => {
    expect((await call(web, '/api/v1/alerts', { as: null })).status).toBe(401);
    const bad = await call(web, '/api/v1/alerts?limit=0', { as: 'Viewer' });
    expect(bad.status).toBe(400);
    expect(bad.json.detail).toContain('limit');
    const badDag = await call(web, '/api/v1/alerts?dag_id=has%20space', { as: 'Viewer' });
    expect(badDag.status).toBe(400);
  });
});
