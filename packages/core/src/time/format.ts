/**
 * Wall-clock views of instants in an IANA timezone: the SDK's (Intl only; template macros use
 * them too), with a bad zone or date as UpdraftError('INVALID_ARGUMENT').
 */
import { dateInTimezone as sdkDateInTimezone, formatInTimezone as sdkFormatInTimezone, wallClock as sdkWallClock, type WallClock } from '@updraft/sdk';
import { UpdraftError } from '../errors.js';

export type { WallClock } from '@updraft/sdk';

function invalidArgument(err: unknown): unknown {
  return err instanceof RangeError ? new UpdraftError('INVALID_ARGUMENT', err.message, { cause: err }) : err;
}

/** Wall-clock fields of `date` in `timeZone`, plus the UTC offset in minutes (wall minus UTC). */
export function wallClock(date: Date, timeZone: string): WallClock {
  try {
    return sdkWallClock(date, timeZone);
  } catch (err) {
    throw invalidArgument(err);
  }
}

/**
 * ISO-8601 with the zone's offset, e.g. `2024-03-31T03:00:00+02:00` (milliseconds only when
 * non-zero). In UTC: `2024-01-01T00:00:00+00:00`, Airflow's rendering of timestamps.
 */
export function formatInTimezone(date: Date, timeZone: string): string {
  try {
    return sdkFormatInTimezone(date, timeZone);
  } catch (err) {
    throw invalidArgument(err);
  }
}

/** Calendar date of `date` in `timeZone` as YYYY-MM-DD. */
export function dateInTimezone(date: Date, timeZone: string): string {
  try {
    return sdkDateInTimezone(date, timeZone);
  } catch (err) {
    throw invalidArgument(err);
  }
}
