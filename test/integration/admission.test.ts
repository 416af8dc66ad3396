/**
 * The admission statement (core admissionSql) against a real PostgreSQL: which ready task
 * instances may be queued given their pool's slots, the DAG's max_active_tasks and the task's
 * max_active_tis_per_dag, in priority order, and why the others wait.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admissionSql, dagRunsSql, poolsSql, taskInstancesOf, taskInstancesSql } from '@updraft/core';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';
import { makeDag, storeDag, type TaskSpecInput } from './engine-support.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

let runs = 0;

/** A DAG with these tasks and one run of it (task instances in state none). */
async function run(dagId: string, tasks: TaskSpecInput[], maxActiveTasks = 16, name?: string): Promise<string> {
  const dag = makeDag({ dagId, tasks });
  const hash = await storeDag(db.pool, dag);
  await db.pool.query('UPDATE dag SET max_active_tasks = $2 WHERE dag_id = $1', [dagId, maxActiveTasks]);
  // Later runs have later logical dates.
  const runId = name ?? `r${runs + 1}`;
  ++runs;
  const at = new Date(Date.UTC(2026, 0, runs));
  await dagRunsSql.insertDagRun(db.pool, {
    dagId, runId, runType: 'manual', logicalDate: at, dataIntervalStart: at, dataIntervalEnd: at, conf: {}, dagHash: hash, tasks: taskInstancesOf(dag),
  });
  return runId;
}

const admit = (dagId: string, runId: string, taskIds: string[], release: Partial<admissionSql.AdmissionInput> = {}) =>
  admissionSql.admitTaskInstances(db.pool, {
    ready: taskIds.map((taskId) => ({ dagId, runId, taskId })), releasePools: [], releaseDags: [], releaseAll: false, ...release,
  });

async function states(dagId: string): Promise<Record<string, string>> {
  const { rows } = await db.pool.query<{ task_id: string; run_id: string; state: string | null; wait_reason: string | null }>(
    'SELECT task_id, run_id, state, wait_reason FROM task_instance WHERE dag_id = $1 ORDER BY run_id, task_id', [dagId]);
  return Object.fromEntries(rows.map((r) => [`${r.run_id}.${r.task_id}`, `${r.state ?? 'none'}${r.wait_reason ? `: ${r.wait_reason}` : ''}`]));
}

async function setState(dagId: string, taskId: string, state: string): Promise<void> {
  await db.pool.query('UPDATE task_instance SET state = $3 WHERE dag_id = $1 AND task_id = $2', [dagId, taskId, state]);
}

/**
 * A counter of PostgreSQL's statistics (`sql` selects it as text `n`) with what the statements of
 * this connection did so far: a backend's counts reach the views only once flushed.
 */
async function countedOn(c: pg.PoolClient, sql: string): Promise<number> {
  await c.query('SELECT pg_stat_force_next_flush()');
  const { rows: [r] } = await c.query<{ n: string }>(sql);
  return Number(r!.n);
}

describe('admission', () => {
  it('fills a pool by priority, holds the rest with the reason, and releases them as slots free', async () => {
    await poolsSql.savePools(db.pool, [{ pool: 'adm_two', slots: 2, description: null }]);
    const tasks = ['a', 'b', 'c', 'd'].map((taskId, i) => ({ taskId, pool: 'adm_two', priorityWeight: i + 1 }));
    const runId = await run('adm_pool', tasks);
    const first = await admit('adm_pool', runId, ['a', 'b', 'c', 'd']);
    expect(first.queued.map((q) => q.taskId).sort()).toEqual(['c', 'd']);
    expect(first.waiting).toBe(true);
    expect(first.backlog).toEqual({ adm_two: 2 });
    expect(await states('adm_pool')).toEqual({
      [`${runId}.a`]: 'scheduled: pool adm_two: 2 of 2 slots taken', [`${runId}.b`]: 'scheduled: pool adm_two: 2 of 2 slots taken',
      [`${runId}.c`]: 'queued', [`${runId}.d`]: 'queued',
    });
    // c runs, d is still queued: nothing is free.
    await setState('adm_pool', 'c', 'running');
    expect((await admit('adm_pool', runId, [], { releasePools: ['adm_two'] })).queued).toEqual([]);
    // d ended: b (higher priority than a) takes its slot.
    await setState('adm_pool', 'd', 'success');
    const released = await admit('adm_pool', runId, [], { releasePools: ['adm_two'] });
    expect(released.queued.map((q) => q.taskId)).toEqual(['b']);
    expect((await states('adm_pool'))[`${runId}.a`]).toBe('scheduled: pool adm_two: 2 of 2 slots taken');
  });

  it('bounds queued + running instances of a DAG (max_active_tasks) and of a task across runs (max_active_tis_per_dag)', async () => {
    const tasks = ['t1', 't2', 't3', 't4'].map((taskId) => ({ taskId }));
    const runId = await run('adm_dag', tasks, 3);
    await setState('adm_dag', 't1', 'running');
    const first = await admit('adm_dag', runId, ['t2', 't3', 't4']);
    expect(first.queued).toHaveLength(2);
    const held = Object.values(await states('adm_dag')).filter((s) => s.startsWith('scheduled'));
    expect(held).toEqual(['scheduled: DAG adm_dag: max_active_tasks 3 reached (queued or running)']);

    const one = [{ taskId: 'only', maxActiveTisPerDag: 1 }];
    const r1 = await run('adm_tis', one);
    const r2 = await run('adm_tis', one);
    const both = await admissionSql.admitTaskInstances(db.pool, {
      ready: [{ dagId: 'adm_tis', runId: r1, taskId: 'only' }, { dagId: 'adm_tis', runId: r2, taskId: 'only' }],
      releasePools: [], releaseDags: [], releaseAll: false,
    });
    expect(both.queued.map((q) => q.runId)).toEqual([r1]);
    expect((await states('adm_tis'))[`${r2}.only`]).toBe('scheduled: task only: max_active_tis_per_dag 1 reached (queued or running across runs)');
  });

  it('queues every ready task when all fit (admitIfAllFit), none when one would not, and leaves alone what is no longer ready', async () => {
    await poolsSql.savePools(db.pool, [{ pool: 'adm_three', slots: 3, description: null }]);
    const runId = await run('adm_fit', ['a', 'b', 'c', 'd'].map((taskId) => ({ taskId, pool: 'adm_three' })));
    const ready = (ids: string[]) => ids.map((taskId) => ({ dagId: 'adm_fit', runId, taskId, pool: 'adm_three', poolSlots: 1 }));
    expect(await admissionSql.admitIfAllFit(db.pool, ready(['a', 'b', 'c', 'd']))).toBeNull();
    expect(Object.values(await states('adm_fit'))).toEqual(['none', 'none', 'none', 'none']);
    const queued = await admissionSql.admitIfAllFit(db.pool, ready(['a', 'b']));
    expect(queued?.map((q) => `${q.taskId}:${q.tryNumber}`).sort()).toEqual(['a:1', 'b:1']);
    const { rows: tries } = await db.pool.query<{ task_id: string; state: string; attempt_token: string }>(
      "SELECT task_id, state, attempt_token::text FROM task_instance_try WHERE dag_id = 'adm_fit' ORDER BY task_id");
    expect(tries.map((t) => `${t.task_id}:${t.state}`)).toEqual(['a:queued', 'b:queued']);
    expect(tries.map((t) => t.attempt_token).sort()).toEqual(queued!.map((q) => q.attemptToken).sort());
    // Two of three slots are taken: c fits; d was skipped meanwhile and is not queued.
    await setState('adm_fit', 'd', 'skipped');
    expect((await admissionSql.admitIfAllFit(db.pool, ready(['c'])))?.map((q) => q.taskId)).toEqual(['c']);
    await setState('adm_fit', 'a', 'success');
    expect(await admissionSql.admitIfAllFit(db.pool, ready(['d']))).toEqual([]);
    expect(await states('adm_fit')).toEqual({
      [`${runId}.a`]: 'success', [`${runId}.b`]: 'queued', [`${runId}.c`]: 'queued', [`${runId}.d`]: 'skipped',
    });
  });

  it('among equal priorities, the run with the earliest logical date goes first, whenever its instances became ready', async () => {
    await poolsSql.savePools(db.pool, [{ pool: 'adm_one', slots: 1, description: null }]);
    const tasks = ['first', 'second'].map((taskId) => ({ taskId, pool: 'adm_one' }));
    // Created (dated) oldest first, named so that their ids sort the other way round.
    const oldest = await run('adm_order', tasks, 16, 'z_oldest');
    const middle = await run('adm_order', tasks, 16, 'y_middle');
    const newest = await run('adm_order', tasks, 16, 'x_newest');
    const end = (runId: string, taskId: string) => db.pool.query(
      "UPDATE task_instance SET state = 'success' WHERE dag_id = 'adm_order' AND run_id = $1 AND task_id = $2", [runId, taskId]);
    const released = async () => (await admit('adm_order', newest, [], { releasePools: ['adm_one'] })).queued.map((q) => `${q.runId}.${q.taskId}`);
    // Ready together: the oldest run's instance takes the one slot, the two others wait.
    const fresh = await admissionSql.admitTaskInstances(db.pool, {
      ready: [newest, oldest, middle].map((runId) => ({ dagId: 'adm_order', runId, taskId: 'first' })),
      releasePools: [], releaseDags: [], releaseAll: false,
    });
    expect(fresh.queued.map((q) => q.runId)).toEqual([oldest]);
    expect((await admit('adm_order', newest, ['second'])).queued).toEqual([]);
    // Waiting since the same moment: the older run's instance, not the first run id.
    await end(oldest, 'first');
    expect(await released()).toEqual([`${middle}.first`]);
    // Ready last, the oldest run's second task still goes before the newest run's two, which waited longer.
    expect((await admit('adm_order', oldest, ['second'])).queued).toEqual([]);
    const { rows: waiting } = await db.pool.query<{ k: string; same: boolean }>(
      `SELECT ti.run_id || '.' || ti.task_id AS k, ti.run_logical_date = r.logical_date AS same
       FROM task_instance ti JOIN dag_run r ON r.id = ti.dag_run_id WHERE ti.dag_id = 'adm_order' AND ti.state = 'scheduled' ORDER BY 1`);
    expect(waiting).toEqual([`${newest}.first`, `${newest}.second`, `${oldest}.second`].map((k) => ({ k, same: true })));
    await end(middle, 'first');
    expect(await released()).toEqual([`${oldest}.second`]);
    // Within one run, the one ready longest.
    await end(oldest, 'second');
    expect(await released()).toEqual([`${newest}.first`]);
    // A retry that came due waits with its run's date too: ahead of the newest run's task waiting longer.
    await db.pool.query("UPDATE dag_run SET state = 'running' WHERE dag_id = 'adm_order'");
    await db.pool.query(`UPDATE task_instance SET state = 'up_for_retry', next_retry_at = now() - interval '1 second'
      WHERE dag_id = 'adm_order' AND run_id = $1 AND task_id = 'first'`, [oldest]);
    expect((await taskInstancesSql.scheduleDueRetries(db.pool, 10)).map((d) => [d.runId, d.evaluate])).toEqual([[oldest, false]]);
    await end(newest, 'first');
    expect(await released()).toEqual([`${oldest}.first`]);
    await end(oldest, 'first');
    expect(await released()).toEqual([`${newest}.second`]);
  });

  it('a pool that does not exist holds the task, naming the pool', async () => {
    const runId = await run('adm_missing', [{ taskId: 'x', pool: 'adm_nowhere' }]);
    expect((await admit('adm_missing', runId, ['x'])).queued).toEqual([]);
    expect((await states('adm_missing'))[`${runId}.x`]).toMatch(/^scheduled: pool adm_nowhere does not exist/);
    await poolsSql.savePools(db.pool, [{ pool: 'adm_nowhere', slots: 1, description: null }]);
    expect((await admit('adm_missing', runId, [], { releaseAll: true })).queued.map((q) => q.taskId)).toEqual(['x']);
  });

  it('a release of every pool finds each pool that has waiting instances without reading all of them', async () => {
    const pools = ['skip_a', 'skip_b', 'skip_c'];
    await poolsSql.savePools(db.pool, pools.map((pool) => ({ pool, slots: 1, description: null })));
    const tasks = pools.flatMap((pool) => Array.from({ length: 40 }, (_, i) => ({ taskId: `${pool}_${String(i).padStart(2, '0')}`, pool })));
    const runId = await run('adm_skip', tasks, 1000);
    const first = await admit('adm_skip', runId, tasks.map((t) => t.taskId));
    expect(first.queued).toHaveLength(3);
    for (const q of first.queued) await setState('adm_skip', q.taskId, 'success');
    await db.pool.query('ANALYZE task_instance');
    // Index entries of waiting instances read by one release of every pool.
    const c = await db.pool.connect();
    const readSoFar = (): Promise<number> => countedOn(c,
      "SELECT idx_tup_read::text AS n FROM pg_stat_user_indexes WHERE indexrelname = 'task_instance_scheduled_idx'");
    try {
      const before = await readSoFar();
      const released = await admissionSql.admitTaskInstances(c, { ready: [], releasePools: [], releaseDags: [], releaseAll: true }, 4);
      const read = (await readSoFar()) - before;
      // One slot each: a waiting instance of every pool, found although no pool was named.
      expect(released.queued.map((q) => q.taskId.slice(0, 'skip_a'.length)).sort()).toEqual(pools);
      expect(released.more).toBe(false);
      expect(released.waiting).toBe(true);
      // 117 instances wait. A probe per pool and the 4 (scanLimit) first of each pool are a few dozen entries;
      // a DISTINCT over the waiting instances read all 117 as well.
      expect(read).toBeGreaterThan(0);
      expect(read).toBeLessThan(117);
    } finally {
      c.release();
    }
  });

  it('reads only the waiting instances it looks at, even with a plan made from statistics that saw none waiting', async () => {
    await poolsSql.savePools(db.pool, [{ pool: 'stale_p', slots: 1, description: null }]);
    const tasks = Array.from({ length: 3000 }, (_, i) => ({ taskId: `s_${String(i).padStart(4, '0')}`, pool: 'stale_p' }));
    const runId = await run('adm_stale', tasks, 1000);
    // As in a new database: the statistics were gathered before any instance waited (all in state none),
    // and the statement's generic plan is made from them.
    await db.pool.query('ANALYZE task_instance');
    const c = await db.pool.connect();
    const generic = async <T>(fn: () => Promise<T>): Promise<T> => {
      await c.query('BEGIN');
      try {
        // As the scheduler's admissions (admitTaskInstances given a pool).
        await c.query(admissionSql.ADMISSION_SETTINGS);
        const result = await fn();
        await c.query('COMMIT');
        return result;
      } catch (err) {
        await c.query('ROLLBACK');
        throw err;
      }
    };
    // Rows of task_instance read.
    const readSoFar = (): Promise<number> => countedOn(c,
      "SELECT (COALESCE(seq_tup_read, 0) + COALESCE(idx_tup_fetch, 0))::text AS n FROM pg_stat_user_tables WHERE relname = 'task_instance'");
    try {
      const first = await generic(() => admissionSql.admitTaskInstances(c, {
        ready: tasks.map((t) => ({ dagId: 'adm_stale', runId, taskId: t.taskId })), releasePools: [], releaseDags: [], releaseAll: false,
      }, 4));
      expect(first.queued).toHaveLength(1);
      await setState('adm_stale', first.queued[0]!.taskId, 'success');
      const before = await readSoFar();
      const released = await generic(() => admissionSql.admitTaskInstances(c, {
        ready: [], releasePools: ['stale_p'], releaseDags: [], releaseAll: false,
      }, 4));
      const read = (await readSoFar()) - before;
      expect(released.queued).toHaveLength(1);
      expect(released.waiting).toBe(true);
      // 2,999 instances wait; the release looks at 4 of them (scanLimit) and their pool's occupant (5 rows read).
      // Joined to the rows it holds on ctid alone, its generic plan read every task instance twice (6,275 rows).
      expect(read).toBeGreaterThan(0);
      expect(read).toBeLessThan(100);
    } finally {
      c.release();
    }
  });

  it('a DAG at max_active_tasks with a long backlog does not keep other DAGs in its pool waiting: the statement says the pool is starved, and a round passing over that DAG queues them', async () => {
    await poolsSql.savePools(db.pool, [{ pool: 'adm_starve', slots: 4, description: null }]);
    const filler = await run('adm_starve_fill', ['f1', 'f2', 'f3'].map((taskId) => ({ taskId, pool: 'adm_starve' })));
    expect((await admit('adm_starve_fill', filler, ['f1', 'f2', 'f3'])).queued).toHaveLength(3);
    // 70 instances of a DAG that runs one at a time: one takes the pool's last slot, 69 wait (more than the 64 looked at).
    const full = await run('adm_starve_full', Array.from({ length: 70 }, (_, i) => ({ taskId: `b${String(i).padStart(2, '0')}`, pool: 'adm_starve' })), 1);
    const backlog = await admit('adm_starve_full', full, Array.from({ length: 70 }, (_, i) => `b${String(i).padStart(2, '0')}`));
    expect(backlog.queued).toHaveLength(1);
    expect(backlog.newlyHeld).toEqual([['adm_starve', 'adm_starve_full']]);
    // Another DAG's task becomes ready while the pool is full: it waits behind the 69.
    const late = await run('adm_starve_late', [{ taskId: 'late', pool: 'adm_starve' }]);
    expect((await admit('adm_starve_late', late, ['late'])).queued).toEqual([]);
    expect((await states('adm_starve_late'))[`${late}.late`]).toBe('scheduled: pool adm_starve: 4 of 4 slots taken');
    // The filler ends: three slots are free, but the first 64 waiting in the pool all belong to the full DAG.
    await setState('adm_starve_fill', 'f1', 'success');
    await setState('adm_starve_fill', 'f2', 'success');
    await setState('adm_starve_fill', 'f3', 'success');
    const release = await admit('adm_starve_late', late, [], { releasePools: ['adm_starve'] });
    expect(release.queued).toEqual([]);
    expect(release.starved).toEqual({ pools: ['adm_starve'], dags: [], exclude: { dags: ['adm_starve_full'], tasks: [], runTasks: [] } });
    const past = await admit('adm_starve_late', late, [], { releasePools: ['adm_starve'], exclude: release.starved!.exclude });
    expect(past.queued.map((q) => `${q.dagId}.${q.taskId}`)).toEqual(['adm_starve_late.late']);
    expect(past.starved).toBeNull();
    // With nothing else waiting, the pool is still reported starved (the caller remembers it checked).
    const again = await admit('adm_starve_late', late, [], { releasePools: ['adm_starve'] });
    expect(again.starved?.pools).toEqual(['adm_starve']);
    expect((await admit('adm_starve_late', late, [], { releasePools: ['adm_starve'], exclude: again.starved!.exclude })).queued).toEqual([]);
  });

  it('a task at max_active_tis_per_dag with a long backlog does not keep the other tasks of its DAG waiting: the DAG is starved, and a round passing over that task queues them', async () => {
    const runId = await run('adm_tstarve', [{ taskId: 'fill' }, { taskId: 'wide', maxActiveTisPerDag: 1 }, { taskId: 'other' }], 2);
    // wide has 70 instances (as a mapped task): its row copied to map indexes 0..69.
    await db.pool.query(`INSERT INTO task_instance SELECT (jsonb_populate_record(ti, jsonb_build_object('map_index', g))).*
      FROM task_instance ti, generate_series(0, 69) g WHERE ti.dag_id = 'adm_tstarve' AND ti.task_id = 'wide'`);
    await db.pool.query("DELETE FROM task_instance WHERE dag_id = 'adm_tstarve' AND task_id = 'wide' AND map_index = -1");
    expect((await admit('adm_tstarve', runId, ['fill'])).queued).toHaveLength(1);
    expect((await admit('adm_tstarve', runId, ['wide'])).queued).toHaveLength(1);
    // The other task waits in a later run: behind the 69 (an earlier logical date goes first).
    const later = await run('adm_tstarve', [{ taskId: 'other' }], 2);
    expect((await admit('adm_tstarve', later, ['other'])).queued).toEqual([]);
    expect((await states('adm_tstarve'))[`${later}.other`]).toBe('scheduled: DAG adm_tstarve: max_active_tasks 2 reached (queued or running)');
    await setState('adm_tstarve', 'fill', 'success');
    const release = await admit('adm_tstarve', runId, [], { releaseDags: ['adm_tstarve'] });
    expect(release.queued).toEqual([]);
    expect(release.starved).toEqual({ pools: [], dags: ['adm_tstarve'], exclude: { dags: [], tasks: [['adm_tstarve', 'wide']], runTasks: [] } });
    const past = await admit('adm_tstarve', runId, [], { releaseDags: ['adm_tstarve'], exclude: release.starved!.exclude });
    expect(past.queued.map((q) => `${q.runId}.${q.taskId}`)).toEqual([`${later}.other`]);
  });
});

describe('max_active_tis_per_dagrun', () => {
  it('bounds a task\'s queued + running instances within each run, and one run\'s long backlog does not keep another run\'s instances waiting', async () => {
    await poolsSql.savePools(db.pool, [{ pool: 'adm_runcap', slots: 100, description: null }]);
    const tasks = [{ taskId: 'wide', pool: 'adm_runcap', maxActiveTisPerDagrun: 2 }];
    const first = await run('adm_runcap', tasks);
    const second = await run('adm_runcap', tasks);
    // wide has 70 instances in the first run, 3 in the second (as a mapped task): its row copied to map indexes.
    for (const [runId, n] of [[first, 70], [second, 3]] as const) {
      await db.pool.query(`INSERT INTO task_instance SELECT (jsonb_populate_record(ti, jsonb_build_object('map_index', g))).*
        FROM task_instance ti, generate_series(0, $2::int - 1) g WHERE ti.dag_id = 'adm_runcap' AND ti.run_id = $1`, [runId, n]);
      await db.pool.query("DELETE FROM task_instance WHERE dag_id = 'adm_runcap' AND run_id = $1 AND map_index = -1", [runId]);
    }
    expect((await admit('adm_runcap', first, ['wide'])).queued.map((q) => q.mapIndex)).toEqual([0, 1]);
    expect((await admit('adm_runcap', second, ['wide'])).queued.map((q) => q.mapIndex)).toEqual([0, 1]);
    const { rows: reasons } = await db.pool.query<{ wait_reason: string; n: number }>(
      "SELECT wait_reason, count(*)::int AS n FROM task_instance WHERE dag_id = 'adm_runcap' AND state = 'scheduled' GROUP BY wait_reason");
    expect(reasons).toEqual([{ wait_reason: 'task wide: max_active_tis_per_dagrun 2 reached (queued or running in this run)', n: 69 }]);
    // An instance of the second run ends: the first 64 waiting (by logical date) all belong to the first run, at its limit.
    await db.pool.query("UPDATE task_instance SET state = 'success' WHERE dag_id = 'adm_runcap' AND run_id = $1 AND map_index = 0", [second]);
    const release = await admit('adm_runcap', second, [], { releasePools: ['adm_runcap'] });
    expect(release.queued).toEqual([]);
    expect(release.starved).toEqual({ pools: ['adm_runcap'], dags: [], exclude: { dags: [], tasks: [], runTasks: [['adm_runcap', first, 'wide']] } });
    const past = await admit('adm_runcap', second, [], { releasePools: ['adm_runcap'], exclude: release.starved!.exclude });
    expect(past.queued.map((q) => `${q.runId}.${q.mapIndex}`)).toEqual([`${second}.2`]);
  });
});

describe('planner statistics after a big run', () => {
  it('are refreshed while the new instances are more than a tenth of the table, not over a long history', async () => {
    const own = await createTestDatabase();
    try {
      const estimate = async (): Promise<number> =>
        (await own.pool.query<{ n: number }>("SELECT reltuples::float8 AS n FROM pg_class WHERE oid = 'task_instance'::regclass")).rows[0]!.n;
      // Never analyzed: ANALYZE (an empty table then says 0 rows).
      expect(await dagRunsSql.analyzeTaskTablesIfOutgrown(own.pool, 1000)).toBe(true);
      expect(await estimate()).toBe(0);
      // Statistics of a table with 1,000,000 rows (set by hand: ANALYZE would make them 0 again).
      await own.pool.query("UPDATE pg_class SET reltuples = 1000000 WHERE oid = 'task_instance'::regclass");
      expect(await dagRunsSql.analyzeTaskTablesIfOutgrown(own.pool, 5000)).toBe(false);
      expect(await estimate()).toBe(1_000_000);
      // A run of more than a tenth of the table: ANALYZE.
      expect(await dagRunsSql.analyzeTaskTablesIfOutgrown(own.pool, 200_000)).toBe(true);
      expect(await estimate()).toBe(0);
    } finally {
      await own.drop();
    }
  });
});
