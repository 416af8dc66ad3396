/** What a backfill does with an interval that has a run (Airflow 3's reprocess rules), and its progress line. */
import { describe, expect, it } from 'vitest';
import { actionFor, type backfillsSql } from '@updraft/core';
import { progressLine } from '../../packages/cli/src/backfill-progress.js';

const run = (state: 'queued' | 'running' | 'success' | 'failed') => ({ runId: 'r', logicalDate: new Date(0), state });

describe('actionFor', () => {
  it('creates a run where there is none, whatever the behaviour', () => {
    for (const b of ['none', 'failed', 'completed'] as const) expect(actionFor(null, b)).toEqual({ action: 'create', reason: null });
  });

  it('never touches a queued or running run', () => {
    for (const b of ['none', 'failed', 'completed'] as const) {
      expect(actionFor(run('queued'), b)).toEqual({ action: 'skip', reason: 'in flight (queued)' });
      expect(actionFor(run('running'), b)).toEqual({ action: 'skip', reason: 'in flight (running)' });
    }
  });

  it('reruns failed runs with failed, failed and successful ones with completed, none with none', () => {
    expect(actionFor(run('failed'), 'none')).toEqual({ action: 'skip', reason: 'exists (failed)' });
    expect(actionFor(run('failed'), 'failed').action).toBe('reprocess');
    expect(actionFor(run('success'), 'failed')).toEqual({ action: 'skip', reason: 'exists (success)' });
    expect(actionFor(run('success'), 'completed').action).toBe('reprocess');
    expect(actionFor(run('failed'), 'completed').action).toBe('reprocess');
  });
});

describe('progressLine', () => {
  const view = (over: Partial<backfillsSql.BackfillView>): backfillsSql.BackfillView => ({
    id: '7', dagId: 'etl', fromDate: new Date(0), toDate: new Date(0), runBackwards: false, reprocessBehavior: 'none', maxActiveRuns: 3,
    conf: {}, state: 'running', totalIntervals: 10, skippedIntervals: 0, createdBy: null, createdAt: new Date(0), updatedAt: new Date(0),
    completedAt: null, firstStartedAt: new Date('2026-01-01T00:00:00Z'), runs: { total: 10, queued: 4, running: 2, success: 3, failed: 1 }, ...over,
  });

  it('draws a bar with done/total, failures, running and an ETA from the pace so far', () => {
    // 4 runs done in 40 s: 6 more take about 60 s.
    expect(progressLine(view({}), new Date('2026-01-01T00:00:40Z'), true))
      .toBe('[############..................] 4/10 runs done, 1 failed, 2 running, ETA 1 min 00 s');
  });

  it('writes a plain line without a terminal, and the end state instead of an ETA', () => {
    expect(progressLine(view({ state: 'completed', skippedIntervals: 2, runs: { total: 8, queued: 0, running: 0, success: 8, failed: 0 } }), new Date(), false))
      .toBe('backfill 7 of etl: 8/8 runs done, 0 failed, 0 running, 2 interval(s) skipped, completed');
  });
});
