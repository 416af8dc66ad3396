/**
 * Timetables with Airflow's data-interval semantics: the run for the data interval [start, end)
 * has logical date = start and may be created at end (runAfter = end). `@once` runs once at the
 * start date with an empty interval; a null schedule is manual only.
 */
import type { SerializedDag } from '@updraft/sdk';
import { UpdraftError } from '../errors.js';
import { parseSchedule } from './cron.js';
import type { CronTicks } from './cron.js';

export interface DagRunInfo {
  /** Logical date of the run = start of its data interval for cron schedules. */
  logicalDate: Date;
  dataIntervalStart: Date;
  dataIntervalEnd: Date;
  /** The earliest instant the run may be created (end of the data interval). */
  runAfter: Date;
}

/** What a timetable needs to know about a DAG. */
export interface TimetableParams {
  /** Cron expression, preset, '@once' or null (manual only). */
  schedule: string | null;
  /** IANA timezone the schedule is evaluated in. */
  timezone: string;
  /** First instant a scheduled interval may start at; null = never scheduled. */
  startDate: Date | null;
  /** No scheduled interval starts after this instant; null = open-ended. */
  endDate: Date | null;
  /** true: every interval since startDate in order; false: only the latest complete one. */
  catchup: boolean;
}

export function timetableParamsOf(
  dag: Pick<SerializedDag, 'schedule' | 'timezone' | 'startDate' | 'endDate' | 'catchup'>,
): TimetableParams {
  const date = (s: string | null, what: string): Date | null => {
    if (s === null) return null;
    const d = new Date(s);
    if (Number.isNaN(d.getTime())) throw new UpdraftError('DAG_INVALID', `${what} '${s}' is not an ISO-8601 instant`);
    return d;
  };
  return {
    schedule: dag.schedule,
    timezone: dag.timezone,
    startDate: date(dag.startDate, 'startDate'),
    endDate: date(dag.endDate, 'endDate'),
    catchup: dag.catchup,
  };
}

function interval(start: Date, end: Date): DagRunInfo {
  return { logicalDate: start, dataIntervalStart: start, dataIntervalEnd: end, runAfter: end };
}

const maxDate = (a: Date, b: Date | null): Date => (b !== null && b.getTime() > a.getTime() ? b : a);

/** Start of the latest interval that is complete at `now` (its end <= now). */
function latestCompleteStart(ticks: CronTicks, now: Date): Date | null {
  const end = ticks.atOrBefore(now);
  return end === null ? null : ticks.before(end);
}

/**
 * The next automated run after `lastAutomated` (the latest scheduled run, or null if none), or null
 * when there is none. The result may lie in the future: create it once `now >= runAfter`.
 * - catchup: the first interval starts at the first tick >= startDate; each next one follows the last.
 * - no catchup: the latest complete interval at `now`, unless a later one already ran (then the next).
 * - no interval starts after endDate; `@once` yields one run at startDate.
 */
export function nextDagRunInfo(params: TimetableParams, lastAutomated: DagRunInfo | null, now: Date): DagRunInfo | null {
  const schedule = parseSchedule(params.schedule, params.timezone);
  if (schedule.kind === 'none' || params.startDate === null) return null;
  if (schedule.kind === 'once') {
    if (lastAutomated !== null) return null;
    if (params.endDate !== null && params.startDate > params.endDate) return null;
    return { logicalDate: params.startDate, dataIntervalStart: params.startDate, dataIntervalEnd: params.startDate, runAfter: params.startDate };
  }
  const { ticks } = schedule;
  let earliest = ticks.atOrAfter(params.startDate);
  if (earliest === null) return null;
  if (!params.catchup) earliest = maxDate(earliest, latestCompleteStart(ticks, now));
  const start = lastAutomated === null ? earliest : maxDate(ticks.atOrBefore(lastAutomated.dataIntervalEnd) ?? earliest, earliest);
  if (params.endDate !== null && start > params.endDate) return null;
  const end = ticks.after(start);
  return end === null ? null : interval(start, end);
}

/**
 * Every interval whose start lies in [from, to], in order (for backfill). Ignores catchup and
 * startDate, respects endDate. Throws INVALID_ARGUMENT for a DAG without a schedule, for from > to,
 * and when more than `maxIntervals` intervals would result.
 */
export function intervalsBetween(params: TimetableParams, from: Date, to: Date, maxIntervals = 10_000): DagRunInfo[] {
  if (from > to) {
    throw new UpdraftError('INVALID_ARGUMENT', `backfill range is empty: from ${from.toISOString()} is after to ${to.toISOString()}`);
  }
  const schedule = parseSchedule(params.schedule, params.timezone);
  if (schedule.kind === 'none') {
    throw new UpdraftError('INVALID_ARGUMENT', 'the DAG has no schedule, so it has no intervals to backfill; trigger runs manually instead');
  }
  const last = params.endDate !== null && params.endDate < to ? params.endDate : to;
  if (schedule.kind === 'once') {
    const s = params.startDate;
    return s !== null && s >= from && s <= last ? [{ logicalDate: s, dataIntervalStart: s, dataIntervalEnd: s, runAfter: s }] : [];
  }
  const out: DagRunInfo[] = [];
  let start = schedule.ticks.atOrAfter(from);
  while (start !== null && start <= last) {
    const end = schedule.ticks.after(start);
    if (end === null) break;
    if (out.length >= maxIntervals) {
      throw new UpdraftError('INVALID_ARGUMENT', `backfill range holds more than ${maxIntervals} intervals; choose a shorter range`);
    }
    out.push(interval(start, end));
    start = end;
  }
  return out;
}

/**
 * Data interval of a manual run at `logicalDate`: for cron schedules the latest interval complete at
 * that instant (as Airflow infers it), otherwise the empty interval [logicalDate, logicalDate].
 */
export function inferManualDataInterval(params: Pick<TimetableParams, 'schedule' | 'timezone'>, logicalDate: Date): DagRunInfo {
  const schedule = parseSchedule(params.schedule, params.timezone);
  const empty = { logicalDate, dataIntervalStart: logicalDate, dataIntervalEnd: logicalDate, runAfter: logicalDate };
  if (schedule.kind !== 'cron') return empty;
  const end = schedule.ticks.atOrBefore(logicalDate);
  const start = end === null ? null : schedule.ticks.before(end);
  if (end === null || start === null) return empty;
  return { logicalDate, dataIntervalStart: start, dataIntervalEnd: end, runAfter: logicalDate };
}
