/**
 * A DAG run's final state on a real stack (PostgreSQL, nats-server, `updraft scheduler` and `updraft
 * worker` processes), as Airflow decides it: once no task is left to run, the run failed when a
 * leaf task (one without downstream tasks) failed or is upstream_failed, and succeeded otherwise,
 * whatever happened before the leaves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../e2e/stack.js';
import { runCase } from './cases.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ dagFiles: ['test/fixtures/dags-semantics/run-state.ts'], workers: [{ name: 'sem-run-state-w1', concurrency: 4 }] });
});

afterAll(async () => {
  await stack?.stop();
});

describe('the leaves decide the run', () => {
  it('a failed task followed by an all_done leaf that succeeds: the run succeeds', async () => {
    const r = await runCase(stack, 'sem_run_state_cleanup');
    expect({ run: r.runState, ...r.states }).toEqual({ run: 'success', work: 'failed', cleanup: 'success' });
  });

  it('one leaf upstream_failed beside one that succeeded: the run fails', async () => {
    const r = await runCase(stack, 'sem_run_state_failed_leaf');
    expect({ run: r.runState, ...r.states }).toEqual({ run: 'failed', work: 'failed', report: 'upstream_failed', cleanup: 'success' });
  });

  it('a failure handled by a one_failed path that the only leaf follows: the run succeeds', async () => {
    const r = await runCase(stack, 'sem_run_state_handled');
    expect({ run: r.runState, ...r.states }).toEqual({
      run: 'success', work: 'failed', recover: 'success', on_ok: 'upstream_failed', end: 'success',
    });
  });

  it('failFast: a final failure stops the run: the running task fails (killed), the one not started is skipped, the teardown still runs, the run fails', async () => {
    const r = await runCase(stack, 'sem_run_state_fail_fast');
    expect({ run: r.runState, ...r.states }).toEqual({
      run: 'failed', prepare: 'success', boom: 'failed', slow: 'failed', after_boom: 'upstream_failed', after_slow: 'skipped', cleanup: 'success',
    });
    expect(r.errors.boom).toContain('boom on purpose');
    expect(r.errors.slow).toBe("stopped: task 'boom' failed and the DAG fails fast (failFast)");
    const { rows } = await stack.pool.query<{ state: string; error: string | null }>(
      "SELECT state, error FROM task_instance_try WHERE dag_id = 'sem_run_state_fail_fast' AND run_id = $1 AND task_id = 'slow'", [r.runId]);
    expect(rows).toEqual([{ state: 'failed', error: "stopped: task 'boom' failed and the DAG fails fast (failFast)" }]);
  });
});
