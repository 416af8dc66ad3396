/**
 * Airflow's DeltaDataIntervalTimetable: the intervals [start + k·every, start + (k+1)·every) on a
 * grid anchored at the DAG's startDate, in real time (a DST change moves the wall-clock times, never
 * the length). Logical date = interval start; a run is created when its interval ends.
 */
import { UpdraftError } from '../errors.js';
import type { DagRunInfo, TimetableParams } from './timetable-types.js';

function grid(params: TimetableParams, everyMs: number) {
  const anchor = params.startDate;
  if (anchor === null) throw new UpdraftError('DAG_INVALID', 'a delta timetable needs a startDate (the first logical date)');
  const a = anchor.getTime();
  return {
    /** First grid point at or after t. */
    up: (t: number): number => a + Math.ceil((t - a) / everyMs) * everyMs,
    /** Last grid point at or before t. */
    down: (t: number): number => a + Math.floor((t - a) / everyMs) * everyMs,
  };
}

/** The first interval start of the grid at or after `t` (null without a startDate). */
export function deltaStartAtOrAfter(params: TimetableParams, everyMs: number, t: Date): Date | null {
  return params.startDate === null ? null : new Date(grid(params, everyMs).up(t.getTime()));
}

export function deltaInterval(startMs: number, everyMs: number): DagRunInfo {
  const start = new Date(startMs);
  const end = new Date(startMs + everyMs);
  return { logicalDate: start, dataIntervalStart: start, dataIntervalEnd: end, runAfter: end };
}

/**
 * The next automated run: with catchup the grid interval after the last run (the first at
 * startDate); without, never earlier than the latest interval complete at `now`. Null past endDate.
 */
export function deltaNext(params: TimetableParams, everyMs: number, last: DagRunInfo | null, now: Date): DagRunInfo | null {
  if (params.startDate === null) return null;
  const g = grid(params, everyMs);
  let earliest = params.startDate.getTime();
  // The latest complete interval ends at or before now: it starts one step before that grid point.
  if (!params.catchup) earliest = Math.max(earliest, g.down(now.getTime()) - everyMs);
  const start = last === null ? earliest : Math.max(g.up(last.dataIntervalEnd.getTime()), earliest);
  if (params.endDate !== null && start > params.endDate.getTime()) return null;
  return deltaInterval(start, everyMs);
}

/** The grid intervals whose start lies in [from, last] (the grid extends before startDate too). */
export function deltaBetween(params: TimetableParams, everyMs: number, from: Date, last: Date, maxIntervals: number): DagRunInfo[] {
  const g = grid(params, everyMs);
  const first = g.up(from.getTime());
  const count = last.getTime() < first ? 0 : Math.floor((last.getTime() - first) / everyMs) + 1;
  if (count > maxIntervals) {
    throw new UpdraftError('INVALID_ARGUMENT', `backfill range holds more than ${maxIntervals} intervals; choose a shorter range`);
  }
  return Array.from({ length: count }, (_, k) => deltaInterval(first + k * everyMs, everyMs));
}

/** A manual run at `logicalDate` covers the `every` before it (Airflow's inference). */
export function deltaManual(everyMs: number, logicalDate: Date): DagRunInfo {
  return { logicalDate, dataIntervalStart: new Date(logicalDate.getTime() - everyMs), dataIntervalEnd: logicalDate, runAfter: logicalDate };
}
