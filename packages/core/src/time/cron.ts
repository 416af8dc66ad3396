/**
 * Schedules: a cron expression, a preset, `@once`, or null (manual only). Cron is evaluated in the
 * DAG's IANA timezone with cron-parser, so "0 2 * * *" means 02:00 wall time across DST changes.
 */
import { createRequire } from 'node:module';
import type * as CronParser from 'cron-parser';
import type { CronExpression, CronFieldCollection } from 'cron-parser';
import { UpdraftError } from '../errors.js';
import { isValidTimeZone } from '@updraft/sdk';
import { instantOfWall, instantsOfWall, naiveWallMs, utcOffsetMinutes } from './wall-time.js';

/** cron-parser, loaded on first use: workers never parse a schedule and do not load it (nor luxon). */
let cronParserModule: typeof CronParser | undefined;
function cronParser(): typeof CronParser {
  cronParserModule ??= createRequire(import.meta.url)('cron-parser') as typeof CronParser;
  return cronParserModule;
}

/** Farther than any DST shift: the margin a search around a wall time starts from. */
const DST_MARGIN_MS = 3 * 3_600_000;
const DAY_MS = 86_400_000;

/** Presets and the cron expression each stands for (Airflow's names). */
export const CRON_PRESETS: Readonly<Record<string, string>> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@yearly': '0 0 1 1 *',
};

export type ParsedSchedule =
  | { kind: 'none' }
  | { kind: 'once' }
  | { kind: 'cron'; expression: string; ticks: CronTicks };

/**
 * Checks a schedule and timezone; throws UpdraftError('DAG_INVALID') naming what is wrong.
 * Accepted: null, '@once', the presets above, or a cron expression of 5 fields
 * (minute hour day-of-month month day-of-week) or 6 (with seconds first).
 */
export function validateSchedule(schedule: string | null, timezone: string): void {
  parseSchedule(schedule, timezone);
}

/**
 * Parsed schedules by timezone and text: the scheduler asks for the next run of every due DAG
 * (1,000 minutely DAGs: 2,000 times a minute), and parsing is most of the cost. Bounded.
 */
const parsedSchedules = new Map<string, ParsedSchedule>();
const PARSED_SCHEDULES_MAX = 4096;

export function parseSchedule(schedule: string | null, timezone: string): ParsedSchedule {
  const key = typeof schedule === 'string' && typeof timezone === 'string' ? `${timezone}\n${schedule}` : undefined;
  const hit = key === undefined ? undefined : parsedSchedules.get(key);
  if (hit !== undefined) return hit;
  const parsed = parseScheduleNow(schedule, timezone);
  if (key !== undefined) {
    if (parsedSchedules.size >= PARSED_SCHEDULES_MAX) parsedSchedules.clear();
    parsedSchedules.set(key, parsed);
  }
  return parsed;
}

function parseScheduleNow(schedule: string | null, timezone: string): ParsedSchedule {
  if (!isValidTimeZone(timezone)) {
    throw new UpdraftError('DAG_INVALID', `timezone '${String(timezone)}' is not a known IANA timezone (e.g. 'UTC', 'Europe/Berlin', 'Asia/Seoul')`);
  }
  if (schedule === null) return { kind: 'none' };
  if (typeof schedule !== 'string') {
    throw new UpdraftError('DAG_INVALID', `schedule must be a string or null, got ${typeof schedule}`);
  }
  const trimmed = schedule.trim();
  if (trimmed === '@once') return { kind: 'once' };
  let expression = trimmed;
  if (trimmed.startsWith('@')) {
    const preset = CRON_PRESETS[trimmed];
    if (preset === undefined) {
      throw new UpdraftError('DAG_INVALID', `schedule '${schedule}': unknown preset (known: @once, ${Object.keys(CRON_PRESETS).join(', ')})`);
    }
    expression = preset;
  }
  const fields = expression.split(/\s+/).filter((f) => f.length > 0).length;
  if (fields !== 5 && fields !== 6) {
    throw new UpdraftError('DAG_INVALID', `schedule '${schedule}': a cron expression has 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first), got ${fields}`);
  }
  return { kind: 'cron', expression, ticks: new CronTicks(expression, timezone, schedule) };
}

/**
 * The instants a cron expression fires at, in one timezone. All methods are pure.
 *
 * DST rules (Airflow's, CronDataIntervalTimetable with pendulum):
 * - A fixed time of day (minute and hour are single numbers, e.g. '30 2 * * *', '@daily') follows
 *   the wall clock: a time that does not exist on a spring-forward day fires once, as far past the
 *   gap as it lay inside it (02:30 -> 03:30); a time that happens twice fires once, at its first
 *   occurrence.
 * - Any other schedule ('@hourly', '*\/15 * * * *') steps through real time: every real hour of a
 *   23- or 25-hour day is a tick.
 * `before` agrees with `after` (cron-parser's backward iteration does not across DST changes), so
 * consecutive ticks make data intervals that neither overlap nor leave gaps.
 */
export class CronTicks {
  /** True when the expression fires at one time of day (see the DST rules above). */
  readonly fixedTimeOfDay: boolean;
  /** The parsed fields (they do not depend on the timezone): an iterator is then cheap to make. */
  private readonly fields: CronFieldCollection;

  constructor(
    readonly expression: string,
    readonly timezone: string,
    private readonly original: string = expression,
  ) {
    // Parsed once, up front, so a bad expression fails here, with the schedule named.
    try {
      this.fields = cronParser().CronExpressionParser.parse(expression, { tz: timezone, currentDate: new Date(0) }).fields;
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new UpdraftError('DAG_INVALID', `schedule '${original}': invalid cron expression: ${reason}`, { cause });
    }
    const fields = expression.split(/\s+/).filter((f) => f.length > 0);
    const timeFields = fields.length === 6 ? fields.slice(0, 3) : fields.slice(0, 2);
    this.fixedTimeOfDay = timeFields.every((f) => /^\d+$/.test(f));
  }

  private iterator(currentDate: Date, tz: string = this.timezone): CronExpression {
    return new (cronParser().CronExpression)(this.fields, { tz, currentDate, expression: this.expression });
  }

  /** First tick strictly after `d`, or null when there is none. */
  after(d: Date): Date | null {
    if (!this.fixedTimeOfDay) {
      const next = step(this.iterator(d), 'next');
      // cron-parser's answer, unless an offset change lies between: across some changes (Lord Howe's
      // 30-minute one) it skips real ticks or finds none at all, and a DAG would stop being scheduled.
      if (this.timezone === 'UTC' || (next !== null && next > d && utcOffsetMinutes(next, this.timezone) === utcOffsetMinutes(d, this.timezone))) {
        return next;
      }
      return this.byWallTimes(d, 'next');
    }
    // Wall times of the expression (a naive clock), mapped to instants; ticks are a day or more apart.
    const walls = this.iterator(new Date(naiveWallMs(d, this.timezone) - DST_MARGIN_MS), 'UTC');
    for (let i = 0; i < 8 && walls.hasNext(); i++) {
      const t = instantOfWall(walls.next().toDate().getTime(), this.timezone);
      if (t > d) return t;
    }
    return null;
  }

  /**
   * The next (or previous) tick of a schedule that steps through real time, from the expression's
   * wall times (a naive clock, where cron-parser is right): each wall time is a tick at every
   * instant that shows it (two when clocks are set back, none in a gap). Instants after `d` show
   * wall times from `d`'s minus the clock shift near it (before `d`: up to `d`'s plus it); a wall
   * time farther than the largest shift past the best instant's can no longer give a nearer one.
   */
  private byWallTimes(d: Date, way: 'next' | 'prev'): Date | null {
    const tz = this.timezone;
    const sign = way === 'next' ? 1 : -1;
    const walls = this.iterator(new Date(naiveWallMs(d, tz) - sign * (this.shiftNear(d) + 1)), 'UTC');
    let best: number | null = null;
    for (let i = 0; i < 10_000 && (way === 'next' ? walls.hasNext() : walls.hasPrev()); i++) {
      const wall = (way === 'next' ? walls.next() : walls.prev()).toDate().getTime();
      if (best !== null && sign * (wall - naiveWallMs(new Date(best), tz)) > DST_MARGIN_MS) break;
      for (const t of instantsOfWall(wall, tz)) {
        const ms = t.getTime();
        if (sign * (ms - d.getTime()) > 0 && (best === null || sign * (ms - best) < 0)) best = ms;
      }
    }
    return best === null ? null : new Date(best);
  }

  /** The largest change of the zone's offset within a day of `d`, in ms (0 far from any change). */
  private shiftNear(d: Date): number {
    const here = utcOffsetMinutes(d, this.timezone);
    return Math.max(...[-DAY_MS, DAY_MS].map((o) => Math.abs(utcOffsetMinutes(new Date(d.getTime() + o), this.timezone) - here))) * 60_000;
  }

  /** Last tick strictly before `d`, or null when there is none. */
  before(d: Date): Date | null {
    if (this.fixedTimeOfDay) {
      const walls = this.iterator(new Date(naiveWallMs(d, this.timezone) + DST_MARGIN_MS), 'UTC');
      for (let i = 0; i < 8 && walls.hasPrev(); i++) {
        const t = instantOfWall(walls.prev().toDate().getTime(), this.timezone);
        if (t < d) return t;
      }
      return null;
    }
    const prev = step(this.iterator(d), 'prev');
    // No offset change around: cron-parser's answer is right. Near one (or when it found none), the
    // wall times decide, as in `after`, so that consecutive ticks make intervals without gaps.
    if (prev !== null && prev < d && d.getTime() - prev.getTime() + DST_MARGIN_MS < 7 * DAY_MS
      && (this.timezone === 'UTC' || utcOffsetMinutes(new Date(prev.getTime() - DST_MARGIN_MS), this.timezone) === utcOffsetMinutes(d, this.timezone))) {
      return prev;
    }
    return this.byWallTimes(d, 'prev');
  }

  /** First tick at or after `d`. */
  atOrAfter(d: Date): Date | null {
    return this.after(new Date(d.getTime() - 1));
  }

  /** Last tick at or before `d`. */
  atOrBefore(d: Date): Date | null {
    return this.before(new Date(d.getTime() + 1));
  }
}

/**
 * The iterator's next (or previous) tick, or null when there is none. One search: hasNext()
 * would search once more before next() does.
 */
function step(it: CronExpression, way: 'next' | 'prev'): Date | null {
  try {
    return (way === 'next' ? it.next() : it.prev()).toDate();
  } catch {
    return null;
  }
}
