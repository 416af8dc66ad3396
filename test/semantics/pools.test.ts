/**
 * Pools and concurrency limits on a real stack (PostgreSQL, nats-server, `updraft scheduler` and
 * `updraft worker` processes), with Airflow's semantics: a task instance takes its pool_slots of
 * its pool while queued or running and never more than the pool holds; free slots go to the
 * highest priority first; max_active_tasks (DAG) and max_active_tis_per_dag (task) bound queued +
 * running instances the same way; a task held back says why; a pool that grows releases them.
 * Overlaps are checked from the try rows (queued_at -> ended_at), never from timings.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../e2e/stack.js';
import { waitForRunEnd } from '../e2e/db.js';
import { caseResult } from './cases.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ dagFiles: ['test/fixtures/dags-semantics/pools.ts'], workers: [{ name: 'sem-pools-w1', concurrency: 8 }] });
  const made = await stack.cli(['pools', 'set', 'sem_pool_two', '2', 'two slots']);
  expect(made.code, made.stderr).toBe(0);
  const zero = await stack.cli(['pools', 'set', 'sem_pool_grow', '0', 'grows later']);
  expect(zero.code, zero.stderr).toBe(0);
  const starve = await stack.cli(['pools', 'set', 'sem_pool_starve', '3', 'shared by a long backlog and others']);
  expect(starve.code, starve.stderr).toBe(0);
  const backlog = await stack.cli(['pools', 'set', 'sem_pool_backlog', '40', 'more slots than the worker']);
  expect(backlog.code, backlog.stderr).toBe(0);
  const dates = await stack.cli(['pools', 'set', 'sem_pool_dates', '0', 'holds two runs until the test grows it']);
  expect(dates.code, dates.stderr).toBe(0);
});

afterAll(async () => {
  await stack?.stop();
});

interface TryRow { run_id: string; task_id: string; queued_at: Date; ended_at: Date }

/** Every try of the DAG's tasks: queued_at -> ended_at is when it held its place. */
async function tries(dagId: string): Promise<TryRow[]> {
  const { rows } = await stack.pool.query<TryRow>(
    'SELECT run_id, task_id, queued_at, ended_at FROM task_instance_try WHERE dag_id = $1 ORDER BY queued_at', [dagId]);
  return rows;
}

/** The most tries holding a place at the same moment (an end at the same instant as a queueing frees first). */
function mostAtOnce(rows: readonly TryRow[]): number {
  const events = rows.flatMap((r) => [{ t: r.queued_at.getTime(), d: 1 }, { t: r.ended_at.getTime(), d: -1 }]);
  events.sort((a, b) => a.t - b.t || a.d - b.d);
  let now = 0;
  let most = 0;
  for (const e of events) {
    now += e.d;
    most = Math.max(most, now);
  }
  return most;
}

const timeline = (rows: readonly TryRow[]): string =>
  rows.map((r) => `${r.run_id} ${r.task_id} ${r.queued_at.toISOString()} -> ${r.ended_at.toISOString()}`).join('\n');

interface Row { state: string | null; wait_reason: string | null }

/** Polls until the task instance waits with a reason (synchronization, not a timing assertion). */
async function heldBack(dagId: string, runId: string, taskId: string, reason: RegExp): Promise<Row> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { rows } = await stack.pool.query<Row>(
      'SELECT state, wait_reason FROM task_instance WHERE dag_id = $1 AND run_id = $2 AND task_id = $3', [dagId, runId, taskId]);
    if (rows[0]?.wait_reason != null && reason.test(rows[0].wait_reason)) return rows[0];
    if (Date.now() > deadline) throw new Error(`${dagId}/${runId}/${taskId} never waited with ${reason}: ${JSON.stringify(rows[0])}\n${stack.diagnostics()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Polls until the task instance is in `state` (synchronization, not a timing assertion). */
async function untilState(dagId: string, runId: string, taskId: string, state: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { rows } = await stack.pool.query<Row>(
      'SELECT state, wait_reason FROM task_instance WHERE dag_id = $1 AND run_id = $2 AND task_id = $3', [dagId, runId, taskId]);
    if (rows[0]?.state === state) return;
    if (Date.now() > deadline) throw new Error(`${dagId}/${runId}/${taskId} never reached ${state}: ${JSON.stringify(rows[0])}\n${stack.diagnostics()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('pools', () => {
  it('a pool of 2 slots with 10 tasks: never more than 2 queued + running, highest priority first', async () => {
    const dagId = 'sem_pool_limit';
    const runId = await stack.trigger(dagId);
    await heldBack(dagId, runId, 'p01', /^pool sem_pool_two: 2 of 2 slots taken$/);
    const pools = await stack.cli(['pools', 'get', 'sem_pool_two', '-o', 'json']);
    expect(pools.code, pools.stderr).toBe(0);
    const [view] = JSON.parse(pools.stdout) as Array<{ occupied_slots: number; open_slots: number }>;
    expect(view!.occupied_slots).toBeLessThanOrEqual(2);
    expect(view!.occupied_slots + view!.open_slots).toBe(2);
    const result = await caseResult(stack, dagId, runId);
    expect(result.runState).toBe('success');
    const rows = await tries(dagId);
    expect(rows).toHaveLength(10);
    expect(mostAtOnce(rows), timeline(rows)).toBe(2);
    // Queued in priority order: a task with a higher priority weight was never queued after a lower one.
    const order = rows.map((r) => r.task_id);
    for (let i = 1; i < rows.length; i++) {
      if (rows[i]!.queued_at.getTime() > rows[i - 1]!.queued_at.getTime()) {
        expect(order[i]! < order[i - 1]!, `${order.join(' ')}`).toBe(true);
      }
    }
    expect([order[0], order[1]].sort()).toEqual(['p09', 'p10']);
    const { rows: reasons } = await stack.pool.query('SELECT count(*)::int AS n FROM task_instance WHERE dag_id = $1 AND wait_reason IS NOT NULL', [dagId]);
    expect(reasons[0].n).toBe(0);
  });

  it('a task whose pool does not exist waits, saying so (also in `tasks states`), and runs once the pool is created', async () => {
    const dagId = 'sem_missing_pool';
    const runId = await stack.trigger(dagId);
    const held = await heldBack(dagId, runId, 'needs_pool', /pool sem_pool_later does not exist/);
    expect(held.state).toBe('scheduled');
    const table = await stack.cli(['tasks', 'states', dagId, runId]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('WAITING_BECAUSE');
    expect(table.stdout).toContain('pool sem_pool_later does not exist');
    const made = await stack.cli(['pools', 'set', 'sem_pool_later', '1', 'made later']);
    expect(made.code, made.stderr).toBe(0);
    const result = await caseResult(stack, dagId, runId);
    expect({ run: result.runState, ...result.states }).toEqual({ run: 'success', needs_pool: 'success' });
  });

  it('one slot for two runs: the run with the earlier logical date goes first, its downstream task before the later run\'s tasks that waited longer (as in Airflow)', async () => {
    const dagId = 'sem_pool_dates';
    // The later run is triggered first: its tasks wait longest.
    const later = await stack.trigger(dagId, { logicalDate: new Date('2026-03-02T00:00:00Z') });
    await heldBack(dagId, later, 'a2', /^pool sem_pool_dates: the task takes 1 slot\(s\), more than the pool's 0$/);
    const earlier = await stack.trigger(dagId, { logicalDate: new Date('2026-03-01T00:00:00Z') });
    await heldBack(dagId, earlier, 'a2', /^pool sem_pool_dates: the task takes 1 slot\(s\), more than the pool's 0$/);
    expect((await stack.cli(['pools', 'set', 'sem_pool_dates', '1', 'one slot'])).code).toBe(0);
    for (const runId of [earlier, later]) expect((await caseResult(stack, dagId, runId)).runState).toBe('success');
    const rows = await tries(dagId);
    expect(mostAtOnce(rows), timeline(rows)).toBe(1);
    const name = (r: TryRow): string => `${r.run_id === earlier ? 'earlier' : 'later'}.${r.task_id}`;
    expect(rows.map(name), timeline(rows)).toEqual(['earlier.a1', 'earlier.a2', 'earlier.b', 'later.a1', 'later.a2', 'later.b']);
  });

  it('a pool that grows releases its waiting tasks (a task taking 2 slots waits for 2)', async () => {
    const dagId = 'sem_grow_pool';
    const runId = await stack.trigger(dagId);
    await heldBack(dagId, runId, 'small', /^pool sem_pool_grow: the task takes 1 slot\(s\), more than the pool's 0$/);
    await heldBack(dagId, runId, 'big', /^pool sem_pool_grow: the task takes 2 slot\(s\), more than the pool's 0$/);
    expect((await stack.cli(['pools', 'set', 'sem_pool_grow', '1', 'one slot'])).code).toBe(0);
    await heldBack(dagId, runId, 'big', /^pool sem_pool_grow: the task takes 2 slot\(s\), more than the pool's 1$/);
    const { rows } = await stack.pool.query<{ state: string }>(
      "SELECT state FROM task_instance WHERE dag_id = $1 AND run_id = $2 AND task_id = 'big'", [dagId, runId]);
    expect(rows[0]!.state).toBe('scheduled');
    expect((await stack.cli(['pools', 'set', 'sem_pool_grow', '2', 'two slots'])).code).toBe(0);
    const result = await caseResult(stack, dagId, runId);
    expect({ run: result.runState, ...result.states }).toEqual({ run: 'success', small: 'success', big: 'success' });
  });
});

describe('concurrency limits', () => {
  it('a DAG at max_active_tasks with a long backlog does not keep another DAG\'s task in the same pool waiting once slots free', async () => {
    const release = join(mkdtempSync(join(tmpdir(), 'updraft-starve-')), 'release');
    const conf = { release };
    const fillRun = await stack.trigger('sem_starve_fill', { conf });
    for (const id of ['hold1', 'hold2']) await untilState('sem_starve_fill', fillRun, id, 'running');
    // One backlog task takes the pool's last slot; 79 wait, more than the 64 the admission looks at per pool.
    const backlogRun = await stack.trigger('sem_starve_backlog', { conf });
    await heldBack('sem_starve_backlog', backlogRun, 's80', /sem_pool_starve: 3 of 3 slots taken/);
    const lateRun = await stack.trigger('sem_starve_late');
    await heldBack('sem_starve_late', lateRun, 'late', /^pool sem_pool_starve: 3 of 3 slots taken$/);
    writeFileSync(release, '');
    const late = await caseResult(stack, 'sem_starve_late', lateRun);
    expect({ run: late.runState, ...late.states }).toEqual({ run: 'success', late: 'success' });
    // The filler's end freed two slots; the backlog DAG may use one of them, never both (max_active_tasks 1).
    // Before, the late task was only looked at once fewer than 64 backlog instances waited: 16 backlog tries first.
    const { rows: [order] } = await stack.pool.query<{ before: number }>(
      `SELECT count(*)::int AS before FROM task_instance_try b, task_instance_try l
        WHERE b.dag_id = 'sem_starve_backlog' AND b.run_id = $1 AND l.dag_id = 'sem_starve_late' AND l.run_id = $2
          AND b.queued_at < l.queued_at`, [backlogRun, lateRun]);
    expect(order!.before).toBeLessThanOrEqual(3);
    const backlog = await caseResult(stack, 'sem_starve_backlog', backlogRun);
    expect(backlog.runState).toBe('success');
    expect(mostAtOnce(await tries('sem_starve_backlog'))).toBe(1);
    expect((await caseResult(stack, 'sem_starve_fill', fillRun)).runState).toBe('success');
  });

  it('a pool with a backlog of queued tasks: every task runs, never more than the pool at once', async () => {
    const dagId = 'sem_pool_backlog';
    const runId = await stack.trigger(dagId);
    const result = await caseResult(stack, dagId, runId);
    expect(result.runState).toBe('success');
    const rows = await tries(dagId);
    expect(rows).toHaveLength(60);
    expect(mostAtOnce(rows), timeline(rows)).toBeLessThanOrEqual(40);
    const { rows: [left] } = await stack.pool.query<{ n: string }>(
      "SELECT count(*)::text AS n FROM task_instance WHERE dag_id = $1 AND state IS DISTINCT FROM 'success'", [dagId]);
    expect(left!.n).toBe('0');
  });

  it('maxActiveTasks: at most 3 task instances of the DAG queued or running at once', async () => {
    const dagId = 'sem_max_active_tasks';
    const runId = await stack.trigger(dagId);
    await heldBack(dagId, runId, 't8', /^DAG sem_max_active_tasks: max_active_tasks 3 reached/);
    const result = await caseResult(stack, dagId, runId);
    expect(result.runState).toBe('success');
    const rows = await tries(dagId);
    expect(rows).toHaveLength(8);
    expect(mostAtOnce(rows), timeline(rows)).toBe(3);
  });

  it('maxActiveTisPerDagrun: two instances of a mapped task at a time in each run, whatever the other run does', async () => {
    const dagId = 'sem_max_active_tis_per_dagrun';
    const runs = [await stack.trigger(dagId), await stack.trigger(dagId, { logicalDate: new Date('2026-02-01T00:00:00Z') })];
    for (const runId of runs) expect((await caseResult(stack, dagId, runId)).runState).toBe('success');
    const rows = await tries(dagId);
    expect(rows).toHaveLength(12);
    for (const runId of runs) {
      const own = rows.filter((r) => r.run_id === runId);
      expect(mostAtOnce(own), timeline(own)).toBe(2);
    }
  });

  it('maxActiveTisPerDag: one instance of the task at a time across three runs', async () => {
    const dagId = 'sem_max_active_tis';
    const runs = [
      await stack.trigger(dagId, { logicalDate: new Date(Date.UTC(2026, 0, 1)) }),
      await stack.trigger(dagId, { logicalDate: new Date(Date.UTC(2026, 0, 2)) }),
      await stack.trigger(dagId, { logicalDate: new Date(Date.UTC(2026, 0, 3)) }),
    ];
    for (const runId of runs) {
      expect((await waitForRunEnd(stack.pool, dagId, runId, { timeoutMs: 120_000, diagnostics: () => stack.diagnostics() })).state).toBe('success');
    }
    const rows = await tries(dagId);
    expect(rows).toHaveLength(3);
    expect(mostAtOnce(rows), timeline(rows)).toBe(1);
  });
});
