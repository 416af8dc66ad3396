/**
 * Setup and teardown tasks on a real stack (PostgreSQL, nats-server, `updraft scheduler` and
 * `updraft worker` processes), with Airflow's outcomes: the teardown runs after the work whatever
 * the work's outcome, is upstream_failed when its setup failed, does not fail the run unless it
 * says so, and clearing the work clears its setup and teardown with it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../e2e/stack.js';
import { caseResult, runCase, tryLog } from './cases.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ dagFiles: ['test/fixtures/dags-semantics/setup-teardown.ts'], workers: [{ name: 'sem-setup-w1', concurrency: 4 }] });
});

afterAll(async () => {
  await stack?.stop();
});

const outcome = (r: { runState: string; states: Record<string, string | null> }) => ({ run: r.runState, ...r.states });

describe('setup and teardown', () => {
  it('all succeed: the teardown runs last, the run succeeds', async () => {
    const r = await runCase(stack, 'sem_setup_teardown');
    expect(outcome(r)).toEqual({ run: 'success', create_cluster: 'success', work: 'success', delete_cluster: 'success' });
  });

  it('the work fails: the teardown still runs, and the run fails (the work decides it)', async () => {
    const r = await runCase(stack, 'sem_setup_teardown', { conf: { failWork: true } });
    expect(outcome(r)).toEqual({ run: 'failed', create_cluster: 'success', work: 'failed', delete_cluster: 'success' });
    expect(await tryLog(stack, 'sem_setup_teardown', r.runId, 'delete_cluster')).toContain('delete ran (try 1)');
  });

  it('the setup fails: nothing was set up, the work and the teardown are upstream_failed', async () => {
    const r = await runCase(stack, 'sem_setup_teardown', { conf: { failSetup: true } });
    expect(outcome(r)).toEqual({ run: 'failed', create_cluster: 'failed', work: 'upstream_failed', delete_cluster: 'upstream_failed' });
  });

  it('the teardown fails: the run succeeds, unless the teardown says onFailureFailDagrun', async () => {
    const lenient = await runCase(stack, 'sem_setup_teardown', { conf: { failTeardown: true } });
    expect(outcome(lenient)).toEqual({ run: 'success', create_cluster: 'success', work: 'success', delete_cluster: 'failed' });
    const strict = await runCase(stack, 'sem_setup_teardown_strict', { conf: { failTeardown: true } });
    expect(outcome(strict)).toEqual({ run: 'failed', create_cluster: 'success', work: 'success', delete_cluster: 'failed' });
  });

  it('clearing the failed work clears its setup and teardown: all three run again, in order, and the run succeeds', async () => {
    const r = await runCase(stack, 'sem_setup_teardown', { conf: { failWork: true } });
    expect(r.runState).toBe('failed');
    const cleared = await stack.cli(['tasks', 'clear', 'sem_setup_teardown', '--task-regex', '^work$', '--run-id', r.runId, '--yes']);
    expect(cleared.code, cleared.stderr).toBe(0);
    const again = await caseResult(stack, 'sem_setup_teardown', r.runId);
    expect(outcome(again)).toEqual({ run: 'success', create_cluster: 'success', work: 'success', delete_cluster: 'success' });
    expect(again.tries).toEqual({ create_cluster: 2, work: 2, delete_cluster: 2 });
    const { rows } = await stack.pool.query<{ task_id: string }>(
      `SELECT task_id FROM task_instance_try WHERE dag_id = 'sem_setup_teardown' AND run_id = $1 AND try_number = 2 ORDER BY started_at`, [r.runId]);
    expect(rows.map((x) => x.task_id)).toEqual(['create_cluster', 'work', 'delete_cluster']);
  });
});
