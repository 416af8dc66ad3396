import { DagDefinitionError } from './errors.js';
import type { DateInput } from './options.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * A cached formatter of wall-clock fields (year .. second, 24 h) in `timeZone`; throws a
 * RangeError for a zone this runtime does not know. Shared with the server side.
 */
export function timeZoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is an IANA zone name this runtime knows (e.g. 'UTC', 'Asia/Seoul'). */
export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone.length === 0) return false;
  try {
    timeZoneFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Offset of `timeZone` from UTC at `instantMs`, in ms (wall clock minus UTC). */
function offsetMs(instantMs: number, timeZone: string): number {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 0;
  const whole = instantMs - (((instantMs % 1000) + 1000) % 1000);
  const parts: Record<string, number> = {};
  for (const p of timeZoneFormatter(timeZone).formatToParts(new Date(whole))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - whole;
}

/**
 * The instant whose wall-clock time in `timeZone` is `wallMs` (wall time written as if UTC).
 * Ambiguous (DST fall-back): the earlier instant. Nonexistent (DST gap): shifted by the gap.
 */
export function wallTimeToInstant(wallMs: number, timeZone: string): number {
  // The offsets in force a day before and after cover both sides of any DST change.
  const day = 86_400_000;
  const candidates = [offsetMs(wallMs - day, timeZone), offsetMs(wallMs + day, timeZone)].map((o) => wallMs - o);
  const valid = candidates.filter((x) => x + offsetMs(x, timeZone) === wallMs);
  return valid.length > 0 ? Math.min(...valid) : Math.max(...candidates);
}

const NAIVE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/;
const WITH_OFFSET = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;
/** The calendar fields at the head of an ISO string with an offset: year, month, day, hour, minute, second. */
const DATE_TIME_FIELDS = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/;

/** Throws unless year, month (0-based), day, hour, minute, second name a real time of a real day. */
function assertCalendarFields(value: string, fields: readonly number[], what: string): void {
  const [y = 0, mo = 0, d = 1, h = 0, mi = 0, s = 0] = fields;
  const check = new Date(0);
  check.setUTCFullYear(y, mo, d);
  if (check.getUTCMonth() !== mo || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    throw new DagDefinitionError('invalid', `${what}: '${value}' is not a valid date`);
  }
}

/**
 * Resolves a DateInput to an instant: a Date as is, an ISO string with `Z`/offset as that instant,
 * a naive ISO string as wall-clock time in `timeZone` (the earlier instant when ambiguous at a DST
 * change). `what` names the option in error messages.
 */
export function resolveDate(value: DateInput, timeZone: string, what: string): Date {
  if (value instanceof Date || Object.prototype.toString.call(value) === '[object Date]') {
    const d = value as Date;
    if (Number.isNaN(d.getTime())) throw new DagDefinitionError('invalid', `${what}: invalid Date`);
    return new Date(d.getTime());
  }
  if (typeof value !== 'string') {
    throw new DagDefinitionError('invalid', `${what}: expected a Date or an ISO-8601 string, got ${typeof value}`);
  }
  const m = NAIVE.exec(value);
  if (m) {
    const [y, mo, d, h = '0', mi = '0', s = '0', ms = '0'] = m.slice(1) as string[];
    const fields = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms.padEnd(3, '0'))] as const;
    assertCalendarFields(value, fields, what);
    return new Date(wallTimeToInstant(Date.UTC(...fields), timeZone));
  }
  if (WITH_OFFSET.test(value)) {
    // Date() rolls a day past the month's end over ('2024-02-30T00:00Z' is 1 March): refused instead.
    const f = DATE_TIME_FIELDS.exec(value);
    if (f) {
      const [y, mo, d, h, mi, sec] = f.slice(1).map((x) => Number(x ?? '0'));
      assertCalendarFields(value, [y!, mo! - 1, d!, h!, mi!, sec!], what);
    }
    const d = new Date(value);
    if (!Number.isNaN(d.getTime())) return d;
  }
  throw new DagDefinitionError(
    'invalid',
    `${what}: cannot read '${value}' as a date (use a Date or ISO-8601, e.g. '2024-01-01' or '2024-01-01T06:00:00Z')`,
  );
}

/** Checks the shape of a DateInput without resolving it (the timezone may not be known yet). */
export function assertDateInput(value: unknown, what: string): asserts value is DateInput {
  resolveDate(value as DateInput, 'UTC', what);
}
