/**
 * `updraft tasks clear` on a real stack (PostgreSQL, nats-server, scheduler and worker processes):
 * after the source is fixed, the failed tasks of a date range and their downstream run again with
 * new try numbers, the rest of the range and the runs outside it stay as they were, and the old
 * tries' logs are still readable.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForRunEnd } from '../e2e/db.js';
import { startStack, type Stack } from '../e2e/stack.js';
import { taskStates } from '../semantics/cases.js';

let stack: Stack;
const runIds: string[] = [];
const day = (n: number): string => `2026-03-0${n}T00:00:00Z`;

beforeAll(async () => {
  stack = await startStack({ dagFiles: ['test/fixtures/dags-clear/clear_demo.ts'], workers: [{ name: 'clear-w1', concurrency: 4 }] });
  for (const n of [1, 2, 3]) runIds.push(await stack.trigger('clear_demo', { logicalDate: new Date(day(n)) }));
  for (const runId of runIds) expect((await waitForRunEnd(stack.pool, 'clear_demo', runId, { timeoutMs: 120_000 })).state).toBe('failed');
});

afterAll(async () => {
  await stack?.stop();
});

const args = ['tasks', 'clear', 'clear_demo', '--start-date', day(1), '--end-date', day(2), '--only-failed', '--downstream'];

describe('updraft tasks clear', () => {
  it('--dry-run lists the failed tasks of the range and their downstream, and clears nothing', async () => {
    const r = await stack.cli([...args, '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^RUN_ID\s+LOGICAL_DATE\s+TASK_ID\s+STATE\s+TRY$/);
    expect(lines.slice(1, -1).map((l) => l.split(/\s+/).slice(2, 4).join(' '))).toEqual([
      'load upstream_failed', 'transform failed', 'load upstream_failed', 'transform failed',
    ]);
    expect(lines.at(-1)).toBe('dry run: would clear 4 task instance(s) in 2 run(s) of clear_demo');
    expect((await taskStates(stack.pool, 'clear_demo', runIds[0]!)).states.transform).toBe('failed');
  });

  it('refuses to clear without --yes when there is no terminal to ask on, and names bad options', async () => {
    const r = await stack.cli(args);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('pass --yes');
    const bad = await stack.cli(['tasks', 'clear', 'clear_demo', '--task-regex', '(', '--yes']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--task-regex is not a valid regular expression');
    const unknown = await stack.cli(['tasks', 'clear', 'no_such_dag', '--yes']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("no DAG 'no_such_dag'");
    expect((await taskStates(stack.pool, 'clear_demo', runIds[0]!)).states.transform).toBe('failed');
  });

  it('after the fix, the cleared tasks run again with new try numbers; old logs stay', async () => {
    writeFileSync(join(stack.workDir, 'fixed'), '');
    const r = await stack.cli([...args, '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^cleared 4 task instance\(s\) in 2 run\(s\)/);
    for (const runId of runIds.slice(0, 2)) {
      expect((await waitForRunEnd(stack.pool, 'clear_demo', runId, { timeoutMs: 120_000 })).state).toBe('success');
      const s = await taskStates(stack.pool, 'clear_demo', runId);
      expect(s.states).toEqual({ extract: 'success', transform: 'success', load: 'success' });
      expect(s.tries).toEqual({ extract: 1, transform: 2, load: 1 });
    }
    // Outside the range: untouched.
    expect(await taskStates(stack.pool, 'clear_demo', runIds[2]!)).toMatchObject({ states: { extract: 'success', transform: 'failed', load: 'upstream_failed' } });
    // The failed try's log is still there, and the new one.
    const old = await stack.cli(['tasks', 'logs', 'clear_demo', runIds[0]!, 'transform', '--try', '1']);
    expect(old.code, old.stderr).toBe(0);
    expect(old.stdout).toContain('source broken for 2026-03-01');
    const now = await stack.cli(['tasks', 'logs', 'clear_demo', runIds[0]!, 'transform', '--try', '2']);
    expect(now.stdout).toContain('transformed 2026-03-01');
  });
});
