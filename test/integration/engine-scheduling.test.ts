/**
 * SchedulerEngine against a real PostgreSQL: scheduled runs from timetables (catchup, no catchup,
 * end date, max_active_runs, pause), templating with the run's dates, backfill.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBackfill } from '@updraft/core';
import { SchedulerEngine } from '@updraft/scheduler';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';
import { claim, makeDag, RecordingPublisher, run, silentLogger, storeDag } from './engine-support.js';

let db: TestDatabase;
let publisher: RecordingPublisher;
let now: Date;
let engine: SchedulerEngine;

beforeEach(async () => {
  db = await createTestDatabase();
  publisher = new RecordingPublisher();
  now = new Date('2024-01-04T10:00:00Z');
  engine = new SchedulerEngine({ pool: db.pool, publisher, logger: silentLogger, clock: () => now, tickIntervalMs: 60_000 });
});

afterEach(async () => {
  await engine.stop();
  await db.drop();
});

interface RunRow { run_id: string; run_type: string; state: string; logical_date: Date; data_interval_start: Date; data_interval_end: Date }
async function runs(dagId: string): Promise<RunRow[]> {
  const { rows } = await db.pool.query<RunRow>(
    `SELECT run_id, run_type, state, logical_date, data_interval_start, data_interval_end FROM dag_run WHERE dag_id = $1 ORDER BY logical_date`, [dagId]);
  return rows;
}
const iso = (d: Date): string => d.toISOString();

const daily = (over: Parameters<typeof makeDag>[0] extends infer T ? Partial<T> : never = {}) => makeDag({
  dagId: 'daily', schedule: '@daily', startDate: '2024-01-01T00:00:00.000Z', catchup: true,
  tasks: [{ taskId: 'report', bashCommand: 'echo day={{ ds }} from={{ data_interval_start }} to={{ data_interval_end }}' }, { taskId: 'after', upstream: ['report'] }],
  ...over,
});

describe('scheduled runs', () => {
  it('a daily DAG with catchup started 3 days ago gets exactly 3 runs with the right dates, and its command sees them', async () => {
    const realEngine = new SchedulerEngine({ pool: db.pool, publisher, logger: silentLogger, tickIntervalMs: 60_000 });
    const midnight = new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00.000Z');
    const day = 86_400_000;
    const start = new Date(midnight.getTime() - 3 * day);
    await storeDag(db.pool, daily({ startDate: start.toISOString() }));
    await realEngine.tick();
    await realEngine.tick(); // idempotent: nothing new
    await realEngine.stop();
    const rows = await runs('daily');
    expect(rows.map((r) => [r.run_type, iso(r.logical_date), iso(r.data_interval_start), iso(r.data_interval_end)])).toEqual(
      [0, 1, 2].map((i) => ['scheduled', iso(new Date(start.getTime() + i * day)), iso(new Date(start.getTime() + i * day)), iso(new Date(start.getTime() + (i + 1) * day))]),
    );
    expect(rows.every((r) => r.state === 'running')).toBe(true);
    expect(publisher.messages).toHaveLength(3);
    const second = publisher.messages.find((m) => m.key!.runId === rows[1]!.run_id)!;
    const res = await claim(engine, second);
    const ds = iso(rows[1]!.logical_date).slice(0, 10);
    expect(res.spec.bashCommand).toBe(`echo day=${ds} from=${iso(rows[1]!.data_interval_start)} to=${iso(rows[1]!.data_interval_end)}`);
    expect(res.context).toMatchObject({ ds, logicalDate: iso(rows[1]!.logical_date), dataIntervalEnd: iso(rows[1]!.data_interval_end) });
  });

  it('uses Airflow run ids and keeps next_dagrun on the next interval; a later tick creates it when due', async () => {
    await storeDag(db.pool, daily());
    await engine.tick();
    expect((await runs('daily')).map((r) => r.run_id)).toEqual([
      'scheduled__2024-01-01T00:00:00+00:00', 'scheduled__2024-01-02T00:00:00+00:00', 'scheduled__2024-01-03T00:00:00+00:00',
    ]);
    const { rows } = await db.pool.query(`SELECT next_dagrun, next_dagrun_create_after FROM dag WHERE dag_id = 'daily'`);
    expect(rows[0]).toEqual({ next_dagrun: new Date('2024-01-04T00:00:00Z'), next_dagrun_create_after: new Date('2024-01-05T00:00:00Z') });
    now = new Date('2024-01-05T00:00:01Z');
    await engine.tick();
    expect((await runs('daily')).map((r) => iso(r.logical_date).slice(0, 10))).toEqual(['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04']);
  });

  it('one tick creates the runs of more DAGs due at once than one page (130 > 100)', async () => {
    const ids = Array.from({ length: 130 }, (_, i) => `due_${String(i).padStart(3, '0')}`);
    for (const dagId of ids) await storeDag(db.pool, daily({ dagId, catchup: false }));
    await engine.tick();
    const { rows } = await db.pool.query<{ dag_id: string; n: number }>(
      "SELECT dag_id, count(*)::int AS n FROM dag_run WHERE dag_id LIKE 'due\\_%' GROUP BY dag_id ORDER BY dag_id");
    expect(rows).toEqual(ids.map((dagId) => ({ dag_id: dagId, n: 1 })));
  });

  it('DAGs due together get what each would alone: catch-up runs, max_active_runs, a paused DAG, an interval a manual run covers', async () => {
    await storeDag(db.pool, daily({ dagId: 'together_all' }));
    await storeDag(db.pool, daily({ dagId: 'together_max2', maxActiveRuns: 2 }));
    await storeDag(db.pool, daily({ dagId: 'together_paused' }), { paused: true });
    await storeDag(db.pool, daily({ dagId: 'together_manual' }));
    await engine.triggerDagRun({ dagId: 'together_manual', logicalDate: new Date('2024-01-02T00:00:00Z') });
    // The manual run covers the first interval and counts as active; the one place left goes to the next interval.
    await storeDag(db.pool, daily({ dagId: 'together_manual_max2', maxActiveRuns: 2 }));
    await engine.triggerDagRun({ dagId: 'together_manual_max2', logicalDate: new Date('2024-01-01T00:00:00Z') });
    await engine.tick();
    const summary = async (dagId: string): Promise<string[]> => (await runs(dagId)).map((r) => `${r.run_type} ${iso(r.logical_date).slice(0, 10)}`);
    expect(await summary('together_all')).toEqual(['scheduled 2024-01-01', 'scheduled 2024-01-02', 'scheduled 2024-01-03']);
    expect(await summary('together_max2')).toEqual(['scheduled 2024-01-01', 'scheduled 2024-01-02']);
    expect(await summary('together_paused')).toEqual([]);
    expect(await summary('together_manual')).toEqual(['scheduled 2024-01-01', 'manual 2024-01-02', 'scheduled 2024-01-03']);
    expect(await summary('together_manual_max2')).toEqual(['manual 2024-01-01', 'scheduled 2024-01-02']);
    const { rows } = await db.pool.query<{ dag_id: string; next_dagrun: Date | null; next_dagrun_create_after: Date | null }>(
      "SELECT dag_id, next_dagrun, next_dagrun_create_after FROM dag WHERE dag_id IN ('together_all', 'together_max2') ORDER BY dag_id");
    expect(rows).toEqual([
      { dag_id: 'together_all', next_dagrun: new Date('2024-01-04T00:00:00Z'), next_dagrun_create_after: new Date('2024-01-05T00:00:00Z') },
      // Blocked by max_active_runs: the third interval stays due.
      { dag_id: 'together_max2', next_dagrun: new Date('2024-01-03T00:00:00Z'), next_dagrun_create_after: new Date('2024-01-04T00:00:00Z') },
    ]);
    // Every run that could start did, with its task queued.
    expect((await runs('together_all')).map((r) => r.state)).toEqual(['running', 'running', 'running']);
    expect(publisher.messages.filter((m) => m.key!.dagId === 'together_all')).toHaveLength(3);
  });

  it('a DAG whose schedule cannot be read does not keep the DAGs planned and due with it from getting their runs', async () => {
    await storeDag(db.pool, daily({ dagId: 'due_good', catchup: false }));
    await storeDag(db.pool, daily({ dagId: 'due_bad', schedule: 'every day at noon' }));
    // As if planned by an earlier version that could read it: due now.
    await db.pool.query("UPDATE dag SET next_dagrun_create_after = '2024-01-04T00:00:00Z' WHERE dag_id = 'due_bad'");
    await engine.tick();
    expect((await runs('due_good')).map((r) => iso(r.logical_date).slice(0, 10))).toEqual(['2024-01-03']);
    expect(await runs('due_bad')).toEqual([]);
  });

  it('without catchup creates only the latest complete interval', async () => {
    await storeDag(db.pool, daily({ catchup: false }));
    await engine.tick();
    expect((await runs('daily')).map((r) => [iso(r.data_interval_start), iso(r.data_interval_end)])).toEqual([
      ['2024-01-03T00:00:00.000Z', '2024-01-04T00:00:00.000Z'],
    ]);
  });

  it('respects the end date', async () => {
    await storeDag(db.pool, daily({ endDate: '2024-01-02T00:00:00.000Z' }));
    await engine.tick();
    expect((await runs('daily')).map((r) => iso(r.logical_date).slice(0, 10))).toEqual(['2024-01-01', '2024-01-02']);
    const { rows } = await db.pool.query(`SELECT next_dagrun_create_after FROM dag WHERE dag_id = 'daily'`);
    expect(rows[0].next_dagrun_create_after).toBeNull();
  });

  it('with max_active_runs=1 creates the next run only when the previous one ended', async () => {
    await engine.start();
    await storeDag(db.pool, daily({ maxActiveRuns: 1, tasks: [{ taskId: 'only' }] }));
    await engine.tick();
    expect((await runs('daily')).map((r) => r.state)).toEqual(['running']);
    await run(engine, publisher.messages[0]!);
    await publisher.waitFor(2); // the run's end schedules the next one at once, no tick needed
    expect((await runs('daily')).map((r) => r.state)).toEqual(['success', 'running']);
    expect(publisher.messages[1]!.key!.runId).toBe('scheduled__2024-01-02T00:00:00+00:00');
  });

  it('creates no runs for a paused DAG; a manual run of it waits queued until unpaused', async () => {
    await storeDag(db.pool, daily(), { paused: true });
    await engine.tick();
    expect(await runs('daily')).toEqual([]);
    const created = await engine.triggerDagRun({ dagId: 'daily', logicalDate: new Date('2024-01-03T12:00:00Z') });
    expect(created).toMatchObject({ state: 'queued', dataIntervalStart: new Date('2024-01-02T00:00:00Z'), dataIntervalEnd: new Date('2024-01-03T00:00:00Z') });
    expect(publisher.messages).toHaveLength(0);
    await db.pool.query(`UPDATE dag SET is_paused = false WHERE dag_id = 'daily'`);
    await engine.tick();
    const all = await runs('daily');
    expect(all.find((r) => r.run_type === 'manual')!.state).toBe('running');
    expect(all.filter((r) => r.run_type === 'scheduled')).toHaveLength(3);
  });

  it('refuses a second run at the same logical date and a DAG that does not exist', async () => {
    await storeDag(db.pool, daily({ schedule: null }));
    await engine.triggerDagRun({ dagId: 'daily', logicalDate: new Date('2024-01-01T00:00:00Z') });
    await expect(engine.triggerDagRun({ dagId: 'daily', logicalDate: new Date('2024-01-01T00:00:00Z') }))
      .rejects.toMatchObject({ code: 'ALREADY_EXISTS', field: 'run_id', message: "DAG 'daily' already has a run with run id 'manual__2024-01-01T00:00:00+00:00'" });
    await expect(engine.triggerDagRun({ dagId: 'daily', logicalDate: new Date('2024-01-01T00:00:00Z'), runId: 'other' })).rejects.toMatchObject({
      code: 'ALREADY_EXISTS', field: 'logical_date',
      message: "DAG 'daily' already has a run for logical date 2024-01-01T00:00:00.000Z (run id 'manual__2024-01-01T00:00:00+00:00')",
    });
    await expect(engine.triggerDagRun({ dagId: 'ghost' })).rejects.toMatchObject({ code: 'DAG_NOT_FOUND' });
    await expect(engine.triggerDagRun({ dagId: 'daily', conf: [] as unknown as Record<string, unknown> })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('a manual run with a logical date in the future waits queued until that date comes, as in Airflow', async () => {
    await engine.start();
    await storeDag(db.pool, daily({ schedule: null, tasks: [{ taskId: 'only' }] }));
    const later = await engine.triggerDagRun({ dagId: 'daily', logicalDate: new Date('2024-01-05T00:00:00Z') });
    expect(later.state).toBe('queued');
    const earlier = await engine.triggerDagRun({ dagId: 'daily', logicalDate: new Date('2024-01-04T09:00:00Z') });
    expect(earlier.state).toBe('running');
    await engine.tick();
    expect((await runs('daily')).map((r) => r.state)).toEqual(['running', 'queued']);
    expect(publisher.messages.map((m) => m.key!.runId)).toEqual([earlier.runId]);
    now = new Date('2024-01-05T00:00:00Z');
    await engine.tick();
    expect((await runs('daily')).map((r) => r.state)).toEqual(['running', 'running']);
    await publisher.waitFor(2);
    expect(publisher.messages[1]!.key!.runId).toBe(later.runId);
  });

  it('renders ds in the DAG timezone (Asia/Seoul midnight = 15:00 UTC the day before)', async () => {
    await storeDag(db.pool, daily({ timezone: 'Asia/Seoul', startDate: '2024-01-02T15:00:00.000Z', tasks: [{ taskId: 'r', bashCommand: 'echo {{ ds }}' }] }));
    await engine.tick();
    const rows = await runs('daily');
    expect(rows.map((r) => iso(r.logical_date))).toEqual(['2024-01-02T15:00:00.000Z']);
    const res = await claim(engine, publisher.messages[0]!);
    expect(res.spec.bashCommand).toBe('echo 2024-01-03');
  });

  it('a backfill under way does not hold back the scheduled runs: they count apart from its runs against max_active_runs', async () => {
    await engine.start();
    await storeDag(db.pool, daily({ catchup: false, maxActiveRuns: 1, tasks: [{ taskId: 'only' }] }));
    const made = await createBackfill(db.pool, { dagId: 'daily', fromDate: new Date('2023-12-01T00:00:00Z'), toDate: new Date('2023-12-05T00:00:00Z'), maxActiveRuns: 1 });
    expect(made.created).toBe(5);
    await engine.tick();
    const all = await runs('daily');
    expect(all.filter((r) => r.run_type === 'backfill').map((r) => r.state)).toEqual(['running', 'queued', 'queued', 'queued', 'queued']);
    expect(all.filter((r) => r.run_type === 'scheduled').map((r) => [iso(r.logical_date), r.state])).toEqual([['2024-01-03T00:00:00.000Z', 'running']]);
  });

  it('backfills the intervals of a range that have no run yet', async () => {
    await storeDag(db.pool, daily({ startDate: '2024-01-03T00:00:00.000Z' }));
    await engine.tick();
    const created = await engine.backfill('daily', new Date('2024-01-01T00:00:00Z'), new Date('2024-01-03T00:00:00Z'));
    expect(created.map((r) => r.runId)).toEqual(['backfill__2024-01-01T00:00:00+00:00', 'backfill__2024-01-02T00:00:00+00:00']);
    expect((await runs('daily')).map((r) => r.run_type)).toEqual(['backfill', 'backfill', 'scheduled']);
  });
});
