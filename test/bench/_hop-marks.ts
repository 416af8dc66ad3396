/**
 * Where a chain's hop goes, process by process: `UPDRAFT_TRACE_MARKS=DIR npm run bench -- chain-40`.
 * The scheduler (in the bench process), the worker and its runners then write timing marks into
 * DIR (core's trace-marks.ts), and each chain variant prints the p50 and
 * p99 of every step from the upstream task's return to the downstream task's call. Off by
 * default: the summary line's figures are measured without them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { flushTraceMarks, traceMarksFolder } from '@updraft/core/trace-marks';
import { fmtMs, percentile } from './_distributed.js';

export interface Mark {
  event: string;
  key: string;
  at: number;
}

/** A hop's steps: [from, to, what the time between them is]. Marks of the upstream task first, then of the downstream one. */
export const HOP_STEPS: ReadonlyArray<readonly [string, string, string]> = [
  ['task.return', 'worker.ended', 'runner -> worker: the end of the task read'],
  ['worker.ended', 'worker.report', 'worker: the report made'],
  ['worker.report', 'scheduler.report', 'worker -> scheduler: the report (gRPC)'],
  ['scheduler.report', 'scheduler.statement', 'scheduler: up to the finish statement'],
  ['scheduler.statement', 'scheduler.statement-done', 'the finish statement, sent to answered'],
  ['scheduler.statement-done', 'scheduler.answer', 'scheduler: the answer made'],
  ['scheduler.answer', 'worker.answer', 'scheduler -> worker: the answer (gRPC)'],
  ['worker.answer', 'worker.start', 'worker: the next attempt'],
  ['worker.start', 'worker.runner', 'worker: the task set up (log, directory, runner)'],
  ['worker.runner', 'task.start', 'worker -> runner: the task (IPC)'],
  ['task.start', 'task.call', 'runner: the task function called'],
];

/** Steps marked on the upstream task instance (the rest are the downstream one's). */
const UPSTREAM = new Set(['task.return', 'worker.ended', 'worker.report', 'scheduler.report', 'scheduler.statement', 'scheduler.statement-done', 'scheduler.answer', 'worker.answer']);

/** Every mark written to `dir` (each process's file), in time order. */
export function readMarks(dir: string): Mark[] {
  const marks: Mark[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.marks'))) {
    for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
      const [event, key, at] = line.split(' ');
      if (event && key && at) marks.push({ event, key, at: Number(at) });
    }
  }
  return marks.sort((a, b) => a.at - b.at);
}

/** The run of a mark's key (`dag/run/task/map_index`). */
const runOf = (key: string): string => key.split('/').slice(0, 2).join('/');

/**
 * The hops of sequential chains in `marks` (in time order): from each task's return to the call of
 * the next task of its run, with the first mark of each event in between (an upstream event on the
 * upstream's key, a downstream one on the downstream's). Hops missing a mark are left out; so are
 * the hops between runs.
 */
export function hopsOf(marks: readonly Mark[]): Array<Map<string, number>> {
  const hops: Array<Map<string, number>> = [];
  let upKey: string | undefined;
  let seen: Mark[] = [];
  for (const m of marks) {
    if (m.event === 'task.return') {
      upKey = m.key;
      seen = [m];
      continue;
    }
    if (upKey === undefined) continue;
    seen.push(m);
    if (m.event !== 'task.call' || m.key === upKey || runOf(m.key) !== runOf(upKey)) continue;
    const hop = new Map<string, number>();
    for (const s of seen) {
      const own = UPSTREAM.has(s.event) ? s.key === upKey : s.key === m.key;
      if (own && !hop.has(s.event)) hop.set(s.event, s.at);
    }
    if (HOP_STEPS.every(([from, to]) => hop.has(from) && hop.has(to))) hops.push(hop);
    upKey = undefined;
    seen = [];
  }
  return hops;
}

/** Lines: p50 and p99 of each step of `hops`, and of the whole hop. */
export function hopStepLines(hops: ReadonlyArray<Map<string, number>>): string[] {
  if (hops.length === 0) return ['  where a hop goes, process by process: no hop with every timing mark'];
  const step = (from: string, to: string) => hops.map((h) => h.get(to)! - h.get(from)!);
  const line = (label: string, xs: number[]) => `    ${label.padEnd(52)} p50 ${fmtMs(percentile(xs, 50)).padStart(8)}  p99 ${fmtMs(percentile(xs, 99)).padStart(8)}`;
  return [
    `  where a hop goes, process by process (timing marks, ${hops.length} hops):`,
    ...HOP_STEPS.map(([from, to, label]) => line(label, step(from, to))),
    line('the hop: task returned -> next task called', step('task.return', 'task.call')),
  ];
}

/** The breakdown of the hops of `dagId`'s runs `runIds`, when marks are on (else nothing). */
export async function hopMarksLines(dagId: string, runIds: readonly string[]): Promise<string[]> {
  const dir = traceMarksFolder;
  if (dir === undefined) return [];
  flushTraceMarks();
  // The worker and its runners write theirs every 200 ms.
  await new Promise((r) => setTimeout(r, 500));
  const runs = new Set(runIds.map((r) => `${dagId}/${r}`));
  return hopStepLines(hopsOf(readMarks(dir).filter((m) => runs.has(runOf(m.key)))));
}
