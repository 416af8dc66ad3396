import { describe, expect, it } from 'vitest';
import { inferManualDataInterval, intervalsBetween, nextDagRunInfo } from '@updraft/core';
import type { DagRunInfo, TimetableParams } from '@updraft/core';

// Cron schedules across DST changes, in the DAG's timezone, with Airflow's rules: a fixed time of
// day that does not exist fires once just past the gap, one that happens twice fires once (first
// occurrence); other schedules tick every real hour; intervals never overlap nor leave gaps.

const d = (iso: string): Date => new Date(iso);
const params = (schedule: string, timezone: string, startDate: string): TimetableParams => ({
  schedule, timezone, startDate: d(startDate), endDate: null, catchup: true,
});
const iv = (i: DagRunInfo | null): [string, string] | null =>
  i === null ? null : [i.dataIntervalStart.toISOString(), i.dataIntervalEnd.toISOString()];
const z = (s: string): string => `${s}.000Z`;

/** The scheduler's loop with catchup: every run due at `now`, in order. */
function due(p: TimetableParams, now: Date): DagRunInfo[] {
  const created: DagRunInfo[] = [];
  let last: DagRunInfo | null = null;
  for (let i = 0; i < 100; i++) {
    const info = nextDagRunInfo(p, last, now);
    if (info === null || info.runAfter > now) return created;
    created.push(info);
    last = info;
  }
  throw new Error('the scheduler loop did not converge (the same interval was offered again)');
}

/** Consecutive, positive-length intervals: each starts where the previous ended. */
function expectContiguous(ivs: DagRunInfo[]): void {
  for (const [i, r] of ivs.entries()) {
    expect(r.dataIntervalEnd.getTime()).toBeGreaterThan(r.dataIntervalStart.getTime());
    if (i > 0) expect(r.dataIntervalStart).toEqual(ivs[i - 1]!.dataIntervalEnd);
  }
}

/**
 * Checks one schedule three ways against `expected` (consecutive [start, end] pairs): backfill
 * (intervalsBetween), the scheduler's catchup loop, and, at each interval's end, both the
 * no-catchup next run and a manual run's inferred interval.
 */
function expectSchedule(schedule: string, timezone: string, expected: [string, string][]): void {
  const first = d(expected[0]![0]);
  const lastEnd = d(expected[expected.length - 1]![1]);
  const p = params(schedule, timezone, expected[0]![0]);
  const backfill = intervalsBetween(p, first, d(expected[expected.length - 1]![0]));
  expect(backfill.map(iv)).toEqual(expected);
  expectContiguous(backfill);
  expect(due(p, lastEnd).map(iv)).toEqual(expected);
  for (const [start, end] of expected) {
    for (const now of [d(end), new Date(d(end).getTime() + 60_000)]) {
      const noCatchup = nextDagRunInfo({ ...p, catchup: false, startDate: d('2025-01-01T00:00:00Z') }, null, now);
      expect(iv(noCatchup)).toEqual([start, end]);
      const manual = inferManualDataInterval(p, now);
      expect(iv(manual)).toEqual([start, end]);
    }
  }
}

describe('Europe/Berlin, spring forward on 2025-03-30 (02:00 CET -> 03:00 CEST)', () => {
  it("'30 2 * * *' runs once on the day, at 03:30 CEST (01:30Z), the first instant past the gap", () => {
    expectSchedule('30 2 * * *', 'Europe/Berlin', [
      [z('2025-03-29T01:30:00'), z('2025-03-30T01:30:00')],
      [z('2025-03-30T01:30:00'), z('2025-03-31T00:30:00')],
      [z('2025-03-31T00:30:00'), z('2025-04-01T00:30:00')],
    ]);
  });

  it("'0 0 * * *' keeps local midnight: the day of the change is 23 hours long", () => {
    expectSchedule('0 0 * * *', 'Europe/Berlin', [
      [z('2025-03-28T23:00:00'), z('2025-03-29T23:00:00')],
      [z('2025-03-29T23:00:00'), z('2025-03-30T22:00:00')],
      [z('2025-03-30T22:00:00'), z('2025-03-31T22:00:00')],
    ]);
  });

  it("'@hourly' gives the day's 23 real hours, none twice", () => {
    const day = intervalsBetween(params('@hourly', 'Europe/Berlin', '2025-03-29T23:00:00Z'), d('2025-03-29T23:00:00Z'), d('2025-03-30T21:59:59Z'));
    expect(day).toHaveLength(23);
    expectContiguous(day);
    expect(day.map((r) => r.dataIntervalEnd.getTime() - r.dataIntervalStart.getTime())).toEqual(Array(23).fill(3_600_000));
    expect(day[day.length - 1]!.dataIntervalEnd).toEqual(d('2025-03-30T22:00:00Z'));
    expectSchedule('@hourly', 'Europe/Berlin', [
      [z('2025-03-30T00:00:00'), z('2025-03-30T01:00:00')], // 01:00 CET -> 03:00 CEST
      [z('2025-03-30T01:00:00'), z('2025-03-30T02:00:00')],
    ]);
  });
});

describe('Europe/Berlin, fall back on 2025-10-26 (03:00 CEST -> 02:00 CET, 02:00-03:00 twice)', () => {
  it("'30 2 * * *' runs once on the day, at the first 02:30 (CEST, 00:30Z)", () => {
    expectSchedule('30 2 * * *', 'Europe/Berlin', [
      [z('2025-10-25T00:30:00'), z('2025-10-26T00:30:00')],
      [z('2025-10-26T00:30:00'), z('2025-10-27T01:30:00')],
      [z('2025-10-27T01:30:00'), z('2025-10-28T01:30:00')],
    ]);
    // A start date inside the repeated hour does not make a second 02:30 run that day.
    const p = params('30 2 * * *', 'Europe/Berlin', '2025-10-26T01:00:00Z');
    expect(iv(nextDagRunInfo(p, null, d('2025-10-28T12:00:00Z')))).toEqual([z('2025-10-27T01:30:00'), z('2025-10-28T01:30:00')]);
  });

  it("'0 0 * * *' keeps local midnight: the day of the change is 25 hours long", () => {
    expectSchedule('0 0 * * *', 'Europe/Berlin', [
      [z('2025-10-24T22:00:00'), z('2025-10-25T22:00:00')],
      [z('2025-10-25T22:00:00'), z('2025-10-26T23:00:00')],
      [z('2025-10-26T23:00:00'), z('2025-10-27T23:00:00')],
    ]);
  });

  it("'@hourly' gives the day's 25 real hours, the repeated hour twice", () => {
    const day = intervalsBetween(params('@hourly', 'Europe/Berlin', '2025-10-25T22:00:00Z'), d('2025-10-25T22:00:00Z'), d('2025-10-26T22:59:59Z'));
    expect(day).toHaveLength(25);
    expectContiguous(day);
    expect(day[day.length - 1]!.dataIntervalEnd).toEqual(d('2025-10-26T23:00:00Z'));
    expectSchedule('@hourly', 'Europe/Berlin', [
      [z('2025-10-26T00:00:00'), z('2025-10-26T01:00:00')], // 02:00 CEST -> 02:00 CET
      [z('2025-10-26T01:00:00'), z('2025-10-26T02:00:00')], // 02:00 CET -> 03:00 CET
    ]);
  });
});

describe('America/New_York, 2025-03-09 (spring forward) and 2025-11-02 (fall back)', () => {
  it("'30 2 * * *' on the spring-forward day runs once, at 03:30 EDT (07:30Z)", () => {
    expectSchedule('30 2 * * *', 'America/New_York', [
      [z('2025-03-08T07:30:00'), z('2025-03-09T07:30:00')],
      [z('2025-03-09T07:30:00'), z('2025-03-10T06:30:00')],
    ]);
  });

  it("'30 1 * * *' on the fall-back day runs once, at the first 01:30 (EDT, 05:30Z)", () => {
    expectSchedule('30 1 * * *', 'America/New_York', [
      [z('2025-11-01T05:30:00'), z('2025-11-02T05:30:00')],
      [z('2025-11-02T05:30:00'), z('2025-11-03T06:30:00')],
    ]);
  });

  it("'0 0 * * *' keeps local midnight on both days", () => {
    expectSchedule('0 0 * * *', 'America/New_York', [
      [z('2025-03-08T05:00:00'), z('2025-03-09T05:00:00')],
      [z('2025-03-09T05:00:00'), z('2025-03-10T04:00:00')],
    ]);
    expectSchedule('0 0 * * *', 'America/New_York', [
      [z('2025-11-01T04:00:00'), z('2025-11-02T04:00:00')],
      [z('2025-11-02T04:00:00'), z('2025-11-03T05:00:00')],
    ]);
  });

  it("'@hourly' gives 23 real hours on 2025-03-09 and 25 on 2025-11-02", () => {
    const spring = intervalsBetween(params('@hourly', 'America/New_York', '2025-03-09T05:00:00Z'), d('2025-03-09T05:00:00Z'), d('2025-03-10T03:59:59Z'));
    expect(spring).toHaveLength(23);
    expectContiguous(spring);
    const fall = intervalsBetween(params('@hourly', 'America/New_York', '2025-11-02T04:00:00Z'), d('2025-11-02T04:00:00Z'), d('2025-11-03T04:59:59Z'));
    expect(fall).toHaveLength(25);
    expectContiguous(fall);
    expectSchedule('@hourly', 'America/New_York', [
      [z('2025-11-02T05:00:00'), z('2025-11-02T06:00:00')], // 01:00 EDT -> 01:00 EST
      [z('2025-11-02T06:00:00'), z('2025-11-02T07:00:00')],
    ]);
  });
});

describe('Asia/Seoul (no DST)', () => {
  it("'0 0 * * *' is KST midnight, 15:00Z the day before, every day", () => {
    expectSchedule('0 0 * * *', 'Asia/Seoul', [
      [z('2025-03-28T15:00:00'), z('2025-03-29T15:00:00')],
      [z('2025-03-29T15:00:00'), z('2025-03-30T15:00:00')],
      [z('2025-03-30T15:00:00'), z('2025-03-31T15:00:00')],
    ]);
    expectSchedule('0 0 * * *', 'Asia/Seoul', [
      [z('2025-10-25T15:00:00'), z('2025-10-26T15:00:00')],
      [z('2025-10-26T15:00:00'), z('2025-10-27T15:00:00')],
    ]);
  });
});

// Lord Howe Island moves its clocks by 30 minutes (+10:30 <-> +11:00); cron-parser, stepping in the
// zone, skipped a real tick when clocks moved forward and found no tick at all after 01:00 on the
// day they moved back, so an hourly DAG there was never scheduled again.
describe('Australia/Lord_Howe, 30-minute changes on 2025-04-06 (02:00 -> 01:30) and 2025-10-05 (02:00 -> 02:30)', () => {
  it("'@hourly' goes on past the fall-back: 01:00 (+11) -> 02:00 (+10:30) is 90 real minutes", () => {
    expectSchedule('@hourly', 'Australia/Lord_Howe', [
      [z('2025-04-05T13:00:00'), z('2025-04-05T14:00:00')],
      [z('2025-04-05T14:00:00'), z('2025-04-05T15:30:00')],
      [z('2025-04-05T15:30:00'), z('2025-04-05T16:30:00')],
    ]);
  });

  it("'*/30 * * * *' fires at both 01:30s of the fall-back day", () => {
    expectSchedule('*/30 * * * *', 'Australia/Lord_Howe', [
      [z('2025-04-05T14:00:00'), z('2025-04-05T14:30:00')], // 01:00 -> 01:30 (+11)
      [z('2025-04-05T14:30:00'), z('2025-04-05T15:00:00')], // 01:30 (+11) -> 01:30 (+10:30)
      [z('2025-04-05T15:00:00'), z('2025-04-05T15:30:00')], // -> 02:00 (+10:30)
    ]);
  });

  it("'*/30 * * * *' fires at 02:30 (+11), the first time past the spring-forward gap", () => {
    expectSchedule('*/30 * * * *', 'Australia/Lord_Howe', [
      [z('2025-10-04T14:30:00'), z('2025-10-04T15:00:00')], // 01:00 -> 01:30 (+10:30)
      [z('2025-10-04T15:00:00'), z('2025-10-04T15:30:00')], // 01:30 -> 02:30 (+11)
      [z('2025-10-04T15:30:00'), z('2025-10-04T16:00:00')], // 02:30 -> 03:00
    ]);
  });

  it("'@hourly' on the spring-forward day: 01:00 -> 03:00 (02:00 does not exist) is 90 real minutes", () => {
    expectSchedule('@hourly', 'Australia/Lord_Howe', [
      [z('2025-10-04T13:30:00'), z('2025-10-04T14:30:00')],
      [z('2025-10-04T14:30:00'), z('2025-10-04T16:00:00')],
      [z('2025-10-04T16:00:00'), z('2025-10-04T17:00:00')],
    ]);
  });
});
