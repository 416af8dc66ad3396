/**
 * End to end, distributed: a real PostgreSQL, a real nats-server, an `updraft scheduler` process and
 * an `updraft worker` process run the example DAGs, retries and a catchup schedule. Outcomes are
 * read from the database (task_instance / task_instance_try rows), `updraft tasks states|logs` and
 * files the tasks wrote.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dagRuns, taskInstances, taskTries, waitFor, waitForRunEnd, type TryRow } from './db.js';
import { startStack, type Stack } from './stack.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    dagFiles: [
      'dags/hello_world.ts',
      'dags/fan_out.ts',
      'dags/start_end.ts',
      'test/fixtures/dags-e2e/flaky_retries.ts',
      'test/fixtures/dags-e2e/daily_catchup.ts',
    ],
    workers: [{ name: 'e2e-runs-w1', concurrency: 4 }],
  });
});

afterAll(async () => {
  await stack?.stop();
});

/** A try's log as `updraft tasks logs DAG RUN TASK --try N` prints it. */
async function taskLog(dagId: string, runId: string, t: TryRow): Promise<string> {
  const r = await stack.cli(['tasks', 'logs', dagId, runId, t.taskId, '--try', String(t.tryNumber)]);
  if (r.code !== 0) throw new Error(`updraft tasks logs failed (exit ${r.code}): ${r.stderr}`);
  return r.stdout;
}

/** For every task: each upstream's successful try ended no later than the task's first try started. */
function upstreamOrderViolations(tries: TryRow[], upstreams: Record<string, string[]>): string[] {
  const problems: string[] = [];
  for (const [taskId, ups] of Object.entries(upstreams)) {
    const first = tries.find((t) => t.taskId === taskId);
    if (!first?.startedAt) {
      problems.push(`${taskId} never started`);
      continue;
    }
    for (const up of ups) {
      const done = tries.find((t) => t.taskId === up && t.state === 'success');
      if (!done?.endedAt) problems.push(`${taskId} started but upstream ${up} has no successful try`);
      else if (done.endedAt > first.startedAt) {
        problems.push(`${taskId} started at ${first.startedAt.toISOString()} before ${up} ended at ${done.endedAt.toISOString()}`);
      }
    }
  }
  return problems;
}

const wait = (dagId: string, runId: string) => waitForRunEnd(stack.pool, dagId, runId, { diagnostics: () => stack.diagnostics() });

describe('example DAGs on the distributed stack', () => {
  it('hello_world triggered by the CLI completes: print_hello, then print_goodbye, with their output in their logs', async () => {
    const runId = await stack.trigger('hello_world');
    const run = await wait('hello_world', runId);
    expect(run.state).toBe('success');
    expect(run.runType).toBe('manual');

    const tasks = await taskInstances(stack.pool, 'hello_world', runId);
    expect(tasks.get('print_hello')?.state).toBe('success');
    expect(tasks.get('print_goodbye')?.state).toBe('success');
    const tries = await taskTries(stack.pool, 'hello_world', runId);
    expect(tries.map((t) => [t.taskId, t.tryNumber, t.state])).toEqual([
      ['print_goodbye', 1, 'success'],
      ['print_hello', 1, 'success'],
    ]);
    const hello = tries.find((t) => t.taskId === 'print_hello')!;
    const goodbye = tries.find((t) => t.taskId === 'print_goodbye')!;
    expect(hello.endedAt!.getTime()).toBeLessThanOrEqual(goodbye.startedAt!.getTime());

    const states = await stack.cli(['tasks', 'states', 'hello_world', runId, '--output', 'json']);
    expect(states.code).toBe(0);
    expect(JSON.parse(states.stdout)).toEqual([
      expect.objectContaining({ taskId: 'print_hello', state: 'success', tryNumber: 1 }),
      expect.objectContaining({ taskId: 'print_goodbye', state: 'success', tryNumber: 1 }),
    ]);

    const ds = run.logicalDate.toISOString().slice(0, 10);
    expect(await taskLog('hello_world', runId, hello)).toContain(`hello from hello_world for ${ds}`);
    expect(await taskLog('hello_world', runId, goodbye)).toContain(`goodbye from hello_world for ${ds}`);
  });

  it('fan_out and start_end complete, and no task starts before all its upstreams succeeded', async () => {
    const fanOut = await stack.trigger('fan_out');
    const startEnd = await stack.trigger('start_end');
    const [a, b] = await Promise.all([wait('fan_out', fanOut), wait('start_end', startEnd)]);
    expect(a.state).toBe('success');
    expect(b.state).toBe('success');

    const fanTries = await taskTries(stack.pool, 'fan_out', fanOut);
    expect(fanTries.map((t) => `${t.taskId}:${t.state}`).sort()).toEqual(['ls_tmp:success', 'print_date:success', 'sleep:success']);
    expect(upstreamOrderViolations(fanTries, { sleep: ['print_date'], ls_tmp: ['print_date'] })).toEqual([]);

    const seTries = await taskTries(stack.pool, 'start_end', startEnd);
    expect(seTries.map((t) => `${t.taskId}:${t.state}`).sort()).toEqual(['end:success', 'ls1:success', 'ls2:success', 'start:success']);
    expect(upstreamOrderViolations(seTries, { ls1: ['start'], ls2: ['start'], end: ['ls1', 'ls2'] })).toEqual([]);
  });
});

describe('retries', () => {
  it('a task failing twice succeeds on try 3 with retries=2, each try with its own log', async () => {
    const dagId = 'e2e_flaky_retries2';
    const runId = await stack.trigger(dagId);
    const run = await wait(dagId, runId);
    expect(run.state).toBe('success');

    const tasks = await taskInstances(stack.pool, dagId, runId);
    expect(tasks.get('flaky')).toMatchObject({ state: 'success', tryNumber: 3 });
    expect(tasks.get('after')?.state).toBe('success');
    const tries = (await taskTries(stack.pool, dagId, runId)).filter((t) => t.taskId === 'flaky');
    expect(tries.map((t) => [t.tryNumber, t.state])).toEqual([[1, 'failed'], [2, 'failed'], [3, 'success']]);
    // The marker file counts real executions: exactly three.
    expect(readFileSync(join(stack.workDir, `${dagId}.tries`), 'utf8')).toBe('try 1\ntry 2\ntry 3\n');

    const logs = await Promise.all(tries.map((t) => taskLog(dagId, runId, t)));
    expect(new Set(tries.map((t) => t.logPath)).size).toBe(3);
    expect(logs[0]).toContain('execution 1 of flaky (try 1)');
    expect(logs[0]).toContain('failing on purpose');
    expect(logs[1]).toContain('execution 2 of flaky (try 2)');
    expect(logs[2]).toContain('execution 3 of flaky (try 3)');
    expect(logs[2]).toContain('third time lucky');
  });

  it('with retries=1 it ends failed, its downstream never runs, and the run fails', async () => {
    const dagId = 'e2e_flaky_retries1';
    const runId = await stack.trigger(dagId);
    const run = await wait(dagId, runId);
    expect(run.state).toBe('failed');

    const tasks = await taskInstances(stack.pool, dagId, runId);
    expect(tasks.get('flaky')).toMatchObject({ state: 'failed', tryNumber: 2 });
    expect(tasks.get('after')?.state).toBe('upstream_failed');
    const tries = await taskTries(stack.pool, dagId, runId);
    expect(tries.map((t) => [t.taskId, t.tryNumber, t.state])).toEqual([['flaky', 1, 'failed'], ['flaky', 2, 'failed']]);
    expect(readFileSync(join(stack.workDir, `${dagId}.tries`), 'utf8')).toBe('try 1\ntry 2\n');
    expect(existsSync(join(stack.workDir, `${dagId}.after`))).toBe(false);
  });
});

describe('catchup', () => {
  it('a daily DAG started 3 days ago gets exactly 3 runs, and its bash command sees their dates', async () => {
    const dagId = 'e2e_daily_catchup';
    const day = 86_400_000;
    const today = Math.floor(Date.now() / day) * day;
    const expected = [3, 2, 1].map((n) => ({ start: new Date(today - n * day), end: new Date(today - (n - 1) * day) }));

    const runs = await waitFor('3 finished catchup runs', async () => {
      const rows = await dagRuns(stack.pool, dagId);
      return rows.length >= 3 && rows.every((r) => r.state === 'success' || r.state === 'failed') ? rows : undefined;
    }, { timeoutMs: 90_000, diagnostics: () => stack.diagnostics() });

    expect(runs.map((r) => [r.runType, r.state])).toEqual([['scheduled', 'success'], ['scheduled', 'success'], ['scheduled', 'success']]);
    expect(runs.map((r) => r.logicalDate.toISOString())).toEqual(expected.map((e) => e.start.toISOString()));
    expect(runs.map((r) => [r.dataIntervalStart.toISOString(), r.dataIntervalEnd.toISOString()])).toEqual(
      expected.map((e) => [e.start.toISOString(), e.end.toISOString()]),
    );
    // `updraft dags list-runs` shows the scheduled runs, newest logical date first.
    const listed = await stack.cli(['dags', 'list-runs', dagId, '--limit', '2']);
    expect(listed.code, listed.stderr).toBe(0);
    const lines = listed.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^RUN_ID\s+TYPE\s+LOGICAL_DATE\s+STATE\s+START\s+END$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 4))).toEqual(
      [runs[2]!, runs[1]!].map((r) => [r.runId, 'scheduled', r.logicalDate.toISOString().replace('.000Z', 'Z'), 'success']),
    );
    const json = JSON.parse((await stack.cli(['dags', 'list-runs', dagId, '--state', 'success', '-o', 'json'])).stdout) as Array<{ runId: string; runType: string }>;
    expect(json.map((r) => r.runId).sort()).toEqual(runs.map((r) => r.runId).sort());
    const none = await stack.cli(['dags', 'list-runs', dagId, '--state', 'failed']);
    expect(none.stdout).toBe(`DAG ${dagId} has no runs in state failed\n`);
    const unknown = await stack.cli(['dags', 'list-runs', 'no_such_dag']);
    expect([unknown.code, unknown.stderr]).toEqual([1, "updraft: no DAG 'no_such_dag' (see `updraft dags list`)\n"]);
    const badState = await stack.cli(['dags', 'list-runs', dagId, '--state', 'done']);
    expect(badState.code).not.toBe(0);
    expect(badState.stderr).toContain('--state must be one of queued, running, success, failed, got "done"');

    for (const e of expected) {
      const ds = e.start.toISOString().slice(0, 10);
      expect(readFileSync(join(stack.workDir, `catchup-${ds}.txt`), 'utf8').trim()).toBe(
        `${ds} ${e.start.toISOString()} ${e.end.toISOString()}`,
      );
    }
  });
});
