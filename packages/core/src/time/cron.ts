/**
 * Schedules: a cron expression, a preset, `@once`, or null (manual only). Cron is evaluated in the
 * DAG's IANA timezone with cron-parser, so "0 2 * * *" means 02:00 wall time across DST changes.
 */
import { CronExpressionParser } from 'cron-parser';
import { UpdraftError } from '../errors.js';
import { isValidTimeZone } from '@updraft/sdk';

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

export function parseSchedule(schedule: string | null, timezone: string): ParsedSchedule {
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

/** The instants a cron expression fires at, in one timezone. All methods are pure. */
export class CronTicks {
  constructor(
    readonly expression: string,
    readonly timezone: string,
    private readonly original: string = expression,
  ) {
    // Parse once up front so a bad expression fails here, with the schedule named.
    this.iterator(new Date(0));
  }

  private iterator(currentDate: Date) {
    try {
      return CronExpressionParser.parse(this.expression, { tz: this.timezone, currentDate });
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new UpdraftError('DAG_INVALID', `schedule '${this.original}': invalid cron expression: ${reason}`, { cause });
    }
  }

  /** First tick strictly after `d`, or null when there is none. */
  after(d: Date): Date | null {
    const it = this.iterator(d);
    return it.hasNext() ? it.next().toDate() : null;
  }

  /** Last tick strictly before `d`, or null when there is none. */
  before(d: Date): Date | null {
    const it = this.iterator(d);
    return it.hasPrev() ? it.prev().toDate() : null;
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
