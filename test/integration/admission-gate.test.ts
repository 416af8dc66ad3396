/**
 * The scheduler's admission gate (engine/admission.ts) against a real PostgreSQL: instances made
 * to wait outside the gate (retries that came due) while an admission statement runs are released
 * by the next statement, even when the running one, whose snapshot is older than them, says that
 * nothing waits. Before the fix such a retry stayed in state scheduled for good.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import pg from 'pg';
import { createMemoryQueue, dagRunsSql, silentLogger, taskInstancesOf } from '@updraft/core';
import { Admission } from '../../packages/scheduler/src/engine/admission.js';
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
