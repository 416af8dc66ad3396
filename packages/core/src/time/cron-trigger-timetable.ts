/**
 * Airflow 3's CronTriggerTimetable: a run at each tick of a cron expression in the DAG's timezone,
 * its logical date the tick itself; the data interval ends at the tick (`{ ms }` long, empty for 0)
 * or is the calendar day before the tick's day ('previousDay', 23 or 25 hours on a DST day).
 */
import type { SerializedTimetable } from '@updraft/sdk';
import { UpdraftError } from '../errors.js';
import { parseSchedule, type CronTicks } from './cron.js';
import type { DagRunInfo, TimetableParams } from './timetable-types.js';
import { instantOfWall, naiveWallMs } from './wall-time.js';

type CronTrigger = Extract<SerializedTimetable, { kind: 'cronTrigger' }>;

const DAY_MS = 86_400_000;

/** The ticks of the timetable's cron in `timezone`; DAG_INVALID naming the timetable when bad. */
export function cronTriggerTicks(t: CronTrigger, timezone: string): CronTicks {
  let parsed;
  try {
    parsed = parseSchedule(t.cron, timezone);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new UpdraftError('DAG_INVALID', `timetable: ${reason}`, { cause });
  }
  if (parsed.kind !== 'cron') throw new UpdraftError('DAG_INVALID', `timetable: '${t.cron}' is not a cron expression or preset`);
  return parsed.ticks;
}

/** The run of the tick `trigger`: logical date and run-after = the tick. */
export function cronTriggerRun(t: CronTrigger, timezone: string, trigger: Date): DagRunInfo {
  if (t.dataInterval === 'previousDay') {
    const midnight = Math.floor(naiveWallMs(trigger, timezone) / DAY_MS) * DAY_MS;
    const dataIntervalStart = instantOfWall(midnight - DAY_MS, timezone);
    return { logicalDate: trigger, dataIntervalStart, dataIntervalEnd: instantOfWall(midnight, timezone), runAfter: trigger };
  }
  return { logicalDate: trigger, dataIntervalStart: new Date(trigger.getTime() - t.dataInterval.ms), dataIntervalEnd: trigger, runAfter: trigger };
}

const latest = (dates: Array<Date | null>): Date | null =>
  dates.reduce<Date | null>((a, b) => (b !== null && (a === null || b > a) ? b : a), null);

/**
 * The next automated run: with catchup the tick after the last run's (the first at or after
 * startDate); without, never earlier than the latest tick at or before `now`. Null past endDate.
 */
export function cronTriggerNext(params: TimetableParams, t: CronTrigger, last: DagRunInfo | null, now: Date): DagRunInfo | null {
  if (params.startDate === null) return null;
  const ticks = cronTriggerTicks(t, params.timezone);
  const candidates = [ticks.atOrAfter(params.startDate)];
  if (last !== null) candidates.push(ticks.after(last.logicalDate));
  if (!params.catchup) candidates.push(ticks.atOrBefore(now));
  const next = latest(candidates);
  if (next === null || (params.endDate !== null && next > params.endDate)) return null;
  return cronTriggerRun(t, params.timezone, next);
}

/** The runs whose tick lies in [from, last]. */
export function cronTriggerBetween(params: TimetableParams, t: CronTrigger, from: Date, last: Date, maxIntervals: number): DagRunInfo[] {
  const ticks = cronTriggerTicks(t, params.timezone);
  const out: DagRunInfo[] = [];
  for (let tick = ticks.atOrAfter(from); tick !== null && tick <= last; tick = ticks.after(tick)) {
    if (out.length >= maxIntervals) {
      throw new UpdraftError('INVALID_ARGUMENT', `backfill range holds more than ${maxIntervals} intervals; choose a shorter range`);
    }
    out.push(cronTriggerRun(t, params.timezone, tick));
  }
  return out;
}
