/**
 * The `timetable` DAG option on a real stack (PostgreSQL, nats-server, scheduler and worker
 * processes, the CLI, the REST API): a delta timetable with catchup gets its runs with the right
 * logical dates and data intervals across a DST change, `updraft dags backfill` enumerates a cron
 * trigger timetable's runs, and the CLI and API show both timetables and their next runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatInTimezone } from '@updraft/core';
import type { RunningWebserver } from '@updraft/webserver';
import { waitFor } from '../e2e/db.js';
import { startStack, type Stack } from '../e2e/stack.js';
import { call, createRoleUsers, startApi } from './api-support.js';

let stack: Stack;
let web: RunningWebserver;

beforeAll(async () => {
  stack = await startStack({
    dagFiles: ['test/fixtures/dags-timetables/every_6h.ts', 'test/fixtures/dags-timetables/nightly_trigger.ts'],
    workers: [{ name: 'timetables-w1', concurrency: 4 }],
  });
  await createRoleUsers(stack.pool);
  web = await startApi({ db: stack.pool, logFolder: stack.logFolder });
});

afterAll(async () => {
  await web?.close();
  await stack?.stop();
});

interface RunRow { run_id: string; run_type: string; state: string; logical_date: Date; data_interval_start: Date; data_interval_end: Date }
async function runs(dagId: string, runType: string): Promise<RunRow[]> {
  const r = await stack.pool.query<RunRow>(
    `SELECT run_id, run_type, state, logical_date, data_interval_start, data_interval_end FROM dag_run
      WHERE dag_id = $1 AND run_type = $2 ORDER BY logical_date`, [dagId, runType]);
  return r.rows;
}
const rowOf = (r: RunRow): string[] => [r.run_id, r.logical_date.toISOString(), r.data_interval_start.toISOString(), r.data_interval_end.toISOString()];
const finished = (rows: RunRow[]): boolean => rows.every((r) => r.state === 'success' || r.state === 'failed');

describe('delta timetable with catchup', () => {
  it('creates one run per 6 real hours from the start date to the end date, across the spring-forward day, and they succeed', async () => {
    const rows = await waitFor('3 finished runs of tt_every_6h', async () => {
      const r = await runs('tt_every_6h', 'scheduled');
      return r.length === 3 && finished(r) ? r : undefined;
    }, { timeoutMs: 60_000 });
    expect(rows.map(rowOf)).toEqual([
      // 00:00 CET, 07:00 CEST, 13:00 CEST on 2026-03-29; the next would start after the end date (18:00 local).
      ['scheduled__2026-03-28T23:00:00+00:00', '2026-03-28T23:00:00.000Z', '2026-03-28T23:00:00.000Z', '2026-03-29T05:00:00.000Z'],
      ['scheduled__2026-03-29T05:00:00+00:00', '2026-03-29T05:00:00.000Z', '2026-03-29T05:00:00.000Z', '2026-03-29T11:00:00.000Z'],
      ['scheduled__2026-03-29T11:00:00+00:00', '2026-03-29T11:00:00.000Z', '2026-03-29T11:00:00.000Z', '2026-03-29T17:00:00.000Z'],
    ]);
    expect(rows.map((r) => r.state)).toEqual(['success', 'success', 'success']);
    const next = await stack.cli(['dags', 'next-execution', 'tt_every_6h']);
    expect(next.stdout).toBe('tt_every_6h: Every 6 hours from the start date (Europe/Berlin)\nno scheduled runs (manual only, or past its end date)\n');
  });
});

describe('cron trigger timetable', () => {
  it('without catchup runs the latest 02:00 tick with the previous day as its data interval; next-execution lists the following ticks', async () => {
    const [latest] = await waitFor('the scheduled run of tt_nightly', async () => {
      const r = await runs('tt_nightly', 'scheduled');
      return r.length > 0 ? r : undefined;
    }, { timeoutMs: 60_000 });
    const wall = (d: Date): string => formatInTimezone(d, 'Europe/Berlin');
    expect(Date.now() - latest!.logical_date.getTime()).toBeLessThan(86_400_000);
    expect(wall(latest!.logical_date)).toMatch(/T02:00:00[+-]/);
    expect(wall(latest!.data_interval_end).slice(0, 19)).toBe(`${wall(latest!.logical_date).slice(0, 10)}T00:00:00`);
    expect(wall(latest!.data_interval_start).slice(11, 19)).toBe('00:00:00');

    const r = await stack.cli(['dags', 'next-execution', 'tt_nightly', '-n', '2', '--output', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as { schedule: string; runs: Array<{ logicalDate: string; dataIntervalEnd: string; runAfter: string }> };
    expect(json.schedule).toBe("At each tick of cron '0 2 * * *' (logical date = the tick), data interval: the previous day");
    expect(json.runs).toHaveLength(2);
    for (const [i, run] of json.runs.entries()) {
      expect(run.logicalDate).toBe(run.runAfter);
      expect(wall(new Date(run.logicalDate))).toMatch(/T02:00:00[+-]/);
      expect(new Date(run.logicalDate).getTime()).toBeGreaterThan(i === 0 ? latest!.logical_date.getTime() : Date.parse(json.runs[0]!.logicalDate));
    }
  });

  it('updraft dags backfill creates one run per tick in the range: logical date = the tick, data interval = the previous day (23 hours on the DST day)', async () => {
    const b = await stack.cli(['dags', 'backfill', 'tt_nightly', '--start-date', '2026-03-28', '--end-date', '2026-03-30T02:00'], { timeoutMs: 120_000 });
    expect(b.code, b.stderr + b.stdout).toBe(0);
    const rows = await waitFor('3 finished backfill runs of tt_nightly', async () => {
      const r = await runs('tt_nightly', 'backfill');
      return r.length === 3 && finished(r) ? r : undefined;
    }, { timeoutMs: 60_000 });
    expect(rows.map(rowOf)).toEqual([
      ['backfill__2026-03-28T01:00:00+00:00', '2026-03-28T01:00:00.000Z', '2026-03-26T23:00:00.000Z', '2026-03-27T23:00:00.000Z'],
      // 02:00 does not exist on 2026-03-29: the tick is 03:00 CEST.
      ['backfill__2026-03-29T01:00:00+00:00', '2026-03-29T01:00:00.000Z', '2026-03-27T23:00:00.000Z', '2026-03-28T23:00:00.000Z'],
      ['backfill__2026-03-30T00:00:00+00:00', '2026-03-30T00:00:00.000Z', '2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z'],
    ]);
    expect(rows.map((r) => r.state)).toEqual(['success', 'success', 'success']);
  });
});

describe('REST API and dags list', () => {
  it('DAG details carry each timetable as Airflow shapes it, and in words', async () => {
    const delta = await call(web, '/api/v1/dags/tt_every_6h/details');
    expect(delta.status, delta.text).toBe(200);
    expect(delta.json).toMatchObject({
      schedule_interval: { __type: 'TimeDelta', days: 0, seconds: 21_600, microseconds: 0 },
      timetable_description: 'Every 6 hours from the start date', catchup: true, timezone: 'Europe/Berlin',
      // dagrunTimeout '2h', as Airflow shapes a timedelta; none: null.
      dag_run_timeout: { __type: 'TimeDelta', days: 0, seconds: 7200, microseconds: 0 },
    });
    expect((await call(web, '/api/v1/dags/tt_nightly/details')).json.dag_run_timeout).toBeNull();
    const cron = await call(web, '/api/v1/dags/tt_nightly');
    expect(cron.json).toMatchObject({
      schedule_interval: { __type: 'CronExpression', value: '0 2 * * *' },
      timetable_description: "At each tick of cron '0 2 * * *' (logical date = the tick), data interval: the previous day",
    });
    const list = await stack.cli(['dags', 'list', '--output', 'json']);
    const nightly = (JSON.parse(list.stdout) as Array<{ dagId: string; timetable?: unknown; nextRun: { logicalDate: string; runAfter: string } | null }>)
      .find((d) => d.dagId === 'tt_nightly')!;
    expect(nightly.timetable).toEqual({ kind: 'cronTrigger', cron: '0 2 * * *', dataInterval: 'previousDay' });
    expect(nightly.nextRun?.logicalDate).toBe(nightly.nextRun?.runAfter);
  });
});
