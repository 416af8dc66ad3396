/**
 * Time limits of DAG runs on a real stack (PostgreSQL, nats-server, `updraft scheduler` and a
 * worker). Deadlines: a run still unfinished after its deadline fires the DAG's onMiss callback
 * once, in a callback process, and is marked on the run (API field deadline_missed_at); a run that
 * ends in time fires nothing. dagrunTimeout: a run running longer fails, its running task is
 * killed on its worker, and the next run takes its place. maxConsecutiveFailedDagRuns: a DAG whose
 * latest runs all failed is paused.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callbacksSql } from '@updraft/core';
import type { CallbackContext } from '@updraft/sdk';
import { startWebserver, type RunningWebserver } from '@updraft/webserver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../e2e/stack.js';
import { isAlive as alive } from '../harness/cleanup.js';
import { call, createRoleUsers } from '../integration/api-support.js';
import { caseResult, runCase } from './cases.js';

type Recorded = CallbackContext & { pid: number };

let stack: Stack;
let web: RunningWebserver;

beforeAll(async () => {
  stack = await startStack({ dagFiles: ['test/fixtures/dags-semantics/deadlines.ts'], workers: [{ name: 'sem-deadline-w1', concurrency: 3 }] });
  await createRoleUsers(stack.pool);
  web = await startWebserver({ listen: '127.0.0.1:0', db: stack.pool, logFolder: stack.logFolder });
});

afterAll(async () => {
  await web?.close();
  await stack?.stop();
});

function recorded(dagId: string): Recorded[] {
  const file = join(stack.workDir, 'deadlines.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Recorded).filter((r) => r.dagId === dagId);
}

describe('deadlines', () => {
  it('a run longer than its deadline fires onMiss once, in a callback process, and the run shows it', async () => {
    const runId = await stack.trigger('sem_deadline_late');
    // Bounded wait for the callback to have run (synchronisation, not a timing assertion).
    const until = Date.now() + 60_000;
    let requests = await callbacksSql.runCallbacks(stack.pool, 'sem_deadline_late', runId);
    while (!(requests.length > 0 && requests.every((q) => q.state === 'success' || q.state === 'failed'))) {
      if (Date.now() > until) throw new Error(`no deadline callback: ${JSON.stringify(requests)}\n${stack.diagnostics()}`);
      await new Promise((r) => setTimeout(r, 100));
      requests = await callbacksSql.runCallbacks(stack.pool, 'sem_deadline_late', runId);
    }
    // The run is still going: the deadline fired while it ran.
    const during = await call(web, `/api/v1/dags/sem_deadline_late/dagRuns/${encodeURIComponent(runId)}`, { as: 'Viewer' });
    expect(during.json.state).toBe('running');
    expect(during.json.deadline_missed_at).not.toBeNull();

    const gate = join(tmpdir(), `updraft-sem-deadline-gate-${runId.replace(/[^A-Za-z0-9_-]/g, '_')}`);
    writeFileSync(gate, '');
    const result = await caseResult(stack, 'sem_deadline_late', runId).finally(() => rmSync(gate, { force: true }));
    expect(result.runState).toBe('success');
    expect(result.states).toEqual({ slow: 'success' });

    // Once, however many scheduler passes saw the run past its deadline.
    requests = await callbacksSql.runCallbacks(stack.pool, 'sem_deadline_late', runId);
    expect(requests.map((q) => [q.taskId, q.event, q.state])).toEqual([[null, 'onDeadlineMiss', 'success']]);
    expect(requests[0]!.exception).toMatch(/^not finished by its deadline, \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const calls = recorded('sem_deadline_late');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ event: 'onDeadlineMiss', dagId: 'sem_deadline_late', runId });
    expect(calls[0]!.pid).not.toBe(stack.scheduler!.pid);
  });

  it('a run that ends before its deadline fires nothing', async () => {
    const result = await runCase(stack, 'sem_deadline_on_time');
    expect(result.runState).toBe('success');
    expect(await callbacksSql.runCallbacks(stack.pool, 'sem_deadline_on_time', result.runId)).toEqual([]);
    expect(recorded('sem_deadline_on_time')).toEqual([]);
    const run = await call(web, `/api/v1/dags/sem_deadline_on_time/dagRuns/${encodeURIComponent(result.runId)}`, { as: 'Viewer' });
    expect(run.json.deadline_missed_at).toBeNull();
  });
});

/** Bounded wait (synchronisation, not a timing assertion) until `check` returns a value. */
async function waitUntil<T>(what: string, check: () => Promise<T | undefined> | T | undefined, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}\n${stack.diagnostics()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Where the fixture's stuck task writes its pid (pidFile in test/fixtures/dags-semantics/deadlines.ts). */
const pidFile = (runId: string): string => join(tmpdir(), `updraft-sem-run-timeout-${runId.replace(/[^A-Za-z0-9_-]/g, '_')}.pid`);

describe('dagrunTimeout', () => {
  it('a run still running after its dagrunTimeout fails: its running task is killed, the rest skipped, onDagRunFailure says why, the next run starts', async () => {
    const first = await stack.trigger('sem_run_timeout');
    const second = await stack.trigger('sem_run_timeout');
    // The stuck task is running (its process wrote its pid) before the run times out.
    const pid = await waitUntil('the stuck task to start', () => (existsSync(pidFile(first)) ? Number(readFileSync(pidFile(first), 'utf8')) : undefined));
    expect(alive(pid)).toBe(true);

    const result = await caseResult(stack, 'sem_run_timeout', first);
    expect(result.runState).toBe('failed');
    expect(result.states).toEqual({ quick: 'success', stuck: 'failed', after: 'skipped' });
    const reason = /^the DAG run timed out: still running 2 s \(dagrunTimeout\) after it started at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
    expect(result.errors.stuck).toMatch(reason);

    // The try says why it ended (API end_reason); the task's process was killed by its worker.
    const tries = await call(web, `/api/v1/dags/sem_run_timeout/dagRuns/${encodeURIComponent(first)}/taskInstances/stuck/tries`, { as: 'Viewer' });
    const stuckTries = tries.json.task_instances as Array<{ state: string; end_reason: string | null }>;
    expect(stuckTries.map((t) => t.state)).toEqual(['failed']);
    expect(stuckTries[0]!.end_reason).toMatch(reason);
    await waitUntil('the stuck task to be killed', () => (alive(pid) ? undefined : true));

    // onDagRunFailure ran once, in a callback process, with the reason.
    const requests = await waitUntil('the failure callback to run', async () => {
      const r = await callbacksSql.runCallbacks(stack.pool, 'sem_run_timeout', first);
      return r.length > 0 && r.every((q) => q.state === 'success' || q.state === 'failed') ? r : undefined;
    });
    expect(requests.map((q) => [q.taskId, q.event, q.state])).toEqual([[null, 'onDagRunFailure', 'success']]);
    expect(requests[0]!.exception).toMatch(reason);
    const calls = recorded('sem_run_timeout').filter((c) => c.runId === first);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ event: 'onDagRunFailure', dagId: 'sem_run_timeout', runId: first });

    // The second run waited for the first one's place (maxActiveRuns 1), then ran and timed out in its turn.
    const next = await caseResult(stack, 'sem_run_timeout', second);
    expect(next.runState).toBe('failed');
    expect(next.states).toEqual({ quick: 'success', stuck: 'failed', after: 'skipped' });
    const runs = await stack.pool.query<{ run_id: string; start_date: Date; end_date: Date }>(
      'SELECT run_id, start_date, end_date FROM dag_run WHERE dag_id = $1 ORDER BY start_date', ['sem_run_timeout']);
    expect(runs.rows.map((r) => r.run_id)).toEqual([first, second]);
    expect(runs.rows[1]!.start_date.getTime()).toBeGreaterThanOrEqual(runs.rows[0]!.end_date.getTime());
    const secondPid = Number(readFileSync(pidFile(second), 'utf8'));
    await waitUntil('the second stuck task to be killed', () => (alive(secondPid) ? undefined : true));
    for (const runId of [first, second]) rmSync(pidFile(runId), { force: true });
  });
});

describe('maxConsecutiveFailedDagRuns', () => {
  const paused = async (): Promise<boolean> =>
    (await stack.pool.query<{ is_paused: boolean }>(`SELECT is_paused FROM dag WHERE dag_id = 'sem_auto_pause'`)).rows[0]!.is_paused;

  it('pauses the DAG when its latest 2 runs failed, not when a success came between, and logs it as the scheduler', async () => {
    const day = (n: number): Date => new Date(Date.UTC(2026, 0, n));
    expect((await runCase(stack, 'sem_auto_pause', { logicalDate: day(1), conf: { fail: true } })).runState).toBe('failed');
    expect((await runCase(stack, 'sem_auto_pause', { logicalDate: day(2) })).runState).toBe('success');
    expect((await runCase(stack, 'sem_auto_pause', { logicalDate: day(3), conf: { fail: true } })).runState).toBe('failed');
    // One failure after a success: still active (the pause is decided right after each failure).
    expect(await paused()).toBe(false);

    expect((await runCase(stack, 'sem_auto_pause', { logicalDate: day(4), conf: { fail: true } })).runState).toBe('failed');
    await waitUntil('the DAG to be paused', async () => ((await paused()) ? true : undefined));
    const { rows } = await stack.pool.query(`SELECT owner, extra FROM event_log WHERE dag_id = 'sem_auto_pause' AND event = 'dag.auto_pause'`);
    expect(rows).toEqual([{ owner: 'scheduler', extra: { consecutive_failed_runs: 2 } }]);
    const details = await call(web, '/api/v1/dags/sem_auto_pause/details', { as: 'Viewer' });
    expect(details.json).toMatchObject({ is_paused: true, max_consecutive_failed_dag_runs: 2, dag_run_timeout: null, fail_fast: false });
  });
});
