import { describe, expect, it } from 'vitest';
import { nextRunOf, nextRunsOf, type dagsSql } from '@updraft/core';

const day = (iso: string): Date => new Date(`${iso}T00:00:00Z`);

/** A daily DAG paused since early March, whose stored plan is the run that came due on March 2. */
function pausedDaily(catchup: boolean): dagsSql.DagSummary {
  return {
    dagId: 'daily', fileloc: 'daily.ts', isActive: true, isPaused: true, schedule: '@daily', timetable: null, assetSchedule: null, assetCondition: null, timezone: 'UTC',
    owner: 'o', description: null, tags: [], maxActiveRuns: 16, startDate: '2026-01-01T00:00:00.000Z', endDate: null, catchup,
    nextDagrun: day('2026-03-01'), nextDagrunIntervalStart: day('2026-03-01'), nextDagrunIntervalEnd: day('2026-03-02'),
    nextDagrunCreateAfter: day('2026-03-02'),
    lastScheduledRun: { logicalDate: day('2026-02-28'), dataIntervalStart: day('2026-02-28'), dataIntervalEnd: day('2026-03-01') },
    lastParsedAt: null,
  };
}

describe('the next run of a DAG, as shown', () => {
  const now = new Date('2026-05-10T12:00:00Z');

  it('without catchup, a plan that came due during a pause gives way to the latest interval, the one unpausing runs', () => {
    expect(nextRunOf(pausedDaily(false), now)).toEqual({
      logicalDate: day('2026-05-09'), dataIntervalStart: day('2026-05-09'), dataIntervalEnd: day('2026-05-10'), runAfter: day('2026-05-10'),
    });
    expect(nextRunsOf(pausedDaily(false), 2, now).map((r) => r.logicalDate)).toEqual([day('2026-05-09'), day('2026-05-10')]);
  });

  it('with catchup, the due plan is what runs first', () => {
    expect(nextRunOf(pausedDaily(true), now)?.logicalDate).toEqual(day('2026-03-01'));
  });

  it('a plan still ahead is shown as planned', () => {
    expect(nextRunOf(pausedDaily(false), new Date('2026-03-01T12:00:00Z'))?.logicalDate).toEqual(day('2026-03-01'));
  });
});
