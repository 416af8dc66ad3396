/**
 * The chain bench's breakdown of a hop from timing marks (test/bench/_hop-marks.ts): each hop runs
 * from a task's return to the call of the next task of its run; every step is taken from the mark
 * of the right task instance; a hop missing a mark, and the gap between two runs, are left out.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { HOP_STEPS, hopsOf, hopStepLines, readMarks, type Mark } from '../bench/_hop-marks.js';

const UP = 'd/r1/t00/-1';
const DOWN = 'd/r1/t01/-1';

/** One hop's marks, 1 ms apart from `t0`: every step of HOP_STEPS in order. */
function hopMarks(up: string, down: string, t0: number): Mark[] {
  const events = [HOP_STEPS[0]![0], ...HOP_STEPS.map(([, to]) => to)];
  const downstream = new Set(['worker.start', 'worker.runner', 'task.start', 'task.call']);
  return events.map((event, i) => ({ event, key: downstream.has(event) ? down : up, at: t0 + i }));
}

const dir = mkdtempSync(join(tmpdir(), 'updraft-hop-marks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('reads every process file in time order and measures each step on its own task instance', () => {
  const marks = hopMarks(UP, DOWN, 1000);
  // Marks of another task instance in between (another slot's report) are not this hop's.
  marks.splice(3, 0, { event: 'scheduler.report', key: 'd/r1/other/-1', at: 1001.5 });
  writeFileSync(join(dir, '1.marks'), marks.filter((_, i) => i % 2 === 0).map((m) => `${m.event} ${m.key} ${m.at}\n`).join(''));
  writeFileSync(join(dir, '2.marks'), marks.filter((_, i) => i % 2 === 1).map((m) => `${m.event} ${m.key} ${m.at}\n`).join(''));
  writeFileSync(join(dir, 'ignored.txt'), 'task.call d/r1/t09/-1 1\n');
  const read = readMarks(dir);
  expect(read.map((m) => m.at)).toEqual([...marks].sort((a, b) => a.at - b.at).map((m) => m.at));
  const hops = hopsOf(read);
  expect(hops).toHaveLength(1);
  expect(hops[0]!.get('scheduler.report')).toBe(1003);
  expect(hops[0]!.get('task.call')! - hops[0]!.get('task.return')!).toBe(HOP_STEPS.length);
  const lines = hopStepLines(hops);
  expect(lines).toHaveLength(HOP_STEPS.length + 2);
  expect(lines[1]).toMatch(/p50 +1\.00 ms +p99 +1\.00 ms$/);
  expect(lines.at(-1)).toMatch(/^ +the hop: .* p50 +11\.0 ms/);
});

it('leaves out a hop missing a mark and the gap between runs', () => {
  const incomplete = hopMarks(UP, DOWN, 0).filter((m) => m.event !== 'scheduler.statement');
  const nextRun = hopMarks('d/r1/t39/-1', 'd/r2/t00/-1', 100);
  const complete = hopMarks('d/r2/t00/-1', 'd/r2/t01/-1', 200);
  expect(hopsOf([...incomplete, ...nextRun, ...complete])).toHaveLength(1);
  expect(hopStepLines([])).toEqual(['  where a hop goes, process by process: no hop with every timing mark']);
});
