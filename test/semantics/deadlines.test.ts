/**
 * DAG deadlines on a real stack (PostgreSQL, nats-server, `updraft scheduler` and a worker): a run
 * still unfinished after its deadline fires the DAG's onMiss callback once, in a callback process,
 * and is marked on the run (API field deadline_missed_at); a run that ends in time fires nothing.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callbacksSql } from '@updraft/core';
import type { CallbackContext } from '@updraft/sdk';
import { startWebserver, type RunningWebserver } from '@updraft/webserver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../e2e/stack.js';
import { call, createRoleUsers } from '../integration/api-support.js';
import { caseResult, runCase } from './cases.js';

type Recorded = CallbackContext & { pid: number };

let stack: Stack;
let web: RunningWebserver;

beforeAll(async () => {
  stack = await startStack({ dagFiles: ['test/fixtures/dags-semantics/deadlines.ts'], workers: [{ name: 'sem-deadline-w1', concurrency: 2 }] });
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
