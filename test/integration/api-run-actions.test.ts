/**
 * The REST API's routes that change runs and task instances, on a real stack (PostgreSQL,
 * nats-server, scheduler and worker processes) with the webserver in this process: clearing task
 * instances (dry run first), clearing a run, setting a run's state, marking a task instance
 * success or failed, and the batch run list. What the scheduler runs afterwards is what is
 * checked: a cleared task runs again with a new try, a gate marked success lets its downstream
 * task run at once, a run set to queued is evaluated again, a run set to failed or success still
 * runs its teardown and then takes the state set. Viewer may do none of it.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebserver, type RunningWebserver } from '@updraft/webserver';
import { dagRun, taskInstances, waitFor, waitForRunEnd } from '../e2e/db.js';
import { startStack, type Stack } from '../e2e/stack.js';
import { call, createRoleUsers, type CallResult } from './api-support.js';

let stack: Stack;
let web: RunningWebserver;
const demo: string[] = [];
const day = (n: number): string => `2026-03-0${n}T00:00:00.000Z`;

beforeAll(async () => {
  stack = await startStack({
    dagFiles: ['test/fixtures/dags-clear/clear_demo.ts', 'test/fixtures/dags-api/api_gate.ts', 'test/fixtures/dags-api/api_mapped.ts', 'test/fixtures/dags-api/api_cleanup.ts'],
    workers: [{ name: 'api-w1', concurrency: 4 }],
  });
  await createRoleUsers(stack.pool);
  web = await startWebserver({ listen: '127.0.0.1:0', db: stack.pool, logFolder: stack.logFolder });
  for (const n of [1, 2]) demo.push(await stack.trigger('clear_demo', { logicalDate: new Date(day(n)) }));
  for (const runId of demo) expect((await waitForRunEnd(stack.pool, 'clear_demo', runId, { timeoutMs: 120_000 })).state).toBe('failed');
}, 180_000);

afterAll(async () => {
  await web?.close();
  await stack?.stop();
});

function expectProblem(r: CallResult, status: number, field?: string): void {
  expect(r.status, r.text).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  if (field !== undefined) expect(r.json.field).toBe(field);
}

/** Whether a process of the gate task (its shell, marked by its echo text) is still alive on this machine. */
function gateProcessAlive(): boolean {
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('waiting at the gate')) return true;
    } catch {
      // gone meanwhile
    }
  }
  return false;
}

const states = async (dagId: string, runId: string): Promise<Record<string, [string | null, number]>> =>
  Object.fromEntries([...(await taskInstances(stack.pool, dagId, runId))].map(([id, t]) => [id, [t.state, t.tryNumber]]));

async function eventsOf(event: string): Promise<Array<{ owner: string; run_id: string | null; task_id: string | null }>> {
  return (await stack.pool.query('SELECT owner, run_id, task_id FROM event_log WHERE event = $1 ORDER BY id', [event])).rows;
}

describe('clearTaskInstances', () => {
  it('refuses Viewer, unknown DAGs and tasks, and bad dates, naming the field', async () => {
    expectProblem(await call(web, '/api/v1/dags/clear_demo/clearTaskInstances', { method: 'POST', body: {}, as: 'Viewer' }), 403);
    expectProblem(await call(web, '/api/v1/dags/nope/clearTaskInstances', { method: 'POST', body: {} }), 404, 'path.dag_id');
    expectProblem(await call(web, '/api/v1/dags/clear_demo/clearTaskInstances', { method: 'POST', body: { task_ids: ['nope'] } }), 400, 'body.task_ids');
    expectProblem(await call(web, '/api/v1/dags/clear_demo/clearTaskInstances', { method: 'POST', body: { start_date: 'soon' } }), 400, 'body.start_date');
    expectProblem(await call(web, '/api/v1/dags/clear_demo/clearTaskInstances', { method: 'POST', body: { start_date: day(3), end_date: day(1) } }), 400, 'body.start_date');
    expectProblem(await call(web, '/api/v1/dags/clear_demo/clearTaskInstances', { method: 'POST', body: { dag_run_id: 'nope', dry_run: false } }), 404, 'body.dag_run_id');
  });

  it('answers what it would clear in a dry run (the default) and changes nothing', async () => {
    const body = { task_ids: ['transform'], include_downstream: true, start_date: day(1), end_date: day(1) };
    const r = await call(web, '/api/v1/dags/clear_demo/clearTaskInstances', { method: 'POST', body, as: 'User' });
    expect(r.status, r.text).toBe(200);
    expect(r.json.task_instances.map((t: { task_id: string; state: string; dag_run_id: string; execution_date: string }) => [t.task_id, t.state, t.dag_run_id, t.execution_date]))
      .toEqual([['load', 'upstream_failed', demo[0], day(1)], ['transform', 'failed', demo[0], day(1)]]);
    const all = await call(web, '/api/v1/dags/clear_demo/clearTaskInstances', { method: 'POST', body: { only_failed: false, dag_run_id: demo[1] } });
    expect(all.json.total_entries).toBe(3);
    const running = await call(web, '/api/v1/dags/clear_demo/clearTaskInstances', { method: 'POST', body: { only_failed: false, only_running: true } });
    expect(running.json.total_entries).toBe(0);
    // A run with the runs after it; Airflow clients' extra fields are accepted.
    const future = await call(web, '/api/v1/dags/clear_demo/clearTaskInstances', {
      method: 'POST', body: { dag_run_id: demo[0], include_future: true, task_ids: ['transform'], reset_dag_runs: false, include_subdags: false },
    });
    expect(future.json.task_instances.map((t: { dag_run_id: string }) => t.dag_run_id)).toEqual([demo[0], demo[1]]);
    const past = await call(web, '/api/v1/dags/clear_demo/clearTaskInstances', { method: 'POST', body: { end_date: day(1), include_past: true, task_ids: ['transform'] } });
    expect(past.json.task_instances.map((t: { dag_run_id: string }) => t.dag_run_id)).toEqual([demo[0]]);
    expect(await states('clear_demo', demo[0]!)).toEqual({ extract: ['success', 1], transform: ['failed', 1], load: ['upstream_failed', 0] });
    expect(await eventsOf('task_instances.clear')).toEqual([]);
  });

  it('clears for real: the scheduler runs the cleared tasks again with a new try; the other run stays', async () => {
    writeFileSync(join(stack.workDir, 'fixed'), '');
    const body = { dry_run: false, task_ids: ['transform'], include_downstream: true, start_date: day(1), end_date: day(1) };
    const r = await call(web, '/api/v1/dags/clear_demo/clearTaskInstances', { method: 'POST', body, as: 'User' });
    expect(r.status, r.text).toBe(200);
    expect(r.json.total_entries).toBe(2);
    expect((await waitForRunEnd(stack.pool, 'clear_demo', demo[0]!, { timeoutMs: 120_000 })).state).toBe('success');
    expect(await states('clear_demo', demo[0]!)).toEqual({ extract: ['success', 1], transform: ['success', 2], load: ['success', 1] });
    expect((await dagRun(stack.pool, 'clear_demo', demo[1]!))?.state).toBe('failed');
    expect(await eventsOf('task_instances.clear')).toEqual([{ owner: 'ursula', run_id: demo[0], task_id: null }]);
  });
});

describe('clearTaskInstances of one mapped instance ([task_id, map_index], as Airflow)', () => {
  const tries = async (runId: string): Promise<string[]> => (await stack.pool.query(
    'SELECT task_id, map_index, state, try_number FROM task_instance WHERE dag_id = $1 AND run_id = $2 ORDER BY task_id, map_index', ['api_mapped', runId],
  )).rows.map((r) => `${r.task_id}:${r.map_index} ${r.state} ${r.try_number}`);

  it('clears only that map index (and the downstream task), which runs again while the others keep their try', async () => {
    const runId = await stack.trigger('api_mapped', { logicalDate: new Date(day(5)) });
    expect((await waitForRunEnd(stack.pool, 'api_mapped', runId, { timeoutMs: 120_000 })).state).toBe('success');
    const url = '/api/v1/dags/api_mapped/clearTaskInstances';
    for (const bad of [['each'], ['each', -1], ['each', 1.5], ['each', '1'], [1, 1], ['each', 1, 2], { each: 1 }]) {
      const r = await call(web, url, { method: 'POST', body: { dag_run_id: runId, only_failed: false, task_ids: ['list', bad] } });
      expectProblem(r, 400, 'body.task_ids.1');
      expect(r.json.detail).toContain('[task_id, map_index]');
    }
    expectProblem(await call(web, url, { method: 'POST', body: { task_ids: [['nope', 0]] } }), 400, 'body.task_ids');
    const body = { dag_run_id: runId, only_failed: false, include_downstream: true, task_ids: [['each', 1]] };
    const dry = await call(web, url, { method: 'POST', body, as: 'User' });
    expect(dry.status, dry.text).toBe(200);
    expect(dry.json.task_instances.map((t: { task_id: string; map_index: number }) => `${t.task_id}:${t.map_index}`)).toEqual(['each:1', 'total:-1']);
    const before = ['each:0 success 1', 'each:1 success 1', 'each:2 success 1', 'list:-1 success 1', 'total:-1 success 1'];
    expect(await tries(runId)).toEqual(before);
    const real = await call(web, url, { method: 'POST', body: { ...body, dry_run: false }, as: 'User' });
    expect(real.json.total_entries, real.text).toBe(2);
    expect((await waitForRunEnd(stack.pool, 'api_mapped', runId, { timeoutMs: 120_000 })).state).toBe('success');
    expect(await tries(runId)).toEqual(['each:0 success 1', 'each:1 success 2', 'each:2 success 1', 'list:-1 success 1', 'total:-1 success 2']);
    // The audit log names the instances cleared, map index included (before: only the task ids).
    const { rows: [logged] } = await stack.pool.query<{ extra: Record<string, unknown> }>(
      "SELECT extra FROM event_log WHERE event = 'task_instances.clear' AND dag_id = 'api_mapped' AND run_id = $1 ORDER BY id DESC LIMIT 1", [runId]);
    expect(logged!.extra).toMatchObject({ task_ids: ['each', 'total'], map_indexes: { each: [1] } });
  });
});

describe('DAG runs: state, clear, batch list', () => {
  it('sets a run\'s state: success leaves finished tasks alone; queued makes the scheduler evaluate it again', async () => {
    const path = `/api/v1/dags/clear_demo/dagRuns/${demo[1]}`;
    expectProblem(await call(web, path, { method: 'PATCH', body: { state: 'success' }, as: 'Viewer' }), 403);
    expectProblem(await call(web, path, { method: 'PATCH', body: { state: 'running' } }), 400, 'body.state');
    expectProblem(await call(web, '/api/v1/dags/clear_demo/dagRuns/nope', { method: 'PATCH', body: { state: 'success' } }), 404, 'path.dag_run_id');
    const ok = await call(web, path, { method: 'PATCH', body: { state: 'success' }, as: 'User' });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json).toMatchObject({ dag_run_id: demo[1], state: 'success', end_date: expect.any(String) });
    expect((await states('clear_demo', demo[1]!)).transform).toEqual(['failed', 1]);
    const queued = await call(web, path, { method: 'PATCH', body: { state: 'queued' }, as: 'User' });
    expect(queued.json.state).toMatch(/^(queued|running|failed)$/);
    // Evaluated whole again: transform is still failed, so the run ends failed.
    expect((await waitForRunEnd(stack.pool, 'clear_demo', demo[1]!, { timeoutMs: 120_000 })).state).toBe('failed');
    expect((await eventsOf('dag_run.queued')).map((e) => e.run_id)).toEqual([demo[1]]);
  });

  it('clears a run: dry run (the default) answers its task instances, then they run again', async () => {
    const path = `/api/v1/dags/clear_demo/dagRuns/${demo[1]}/clear`;
    expectProblem(await call(web, path, { method: 'POST', body: {}, as: 'Viewer' }), 403);
    const dry = await call(web, path, { method: 'POST', body: { only_failed: true }, as: 'User' });
    expect(dry.status, dry.text).toBe(200);
    expect(dry.json.task_instances.map((t: { task_id: string }) => t.task_id).sort()).toEqual(['load', 'transform']);
    expect((await call(web, path, { method: 'POST', body: {} })).json.total_entries).toBe(3);
    expect((await dagRun(stack.pool, 'clear_demo', demo[1]!))?.state).toBe('failed');
    const real = await call(web, path, { method: 'POST', body: { dry_run: false, only_failed: true }, as: 'User' });
    expect(real.status, real.text).toBe(200);
    expect(real.json).toMatchObject({ dag_run_id: demo[1] });
    expect((await waitForRunEnd(stack.pool, 'clear_demo', demo[1]!, { timeoutMs: 120_000 })).state).toBe('success');
    expect(await states('clear_demo', demo[1]!)).toEqual({ extract: ['success', 1], transform: ['success', 2], load: ['success', 1] });
    expectProblem(await call(web, '/api/v1/dags/clear_demo/dagRuns/nope/clear', { method: 'POST', body: {} }), 404, 'path.dag_run_id');
  });

  it('lists runs of many DAGs from a body, paginated', async () => {
    const r = await call(web, '/api/v1/dags/~/dagRuns/list', { method: 'POST', body: { dag_ids: ['clear_demo'], states: ['success'], order_by: '-execution_date', page_limit: 1 }, as: 'Viewer' });
    expect(r.status, r.text).toBe(200);
    expect(r.json.total_entries).toBe(2);
    expect(r.json.dag_runs.map((x: { dag_run_id: string }) => x.dag_run_id)).toEqual([demo[1]]);
    const next = await call(web, '/api/v1/dags/~/dagRuns/list', { method: 'POST', body: { dag_ids: ['clear_demo'], order_by: '-execution_date', page_limit: 1, page_offset: 1 } });
    expect(next.json.dag_runs.map((x: { dag_run_id: string }) => x.dag_run_id)).toEqual([demo[0]]);
    expectProblem(await call(web, '/api/v1/dags/~/dagRuns/list', { method: 'POST', body: { page_limit: 5000 } }), 400, 'body.page_limit');
    expectProblem(await call(web, '/api/v1/dags/~/dagRuns/list', { method: 'POST', body: { states: ['sleeping'] } }), 400);
  });
});

describe('setting the state of a running run with a teardown task (Airflow 2.9: the cleanup still runs)', () => {
  const runUntil = async (task: 'create_cluster' | 'work', conf: Record<string, unknown> = {}): Promise<string> => {
    const runId = await stack.trigger('api_cleanup', { conf });
    await waitFor(`${task} to run`, async () => ((await states('api_cleanup', runId))[task]?.[0] === 'running' ? true : undefined), { timeoutMs: 120_000 });
    return runId;
  };
  const setState = (runId: string, state: string) => call(web, `/api/v1/dags/api_cleanup/dagRuns/${runId}`, { method: 'PATCH', body: { state }, as: 'User' });
  const deleteLog = async (runId: string): Promise<string> => {
    const r = await call(web, `/api/v1/dags/api_cleanup/dagRuns/${runId}/taskInstances/delete_cluster/logs/1`, { as: 'Viewer' });
    return r.text;
  };

  it('failed while the work runs: the work fails, the teardown runs, then the run is failed', async () => {
    const runId = await runUntil('work');
    const r = await setState(runId, 'failed');
    expect(r.status, r.text).toBe(200);
    // It keeps running for its teardown.
    expect(r.json).toMatchObject({ dag_run_id: runId, state: 'running' });
    expect((await waitForRunEnd(stack.pool, 'api_cleanup', runId, { timeoutMs: 120_000 })).state).toBe('failed');
    expect(await states('api_cleanup', runId)).toEqual({ create_cluster: ['success', 1], work: ['failed', 1], delete_cluster: ['success', 1] });
    expect(await deleteLog(runId)).toContain('deleting the cluster');
    expect((await eventsOf('dag_run.failed')).filter((e) => e.run_id === runId)).toHaveLength(1);
  });

  it('success while the work runs: the work succeeds, the teardown runs, the run is success', async () => {
    const runId = await runUntil('work');
    expect((await setState(runId, 'success')).json).toMatchObject({ state: 'running' });
    expect((await waitForRunEnd(stack.pool, 'api_cleanup', runId, { timeoutMs: 120_000 })).state).toBe('success');
    expect(await states('api_cleanup', runId)).toEqual({ create_cluster: ['success', 1], work: ['success', 1], delete_cluster: ['success', 1] });
  });

  it('failed while the setup runs: nothing to clean up (the teardown is upstream_failed), and the run is failed as set, though its work was only skipped', async () => {
    const runId = await runUntil('create_cluster', { setup_sleep: 600 });
    // Nothing waits for a teardown: the run may already have ended when the answer reads it.
    expect((await setState(runId, 'failed')).json.state).toMatch(/^(running|failed)$/);
    expect((await waitForRunEnd(stack.pool, 'api_cleanup', runId, { timeoutMs: 120_000 })).state).toBe('failed');
    expect(await states('api_cleanup', runId)).toEqual({ create_cluster: ['failed', 1], work: ['skipped', 0], delete_cluster: ['upstream_failed', 0] });
  });
});

describe('marking a task instance', () => {
  it('marks a running gate success: its try ends, and the scheduler runs the downstream task at once', async () => {
    const runId = await stack.trigger('api_gate');
    await waitFor('the gate to run', async () => ((await states('api_gate', runId)).gate?.[0] === 'running' ? true : undefined), { timeoutMs: 120_000 });
    const path = `/api/v1/dags/api_gate/dagRuns/${runId}/taskInstances/gate`;
    // The running gate holds a slot of its pool.
    const pool = await call(web, '/api/v1/pools/default_pool', { as: 'Viewer' });
    expect(pool.json).toMatchObject({ name: 'default_pool', running_slots: 1, occupied_slots: 1 });
    expectProblem(await call(web, path, { method: 'PATCH', body: { new_state: 'success' }, as: 'Viewer' }), 403);
    expectProblem(await call(web, path, { method: 'PATCH', body: { new_state: 'skipped' } }), 400, 'body.new_state');
    expectProblem(await call(web, `/api/v1/dags/api_gate/dagRuns/${runId}/taskInstances/nope`, { method: 'PATCH', body: { new_state: 'success' } }), 404, 'path.task_id');
    // dry_run is the default, as in Airflow.
    const dry = await call(web, path, { method: 'PATCH', body: { new_state: 'success' }, as: 'User' });
    expect(dry.json).toMatchObject({ task_id: 'gate', dag_run_id: runId, state: 'running' });
    expect((await states('api_gate', runId)).gate).toEqual(['running', 1]);
    const r = await call(web, path, { method: 'PATCH', body: { new_state: 'success', dry_run: false }, as: 'User' });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ task_id: 'gate', state: 'success' });
    expect((await waitForRunEnd(stack.pool, 'api_gate', runId, { timeoutMs: 120_000 })).state).toBe('success');
    expect(await states('api_gate', runId)).toEqual({ gate: ['success', 1], after: ['success', 1] });
    const tries = await stack.pool.query("SELECT state, error FROM task_instance_try WHERE dag_id = 'api_gate' AND run_id = $1 AND task_id = 'gate'", [runId]);
    expect(tries.rows).toEqual([{ state: 'success', error: 'marked success while running' }]);
    expect(await eventsOf('task_instance.success')).toEqual([{ owner: 'ursula', run_id: runId, task_id: 'gate' }]);
    expect((await call(web, '/api/v1/pools/default_pool')).json).toMatchObject({ running_slots: 0, occupied_slots: 0 });
    // The worker hears at its next heartbeat that the attempt is no longer current, and kills it.
    await waitFor('the marked gate\'s process to be killed', async () => (gateProcessAlive() ? undefined : true), { timeoutMs: 120_000 });
  });

  it('marks a gate failed: the downstream task becomes upstream_failed and the run fails', async () => {
    const runId = await stack.trigger('api_gate', { logicalDate: new Date('2026-04-01T00:00:00Z') });
    await waitFor('the gate to run', async () => ((await states('api_gate', runId)).gate?.[0] === 'running' ? true : undefined), { timeoutMs: 120_000 });
    const r = await call(web, `/api/v1/dags/api_gate/dagRuns/${runId}/taskInstances/gate`, { method: 'PATCH', body: { new_state: 'failed', dry_run: false }, as: 'User' });
    expect(r.status, r.text).toBe(200);
    expect((await waitForRunEnd(stack.pool, 'api_gate', runId, { timeoutMs: 120_000 })).state).toBe('failed');
    expect(await states('api_gate', runId)).toEqual({ gate: ['failed', 1], after: ['upstream_failed', 0] });
  });

  it('marks a failed gate success: its upstream_failed downstream task runs after all and the run succeeds (Airflow resumes it)', async () => {
    const runId = await stack.trigger('api_gate', { logicalDate: new Date('2026-04-02T00:00:00Z') });
    await waitFor('the gate to run', async () => ((await states('api_gate', runId)).gate?.[0] === 'running' ? true : undefined), { timeoutMs: 120_000 });
    const path = `/api/v1/dags/api_gate/dagRuns/${runId}/taskInstances/gate`;
    expect((await call(web, path, { method: 'PATCH', body: { new_state: 'failed', dry_run: false }, as: 'User' })).status).toBe(200);
    expect((await waitForRunEnd(stack.pool, 'api_gate', runId, { timeoutMs: 120_000 })).state).toBe('failed');
    expect(await states('api_gate', runId)).toEqual({ gate: ['failed', 1], after: ['upstream_failed', 0] });
    const r = await call(web, path, { method: 'PATCH', body: { new_state: 'success', dry_run: false }, as: 'User' });
    expect(r.status, r.text).toBe(200);
    await waitFor('the downstream task to run', async () => ((await states('api_gate', runId)).after?.[0] === 'success' ? true : undefined), { timeoutMs: 60_000 });
    expect((await waitForRunEnd(stack.pool, 'api_gate', runId, { timeoutMs: 120_000 })).state).toBe('success');
    expect(await states('api_gate', runId)).toEqual({ gate: ['success', 1], after: ['success', 1] });
    // Neither mark ran the gate's onFailure or onSuccess (as in recent Airflow; the README says so).
    const callbacks = await stack.pool.query("SELECT event FROM callback_request WHERE dag_id = 'api_gate' AND task_id = 'gate'");
    expect(callbacks.rows).toEqual([]);
  });
});
