/**
 * Timetables with Airflow's data-interval semantics: the run for the data interval [start, end)
 * has logical date = start and may be created at end (runAfter = end). `@once` runs once at the
 * start date with an empty interval; a null schedule is manual only. A DAG's `timetable` (delta,
 * cron trigger: see delta-timetable.ts, cron-trigger-timetable.ts) replaces its schedule.
 */
import type { SerializedDag } from '@updraft/sdk';
import { UpdraftError } from '../errors.js';
import { parseSchedule } from './cron.js';
import type { CronTicks } from './cron.js';
import { cronTriggerBetween, cronTriggerNext, cronTriggerRun } from './cron-trigger-timetable.js';
import { deltaBetween, deltaManual, deltaNext } from './delta-timetable.js';
import type { DagRunInfo, TimetableParams } from './timetable-types.js';

export type { DagRunInfo, TimetableParams } from './timetable-types.js';

export function timetableParamsOf(
  dag: Pick<SerializedDag, 'schedule' | 'timetable' | 'timezone' | 'startDate' | 'endDate' | 'catchup'>,
): TimetableParams {
  const date = (s: string | null, what: string): Date | null => {
    if (s === null) return null;
    const d = new Date(s);
    if (Number.isNaN(d.getTime())) throw new UpdraftError('DAG_INVALID', `${what} '${s}' is not an ISO-8601 instant`);
    return d;
  };
  return {
    schedule: dag.schedule,
    timetable: dag.timetable ?? null,
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
  const t = params.timetable;
  if (t?.kind === 'delta') return deltaNext(params, t.everyMs, lastAutomated, now);
  if (t?.kind === 'cronTrigger') return cronTriggerNext(params, t, lastAutomated, now);
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
  const last = params.endDate !== null && params.endDate < to ? params.endDate : to;
  const t = params.timetable;
  if (t?.kind === 'delta') return deltaBetween(params, t.everyMs, from, last, maxIntervals);
  if (t?.kind === 'cronTrigger') return cronTriggerBetween(params, t, from, last, maxIntervals);
  const schedule = parseSchedule(params.schedule, params.timezone);
  if (schedule.kind === 'none') {
    throw new UpdraftError('INVALID_ARGUMENT', 'the DAG has no schedule, so it has no intervals to backfill; trigger runs manually instead');
  }
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
 * that instant (as Airflow infers it), for a delta timetable the delta before it, for a cron
 * trigger timetable the interval of a tick at that instant, otherwise the empty interval.
 */
export function inferManualDataInterval(params: Pick<TimetableParams, 'schedule' | 'timetable' | 'timezone'>, logicalDate: Date): DagRunInfo {
  const t = params.timetable;
  if (t?.kind === 'delta') return deltaManual(t.everyMs, logicalDate);
  if (t?.kind === 'cronTrigger') return cronTriggerRun(t, params.timezone, logicalDate);
  const schedule = parseSchedule(params.schedule, params.timezone);
  const empty = { logicalDate, dataIntervalStart: logicalDate, dataIntervalEnd: logicalDate, runAfter: logicalDate };
  if (schedule.kind !== 'cron') return empty;
  const end = schedule.ticks.atOrBefore(logicalDate);
  const start = end === null ? null : schedule.ticks.before(end);
  if (end === null || start === null) return empty;
  return { logicalDate, dataIntervalStart: start, dataIntervalEnd: end, runAfter: logicalDate };
}
