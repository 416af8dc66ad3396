/**
 * Timing marks (core's trace-marks.ts, `@updraft/core/trace-marks`): off unless
 * UPDRAFT_TRACE_MARKS names a folder, which is then made and gets `<pid>.marks` with one line per
 * mark (event, task instance key, epoch milliseconds), written at exit at the latest.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/cli.js';

const root = mkdtempSync(join(tmpdir(), 'updraft-trace-marks-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const SCRIPT = `import { traceMark } from '@updraft/core/trace-marks';
traceMark('task.return', { dagId: 'd', runId: 'manual__1', taskId: 't', mapIndex: -1 });
traceMark('worker.ended', { dagId: 'd', runId: 'manual__1', taskId: 't', mapIndex: 2, tryNumber: 3 });`;

function runWith(env: Record<string, string>): void {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', SCRIPT], { cwd: REPO_ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}

it('writes each mark of a process to <folder>/<pid>.marks, making the folder', () => {
  const folder = join(root, 'made', 'here');
  const before = Date.now();
  runWith({ UPDRAFT_TRACE_MARKS: folder });
  const files = readdirSync(folder);
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(/^\d+\.marks$/);
  const lines = readFileSync(join(folder, files[0]!), 'utf8').trim().split('\n').map((l) => l.split(' '));
  expect(lines.map(([event, key]) => [event, key])).toEqual([['task.return', 'd/manual__1/t/-1'], ['worker.ended', 'd/manual__1/t/2']]);
  for (const [, , at] of lines) {
    expect(Number(at)).toBeGreaterThanOrEqual(before - 1);
    expect(Number(at)).toBeLessThanOrEqual(Date.now() + 1);
  }
});

it('writes nothing when UPDRAFT_TRACE_MARKS is empty (an empty folder name would mean the working directory)', () => {
  const marksHere = () => readdirSync(REPO_ROOT).filter((f) => f.endsWith('.marks'));
  expect(marksHere()).toEqual([]);
  runWith({ UPDRAFT_TRACE_MARKS: '' });
  expect(marksHere()).toEqual([]);
});
