/**
 * The scheduler's admission gate (engine/admission.ts) against a real PostgreSQL: instances made
 * to wait outside the gate (retries that came due) while an admission statement runs are released
 * by the next statement, even when the running one, whose snapshot is older than them, says that
 * nothing waits (before the fix such a retry stayed in state scheduled for good); and the tick's
 * release of every pool, arriving while a task end is under way, does not take the place that end
 * freed before the tasks it made ready compete for it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import pg from 'pg';
import { createMemoryQueue, dagRunsSql, poolsSql, silentLogger, taskInstancesOf, type RunKey } from '@updraft/core';
import { Admission, type ReadyTaskSpec } from '../../packages/scheduler/src/engine/admission.js';
import { AttemptPublisher } from '../../packages/scheduler/src/engine/attempt-publisher.js';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';
import { makeDag, storeDag } from './engine-support.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

async function stateOf(taskId: string): Promise<string | null> {
  const { rows } = await db.pool.query<{ state: string | null }>("SELECT state FROM task_instance WHERE dag_id = 'gate' AND task_id = $1", [taskId]);
  return rows[0]!.state;
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

it('a retry made to wait while an admission statement runs is queued by the next one', { timeout: 60_000 }, async () => {
  const dag = makeDag({ dagId: 'gate', tasks: [{ taskId: 'x' }, { taskId: 'y' }] });
  const hash = await storeDag(db.pool, dag);
  const at = new Date(Date.UTC(2026, 0, 1));
  await dagRunsSql.insertDagRun(db.pool, {
    dagId: 'gate', runId: 'r1', runType: 'manual', logicalDate: at, dataIntervalStart: at, dataIntervalEnd: at, conf: {}, dagHash: hash,
    tasks: taskInstancesOf(dag),
  });
  const queue = createMemoryQueue();
  const gate = new Admission(db.pool, new AttemptPublisher(db.pool, queue, silentLogger), silentLogger);
  // A first release finds nothing waiting: the gate then believes none waits.
  await gate.release('all');
  expect(gate.mayWait).toBe(false);

  // x came due (as scheduleDueRetries leaves it), but its row is locked, so the statement that
  // releases it blocks, with a snapshot taken before y comes due.
  await db.pool.query("UPDATE task_instance SET state = 'scheduled' WHERE dag_id = 'gate' AND task_id = 'x'");
  const blocker = new pg.Client({ connectionString: db.url });
  await blocker.connect();
  try {
    await blocker.query('BEGIN');
    await blocker.query("SELECT 1 FROM task_instance WHERE dag_id = 'gate' AND task_id = 'x' FOR UPDATE");
    const first = gate.release({ pools: ['default_pool'], dags: ['gate'] }, true);
    await until('the admission statement to wait for the row lock', async () => {
      const { rows } = await db.pool.query<{ n: string }>(
        "SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()");
      return Number(rows[0]!.n) > 0;
    });
    // y comes due meanwhile; its release waits for the statement in flight.
    await db.pool.query("UPDATE task_instance SET state = 'scheduled' WHERE dag_id = 'gate' AND task_id = 'y'");
    const second = gate.release({ pools: ['default_pool'], dags: ['gate'] }, true);
    await blocker.query('COMMIT');
    await Promise.all([first, second]);
  } finally {
    await blocker.end();
  }
  expect(await stateOf('x')).toBe('queued');
  expect(await stateOf('y')).toBe('queued');
  await queue.close();
});

it('the tick\'s release of every pool waits for a task end under way: the place it freed goes first to what it made ready (the older run), then to the waiting', { timeout: 60_000 }, async () => {
  await poolsSql.savePools(db.pool, [{ pool: 'gate_one', slots: 1, description: null }]);
  const dag = makeDag({ dagId: 'sweep', tasks: [{ taskId: 'a', pool: 'gate_one' }, { taskId: 'b', pool: 'gate_one', upstream: ['a'] }].map((t) => ({ ...t, weightRule: 'absolute' as const })) });
  // Equal priorities ('absolute' weights): only the runs' logical dates order them.
  const hash = await storeDag(db.pool, dag);
  const runs: Record<string, RunKey> = {};
  for (const [runId, day] of [['older', 1], ['newer', 2]] as const) {
    const at = new Date(Date.UTC(2026, 0, day));
    runs[runId] = { dagId: 'sweep', runId, dagRunId: '' };
    runs[runId].dagRunId = (await dagRunsSql.insertDagRun(db.pool, {
      dagId: 'sweep', runId, runType: 'manual', logicalDate: at, dataIntervalStart: at, dataIntervalEnd: at, conf: {}, dagHash: hash,
      tasks: taskInstancesOf(dag),
    }))!;
  }
  const state = async (runId: string, taskId: string): Promise<string | null> => (await db.pool.query<{ state: string | null }>(
    "SELECT state FROM task_instance WHERE dag_id = 'sweep' AND run_id = $1 AND task_id = $2", [runId, taskId])).rows[0]!.state;
  const end = (runId: string, taskId: string) => db.pool.query(
    "UPDATE task_instance SET state = 'success' WHERE dag_id = 'sweep' AND run_id = $1 AND task_id = $2", [runId, taskId]);
  const spec = (taskId: string): ReadyTaskSpec => ({ taskId, kind: 'bash', pool: 'gate_one', poolSlots: 1 });
  const freed = { pools: ['gate_one'], dags: ['sweep'] };
  const queue = createMemoryQueue();
  const gate = new Admission(db.pool, new AttemptPublisher(db.pool, queue, silentLogger), silentLogger);
  expect((await gate.admit(runs.older!, [spec('a')])).map((q) => q.runId)).toEqual(['older']);
  expect(await gate.admit(runs.newer!, [spec('a')])).toEqual([]);
  expect(await state('newer', 'a')).toBe('scheduled');

  // older.a ends (its finish statement frees the slot); the tick sweeps before the end's evaluation
  // found b ready. Swept at once, the slot went to newer.a, which waited longer.
  const queued = await gate.whileFinishing(async () => {
    await end('older', 'a');
    await gate.sweep();
    expect(await state('newer', 'a')).toBe('scheduled');
    return gate.admit(runs.older!, [spec('b')], freed);
  });
  expect(queued.map((q) => `${q.runId}.${q.taskId}`)).toEqual(['older.b']);
  expect(await state('newer', 'a')).toBe('scheduled');

  // An end that makes nothing ready: the sweep held during it runs once it is done.
  await gate.whileFinishing(async () => {
    await end('older', 'b');
    await gate.sweep();
    expect(await state('newer', 'a')).toBe('scheduled');
  });
  await until('the held sweep to queue newer.a', async () => (await state('newer', 'a')) === 'queued');
  await queue.close();
});
