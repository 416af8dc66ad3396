/** Delta and cron trigger timetables (`timetable` DAG option): fixed instants, DST days, Asia/Seoul. */
import { describe, expect, it } from 'vitest';
import { describeTimetable, inferManualDataInterval, intervalsBetween, nextDagRunInfo, validateTimetable } from '@updraft/core';
import type { DagRunInfo, TimetableParams } from '@updraft/core';
import type { SerializedTimetable } from '@updraft/sdk';

const d = (iso: string): Date => new Date(iso);
const every = (everyMs: number): SerializedTimetable => ({ kind: 'delta', everyMs });
const previousDay = (cron: string): SerializedTimetable => ({ kind: 'cronTrigger', cron, dataInterval: 'previousDay' });
const params = (p: Partial<TimetableParams>): TimetableParams => ({
  schedule: null, timetable: every(6 * 3_600_000), timezone: 'UTC', startDate: d('2024-01-01T00:00:00Z'), endDate: null, catchup: true, ...p,
});
/** [logical date, interval start, interval end, run after] as ISO strings. */
const row = (i: DagRunInfo): string[] => [i.logicalDate, i.dataIntervalStart, i.dataIntervalEnd, i.runAfter].map((x) => x.toISOString().replace('.000Z', 'Z'));

/** The scheduler's loop: every run due at `now`, in order, and the first one not yet due. */
function due(p: TimetableParams, now: Date): { created: string[][]; next: string[] | null } {
  const created: string[][] = [];
  let last: DagRunInfo | null = null;
  for (let i = 0; i < 100; i++) {
    const info = nextDagRunInfo(p, last, now);
    if (info === null || info.runAfter > now) return { created, next: info === null ? null : row(info) };
    created.push(row(info));
    last = info;
  }
  throw new Error('too many runs');
}

describe('delta timetable (every N from the start date)', () => {
  it('with catchup: every interval [start + k·6h, start + (k+1)·6h) that ended, logical date = interval start', () => {
    const { created, next } = due(params({}), d('2024-01-02T01:00:00Z'));
    expect(created).toEqual([
      ['2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', '2024-01-01T06:00:00Z', '2024-01-01T06:00:00Z'],
      ['2024-01-01T06:00:00Z', '2024-01-01T06:00:00Z', '2024-01-01T12:00:00Z', '2024-01-01T12:00:00Z'],
      ['2024-01-01T12:00:00Z', '2024-01-01T12:00:00Z', '2024-01-01T18:00:00Z', '2024-01-01T18:00:00Z'],
      ['2024-01-01T18:00:00Z', '2024-01-01T18:00:00Z', '2024-01-02T00:00:00Z', '2024-01-02T00:00:00Z'],
    ]);
    expect(next).toEqual(['2024-01-02T00:00:00Z', '2024-01-02T00:00:00Z', '2024-01-02T06:00:00Z', '2024-01-02T06:00:00Z']);
  });

  it('without catchup: only the latest complete interval, on the grid of the start date (not of the epoch)', () => {
    const p = params({ catchup: false, startDate: d('2024-01-01T01:30:00Z') });
    expect(due(p, d('2024-01-03T02:00:00Z')).created).toEqual([
      ['2024-01-02T19:30:00Z', '2024-01-02T19:30:00Z', '2024-01-03T01:30:00Z', '2024-01-03T01:30:00Z'],
    ]);
    // Before the first interval ended: the first interval, not yet due.
    expect(due(p, d('2024-01-01T03:00:00Z'))).toEqual({ created: [], next: ['2024-01-01T01:30:00Z', '2024-01-01T01:30:00Z', '2024-01-01T07:30:00Z', '2024-01-01T07:30:00Z'] });
  });

  it('counts real hours across a DST change (Europe/Berlin, 2024-03-31: 00:00 CET, 07:00 CEST, 13:00 CEST)', () => {
    const p = params({ timezone: 'Europe/Berlin', startDate: d('2024-03-30T23:00:00Z') });
    expect(due(p, d('2024-03-31T17:00:00Z')).created.map((r) => r.slice(1, 3))).toEqual([
      ['2024-03-30T23:00:00Z', '2024-03-31T05:00:00Z'],
      ['2024-03-31T05:00:00Z', '2024-03-31T11:00:00Z'],
      ['2024-03-31T11:00:00Z', '2024-03-31T17:00:00Z'],
    ]);
  });

  it('no interval starts after the end date', () => {
    const p = params({ endDate: d('2024-01-01T12:00:00Z') });
    const { created, next } = due(p, d('2024-02-01T00:00:00Z'));
    expect(created.map((r) => r[0])).toEqual(['2024-01-01T00:00:00Z', '2024-01-01T06:00:00Z', '2024-01-01T12:00:00Z']);
    expect(next).toBeNull();
  });

  it('backfill: the grid intervals whose logical date is in the range, before the start date too', () => {
    const p = params({ startDate: d('2024-01-01T01:30:00Z') });
    expect(intervalsBetween(p, d('2023-12-31T19:00:00Z'), d('2024-01-01T07:00:00Z')).map(row)).toEqual([
      ['2023-12-31T19:30:00Z', '2023-12-31T19:30:00Z', '2024-01-01T01:30:00Z', '2024-01-01T01:30:00Z'],
      ['2024-01-01T01:30:00Z', '2024-01-01T01:30:00Z', '2024-01-01T07:30:00Z', '2024-01-01T07:30:00Z'],
    ]);
    expect(() => intervalsBetween(params({ timetable: every(1000) }), d('2024-01-01T00:00:00Z'), d('2024-01-02T00:00:00Z'))).toThrow(/more than 10000 intervals/);
  });

  it('a manual run covers the delta before its logical date; described in words', () => {
    expect(row(inferManualDataInterval(params({}), d('2024-01-05T10:00:00Z')))).toEqual(
      ['2024-01-05T10:00:00Z', '2024-01-05T04:00:00Z', '2024-01-05T10:00:00Z', '2024-01-05T10:00:00Z']);
    expect(describeTimetable(every(6 * 3_600_000))).toBe('Every 6 hours from the start date');
    expect(describeTimetable(every(3_600_000))).toBe('Every hour from the start date');
    expect(describeTimetable(every(5_400_000))).toBe('Every 1 hour 30 minutes from the start date');
  });
});

describe('cron trigger timetable (logical date = trigger time)', () => {
  it("02:00 Europe/Berlin, data interval the previous day: a 24-hour day, the spring-forward day's 03:00 tick, then the 23-hour day", () => {
    const p = params({ timetable: previousDay('0 2 * * *'), timezone: 'Europe/Berlin', startDate: d('2024-03-28T23:00:00Z') });
    const { created, next } = due(p, d('2024-04-01T12:00:00Z'));
    expect(created).toEqual([
      ['2024-03-29T01:00:00Z', '2024-03-27T23:00:00Z', '2024-03-28T23:00:00Z', '2024-03-29T01:00:00Z'],
      ['2024-03-30T01:00:00Z', '2024-03-28T23:00:00Z', '2024-03-29T23:00:00Z', '2024-03-30T01:00:00Z'],
      // 02:00 does not exist on 2024-03-31: the tick is 03:00 CEST, as far past the gap as it lay inside it.
      ['2024-03-31T01:00:00Z', '2024-03-29T23:00:00Z', '2024-03-30T23:00:00Z', '2024-03-31T01:00:00Z'],
      // Data interval = 2024-03-31, a 23-hour day.
      ['2024-04-01T00:00:00Z', '2024-03-30T23:00:00Z', '2024-03-31T22:00:00Z', '2024-04-01T00:00:00Z'],
    ]);
    expect(next).toEqual(['2024-04-02T00:00:00Z', '2024-03-31T22:00:00Z', '2024-04-01T22:00:00Z', '2024-04-02T00:00:00Z']);
  });

  it('02:00 Asia/Seoul without catchup: only the latest tick at or before now; the previous day is 15:00 to 15:00 UTC', () => {
    const p = params({ timetable: previousDay('0 2 * * *'), timezone: 'Asia/Seoul', startDate: d('2024-05-31T15:00:00Z'), catchup: false });
    const { created, next } = due(p, d('2024-06-03T05:00:00Z'));
    expect(created).toEqual([['2024-06-02T17:00:00Z', '2024-06-01T15:00:00Z', '2024-06-02T15:00:00Z', '2024-06-02T17:00:00Z']]);
    expect(next?.[0]).toBe('2024-06-03T17:00:00Z');
  });

  it('backfill over the fall-back day (Europe/Berlin 2024-10-27): the repeated 02:00 runs once, the 25-hour day is one interval', () => {
    const p = params({ timetable: previousDay('0 2 * * *'), timezone: 'Europe/Berlin', startDate: d('2024-10-01T00:00:00Z') });
    expect(intervalsBetween(p, d('2024-10-26T22:00:00Z'), d('2024-10-28T01:00:00Z')).map(row)).toEqual([
      ['2024-10-27T00:00:00Z', '2024-10-25T22:00:00Z', '2024-10-26T22:00:00Z', '2024-10-27T00:00:00Z'],
      ['2024-10-28T01:00:00Z', '2024-10-26T22:00:00Z', '2024-10-27T23:00:00Z', '2024-10-28T01:00:00Z'],
    ]);
  });

  it('a duration data interval ends at the trigger; none by default; end date bounds the triggers', () => {
    const hourly: SerializedTimetable = { kind: 'cronTrigger', cron: '30 * * * *', dataInterval: { ms: 3_600_000 } };
    const p = params({ timetable: hourly, startDate: d('2024-01-01T10:00:00Z'), endDate: d('2024-01-01T11:30:00Z') });
    const { created, next } = due(p, d('2024-01-02T00:00:00Z'));
    expect(created).toEqual([
      ['2024-01-01T10:30:00Z', '2024-01-01T09:30:00Z', '2024-01-01T10:30:00Z', '2024-01-01T10:30:00Z'],
      ['2024-01-01T11:30:00Z', '2024-01-01T10:30:00Z', '2024-01-01T11:30:00Z', '2024-01-01T11:30:00Z'],
    ]);
    expect(next).toBeNull();
    const point: SerializedTimetable = { kind: 'cronTrigger', cron: '@daily', dataInterval: { ms: 0 } };
    expect(row(inferManualDataInterval(params({ timetable: point }), d('2024-01-05T10:00:00Z')))).toEqual(
      ['2024-01-05T10:00:00Z', '2024-01-05T10:00:00Z', '2024-01-05T10:00:00Z', '2024-01-05T10:00:00Z']);
    expect(describeTimetable(previousDay('0 2 * * *'))).toBe("At each tick of cron '0 2 * * *' (logical date = the tick), data interval: the previous day");
    expect(describeTimetable(hourly)).toBe("At each tick of cron '30 * * * *' (logical date = the tick), data interval: the 1 hour before the trigger");
  });

  it('a stored timetable with a bad cron or delta is refused, naming the timetable', () => {
    expect(() => validateTimetable(previousDay('0 25 * * *'), 'UTC')).toThrow(/^timetable: .*invalid cron expression/);
    expect(() => validateTimetable(every(0), 'UTC')).toThrow(/timetable: the delta must be at least 1 second/);
  });
});
