/**
 * Timing marks for benchmarks: off unless UPDRAFT_TRACE_MARKS names a folder. Then each process
 * that marks appends lines `<event> <key> <time>` to `<folder>/<pid>.marks`, where time is epoch
 * milliseconds with microseconds (one clock for every process of the host) and key names a task
 * instance (TraceKey). The folder is made if need be. Lines are buffered and written every 200 ms and at exit, so a mark costs
 * no system call. Off, a mark costs one comparison. The chain bench reads them to say where a
 * hop's time goes, process by process (test/bench/_hop-marks.ts). Its own entry point
 * (`@updraft/core/trace-marks`) keeps a runner process from loading the rest of core.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** The environment variable that turns marks on: the folder they are written to. */
export const TRACE_MARKS_ENV = 'UPDRAFT_TRACE_MARKS';

/** The folder marks go to, read once when the process starts (undefined: marks are off). */
export const traceMarksFolder: string | undefined = process.env[TRACE_MARKS_ENV] || undefined;

let pending: string[] = [];

/** Writes the marks made so far (also done every 200 ms and at exit). */
export function flushTraceMarks(): void {
  if (pending.length === 0 || traceMarksFolder === undefined) return;
  const text = pending.join('');
  pending = [];
  try {
    appendFileSync(join(traceMarksFolder, `${process.pid}.marks`), text);
  } catch {
    // A benchmark's aid: a folder that went away loses marks, never the process.
  }
}

if (traceMarksFolder !== undefined) {
  try {
    mkdirSync(traceMarksFolder, { recursive: true });
  } catch {
    // Written to as it is; a folder that cannot be made loses the marks.
  }
  process.on('exit', flushTraceMarks);
  setInterval(flushTraceMarks, 200).unref();
}

/** A task instance as marks name it (a key, a try's context, a finish input: anything that carries these). */
export interface TraceKey {
  dagId: string;
  runId: string;
  taskId: string;
  mapIndex: number;
}

/**
 * Records that `event` happened now to the task instance `key`, written `dag/run/task/map_index`
 * (no spaces: runs and tasks are ids), or `-` when the caller has none. Nothing is built when marks are off.
 */
export function traceMark(event: string, key: TraceKey | undefined): void {
  if (traceMarksFolder === undefined) return;
  const k = key === undefined ? '-' : `${key.dagId}/${key.runId}/${key.taskId}/${key.mapIndex}`;
  pending.push(`${event} ${k} ${(performance.timeOrigin + performance.now()).toFixed(3)}\n`);
}
