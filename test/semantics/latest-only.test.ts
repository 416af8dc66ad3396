/**
 * d.latestOnly on a real stack (PostgreSQL, nats-server, `updraft scheduler` and a worker): the
 * latest scheduled run runs everything; a backfill run of the past skips the gate's direct
 * downstream task (and what follows by trigger rules); a manual run of an old date skips nothing.
 * No worker runs the gate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForRunEnd } from '../e2e/db.js';
import { startStack, type Stack } from '../e2e/stack.js';
import { runCase, taskStates, xcomValues } from './cases.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ dagFiles: ['test/fixtures/dags-semantics/latest-only.ts'], workers: [{ name: 'sem-latest-w1', concurrency: 2 }] });
});

afterAll(async () => {
  await stack?.stop();
});

const ALL_RAN = { load: 'success', latest_only: 'success', notify: 'success', after_notify: 'success', cleanup: 'success' };
/** A run that is not the latest: the gate's direct downstream is skipped, what follows goes by its trigger rule. */
const PAST_SKIPPED = { load: 'success', latest_only: 'success', notify: 'skipped', after_notify: 'skipped', cleanup: 'success' };

async function gateReturnValue(runId: string): Promise<unknown> {
  const { rows } = await stack.pool.query<{ value: unknown }>(
    "SELECT value FROM xcom WHERE dag_id = 'sem_latest_only' AND run_id = $1 AND task_id = 'latest_only' AND key = 'return_value'", [runId]);
  return rows[0]?.value;
}

describe('d.latestOnly', () => {
  it('the latest scheduled run (yesterday\'s interval, created at start) runs everything; no worker ran the gate', async () => {
    // Bounded wait for the scheduler to create it (synchronisation, not a timing assertion).
    let runId: string | undefined;
    await expect.poll(async () => {
      const { rows } = await stack.pool.query<{ run_id: string }>("SELECT run_id FROM dag_run WHERE dag_id = 'sem_latest_only' AND run_type = 'scheduled'");
      runId = rows[0]?.run_id;
      return runId;
    }, { timeout: 60_000, interval: 100 }).toBeDefined();
    const run = await waitForRunEnd(stack.pool, 'sem_latest_only', runId!, { timeoutMs: 120_000, diagnostics: () => stack.diagnostics() });
    expect(run.state).toBe('success');
    const { rows } = await stack.pool.query<{ worker_id: string | null; state: string; ended_at: Date; start_date: Date; window_end: Date }>(
      `SELECT t.worker_id, t.state, t.ended_at, r.start_date, r.data_interval_end + interval '1 day' AS window_end
         FROM task_instance_try t JOIN dag_run r ON r.dag_id = t.dag_id AND r.run_id = t.run_id
        WHERE t.dag_id = 'sem_latest_only' AND t.run_id = $1 AND t.task_id = 'latest_only'`, [runId]);
    expect(rows.map(({ worker_id, state }) => ({ worker_id, state }))).toEqual([{ worker_id: null, state: 'success' }]);
    // The run is the latest until the next daily interval ends (the next midnight, UTC). The gate
    // decided between the run's start and its try's end: a midnight in between makes either answer right.
    const { ended_at: decidedBy, start_date: decidedAfter, window_end: windowEnd } = rows[0]!;
    const states = (await taskStates(stack.pool, 'sem_latest_only', runId!)).states;
    if (decidedBy <= windowEnd) expect(states).toEqual(ALL_RAN);
    else if (decidedAfter > windowEnd) expect(states).toEqual(PAST_SKIPPED);
    else expect([ALL_RAN, PAST_SKIPPED]).toContainEqual(states);
  });

  it('a backfill run of the past skips the direct downstream task and what follows it by trigger rules', async () => {
    const r = await stack.cli(['dags', 'backfill', 'sem_latest_only', '--start-date', '2024-01-02', '--end-date', '2024-01-02'], { timeoutMs: 180_000 });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const { rows } = await stack.pool.query<{ run_id: string; state: string }>(
      "SELECT run_id, state FROM dag_run WHERE dag_id = 'sem_latest_only' AND run_type = 'backfill'");
    expect(rows).toHaveLength(1);
    expect(rows[0]!.state).toBe('success');
    expect((await taskStates(stack.pool, 'sem_latest_only', rows[0]!.run_id)).states).toEqual(PAST_SKIPPED);
    // The gate's return value, as Airflow's LatestOnlyOperator: the direct downstream tasks it follows, none here.
    expect(await gateReturnValue(rows[0]!.run_id)).toEqual([]);
    // Cleared alone (with what follows it), while the gate is left alone: its decision stands, as Airflow's
    // NotPreviouslySkippedDep keeps it. Before, notify and after_notify ran.
    const cleared = await stack.cli(['tasks', 'clear', 'sem_latest_only', '--task-regex', '^notify$', '--run-id', rows[0]!.run_id, '--downstream', '--yes']);
    expect(cleared.code, cleared.stderr).toBe(0);
    const run = await waitForRunEnd(stack.pool, 'sem_latest_only', rows[0]!.run_id, { timeoutMs: 120_000, diagnostics: () => stack.diagnostics() });
    expect(run.state).toBe('success');
    const again = await taskStates(stack.pool, 'sem_latest_only', rows[0]!.run_id);
    expect(again.states).toEqual(PAST_SKIPPED);
    const { rows: tries } = await stack.pool.query<{ task_id: string }>(
      "SELECT task_id FROM task_instance_try WHERE dag_id = 'sem_latest_only' AND run_id = $1 AND task_id IN ('notify', 'after_notify')", [rows[0]!.run_id]);
    expect(tries).toEqual([]);
  });

  it('a manual run of an old date skips nothing (Airflow: a triggered run always proceeds)', async () => {
    const result = await runCase(stack, 'sem_latest_only', { logicalDate: new Date('2024-02-01T00:00:00Z') });
    expect(result.runState).toBe('success');
    expect(result.states).toEqual(ALL_RAN);
    expect(await gateReturnValue(result.runId)).toEqual(['notify']);
    // A task downstream reads the gate's decision through XCom.
    expect((await xcomValues(stack.pool, 'sem_latest_only', result.runId))['after_notify:return_value']).toEqual({ followed: ['notify'] });
  });
});
