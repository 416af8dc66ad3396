/**
 * The days a DAG's schedule still has runs on, for a calendar (Airflow's "planned" days): from its
 * next run on, the first logical date at or after each day's start in the DAG's time zone, so a
 * schedule of many runs a day costs one step per day, not one per run. Days are YYYY-MM-DD in the
 * DAG's time zone, by logical date (as the calendar places past runs).
 */
import { UpdraftError } from '../errors.js';
import { cronTriggerTicks } from '../time/cron-trigger-timetable.js';
import { parseSchedule } from '../time/cron.js';
import { deltaStartAtOrAfter } from '../time/delta-timetable.js';
import { dateInTimezone } from '../time/format.js';
import { timetableParamsOf, type TimetableParams } from '../time/timetable.js';
import { instantOfWall } from '../time/wall-time.js';
import { nextRunOf, type NextRunFacts } from './next-run.js';

const DAY_MS = 86_400_000;

/** The first logical date at or after `t` of the timetable, or undefined when it has no grid (once, none). */
function firstStartFinder(params: TimetableParams): ((t: Date) => Date | null) | undefined {
  const t = params.timetable;
  if (t?.kind === 'delta') return params.startDate === null ? undefined : (at) => deltaStartAtOrAfter(params, t.everyMs, at);
  if (t?.kind === 'cronTrigger') {
    const ticks = cronTriggerTicks(t, params.timezone);
    return (at) => ticks.atOrAfter(at);
  }
  const schedule = parseSchedule(params.schedule, params.timezone);
  if (schedule.kind !== 'cron') return undefined;
  return (at) => schedule.ticks.atOrAfter(at);
}

/** The start (in `timeZone`) of the day after `day` (YYYY-MM-DD). */
function startOfNextDay(day: string, timeZone: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return instantOfWall(Date.UTC(y, m - 1, d) + DAY_MS, timeZone);
}

/**
 * Days in [from, to) holding a scheduled run still to come as of `now`, at most `maxDays`.
 * None for a manual-only or asset-driven DAG, or one past its end date.
 */
export function plannedRunDays(dag: NextRunFacts, from: Date, to: Date, now: Date = new Date(), maxDays = 400): string[] {
  const next = nextRunOf(dag, now);
  if (next === null) return [];
  const params = timetableParamsOf({
    schedule: dag.schedule, timetable: dag.timetable ?? undefined, timezone: dag.timezone,
    startDate: dag.startDate, endDate: dag.endDate, catchup: dag.catchup,
  });
  const inRange = (d: Date) => d.getTime() >= from.getTime() && d.getTime() < to.getTime() && (params.endDate === null || d <= params.endDate);
  let finder: ((t: Date) => Date | null) | undefined;
  try {
    finder = firstStartFinder(params);
  } catch (err) {
    if (err instanceof UpdraftError) return [];
    throw err;
  }
  if (finder === undefined) return inRange(next.logicalDate) ? [dateInTimezone(next.logicalDate, dag.timezone)] : [];
  const out: string[] = [];
  let at = next.logicalDate.getTime() > from.getTime() ? next.logicalDate : from;
  while (out.length < maxDays) {
    const start = finder(at);
    if (start === null || !inRange(start)) break;
    const day = dateInTimezone(start, dag.timezone);
    out.push(day);
    at = startOfNextDay(day, dag.timezone);
  }
  return out;
}
