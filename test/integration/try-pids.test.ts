/**
 * Pids reported with heartbeats, against a real PostgreSQL: recorded on the running attempt's task
 * instance and try; rows another transaction holds (an attempt being finished) are skipped
 * instead of waited for, so a heartbeat never joins a deadlock with the batched finish.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tryDetailsSql } from '@updraft/core';
import { SchedulerEngine } from '@updraft/scheduler';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';
import { attemptOf, claim, makeDag, RecordingPublisher, silentLogger, storeDag } from './engine-support.js';

let db: TestDatabase;
let engine: SchedulerEngine;

beforeAll(async () => {
  db = await createTestDatabase();
  const publisher = new RecordingPublisher();
  engine = new SchedulerEngine({ pool: db.pool, publisher, logger: silentLogger, tickIntervalMs: 60_000 });
  await storeDag(db.pool, makeDag({ dagId: 'pids', tasks: [{ taskId: 'a' }, { taskId: 'b' }] }));
  await engine.triggerDagRun({ dagId: 'pids', logicalDate: new Date('2024-05-01T00:00:00Z') });
  for (const m of publisher.messages) await claim(engine, m);
  running = publisher.messages.map(attemptOf);
});

afterAll(async () => {
  await engine.stop();
  await db.drop();
});

let running: ReturnType<typeof attemptOf>[];

async function pids(): Promise<Record<string, [number | null, number | null]>> {
  const { rows } = await db.pool.query<{ task_id: string; ti: number | null; tt: number | null }>(
    `SELECT ti.task_id, ti.pid AS ti, tt.pid AS tt FROM task_instance ti
       JOIN task_instance_try tt USING (dag_id, run_id, task_id, map_index, try_number) WHERE ti.dag_id = 'pids'`);
  return Object.fromEntries(rows.map((r) => [r.task_id, [r.ti, r.tt]]));
}

it('skips a task instance another transaction holds, and records it once it is free', async () => {
  const [a, b] = [running.find((r) => r.taskId === 'a')!, running.find((r) => r.taskId === 'b')!];
  const holder = await db.pool.connect();
  try {
    await holder.query('BEGIN');
    await holder.query("SELECT 1 FROM task_instance WHERE dag_id = 'pids' AND task_id = 'a' FOR UPDATE");
    // Returns without waiting for the lock on a: only b gets its pid.
    await tryDetailsSql.recordRunningPids(db.pool, [{ ...a, pid: 111 }, { ...b, pid: 222 }]);
    expect(await pids()).toEqual({ a: [null, null], b: [222, 222] });
  } finally {
    await holder.query('ROLLBACK');
    holder.release();
  }
  await tryDetailsSql.recordRunningPids(db.pool, [{ ...a, pid: 111 }, { ...b, pid: 0 }, { ...b, attemptToken: 'not-a-token', pid: 5 }]);
  expect(await pids()).toEqual({ a: [111, 111], b: [222, 222] });
});
