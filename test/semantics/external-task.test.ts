/**
 * sensors.externalTask on a real stack (PostgreSQL, nats-server, `updraft scheduler` and a worker
 * process): the sensor waits in state deferred (no worker claims it) until another DAG's task for
 * the same logical date ends; success follows that task's success, a failure fails it at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../e2e/stack.js';
import { caseResult } from './cases.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ dagFiles: ['test/fixtures/dags-semantics/external-task.ts'], workers: [{ name: 'sem-ext-w1', concurrency: 2 }] });
});

afterAll(async () => {
  await stack?.stop();
});

interface TryRow { state: string; worker_id: string | null; started_at: Date; ended_at: Date | null }

async function lastTry(dagId: string, runId: string, taskId: string): Promise<TryRow> {
  const { rows } = await stack.pool.query<TryRow>(
    'SELECT state, worker_id, started_at, ended_at FROM task_instance_try WHERE dag_id = $1 AND run_id = $2 AND task_id = $3 ORDER BY try_number DESC LIMIT 1',
    [dagId, runId, taskId]);
  if (rows[0] === undefined) throw new Error(`${dagId}/${runId}/${taskId} has no try`);
  return rows[0];
}

/** Bounded wait until the task instance is in `state` (synchronisation, not a timing assertion). */
async function until(dagId: string, runId: string, taskId: string, state: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { rows } = await stack.pool.query<{ state: string | null }>(
      'SELECT state FROM task_instance WHERE dag_id = $1 AND run_id = $2 AND task_id = $3', [dagId, runId, taskId]);
    if (rows[0]?.state === state) return;
    if (Date.now() > deadline) throw new Error(`${dagId}/${taskId} never reached ${state}: ${JSON.stringify(rows[0])}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('sensors.externalTask', () => {
  it('waits deferred for the other DAG\'s task of the same logical date and succeeds once it succeeded', async () => {
    const logicalDate = new Date('2026-03-01T00:00:00Z');
    const waiting = await stack.trigger('sem_ext_waiter', { logicalDate });
    await until('sem_ext_waiter', waiting, 'wait', 'deferred');
    // Another logical date's success decides nothing.
    const other = await stack.trigger('sem_ext_upstream', { logicalDate: new Date('2026-02-27T00:00:00Z') });
    expect((await caseResult(stack, 'sem_ext_upstream', other)).runState).toBe('success');
    const upstream = await stack.trigger('sem_ext_upstream', { logicalDate });
    expect((await caseResult(stack, 'sem_ext_upstream', upstream)).runState).toBe('success');
    const result = await caseResult(stack, 'sem_ext_waiter', waiting);
    expect(result.runState).toBe('success');
    expect(result.states).toEqual({ wait: 'success', after: 'success' });
    const sensor = await lastTry('sem_ext_waiter', waiting, 'wait');
    const produce = await lastTry('sem_ext_upstream', upstream, 'produce');
    expect(sensor.worker_id).toBeNull();
    expect(sensor.ended_at!.getTime()).toBeGreaterThanOrEqual(produce.ended_at!.getTime());
  });

  it('fails at once when the task waited for failed (long before its timeout), downstream upstream_failed', async () => {
    const logicalDate = new Date('2026-03-02T00:00:00Z');
    const waiting = await stack.trigger('sem_ext_waiter', { logicalDate });
    await until('sem_ext_waiter', waiting, 'wait', 'deferred');
    const upstream = await stack.trigger('sem_ext_upstream', { logicalDate, conf: { fail: true } });
    expect((await caseResult(stack, 'sem_ext_upstream', upstream)).runState).toBe('failed');
    const result = await caseResult(stack, 'sem_ext_waiter', waiting);
    expect(result.runState).toBe('failed');
    expect(result.states).toEqual({ wait: 'failed', after: 'upstream_failed' });
    expect(result.errors.wait).toBe("DAG 'sem_ext_upstream' task 'produce' for logical date 2026-03-02T00:00:00Z ended failed");
    const sensor = await lastTry('sem_ext_waiter', waiting, 'wait');
    // Its timeout is ten minutes: only the failure can have ended it.
    expect(sensor.ended_at!.getTime() - sensor.started_at.getTime()).toBeLessThan(10 * 60_000);
  });

  it('a wait that is already satisfied (the whole run, one day earlier) ends at once', async () => {
    const upstream = await stack.trigger('sem_ext_upstream', { logicalDate: new Date('2026-04-01T00:00:00Z') });
    expect((await caseResult(stack, 'sem_ext_upstream', upstream)).runState).toBe('success');
    const waiting = await stack.trigger('sem_ext_day_before', { logicalDate: new Date('2026-04-02T00:00:00Z') });
    const result = await caseResult(stack, 'sem_ext_day_before', waiting);
    expect(result.runState).toBe('success');
    expect(result.states).toEqual({ yesterday: 'success' });
  });

  it('times out like any sensor: with softFail it is skipped and its all_success downstream too', async () => {
    const runId = await stack.trigger('sem_ext_nobody');
    const result = await caseResult(stack, 'sem_ext_nobody', runId);
    expect(result.runState).toBe('success');
    expect(result.states).toEqual({ never: 'skipped', after: 'skipped' });
    expect(result.errors.never).toMatch(/^sensor timed out: DAG 'sem_ext_absent' task 'x' for logical date \S+ did not reach success$/);
  });
});
