/**
 * Wall-clock views of instants in an IANA timezone (Intl only), shared by template macros and the
 * server side (core's time/format.ts turns the errors into its own).
 */
import { timeZoneFormatter } from './timezone.js';

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  try {
    return timeZoneFormatter(timeZone);
  } catch (cause) {
    throw new RangeError(`unknown timezone '${timeZone}' (expected an IANA name such as 'UTC' or 'Europe/Berlin')`, { cause });
  }
}

/** Wall-clock fields of `date` in `timeZone`, plus the UTC offset in minutes (wall minus UTC). */
export interface WallClock {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  offsetMinutes: number;
}

/** RangeError for an invalid Date or an unknown timezone. */
export function wallClock(date: Date, timeZone: string): WallClock {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new RangeError('invalid Date');
  const millisecond = ((ms % 1000) + 1000) % 1000;
  const whole = ms - millisecond;
  const p: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(whole))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  const w = {
    year: p.year!, month: p.month!, day: p.day!, hour: p.hour!, minute: p.minute!, second: p.second!,
  };
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return { ...w, millisecond, offsetMinutes: Math.round((asUtc - whole) / 60_000) };
}

const pad = (n: number, width = 2): string => String(Math.abs(n)).padStart(width, '0');

/**
 * ISO-8601 with the zone's offset, e.g. `2024-03-31T03:00:00+02:00` (milliseconds only when
 * non-zero). In UTC: `2024-01-01T00:00:00+00:00`, Airflow's rendering of timestamps.
 */
export function formatInTimezone(date: Date, timeZone: string): string {
  const w = wallClock(date, timeZone);
  const sign = w.offsetMinutes < 0 ? '-' : '+';
  const off = Math.abs(w.offsetMinutes);
  const frac = w.millisecond === 0 ? '' : `.${pad(w.millisecond, 3)}`;
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${frac}` +
    `${sign}${pad(Math.floor(off / 60))}:${pad(off % 60)}`;
}

/** Calendar date of `date` in `timeZone` as YYYY-MM-DD. */
export function dateInTimezone(date: Date, timeZone: string): string {
  const w = wallClock(date, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}
