/**
 * Which intervals a backfill takes from its range (core's planBackfill / createBackfill against a
 * real PostgreSQL, as `updraft dags backfill` and POST /api/v1/backfills call them), Airflow 3's
 * rules: only intervals that have ended (a backfill never runs an interval whose data is not all
 * there yet), a range wholly in the future or with no interval is refused with a clear error, and
 * a DAG with depends_on_past tasks is backfilled only oldest first and with a reprocess behavior.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackfill, planBackfill, type BackfillRequest } from '@updraft/core';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';
import { makeDag, storeDag } from './engine-support.js';

let db: TestDatabase;
const DAY = 86_400_000;
/** Today's UTC midnight: the daily interval starting there has not ended yet. */
const today = new Date(Math.floor(Date.now() / DAY) * DAY);
const dayFrom = (n: number): Date => new Date(today.getTime() + n * DAY);

beforeAll(async () => {
  db = await createTestDatabase();
  await storeDag(db.pool, makeDag({ dagId: 'daily', schedule: '@daily', startDate: '2025-01-01T00:00:00.000Z', tasks: [{ taskId: 'load' }] }));
  await storeDag(db.pool, makeDag({
    dagId: 'daily_past', schedule: '@daily', startDate: '2025-01-01T00:00:00.000Z',
    tasks: [{ taskId: 'load', dependsOnPast: true }, { taskId: 'report', upstream: ['load'] }],
  }));
});

afterAll(async () => db?.drop());

const req = (over: Partial<BackfillRequest> & Pick<BackfillRequest, 'fromDate' | 'toDate'>): BackfillRequest => ({ dagId: 'daily', ...over });

async function runDates(dagId: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ logical_date: Date }>(`SELECT logical_date FROM dag_run WHERE dag_id = $1 ORDER BY logical_date`, [dagId]);
  return rows.map((r) => r.logical_date.toISOString());
}

describe('the intervals a backfill takes from its range', () => {
  it('a range reaching past now takes only the intervals that have ended, in the dry run and for real', async () => {
    const r = req({ fromDate: dayFrom(-3), toDate: dayFrom(3) });
    const ended = [dayFrom(-3), dayFrom(-2), dayFrom(-1)].map((d) => d.toISOString());
    const plan = await planBackfill(db.pool, r);
    expect(plan.intervals.map((i) => i.logicalDate.toISOString())).toEqual(ended);
    expect(plan.intervals.every((i) => i.dataIntervalEnd.getTime() <= Date.now())).toBe(true);
    const made = await createBackfill(db.pool, r);
    expect(made.created).toBe(3);
    expect(await runDates('daily')).toEqual(ended);
    await db.pool.query(`UPDATE backfill SET state = 'completed', completed_at = now()`);
  });

  it('a range wholly in the future, or whose only interval has not ended, is refused and creates nothing', async () => {
    const before = await runDates('daily');
    for (const r of [req({ fromDate: dayFrom(1), toDate: dayFrom(5) }), req({ fromDate: today, toDate: today })]) {
      await expect(planBackfill(db.pool, r)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/has not ended yet.*future/) });
      await expect(createBackfill(db.pool, r)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
    expect(await runDates('daily')).toEqual(before);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM backfill WHERE state <> 'completed'`);
    expect(rows[0].n).toBe(0);
  });

  it('a range between two ticks is refused by name instead of making an empty backfill; its dry run answers no interval', async () => {
    const r = req({ fromDate: new Date(dayFrom(-10).getTime() + 3_600_000), toDate: new Date(dayFrom(-10).getTime() + 7_200_000) });
    expect((await planBackfill(db.pool, r)).intervals).toEqual([]);
    await expect(createBackfill(db.pool, r)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining("no interval of DAG 'daily' has its logical date in the range") });
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM backfill WHERE state <> 'completed'`);
    expect(rows[0].n).toBe(0);
  });
});

describe('rerunning existing runs', () => {
  const confs = async (from: Date, to: Date): Promise<unknown[]> => (await db.pool.query<{ conf: unknown }>(
    `SELECT conf FROM dag_run WHERE dag_id = 'daily' AND logical_date BETWEEN $1 AND $2 ORDER BY logical_date`, [from, to])).rows.map((r) => r.conf);
  const failAndEnd = (): Promise<unknown> => db.pool.query(`UPDATE dag_run SET state = 'failed', end_date = now() WHERE dag_id = 'daily' AND state IN ('queued', 'running');
    UPDATE backfill SET state = 'completed', completed_at = now() WHERE state <> 'completed'`);

  it('a rerun run takes the conf of the backfill that reruns it, and keeps its own when the backfill gives none', async () => {
    const range = { fromDate: dayFrom(-20), toDate: dayFrom(-19) };
    await createBackfill(db.pool, req({ ...range, conf: { v: 1 } }));
    await failAndEnd();
    const rerun = await createBackfill(db.pool, req({ ...range, reprocessBehavior: 'failed', conf: { v: 2 } }));
    expect(rerun).toMatchObject({ created: 0, reprocessed: 2 });
    expect(await confs(range.fromDate, range.toDate)).toEqual([{ v: 2 }, { v: 2 }]);
    await failAndEnd();
    await createBackfill(db.pool, req({ ...range, reprocessBehavior: 'completed' }));
    expect(await confs(range.fromDate, range.toDate)).toEqual([{ v: 2 }, { v: 2 }]);
  });
});

describe('backfilling a DAG with depends_on_past tasks', () => {
  it('refuses it newest first, and without a reprocess behavior; oldest first with one it goes', async () => {
    const r = req({ dagId: 'daily_past', fromDate: dayFrom(-5), toDate: dayFrom(-2), reprocessBehavior: 'failed', runBackwards: true });
    for (const call of [planBackfill, createBackfill]) {
      // Newest first, each run would wait for an older one that cannot start before it.
      await expect(call(db.pool, r)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining("cannot be backfilled newest first: its task 'load' depends on past") });
      // Without reprocessing, a failed run left alone would hold every later run of the range.
      await expect(call(db.pool, { ...r, runBackwards: false, reprocessBehavior: undefined })).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT', message: expect.stringContaining("DAG 'daily_past' needs a reprocess behavior to be backfilled"),
      });
    }
    expect(await runDates('daily_past')).toEqual([]);
    const forward = await createBackfill(db.pool, { ...r, runBackwards: false });
    expect(forward.created).toBe(4);
  });
});

describe('the task instances of a backfill run', () => {
  it('take their pool slots and max_active_tis_per_dag, as the task instances of any other run', async () => {
    await storeDag(db.pool, makeDag({
      dagId: 'daily_limits', schedule: '@daily', startDate: '2025-01-01T00:00:00.000Z',
      tasks: [{ taskId: 'heavy', poolSlots: 3, maxActiveTisPerDag: 2 }, { taskId: 'light' }],
    }));
    const made = await createBackfill(db.pool, req({ dagId: 'daily_limits', fromDate: dayFrom(-3), toDate: dayFrom(-2) }));
    expect(made.created).toBe(2);
    const { rows } = await db.pool.query<{ task_id: string; pool_slots: number; max_active_tis_per_dag: number | null }>(
      `SELECT DISTINCT task_id, pool_slots, max_active_tis_per_dag FROM task_instance WHERE dag_id = 'daily_limits' ORDER BY task_id`);
    expect(rows).toEqual([
      { task_id: 'heavy', pool_slots: 3, max_active_tis_per_dag: 2 },
      { task_id: 'light', pool_slots: 1, max_active_tis_per_dag: null },
    ]);
  });
});
