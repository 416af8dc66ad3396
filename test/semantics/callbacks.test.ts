/**
 * Task and DAG run callbacks on a real stack (PostgreSQL, nats-server, `updraft scheduler` and
 * `updraft worker` processes): each runs once per event with its context (error, log lines, link),
 * in a process that is not the scheduler's; one that throws or hangs never changes a task's state;
 * a scheduler killed with -9 while a callback runs leaves it to the next scheduler, which runs it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callbacksSql } from '@updraft/core';
import type { CallbackContext } from '@updraft/sdk';
import { startStack, type Stack } from '../e2e/stack.js';
import { spawnUpdraft, type UpdraftProcess } from '../e2e/processes.js';
import { runCase } from './cases.js';

type Recorded = CallbackContext & { pid: number; via?: string };

let stack: Stack;
let restarted: UpdraftProcess | undefined;

beforeAll(async () => {
  stack = await startStack({
    dagFiles: ['test/fixtures/dags-semantics/callbacks.ts'],
    workers: [{ name: 'sem-cb-w1', concurrency: 4 }],
    schedulerEnv: { UPDRAFT__SCHEDULER__CALLBACK_TIMEOUT: '4s' },
  });
});

afterAll(async () => {
  await restarted?.stop('SIGTERM', 20_000);
  await stack?.stop();
});

function recorded(dagId: string): Recorded[] {
  const file = join(stack.workDir, 'callbacks.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Recorded).filter((r) => r.dagId === dagId);
}

/** Waits until every callback request of the run has ended (synchronization, not a timing assertion). */
async function callbacksEnded(dagId: string, runId: string, count: number): Promise<Awaited<ReturnType<typeof callbacksSql.runCallbacks>>> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const rows = await callbacksSql.runCallbacks(stack.pool, dagId, runId);
    if (rows.length >= count && rows.every((r) => r.state === 'success' || r.state === 'failed')) return rows;
    if (Date.now() > deadline) throw new Error(`callbacks of ${dagId}/${runId} did not end: ${JSON.stringify(rows)}\n${stack.diagnostics()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('callbacks', () => {
  it('onFailure runs once with the error, the last log lines and a link; onDagRunFailure once; never in the scheduler', async () => {
    const r = await runCase(stack, 'sem_cb_failure');
    expect({ run: r.runState, ...r.states }).toEqual({ run: 'failed', boom: 'failed' });
    const requests = await callbacksEnded('sem_cb_failure', r.runId, 2);
    expect(requests.map((q) => [q.taskId, q.event, q.state])).toEqual([['boom', 'onFailure', 'success'], [null, 'onDagRunFailure', 'success']]);
    const calls = recorded('sem_cb_failure');
    expect(calls.map((c) => c.event)).toEqual(['onFailure', 'onDagRunFailure']);
    const [failure, runFailure] = calls as [Recorded, Recorded];
    expect(failure.taskInstance).toMatchObject({ taskId: 'boom', tryNumber: 1, maxTries: 1, state: 'failed', mapIndex: -1 });
    expect(failure.exception).toMatch(/code 3/);
    expect(failure.logTail.join('\n')).toContain('the last line');
    expect(failure.logUrl).toMatch(new RegExp(`/dags/sem_cb_failure/runs/${encodeURIComponent(r.runId).replace(/[.+]/g, '\\$&')}/tasks/boom\\?try=1$`));
    expect(runFailure.taskInstance).toBeUndefined();
    expect(runFailure.exception).toMatch(/^boom: .*code 3/);
    expect(runFailure.via).toBe('notifier');
    for (const c of calls) expect(c.pid).not.toBe(stack.scheduler!.pid);
  });

  it('onRetry for the try that retries, onFailure for the last one (callbacks from defaultArgs)', async () => {
    const r = await runCase(stack, 'sem_cb_retry');
    expect(r.states).toEqual({ flaky: 'failed' });
    await callbacksEnded('sem_cb_retry', r.runId, 2);
    const calls = recorded('sem_cb_retry');
    expect(calls.map((c) => [c.event, c.taskInstance?.tryNumber, c.taskInstance?.state])).toEqual([['onRetry', 1, 'up_for_retry'], ['onFailure', 2, 'failed']]);
    expect(calls.every((c) => /flaky failed/.test(c.exception ?? ''))).toBe(true);
  });

  it('onExecute, onSuccess and onDagRunSuccess on a run that succeeds', async () => {
    const r = await runCase(stack, 'sem_cb_success');
    expect({ run: r.runState, ...r.states }).toEqual({ run: 'success', ok: 'success' });
    await callbacksEnded('sem_cb_success', r.runId, 3);
    const events = recorded('sem_cb_success').map((c) => c.event);
    expect([...events].sort()).toEqual(['onDagRunSuccess', 'onExecute', 'onSuccess']);
    expect(events.indexOf('onExecute')).toBeLessThan(events.indexOf('onSuccess'));
  });

  it('a callback that throws or hangs is recorded failed and changes no state', async () => {
    const r = await runCase(stack, 'sem_cb_broken');
    expect({ run: r.runState, ...r.states }).toEqual({ run: 'success', throws: 'success', hangs: 'success' });
    const requests = await callbacksEnded('sem_cb_broken', r.runId, 3);
    const byTask = Object.fromEntries(requests.map((q) => [q.taskId ?? 'run', q]));
    expect(byTask.throws).toMatchObject({ event: 'onSuccess', state: 'failed', error: 'Error: callback exploded' });
    expect(byTask.hangs).toMatchObject({ event: 'onSuccess', state: 'failed' });
    expect(byTask.hangs!.error).toMatch(/^timed out after 4000 ms/);
    // The DAG's own callback still ran.
    expect(byTask.run).toMatchObject({ event: 'onDagRunSuccess', state: 'success' });
    expect(recorded('sem_cb_broken').map((c) => c.event)).toEqual(['onDagRunSuccess']);
  });

  it('a scheduler killed -9 while a callback runs: the next scheduler runs it, and it completes once', async () => {
    const dagId = 'sem_cb_gated';
    const runId = await stack.trigger(dagId);
    // The failure is recorded and its callback is running (waiting for the gate).
    const deadline = Date.now() + 90_000;
    for (;;) {
      const rows = await callbacksSql.runCallbacks(stack.pool, dagId, runId);
      if (rows[0]?.state === 'running') break;
      if (Date.now() > deadline) throw new Error(`the callback never started: ${JSON.stringify(rows)}\n${stack.diagnostics()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await stack.scheduler!.stop('SIGKILL');
    restarted = spawnUpdraft('scheduler-2', ['scheduler'], {
      env: { ...stack.env, UPDRAFT__SCHEDULER__CALLBACK_TIMEOUT: '4s' }, logFile: join(stack.dir, 'proc', 'scheduler-2.log'), cwd: stack.dir,
    });
    await restarted.waitForOutput(/scheduler ready/, 60_000);
    writeFileSync(join(stack.workDir, 'gate'), '');
    const [request] = await callbacksEnded(dagId, runId, 1);
    expect(request).toMatchObject({ taskId: 'fails', event: 'onFailure', state: 'success', attempts: 2 });
    const calls = recorded(dagId);
    expect(calls.map((c) => [c.event, c.taskInstance?.tryNumber])).toEqual([['onFailure', 1]]);
    expect(calls[0]!.pid).not.toBe(restarted.pid);
  });
});
