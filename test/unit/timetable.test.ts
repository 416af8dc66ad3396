import { describe, expect, it } from 'vitest';
import { formatInTimezone, inferManualDataInterval, intervalsBetween, isUpdraftError, nextDagRunInfo, timetableParamsOf, validateSchedule } from '@updraft/core';
import type { DagRunInfo, TimetableParams } from '@updraft/core';

const d = (iso: string): Date => new Date(iso);
const params = (p: Partial<TimetableParams>): TimetableParams => ({
  schedule: '@daily', timezone: 'UTC', startDate: d('2024-01-01T00:00:00Z'), endDate: null, catchup: true, ...p,
});
/** Data intervals as [startIso, endIso] pairs. */
const iv = (i: DagRunInfo | null): [string, string] | null =>
  i === null ? null : [i.dataIntervalStart.toISOString(), i.dataIntervalEnd.toISOString()];

/** Runs the scheduler's loop: every run due at `now`, in order, plus the first not-yet-due one. */
function due(p: TimetableParams, now: Date, max = 50): { created: DagRunInfo[]; next: DagRunInfo | null } {
  const created: DagRunInfo[] = [];
  let last: DagRunInfo | null = null;
  for (let i = 0; i < max; i++) {
    const info = nextDagRunInfo(p, last, now);
    if (info === null || info.runAfter > now) return { created, next: info };
    created.push(info);
    last = info;
  }
  throw new Error('too many runs');
}

describe('nextDagRunInfo with catchup', () => {
  it('creates every complete interval since the start date, in order, logical date = interval start', () => {
    const { created, next } = due(params({}), d('2024-01-04T10:00:00Z'));
    expect(created.map(iv)).toEqual([
      ['2024-01-01T00:00:00.000Z', '2024-01-02T00:00:00.000Z'],
      ['2024-01-02T00:00:00.000Z', '2024-01-03T00:00:00.000Z'],
      ['2024-01-03T00:00:00.000Z', '2024-01-04T00:00:00.000Z'],
    ]);
    for (const r of created) {
      expect(r.logicalDate).toEqual(r.dataIntervalStart);
      expect(r.runAfter).toEqual(r.dataIntervalEnd);
    }
    expect(iv(next)).toEqual(['2024-01-04T00:00:00.000Z', '2024-01-05T00:00:00.000Z']);
  });

  it('aligns a start date between ticks to the next tick', () => {
    const first = nextDagRunInfo(params({ startDate: d('2024-01-01T06:30:00Z') }), null, d('2024-02-01T00:00:00Z'));
    expect(iv(first)).toEqual(['2024-01-02T00:00:00.000Z', '2024-01-03T00:00:00.000Z']);
  });

  it('supports cron expressions and presets', () => {
    const p = params({ schedule: '*/15 * * * *', startDate: d('2024-01-01T00:07:00Z') });
    expect(iv(nextDagRunInfo(p, null, d('2024-01-02T00:00:00Z')))).toEqual(['2024-01-01T00:15:00.000Z', '2024-01-01T00:30:00.000Z']);
    const monthly = params({ schedule: '@monthly', startDate: d('2024-01-15T00:00:00Z') });
    expect(iv(nextDagRunInfo(monthly, null, d('2025-01-01T00:00:00Z')))).toEqual(['2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z']);
  });
});

describe('nextDagRunInfo without catchup', () => {
  const p = params({ catchup: false });

  it('starts with the latest complete interval', () => {
    expect(iv(nextDagRunInfo(p, null, d('2024-01-04T10:00:00Z')))).toEqual(['2024-01-03T00:00:00.000Z', '2024-01-04T00:00:00.000Z']);
  });

  it('treats now exactly on a boundary as completing the interval', () => {
    expect(iv(nextDagRunInfo(p, null, d('2024-01-04T00:00:00Z')))).toEqual(['2024-01-03T00:00:00.000Z', '2024-01-04T00:00:00.000Z']);
  });

  it('skips missed intervals after an old run', () => {
    const last = nextDagRunInfo(p, null, d('2024-01-02T00:00:00Z'));
    expect(iv(last)).toEqual(['2024-01-01T00:00:00.000Z', '2024-01-02T00:00:00.000Z']);
    expect(iv(nextDagRunInfo(p, last, d('2024-01-10T05:00:00Z')))).toEqual(['2024-01-09T00:00:00.000Z', '2024-01-10T00:00:00.000Z']);
  });

  it('moves past an interval that already ran to the next, future one', () => {
    const last = nextDagRunInfo(p, null, d('2024-01-04T10:00:00Z'));
    const next = nextDagRunInfo(p, last, d('2024-01-04T10:00:00Z'));
    expect(iv(next)).toEqual(['2024-01-04T00:00:00.000Z', '2024-01-05T00:00:00.000Z']);
    expect(next!.runAfter > d('2024-01-04T10:00:00Z')).toBe(true);
  });

  it('never starts before the start date', () => {
    const future = params({ catchup: false, startDate: d('2024-06-01T12:00:00Z') });
    expect(iv(nextDagRunInfo(future, null, d('2024-01-04T10:00:00Z')))).toEqual(['2024-06-02T00:00:00.000Z', '2024-06-03T00:00:00.000Z']);
  });
});

describe('end date, @once and manual-only schedules', () => {
  it('creates no interval that starts after the end date', () => {
    const p = params({ endDate: d('2024-01-02T12:00:00Z') });
    const { created, next } = due(p, d('2024-02-01T00:00:00Z'));
    expect(created.map((r) => r.logicalDate.toISOString())).toEqual(['2024-01-01T00:00:00.000Z', '2024-01-02T00:00:00.000Z']);
    expect(next).toBeNull();
  });

  it('includes an interval starting exactly at the end date', () => {
    const { created } = due(params({ endDate: d('2024-01-02T00:00:00Z') }), d('2024-02-01T00:00:00Z'));
    expect(created).toHaveLength(2);
  });

  it('@once runs once at the start date', () => {
    const p = params({ schedule: '@once', startDate: d('2024-01-01T08:00:00Z') });
    const first = nextDagRunInfo(p, null, d('2024-03-01T00:00:00Z'));
    expect(first).toEqual({
      logicalDate: d('2024-01-01T08:00:00Z'), dataIntervalStart: d('2024-01-01T08:00:00Z'),
      dataIntervalEnd: d('2024-01-01T08:00:00Z'), runAfter: d('2024-01-01T08:00:00Z'),
    });
    expect(nextDagRunInfo(p, first, d('2024-03-01T00:00:00Z'))).toBeNull();
    expect(nextDagRunInfo({ ...p, endDate: d('2023-12-31T00:00:00Z') }, null, d('2024-03-01T00:00:00Z'))).toBeNull();
  });

  it('a null schedule or a missing start date yields no automated run', () => {
    expect(nextDagRunInfo(params({ schedule: null }), null, d('2024-03-01T00:00:00Z'))).toBeNull();
    expect(nextDagRunInfo(params({ startDate: null }), null, d('2024-03-01T00:00:00Z'))).toBeNull();
  });
});

describe('timezones and DST', () => {
  it('@daily in Europe/Berlin follows local midnight across spring-forward (23h) and fall-back (25h)', () => {
    const p = params({ timezone: 'Europe/Berlin', startDate: d('2024-03-29T23:00:00Z') });
    const { created } = due(p, d('2024-04-02T00:00:00Z'));
    expect(created.map(iv)).toEqual([
      ['2024-03-29T23:00:00.000Z', '2024-03-30T23:00:00.000Z'],
      ['2024-03-30T23:00:00.000Z', '2024-03-31T22:00:00.000Z'],
      ['2024-03-31T22:00:00.000Z', '2024-04-01T22:00:00.000Z'],
    ]);
    const hours = created.map((r) => (r.dataIntervalEnd.getTime() - r.dataIntervalStart.getTime()) / 3_600_000);
    expect(hours).toEqual([24, 23, 24]);
    const fall = intervalsBetween({ ...p, startDate: null }, d('2024-10-25T22:00:00Z'), d('2024-10-27T23:00:00Z'));
    expect(fall.map((r) => (r.dataIntervalEnd.getTime() - r.dataIntervalStart.getTime()) / 3_600_000)).toEqual([24, 25, 24]);
  });

  it('@hourly in America/New_York keeps one-hour intervals through both DST changes', () => {
    const p = params({ schedule: '@hourly', timezone: 'America/New_York', startDate: null });
    for (const [from, to] of [['2024-11-03T04:00:00Z', '2024-11-03T09:00:00Z'], ['2024-03-10T04:00:00Z', '2024-03-10T09:00:00Z']] as const) {
      const runs = intervalsBetween(p, d(from), d(to));
      expect(runs).toHaveLength(6);
      for (const r of runs) expect(r.dataIntervalEnd.getTime() - r.dataIntervalStart.getTime()).toBe(3_600_000);
    }
  });

  it('a 02:30 cron in Europe/Berlin fires once on both DST days', () => {
    const p = params({ schedule: '30 2 * * *', timezone: 'Europe/Berlin', startDate: null });
    const spring = intervalsBetween(p, d('2024-03-30T00:00:00Z'), d('2024-04-01T23:00:00Z'));
    expect(spring.map((r) => r.logicalDate.toISOString())).toEqual([
      '2024-03-30T01:30:00.000Z', '2024-03-31T01:30:00.000Z', '2024-04-01T00:30:00.000Z',
    ]);
    const fall = intervalsBetween(p, d('2024-10-26T00:00:00Z'), d('2024-10-28T23:00:00Z'));
    expect(fall).toHaveLength(3);
  });

  it('@daily in Asia/Seoul starts at local midnight (15:00 UTC the day before)', () => {
    const p = params({ timezone: 'Asia/Seoul', startDate: d('2024-01-01T00:00:00+09:00') });
    const { created } = due(p, d('2024-01-03T00:00:00+09:00'));
    expect(created.map(iv)).toEqual([
      ['2023-12-31T15:00:00.000Z', '2024-01-01T15:00:00.000Z'],
      ['2024-01-01T15:00:00.000Z', '2024-01-02T15:00:00.000Z'],
    ]);
    expect(formatInTimezone(created[0]!.logicalDate, 'Asia/Seoul')).toBe('2024-01-01T00:00:00+09:00');
  });
});

describe('intervalsBetween and inferManualDataInterval', () => {
  it('lists the intervals starting within a range (backfill), ignoring catchup and respecting the end date', () => {
    const p = params({ catchup: false, endDate: d('2024-01-05T00:00:00Z') });
    const runs = intervalsBetween(p, d('2024-01-02T00:00:00Z'), d('2024-01-10T00:00:00Z'));
    expect(runs.map((r) => r.logicalDate.toISOString().slice(0, 10))).toEqual(['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05']);
  });

  it('refuses unschedulable or oversized ranges with a clear error', () => {
    const expectCode = (f: () => unknown, code: string, text: RegExp) => {
      try { f(); } catch (err) {
        expect(isUpdraftError(err) && err.code).toBe(code);
        expect((err as Error).message).toMatch(text);
        return;
      }
      throw new Error('expected an error');
    };
    expectCode(() => intervalsBetween(params({ schedule: null }), d('2024-01-01T00:00:00Z'), d('2024-01-02T00:00:00Z')), 'INVALID_ARGUMENT', /no schedule/);
    expectCode(() => intervalsBetween(params({}), d('2024-01-02T00:00:00Z'), d('2024-01-01T00:00:00Z')), 'INVALID_ARGUMENT', /after/);
    expectCode(() => intervalsBetween(params({ schedule: '* * * * *' }), d('2024-01-01T00:00:00Z'), d('2024-02-01T00:00:00Z'), 100), 'INVALID_ARGUMENT', /more than 100/);
  });

  it('gives a manual run the latest complete interval at its logical date', () => {
    const r = inferManualDataInterval({ schedule: '@daily', timezone: 'UTC' }, d('2024-01-04T10:00:00Z'));
    expect(r.logicalDate).toEqual(d('2024-01-04T10:00:00Z'));
    expect(iv(r)).toEqual(['2024-01-03T00:00:00.000Z', '2024-01-04T00:00:00.000Z']);
    expect(iv(inferManualDataInterval({ schedule: null, timezone: 'UTC' }, d('2024-01-04T10:00:00Z'))))
      .toEqual(['2024-01-04T10:00:00.000Z', '2024-01-04T10:00:00.000Z']);
  });

  it('reads the serialized form of a DAG', () => {
    const p = timetableParamsOf({ schedule: '@daily', timezone: 'UTC', startDate: '2024-01-01T00:00:00.000Z', endDate: null, catchup: true });
    expect(p.startDate).toEqual(d('2024-01-01T00:00:00Z'));
    expect(() => timetableParamsOf({ schedule: '@daily', timezone: 'UTC', startDate: 'yesterday', endDate: null, catchup: true })).toThrow(/startDate 'yesterday'/);
  });
});

describe('validateSchedule', () => {
  it.each([null, '@once', '@hourly', '@daily', '@weekly', '@monthly', '@yearly', '0 6 * * 1-5', '0 */5 * * * *'])('accepts %s', (s) => {
    expect(() => validateSchedule(s, 'Europe/Berlin')).not.toThrow();
  });

  it.each([
    ['@fortnightly', 'UTC', /unknown preset/],
    ['* * *', 'UTC', /5 fields/],
    ['', 'UTC', /got 0/],
    ['61 * * * *', 'UTC', /invalid cron expression.*61/],
    ['0 0 31 2 *', 'UTC', /invalid cron expression/],
    ['@daily', 'Mars/Olympus', /timezone 'Mars\/Olympus'/],
  ])('rejects %s in %s', (s, tz, message) => {
    try {
      validateSchedule(s, tz);
    } catch (err) {
      expect(isUpdraftError(err, 'DAG_INVALID')).toBe(true);
      expect((err as Error).message).toMatch(message);
      return;
    }
    throw new Error('expected DAG_INVALID');
  });
});

describe('formatInTimezone', () => {
  it('renders ISO-8601 with the offset in force at that instant', () => {
    expect(formatInTimezone(d('2024-01-01T00:00:00Z'), 'UTC')).toBe('2024-01-01T00:00:00+00:00');
    expect(formatInTimezone(d('2024-01-15T12:00:00Z'), 'Europe/Berlin')).toBe('2024-01-15T13:00:00+01:00');
    expect(formatInTimezone(d('2024-07-15T12:00:00Z'), 'Europe/Berlin')).toBe('2024-07-15T14:00:00+02:00');
    expect(formatInTimezone(d('2024-11-03T06:30:00.250Z'), 'America/New_York')).toBe('2024-11-03T01:30:00.250-05:00');
    expect(formatInTimezone(d('2024-01-01T00:00:00Z'), 'Asia/Kolkata')).toBe('2024-01-01T05:30:00+05:30');
  });
});
