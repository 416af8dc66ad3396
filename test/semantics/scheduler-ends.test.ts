/**
 * Tasks the scheduler ends itself (`d.triggerDagRun`, deferred sensors: `sensors.externalTask`, `sensors.timeDelta`, `d.empty`), on
 * a real stack (PostgreSQL, nats-server, `updraft scheduler` and a worker): a failure with tries
 * left retries after its delay (each map index of a mapped sensor on its own), and the retry is
 * made by the scheduler again, never by a worker;
 * each end records the task's onSuccess / onRetry / onFailure callbacks (run in the callback
 * process) and alerts (outbox rows), once per try, as a worker's try does. Empty tasks are marked
 * success without a worker or a pool slot, unless they have outlets or an onExecute callback.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../e2e/stack.js';
import { runCase } from './cases.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ dagFiles: ['test/fixtures/dags-semantics/scheduler-ends.ts'], workers: [{ name: 'sem-ends-w1', concurrency: 2 }] });
  const pool = await stack.cli(['pools', 'set', 'sem_ends_no_slot', '0', 'no slot: only what takes none runs']);
  expect(pool.code, pool.stderr).toBe(0);
});

afterAll(async () => {
  await stack?.stop();
});

interface Recorded { dagId: string; runId: string; event: string; taskId: string; tryNumber: number; state: string; exception: string | null }

/** The callbacks run for `dagId`'s run, once as many as expected have run (bounded wait: synchronisation, not a timing assertion). */
async function callbacksOf(dagId: string, runId: string, count: number): Promise<Array<Pick<Recorded, 'event' | 'taskId' | 'tryNumber' | 'state'>>> {
  const file = join(stack.workDir, 'scheduler-ends.jsonl');
  const read = (): Recorded[] => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Recorded) : [])
    .filter((r) => r.dagId === dagId && r.runId === runId);
  await expect.poll(() => read().length, { timeout: 60_000, interval: 100 }).toBeGreaterThanOrEqual(count);
  return read().map(({ event, taskId, tryNumber, state }) => ({ event, taskId, tryNumber, state })).sort((a, b) => a.tryNumber - b.tryNumber);
}

/** The alert outbox rows recorded for the run's tries. */
async function alertsOf(dagId: string, runId: string): Promise<Array<{ task_id: string; try_number: number; event: string }>> {
  const { rows } = await stack.pool.query<{ task_id: string; try_number: number; event: string }>(
    'SELECT task_id, try_number, event FROM alert_outbox WHERE dag_id = $1 AND run_id = $2 ORDER BY try_number, event', [dagId, runId]);
  return rows;
}

async function tries(dagId: string, runId: string, taskId: string): Promise<Array<{ try_number: number; state: string; worker_id: string | null; error: string | null }>> {
  const { rows } = await stack.pool.query<{ try_number: number; state: string; worker_id: string | null; error: string | null }>(
    'SELECT try_number, state, worker_id, error FROM task_instance_try WHERE dag_id = $1 AND run_id = $2 AND task_id = $3 ORDER BY try_number',
    [dagId, runId, taskId]);
  return rows;
}

describe('tasks the scheduler ends keep retries, callbacks and alerts', () => {
  it('a trigger records onSuccess; one that fails retries after its delay, by the scheduler again: onRetry for try 1, onFailure for try 2', async () => {
    // The first run triggers the run taken_child: onSuccess, once.
    const first = await runCase(stack, 'sem_ends_trigger_retry');
    expect(first.runState).toBe('success');
    expect(await callbacksOf('sem_ends_trigger_retry', first.runId, 1)).toEqual([{ event: 'onSuccess', taskId: 'kick', tryNumber: 1, state: 'success' }]);
    expect(await alertsOf('sem_ends_trigger_retry', first.runId)).toEqual([{ task_id: 'kick', try_number: 1, event: 'onSuccess' }]);
    // The second finds it there: both tries fail, and no worker makes either.
    const result = await runCase(stack, 'sem_ends_trigger_retry');
    expect(result.runState).toBe('failed');
    expect(result.states).toEqual({ kick: 'failed', after: 'upstream_failed' });
    const kick = await tries('sem_ends_trigger_retry', result.runId, 'kick');
    expect(kick.map(({ try_number, state, worker_id }) => ({ try_number, state, worker_id }))).toEqual([
      { try_number: 1, state: 'failed', worker_id: null }, { try_number: 2, state: 'failed', worker_id: null },
    ]);
    for (const t of kick) expect(t.error).toContain("'taken_child'");
    expect(await callbacksOf('sem_ends_trigger_retry', result.runId, 2)).toEqual([
      { event: 'onRetry', taskId: 'kick', tryNumber: 1, state: 'up_for_retry' },
      { event: 'onFailure', taskId: 'kick', tryNumber: 2, state: 'failed' },
    ]);
    expect(await alertsOf('sem_ends_trigger_retry', result.runId)).toEqual([
      { task_id: 'kick', try_number: 1, event: 'onRetry' }, { task_id: 'kick', try_number: 2, event: 'onFailure' },
    ]);
  });

  it('a wait for another DAG that times out retries, waiting again; onRetry, then onFailure, and the downstream task upstream_failed', async () => {
    const result = await runCase(stack, 'sem_ends_wait_retry');
    expect(result.runState).toBe('failed');
    expect(result.states).toEqual({ wait: 'failed', after: 'upstream_failed' });
    const wait = await tries('sem_ends_wait_retry', result.runId, 'wait');
    expect(wait.map(({ try_number, state, worker_id }) => ({ try_number, state, worker_id }))).toEqual([
      { try_number: 1, state: 'failed', worker_id: null }, { try_number: 2, state: 'failed', worker_id: null },
    ]);
    for (const t of wait) expect(t.error).toMatch(/^sensor timed out: DAG 'sem_ends_target' task 'work'/);
    expect(await callbacksOf('sem_ends_wait_retry', result.runId, 2)).toEqual([
      { event: 'onRetry', taskId: 'wait', tryNumber: 1, state: 'up_for_retry' },
      { event: 'onFailure', taskId: 'wait', tryNumber: 2, state: 'failed' },
    ]);
    expect(await alertsOf('sem_ends_wait_retry', result.runId)).toEqual([
      { task_id: 'wait', try_number: 1, event: 'onRetry' }, { task_id: 'wait', try_number: 2, event: 'onFailure' },
    ]);
  });

  it('a mapped wait retries each map index on its own, by the scheduler again', async () => {
    const result = await runCase(stack, 'sem_ends_mapped_wait');
    expect(result.runState).toBe('failed');
    expect(result.states).toEqual({ 'wait[0]': 'failed', 'wait[1]': 'failed', after: 'upstream_failed' });
    const { rows } = await stack.pool.query<{ map_index: number; try_number: number; state: string; worker_id: string | null }>(
      `SELECT map_index, try_number, state, worker_id FROM task_instance_try WHERE dag_id = $1 AND run_id = $2 AND task_id = 'wait'
       ORDER BY map_index, try_number`, ['sem_ends_mapped_wait', result.runId]);
    expect(rows).toEqual([0, 1].flatMap((m) => [1, 2].map((t) => ({ map_index: m, try_number: t, state: 'failed', worker_id: null }))));
    expect(await callbacksOf('sem_ends_mapped_wait', result.runId, 4)).toEqual([
      { event: 'onRetry', taskId: 'wait', tryNumber: 1, state: 'up_for_retry' }, { event: 'onRetry', taskId: 'wait', tryNumber: 1, state: 'up_for_retry' },
      { event: 'onFailure', taskId: 'wait', tryNumber: 2, state: 'failed' }, { event: 'onFailure', taskId: 'wait', tryNumber: 2, state: 'failed' },
    ]);
  });

  it('a deferred wait for a moment ends success with onSuccess, once; no worker made its try', async () => {
    const result = await runCase(stack, 'sem_ends_nap');
    expect(result.runState).toBe('success');
    expect(result.states).toEqual({ nap: 'success', after: 'success' });
    expect((await tries('sem_ends_nap', result.runId, 'nap')).map(({ try_number, state, worker_id }) => ({ try_number, state, worker_id })))
      .toEqual([{ try_number: 1, state: 'success', worker_id: null }]);
    expect(await callbacksOf('sem_ends_nap', result.runId, 1)).toEqual([{ event: 'onSuccess', taskId: 'nap', tryNumber: 1, state: 'success' }]);
    expect(await alertsOf('sem_ends_nap', result.runId)).toEqual([{ task_id: 'nap', try_number: 1, event: 'onSuccess' }]);
  });

  it('empty tasks end success without a worker, a pool slot or a log, with their onSuccess effects; with outlets or onExecute they go to a worker', async () => {
    const result = await runCase(stack, 'sem_ends_markers');
    expect(result.runState).toBe('success');
    expect(result.states).toEqual({ start: 'success', work: 'success', end: 'success', announced: 'success', watched: 'success' });
    const { rows } = await stack.pool.query<{ task_id: string; try_number: number; state: string; worker_id: string | null; hostname: string | null; log_path: string | null; duration_ms: number }>(
      `SELECT task_id, try_number, state, worker_id, hostname, log_path, duration_ms FROM task_instance_try WHERE dag_id = $1 AND run_id = $2 ORDER BY task_id`,
      ['sem_ends_markers', result.runId]);
    const byWorker = Object.fromEntries(rows.map((r) => [r.task_id, r.worker_id !== null]));
    expect(byWorker).toEqual({ start: false, end: false, work: true, announced: true, watched: true });
    for (const r of rows.filter((x) => x.worker_id === null)) {
      expect({ try: r.try_number, state: r.state, hostname: r.hostname, log: r.log_path, ms: r.duration_ms }).toEqual({ try: 1, state: 'success', hostname: null, log: null, ms: 0 });
    }
    expect(await callbacksOf('sem_ends_markers', result.runId, 2)).toEqual(expect.arrayContaining([
      { event: 'onSuccess', taskId: 'end', tryNumber: 1, state: 'success' },
      { event: 'onExecute', taskId: 'watched', tryNumber: 1, state: 'running' },
    ]));
    expect(await alertsOf('sem_ends_markers', result.runId)).toEqual([{ task_id: 'end', try_number: 1, event: 'onSuccess' }]);
    const events = await stack.pool.query<{ source_task_id: string }>(
      'SELECT source_task_id FROM asset_event WHERE source_dag_id = $1 AND source_run_id = $2', ['sem_ends_markers', result.runId]);
    expect(events.rows).toEqual([{ source_task_id: 'announced' }]);
    // Asked for the log it never had, the CLI says why.
    const log = await stack.cli(['tasks', 'logs', 'sem_ends_markers', result.runId, 'start']);
    expect(log.code).not.toBe(0);
    expect(log.stderr).toContain("try 1 of task 'start'");
    expect(log.stderr).toContain('has no log: the scheduler decided it itself');
  });
});
