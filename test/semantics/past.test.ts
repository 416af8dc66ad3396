/**
 * depends_on_past and wait_for_downstream on a real stack (PostgreSQL, nats-server, `updraft
 * scheduler` and `updraft worker` processes), with Airflow's semantics: a task runs only when the
 * same task (and with wait_for_downstream its direct downstream) succeeded or was skipped in the
 * previous run by logical date; a task held back says why; it is released when that task ends.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../e2e/stack.js';
import { waitForRunEnd } from '../e2e/db.js';
import { runCase } from './cases.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ dagFiles: ['test/fixtures/dags-semantics/past.ts'], workers: [{ name: 'sem-past-w1', concurrency: 4 }] });
});

afterAll(async () => {
  await stack?.stop();
});

const day = (n: number): Date => new Date(Date.UTC(2026, 0, n));

interface Row { state: string | null; wait_reason: string | null; started_at: Date | null; ended_at: Date | null }

async function instance(dagId: string, runId: string, taskId: string): Promise<Row | undefined> {
  const { rows } = await stack.pool.query<Row>(
    'SELECT state, wait_reason, started_at, ended_at FROM task_instance WHERE dag_id = $1 AND run_id = $2 AND task_id = $3',
    [dagId, runId, taskId]);
  return rows[0];
}

/** Polls until the task instance has a wait reason (synchronization, not a timing assertion). */
async function heldBack(dagId: string, runId: string, taskId: string): Promise<Row> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const row = await instance(dagId, runId, taskId);
    if (row?.wait_reason) return row;
    if (Date.now() > deadline) throw new Error(`${dagId}/${runId}/${taskId} was never held back: ${JSON.stringify(row)}\n${stack.diagnostics()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function runState(dagId: string, runId: string): Promise<string | undefined> {
  const { rows } = await stack.pool.query<{ state: string }>('SELECT state FROM dag_run WHERE dag_id = $1 AND run_id = $2', [dagId, runId]);
  return rows[0]?.state;
}

describe('dependsOnPast', () => {
  it('three runs where the middle one fails: the third waits, saying why', async () => {
    const dagId = 'sem_depends_on_past';
    const first = await runCase(stack, dagId, { logicalDate: day(1) });
    expect({ run: first.runState, ...first.states }).toEqual({ run: 'success', work: 'success', after: 'success' });
    const second = await runCase(stack, dagId, { logicalDate: day(2), conf: { fail: true } });
    expect({ run: second.runState, ...second.states }).toEqual({ run: 'failed', work: 'failed', after: 'upstream_failed' });

    const third = await stack.trigger(dagId, { logicalDate: day(3) });
    const held = await heldBack(dagId, third, 'work');
    expect(held.wait_reason).toBe(
      `depends_on_past: 'work' is failed in the previous run '${second.runId}'; it runs when that one succeeds or is skipped`);
    expect(held.state === null || held.state === 'none' || held.state === 'scheduled').toBe(true);
    expect(held.started_at).toBeNull();
    expect(await runState(dagId, third)).toBe('running');
    // The CLI shows it too.
    const table = await stack.cli(['tasks', 'states', dagId, third]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('WAITING_BECAUSE');
    expect(table.stdout).toContain(`depends_on_past: 'work' is failed in the previous run '${second.runId}'`);
  });

  it('a task held back by a running previous try starts when that one succeeds', async () => {
    const dagId = 'sem_depends_on_past_release';
    const firstRun = await stack.trigger(dagId, { logicalDate: day(1) });
    const secondRun = await stack.trigger(dagId, { logicalDate: day(2) });
    const held = await heldBack(dagId, secondRun, 'hold');
    expect(held.wait_reason).toMatch(new RegExp(`^depends_on_past: 'hold' is (queued|running|none|scheduled) in the previous run '${firstRun.replace(/[.+]/g, '\\$&')}'`));

    writeFileSync(join(stack.workDir, 'past_release.flag'), '');
    expect((await waitForRunEnd(stack.pool, dagId, firstRun, { timeoutMs: 120_000 })).state).toBe('success');
    expect((await waitForRunEnd(stack.pool, dagId, secondRun, { timeoutMs: 120_000 })).state).toBe('success');
    const [a, b] = [await instance(dagId, firstRun, 'hold'), await instance(dagId, secondRun, 'hold')];
    expect(b!.wait_reason).toBeNull();
    expect(b!.started_at!.getTime()).toBeGreaterThanOrEqual(a!.ended_at!.getTime());
  });
});

describe('waitForDownstream', () => {
  it('waits for the previous run\'s direct downstream too', async () => {
    const dagId = 'sem_wait_for_downstream';
    const first = await runCase(stack, dagId, { logicalDate: day(1), conf: { failLoad: true } });
    expect({ run: first.runState, ...first.states }).toEqual({ run: 'failed', extract: 'success', load: 'failed' });
    const second = await stack.trigger(dagId, { logicalDate: day(2) });
    const held = await heldBack(dagId, second, 'extract');
    expect(held.wait_reason).toBe(
      `wait_for_downstream: 'load' (downstream of 'extract') is failed in the previous run '${first.runId}'; it runs when that one succeeds or is skipped`);
    expect(held.started_at).toBeNull();
  });
});
