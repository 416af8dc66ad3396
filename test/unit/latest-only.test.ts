/** d.latestOnly's decision (Airflow's LatestOnlyOperator): which runs are the latest, and what it serializes to. */
import { afterEach, describe, expect, it } from 'vitest';
import { latestRunDecision } from '@updraft/core';
import { dag, isDagDefinitionError, resetRegistry, serializeDag } from '@updraft/sdk';

afterEach(() => resetRegistry());

const daily = { schedule: '@daily', timezone: 'UTC', startDate: '2024-01-01T00:00:00.000Z', endDate: null, catchup: false };
const run = (runType: string, start: string, end: string) => ({ runType, logicalDate: new Date(start), dataIntervalStart: new Date(start), dataIntervalEnd: new Date(end) });
const at = (iso: string) => new Date(iso);

describe('latestRunDecision', () => {
  it('a scheduled run is the latest between the end of its interval and the end of the next one', () => {
    const r = run('scheduled', '2024-03-01T00:00:00Z', '2024-03-02T00:00:00Z');
    expect(latestRunDecision(daily, r, at('2024-03-02T00:00:01Z')).latest).toBe(true);
    expect(latestRunDecision(daily, r, at('2024-03-03T00:00:00Z')).latest).toBe(true);
    // A day later a newer run is the latest (catching up, or a run started late).
    const old = latestRunDecision(daily, r, at('2024-03-03T00:00:01Z'));
    expect(old).toEqual({ latest: false, reason: "not the latest run: now is not between the end of its data interval (2024-03-02T00:00:00.000Z) and the next one's (2024-03-03T00:00:00.000Z)" });
    // Before its interval ended (a run created ahead of time) it is not the latest either.
    expect(latestRunDecision(daily, r, at('2024-03-01T12:00:00Z')).latest).toBe(false);
  });

  it('a backfill run of the past is not the latest; manual and asset-triggered runs always proceed', () => {
    expect(latestRunDecision(daily, run('backfill', '2024-01-02T00:00:00Z', '2024-01-03T00:00:00Z'), at('2024-06-01T00:00:00Z')).latest).toBe(false);
    for (const type of ['manual', 'asset_triggered']) {
      expect(latestRunDecision(daily, run(type, '2024-01-02T00:00:00Z', '2024-01-03T00:00:00Z'), at('2024-06-01T00:00:00Z'))).toEqual({ latest: true, reason: `a ${type} run always proceeds` });
    }
  });

  it('follows the schedule\'s own intervals (hourly, in a time zone) and proceeds when there is no next interval', () => {
    const hourly = { ...daily, schedule: '0 * * * *', timezone: 'Europe/Berlin' };
    const r = run('scheduled', '2024-03-01T10:00:00Z', '2024-03-01T11:00:00Z');
    expect(latestRunDecision(hourly, r, at('2024-03-01T11:30:00Z')).latest).toBe(true);
    expect(latestRunDecision(hourly, r, at('2024-03-01T12:30:00Z')).latest).toBe(false);
    const once = { ...daily, schedule: '@once' };
    expect(latestRunDecision(once, run('scheduled', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z'), at('2025-01-01T00:00:00Z'))).toEqual({ latest: true, reason: 'the schedule has no interval after this run' });
  });
});

describe('d.latestOnly', () => {
  it('serializes as a task the scheduler ends (kind empty, latestOnly), and cannot be mapped', () => {
    const d = dag({ dagId: 'lo', schedule: '@daily', startDate: '2024-01-01' }, (b) => {
      b.latestOnly('latest_only', { retries: 1 }).then(b.empty('after'));
    });
    const tasks = serializeDag(d, { fileloc: 'x.ts', fileHash: 'h', defaultTimezone: 'UTC' }).tasks;
    expect(tasks[0]).toMatchObject({ taskId: 'latest_only', kind: 'empty', latestOnly: true, retries: 1, downstream: ['after'] });
    expect('latestOnly' in tasks[1]!).toBe(false);
    resetRegistry();
    const mapped = dag({ dagId: 'lo_mapped' }, (b) => {
      b.latestOnly('l').expand([1]);
    });
    try {
      serializeDag(mapped, { fileloc: 'x.ts', fileHash: 'h', defaultTimezone: 'UTC' });
      expect.unreachable();
    } catch (err) {
      expect(isDagDefinitionError(err) && err.message).toContain('a latestOnly task cannot be mapped');
    }
  });
});
