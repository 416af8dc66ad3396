/**
 * Airflow's macros and date filters for templates (rendered by the scheduler at claim time, by
 * `updraft tasks render`, and by task types on the worker):
 *
 *   {{ macros.ds_add(ds, 7) }}                          2024-01-08
 *   {{ macros.ds_format(ds, '%Y-%m-%d', '%d/%m/%Y') }}  01/01/2024   (Python strftime codes)
 *   {{ macros.datetime(2024, 1, 31) }}                  2024-01-31T00:00:00.000Z (UTC)
 *   {{ macros.add(data_interval_start, macros.timedelta(days=1, hours=2)) }}   (also macros.sub)
 *   {{ data_interval_start | tz('Asia/Seoul') | date('YYYY-MM-DD HH:mm') }}   2024-01-01 09:00
 *
 * Dates are ISO strings or Dates; `tz` gives a zoned date (rendered with its offset), `date`
 * formats with tokens YYYY YY MM M DD D HH H mm ss SSS Z ZZ (in UTC unless zoned). Errors become
 * the rendering error of the template, naming it.
 */
import { templateFunction, type TemplateFilter } from './template.js';
import { isValidTimeZone } from './timezone.js';
import { formatInTimezone, wallClock } from './wall-clock.js';

const ZONED = Symbol.for('updraft.template.zoned');

/** A date shown in a timezone (what `| tz('...')` gives). */
interface Zoned {
  [ZONED]: true;
  instant: Date;
  timeZone: string;
  toJSON(): string;
  toString(): string;
}

const isZoned = (v: unknown): v is Zoned => typeof v === 'object' && v !== null && (v as Partial<Zoned>)[ZONED] === true;

function zoned(instant: Date, timeZone: string): Zoned {
  const text = (): string => formatInTimezone(instant, timeZone);
  return { [ZONED]: true, instant, timeZone, toJSON: text, toString: text };
}

/** The instant of a template value: a Date, a zoned date, or an ISO-8601 string (YYYY-MM-DD is UTC midnight). */
function instantOf(v: unknown, what: string): Date {
  if (isZoned(v)) return v.instant;
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v;
  if (typeof v === 'string') {
    const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
    if (!Number.isNaN(d.getTime())) return d;
  }
  throw new Error(`${what} must be a date (an ISO-8601 string or a date), got ${JSON.stringify(v) ?? String(v)}`);
}

const pad = (n: number, w = 2): string => String(Math.abs(n)).padStart(w, '0');
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface Fields { year: number; month: number; day: number; hour: number; minute: number; second: number; millisecond: number; offsetMinutes: number; weekday: number }

function fieldsOf(v: unknown, what: string): Fields {
  const instant = instantOf(v, what);
  const w = wallClock(instant, isZoned(v) ? v.timeZone : 'UTC');
  return { ...w, weekday: new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay() };
}

function offset(f: Fields, colon: boolean): string {
  const sign = f.offsetMinutes < 0 ? '-' : '+';
  const off = Math.abs(f.offsetMinutes);
  return `${sign}${pad(Math.floor(off / 60))}${colon ? ':' : ''}${pad(off % 60)}`;
}

const DATE_TOKENS = /\[[^\]]*\]|YYYY|YY|MMMM|MMM|MM|M|DD|D|dddd|ddd|HH|H|hh|h|mm|m|ss|s|SSS|A|ZZ|Z/g;

/** `date('YYYY-MM-DD HH:mm')`: text in [brackets] is kept as is. */
export function formatDate(v: unknown, pattern: string): string {
  const f = fieldsOf(v, 'date()');
  const h12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
  const token: Record<string, string> = {
    YYYY: pad(f.year, 4), YY: pad(f.year % 100), MMMM: MONTHS[f.month - 1]!, MMM: MONTHS[f.month - 1]!.slice(0, 3), MM: pad(f.month),
    M: String(f.month), DD: pad(f.day), D: String(f.day), dddd: DAYS[f.weekday]!, ddd: DAYS[f.weekday]!.slice(0, 3), HH: pad(f.hour),
    H: String(f.hour), hh: pad(h12), h: String(h12), mm: pad(f.minute), m: String(f.minute), ss: pad(f.second), s: String(f.second),
    SSS: pad(f.millisecond, 3), A: f.hour < 12 ? 'AM' : 'PM', ZZ: offset(f, false), Z: offset(f, true),
  };
  return pattern.replace(DATE_TOKENS, (t) => (t.startsWith('[') ? t.slice(1, -1) : token[t]!));
}

/** Python's strftime for the common codes: %Y %y %m %d %H %I %M %S %f %p %j %a %A %b %B %z %Z %%. */
export function strftime(v: unknown, format: string): string {
  const f = fieldsOf(v, 'strftime');
  const dayOfYear = Math.round((Date.UTC(f.year, f.month - 1, f.day) - Date.UTC(f.year, 0, 1)) / 86_400_000) + 1;
  const h12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
  const codes: Record<string, string> = {
    Y: pad(f.year, 4), y: pad(f.year % 100), m: pad(f.month), d: pad(f.day), H: pad(f.hour), I: pad(h12), M: pad(f.minute),
    S: pad(f.second), f: pad(f.millisecond * 1000, 6), p: f.hour < 12 ? 'AM' : 'PM', j: pad(dayOfYear, 3),
    a: DAYS[f.weekday]!.slice(0, 3), A: DAYS[f.weekday]!, b: MONTHS[f.month - 1]!.slice(0, 3), B: MONTHS[f.month - 1]!,
    z: offset(f, false), Z: f.offsetMinutes === 0 ? 'UTC' : offset(f, false), '%': '%',
  };
  return format.replace(/%(.)/g, (m, c: string) => {
    const out = codes[c];
    if (out === undefined) throw new Error(`strftime code '${m}' is not supported (supported: ${Object.keys(codes).map((k) => `%${k}`).join(' ')})`);
    return out;
  });
}

/** Python's strptime for %Y %y %m %d %H %M %S %j-free formats; the result is UTC. */
export function strptime(text: string, format: string): Date {
  const parts: Record<string, number> = { Y: 1970, m: 1, d: 1, H: 0, M: 0, S: 0 };
  const order: string[] = [];
  let re = '^';
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c === '%' && i + 1 < format.length) {
      const code = format[++i]!;
      const width: Record<string, string> = { Y: '(\\d{4})', y: '(\\d{2})', m: '(\\d{1,2})', d: '(\\d{1,2})', H: '(\\d{1,2})', M: '(\\d{1,2})', S: '(\\d{1,2})' };
      if (code === '%') re += '%';
      else if (width[code] !== undefined) {
        re += width[code];
        order.push(code);
      } else throw new Error(`strptime code '%${code}' is not supported (supported: %Y %y %m %d %H %M %S)`);
    } else {
      re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  const m = new RegExp(`${re}$`).exec(text);
  if (!m) throw new Error(`'${text}' does not match the format '${format}'`);
  order.forEach((code, k) => {
    const n = Number(m[k + 1]);
    if (code === 'y') parts.Y = n < 69 ? 2000 + n : 1900 + n;
    else parts[code] = n;
  });
  const d = new Date(Date.UTC(parts.Y!, parts.m! - 1, parts.d!, parts.H!, parts.M!, parts.S!));
  if (d.getUTCMonth() !== parts.m! - 1 || d.getUTCDate() !== parts.d!) throw new Error(`'${text}' is not a valid date for '${format}'`);
  return d;
}

/** A duration, as macros.timedelta(days=, hours=, minutes=, seconds=, weeks=) makes it. */
interface TimeDelta { ms: number; toJSON(): string; toString(): string }

function timedelta(args: unknown[], kw: Record<string, unknown>): TimeDelta {
  const units: Record<string, number> = { weeks: 604_800_000, days: 86_400_000, hours: 3_600_000, minutes: 60_000, seconds: 1000, milliseconds: 1 };
  let ms = 0;
  const given: Array<[string, unknown]> = [...(args.length > 0 ? [['days', args[0]] as [string, unknown]] : []), ...Object.entries(kw)];
  for (const [k, v] of given) {
    if (units[k] === undefined) throw new Error(`timedelta() takes ${Object.keys(units).join(', ')}, not '${k}'`);
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`timedelta(${k}=...) must be a number`);
    ms += v * units[k]!;
  }
  const text = (): string => `${ms / 1000}s`;
  return { ms, toJSON: text, toString: text };
}

const deltaOf = (v: unknown): number => {
  if (typeof v === 'object' && v !== null && typeof (v as TimeDelta).ms === 'number') return (v as TimeDelta).ms;
  throw new Error('the second argument must be a macros.timedelta(...)');
};

function shift(v: unknown, ms: number): Date | Zoned {
  const moved = new Date(instantOf(v, 'the date').getTime() + ms);
  return isZoned(v) ? zoned(moved, v.timeZone) : moved;
}

/** `macros.*` of templates. */
export function templateMacros(): Record<string, unknown> {
  const datetime = Object.assign(
    templateFunction((a) => {
      const [y, mo = 1, d = 1, h = 0, mi = 0, s = 0] = a.map(Number);
      if (y === undefined || [y, mo, d, h, mi, s].some((n) => !Number.isInteger(n))) throw new Error('datetime(year, month, day[, hour, minute, second]) takes integers');
      return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
    }),
    {
      now: templateFunction(() => new Date()),
      utcnow: templateFunction(() => new Date()),
      strptime: templateFunction(([text, format]) => strptime(String(text), String(format))),
      fromisoformat: templateFunction(([text]) => instantOf(text, 'fromisoformat()')),
    },
  );
  return {
    ds_add: templateFunction(([ds, days]) => {
      if (typeof ds !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(ds)) throw new Error(`ds_add() takes a YYYY-MM-DD date, got ${JSON.stringify(ds)}`);
      if (typeof days !== 'number' || !Number.isInteger(days)) throw new Error('ds_add(ds, days): days must be an integer');
      return new Date(Date.parse(`${ds}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    }),
    ds_format: templateFunction(([ds, input, output]) => strftime(strptime(String(ds), String(input)), String(output))),
    datetime,
    timedelta: templateFunction(timedelta),
    add: templateFunction(([date, delta]) => shift(date, deltaOf(delta))),
    sub: templateFunction(([date, delta]) => shift(date, -deltaOf(delta))),
    strftime: templateFunction(([date, format]) => strftime(date, String(format))),
  };
}

/**
 * Filters of templates: `| tz('Asia/Seoul')`, `| date('YYYY-MM-DD')`, `| strftime('%Y')`, `| upper`,
 * `| lower`, `| default('x')`, `| length` (of a list, a text or an object's keys, as Jinja's), `| tojson`.
 */
export const TEMPLATE_FILTERS: Readonly<Record<string, TemplateFilter>> = Object.freeze({
  tz: (v, [timeZone]) => {
    if (typeof timeZone !== 'string' || !isValidTimeZone(timeZone)) throw new Error(`unknown timezone ${JSON.stringify(timeZone)} (use an IANA name such as 'Asia/Seoul')`);
    return zoned(instantOf(v, 'tz()'), timeZone);
  },
  date: (v, [pattern]) => formatDate(v, typeof pattern === 'string' ? pattern : 'YYYY-MM-DD'),
  strftime: (v, [format]) => strftime(v, String(format)),
  upper: (v) => String(v ?? '').toUpperCase(),
  lower: (v) => String(v ?? '').toLowerCase(),
  default: (v, [fallback]) => (v === null || v === undefined || v === '' ? fallback : v),
  length: (v) => (typeof v === 'string' || Array.isArray(v) ? v.length : v !== null && typeof v === 'object' ? Object.keys(v).length : 0),
  tojson: (v) => JSON.stringify(v ?? null),
});
