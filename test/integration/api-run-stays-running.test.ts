/**
 * Clearing or marking task instances of a run that is still running leaves the run running, as
 * in Airflow (only a finished run goes back to queued): its state never passes through queued (a
 * trigger in the test database logs every change of state), its start date stays, and the
 * scheduler still evaluates it at once (the cleared task runs again, the marked task's downstream
 * task runs, the run ends when nothing is left). A real stack (PostgreSQL, nats-server, scheduler
 * and worker processes) with the webserver in this process.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebserver, type RunningWebserver } from '@updraft/webserver';
import { readTaskLog } from '@updraft/worker';
import { taskInstances, waitFor, waitForRunEnd } from '../e2e/db.js';
import { startStack, type Stack } from '../e2e/stack.js';
import { call, createRoleUsers } from './api-support.js';

let stack: Stack;
let web: RunningWebserver;

beforeAll(async () => {
  stack = await startStack({ dagFiles: ['test/fixtures/dags-api/api_hold.ts'], workers: [{ name: 'hold-w1', concurrency: 4 }] });
  await createRoleUsers(stack.pool);
  // A state the run holds for a moment only (queued until a scheduler starts it again) is seen
  // for sure in a log kept by the database itself, not by polling.
  await stack.pool.query(`
    CREATE TABLE test_run_state_log (id bigserial PRIMARY KEY, run_id text NOT NULL, state text NOT NULL);
    CREATE FUNCTION test_log_run_state() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO test_run_state_log (run_id, state) VALUES (NEW.run_id, NEW.state); RETURN NULL; END $$;
    CREATE TRIGGER test_run_state_log AFTER UPDATE OF state ON dag_run
      FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION test_log_run_state();`);
  web = await startWebserver({ listen: '127.0.0.1:0', db: stack.pool, logFolder: stack.logFolder });
}, 180_000);

afterAll(async () => {
  await web?.close();
  await stack?.stop();
});

const states = async (runId: string): Promise<Record<string, [string | null, number]>> =>
  Object.fromEntries([...(await taskInstances(stack.pool, 'api_hold', runId))].map(([id, t]) => [id, [t.state, t.tryNumber]]));

async function runRow(runId: string): Promise<{ state: string; start_date: Date | null }> {
  const r = await stack.pool.query("SELECT state, start_date FROM dag_run WHERE dag_id = 'api_hold' AND run_id = $1", [runId]);
  return r.rows[0];
}

/** Every state the run passed through, in order (the trigger installed in beforeAll logs each change). */
async function stateHistory(runId: string): Promise<string[]> {
  const r = await stack.pool.query('SELECT state FROM test_run_state_log WHERE run_id = $1 ORDER BY id', [runId]);
  return r.rows.map((x: { state: string }) => x.state);
}

/** A run of api_hold with quick done and hold and gate running. */
async function startedRun(day: string): Promise<{ runId: string; startDate: Date }> {
  const runId = await stack.trigger('api_hold', { logicalDate: new Date(`${day}T00:00:00.000Z`) });
  await waitFor('quick to end and hold and gate to run', async () => {
    const s = await states(runId);
    return s.quick?.[0] === 'success' && s.hold?.[0] === 'running' && s.gate?.[0] === 'running' ? true : undefined;
  }, { timeoutMs: 120_000 });
  const row = await runRow(runId);
  expect(row.state).toBe('running');
  return { runId, startDate: row.start_date! };
}

async function markGateSuccess(runId: string): Promise<void> {
  const r = await call(web, `/api/v1/dags/api_hold/dagRuns/${runId}/taskInstances/gate`, { method: 'PATCH', body: { new_state: 'success', dry_run: false }, as: 'User' });
  expect(r.status, r.text).toBe(200);
}

describe('a person changes task instances of a run that is still running', () => {
  it('clearing a finished task: the run stays running with its start date, the task runs again, the run ends success', async () => {
    const { runId, startDate } = await startedRun('2026-04-01');
    const r = await call(web, '/api/v1/dags/api_hold/clearTaskInstances', { method: 'POST', body: { dry_run: false, only_failed: false, dag_run_id: runId, task_ids: ['quick'] }, as: 'User' });
    expect(r.status, r.text).toBe(200);
    expect(r.json.total_entries).toBe(1);
    await waitFor('quick to run again', async () => ((await states(runId)).quick?.[1] === 2 && (await states(runId)).quick?.[0] === 'success' ? true : undefined), { timeoutMs: 120_000 });
    expect((await states(runId)).hold).toEqual(['running', 1]);
    expect(await stateHistory(runId)).toEqual(['running']);
    expect((await runRow(runId)).start_date).toEqual(startDate);
    writeFileSync(join(stack.workDir, 'release-2026-04-01'), '');
    await markGateSuccess(runId);
    expect((await waitForRunEnd(stack.pool, 'api_hold', runId, { timeoutMs: 120_000 })).state).toBe('success');
    expect(await states(runId)).toEqual({ quick: ['success', 2], hold: ['success', 1], gate: ['success', 1], after: ['success', 1] });
    expect((await runRow(runId)).start_date).toEqual(startDate);
    // Started once, never queued again, ended.
    expect(await stateHistory(runId)).toEqual(['running', 'success']);
  });

  it('marking a running task success: the run stays running with its start date, the downstream task runs at once, the run ends success', async () => {
    const { runId, startDate } = await startedRun('2026-04-02');
    await markGateSuccess(runId);
    await waitFor('after to run', async () => ((await states(runId)).after?.[0] === 'success' ? true : undefined), { timeoutMs: 120_000 });
    expect((await states(runId)).hold).toEqual(['running', 1]);
    expect(await stateHistory(runId)).toEqual(['running']);
    expect((await runRow(runId)).start_date).toEqual(startDate);
    writeFileSync(join(stack.workDir, 'release-2026-04-02'), '');
    expect((await waitForRunEnd(stack.pool, 'api_hold', runId, { timeoutMs: 120_000 })).state).toBe('success');
    expect(await states(runId)).toEqual({ quick: ['success', 1], hold: ['success', 1], gate: ['success', 1], after: ['success', 1] });
    expect((await runRow(runId)).start_date).toEqual(startDate);
    // Started once, never queued again, ended.
    expect(await stateHistory(runId)).toEqual(['running', 'success']);
    // The worker killed the marked try at its next heartbeat; the try's log says why (before: the
    // same words for every kill, "zombie, cleared or timed out").
    const log = await waitFor('the marked try\'s log to end', async () => {
      const text = await readTaskLog({ logFolder: stack.logFolder, dagId: 'api_hold', runId, taskId: 'gate', tryNumber: 1 }).catch(() => '');
      return text.includes('reason: killed') ? text : undefined;
    }, { timeoutMs: 60_000 });
    expect(log).toMatch(/reason: killed: the scheduler ended this try: marked success while running/);
  });
});
