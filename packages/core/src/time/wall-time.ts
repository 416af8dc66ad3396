/**
 * Converting between instants and naive wall-clock times of an IANA timezone, with the rules
 * Airflow (pendulum) applies to scheduled times across DST changes.
 */
import { wallClock } from './format.js';

const DAY_MS = 86_400_000;

/** The offset of `timeZone` at `d`, in minutes (wall minus UTC). */
export function utcOffsetMinutes(d: Date, timeZone: string): number {
  return wallClock(d, timeZone).offsetMinutes;
}

/** The wall-clock time of `d` in `timeZone`, as milliseconds of a naive (UTC-labelled) clock. */
export function naiveWallMs(d: Date, timeZone: string): number {
  return d.getTime() + wallClock(d, timeZone).offsetMinutes * 60_000;
}

/**
 * The instant a naive wall time `wallMs` stands for in `timeZone`. A time that happens twice
 * (clocks set back) is its first occurrence; a time that does not exist (clocks set forward) is
 * read with the offset before the change, i.e. it lands as far past the gap as it lay inside it
 * (02:30 in Europe/Berlin on a spring-forward day is 03:30 CEST).
 */
export function instantOfWall(wallMs: number, timeZone: string): Date {
  const offsetBefore = wallClock(new Date(wallMs - DAY_MS), timeZone).offsetMinutes;
  const offsets = [
    offsetBefore,
    wallClock(new Date(wallMs), timeZone).offsetMinutes,
    wallClock(new Date(wallMs + DAY_MS), timeZone).offsetMinutes,
  ];
  let best: number | null = null;
  for (const off of offsets) {
    const candidate = wallMs - off * 60_000;
    if (naiveWallMs(new Date(candidate), timeZone) === wallMs && (best === null || candidate < best)) best = candidate;
  }
  return new Date(best ?? wallMs - offsetBefore * 60_000);
}

/**
 * Every instant that shows the naive wall time `wallMs` in `timeZone`, earliest first: one, two
 * when clocks are set back over it, none when it lies in a gap (clocks set forward).
 */
export function instantsOfWall(wallMs: number, timeZone: string): Date[] {
  const out: number[] = [];
  for (const at of [wallMs - DAY_MS, wallMs, wallMs + DAY_MS]) {
    const candidate = wallMs - wallClock(new Date(at), timeZone).offsetMinutes * 60_000;
    if (!out.includes(candidate) && naiveWallMs(new Date(candidate), timeZone) === wallMs) out.push(candidate);
  }
  return out.sort((a, b) => a - b).map((t) => new Date(t));
}
