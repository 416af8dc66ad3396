/**
 * The calendar's planned days (core's plannedRunDays): the days a schedule still has runs on, one
 * step per day in the DAG's time zone, from the next run to the end of the range, none past the end
 * date or for a manual DAG. (The UI's layout of a year is checked in e2e/ui-timetables.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { plannedRunDays, type NextRunFacts } from '@updraft/core';

function dag(over: Partial<NextRunFacts>): NextRunFacts {
  return {
    schedule: null, timetable: null, timezone: 'UTC', startDate: '2026-01-01T00:00:00.000Z', endDate: null, catchup: false,
    nextDagrun: null, nextDagrunIntervalStart: null, nextDagrunIntervalEnd: null, nextDagrunCreateAfter: null, lastScheduledRun: null,
    ...over,
  };
}
const utc = (iso: string) => new Date(iso);

describe('planned run days', () => {
  const now = utc('2026-12-28T12:00:00Z');
  const year = [utc('2026-01-01T00:00:00Z'), utc('2027-01-01T00:00:00Z')] as const;

  it('a daily schedule: every day from the next run to the end of the year', () => {
    expect(plannedRunDays(dag({ schedule: '@daily' }), ...year, now)).toEqual(['2026-12-27', '2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31']);
  });

  it('a run every minute costs a step per day, not per run', () => {
    expect(plannedRunDays(dag({ schedule: '* * * * *' }), ...year, now)).toEqual(['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31']);
  });

  it('days are the DAG\'s days: 02:00 in Seoul is the previous evening in UTC', () => {
    const seoul = dag({ schedule: '0 2 * * *', timezone: 'Asia/Seoul' });
    const from = utc('2026-12-31T15:00:00Z'); // 2027-01-01 00:00 in Seoul
    const days = plannedRunDays(seoul, from, utc('2027-01-04T15:00:00Z'), utc('2026-12-31T16:00:00Z'));
    expect(days).toEqual(['2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04']);
  });

  it('weekdays only, and nothing past the end date', () => {
    // Monday noon: Friday's interval (run at Monday 06:00) is the next run, by its logical date.
    expect(plannedRunDays(dag({ schedule: '0 6 * * 1-5', endDate: '2026-12-30T12:00:00.000Z' }), ...year, now))
      .toEqual(['2026-12-25', '2026-12-28', '2026-12-29', '2026-12-30']);
  });

  it('a delta timetable and a cron trigger', () => {
    // Every 2 days from January 1: the grid's days, from the latest complete interval on.
    expect(plannedRunDays(dag({ timetable: { kind: 'delta', everyMs: 2 * 86_400_000 } }), ...year, now)).toEqual(['2026-12-25', '2026-12-27', '2026-12-29', '2026-12-31']);
    expect(plannedRunDays(dag({ timetable: { kind: 'cronTrigger', cron: '30 4 * * *', dataInterval: { ms: 0 } } }), ...year, now))
      .toEqual(['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31']); // today's tick has not run yet (no run recorded)
  });

  it('none for a manual DAG, or outside the range', () => {
    expect(plannedRunDays(dag({}), ...year, now)).toEqual([]);
    expect(plannedRunDays(dag({ schedule: '@daily' }), utc('2025-01-01T00:00:00Z'), utc('2026-01-01T00:00:00Z'), now)).toEqual([]);
  });
});
