/**
 * A wide fan-in through the engine, against a real PostgreSQL: the join of 40 upstreams stays
 * waiting until the last one succeeds (each success only asks whether another upstream is still
 * unfinished, which the finish statement itself answers while another upstream is queued or
 * running), and a failure among them still decides the join at once.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { attemptsSql, taskInstancesSql } from '@updraft/core';
import { SchedulerEngine } from '@updraft/scheduler';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';
import { attemptOf, claim, makeDag, RecordingPublisher, report, silentLogger, storeDag, tiStates } from './engine-support.js';


/** Wider than any run here: every instance is published, and the tests claim them by hand (the backlog has its own suite). */
const WIDE_WINDOW = 1000;

let db: TestDatabase;
let publisher: RecordingPublisher;
let engine: SchedulerEngine;

beforeEach(async () => {
  db = await createTestDatabase();
  publisher = new RecordingPublisher();
  engine = new SchedulerEngine({ pool: db.pool, publisher, logger: silentLogger, tickIntervalMs: 60_000, publishWindow: WIDE_WINDOW });
});

afterEach(async () => {
  await engine.stop();
  await db.drop();
});

const WIDTH = 40;
const ups = Array.from({ length: WIDTH }, (_, i) => `up_${String(i).padStart(2, '0')}`);

async function start(dagId: string, joinRule: 'all_success' | 'none_failed_min_one_success'): Promise<string> {
  await storeDag(db.pool, makeDag({
    dagId,
    tasks: [...ups.map((taskId) => ({ taskId })), { taskId: 'join', upstream: ups, triggerRule: joinRule }],
  }));
  await db.pool.query('UPDATE dag SET max_active_tasks = 100 WHERE dag_id = $1', [dagId]);
  const { runId } = await engine.triggerDagRun({ dagId, logicalDate: new Date('2024-05-01T00:00:00Z') });
  expect(publisher.messages).toHaveLength(WIDTH);
  for (const m of publisher.messages) await claim(engine, m);
  return runId;
}

it('the join waits for the last of 40 upstream successes, then is queued', async () => {
  const runId = await start('fan_in_all', 'all_success');
  const [last, ...rest] = [...publisher.messages].reverse();
  // Concurrent reports, as many workers would send them.
  await Promise.all(rest.map((m) => report(engine, m, true)));
  expect((await tiStates(db.pool, runId)).join).toBe('none');
  await report(engine, last!, true);
  expect((await tiStates(db.pool, runId)).join).toBe('queued');
  expect(publisher.forTask('join')).toHaveLength(1);
});

it('an unfinished instance of a task no longer in the DAG does not hold the join back', async () => {
  const runId = await start('fan_in_gone', 'all_success');
  // As left by an earlier version of the DAG: in neither the upstream list nor the rest of the DAG.
  await db.pool.query(
    `INSERT INTO task_instance (dag_id, run_id, task_id, map_index, dag_run_id, state, operator)
     SELECT dag_id, run_id, 'gone', -1, dag_run_id, 'running', operator FROM task_instance WHERE run_id = $1 AND task_id = 'join'`, [runId]);
  const [last, ...rest] = [...publisher.messages].reverse();
  await Promise.all(rest.map((m) => report(engine, m, true)));
  expect((await tiStates(db.pool, runId)).join).toBe('none');
  await report(engine, last!, true);
  expect((await tiStates(db.pool, runId)).join).toBe('queued');
});

it('a failed upstream decides an all_success join at once; none_failed_min_one_success waits and then fails too', async () => {
  const runId = await start('fan_in_fail', 'all_success');
  await report(engine, publisher.messages[0]!, false);
  expect((await tiStates(db.pool, runId)).join).toBe('upstream_failed');
  await engine.stop();
  const runId2 = await (async () => {
    publisher.messages.length = 0;
    engine = new SchedulerEngine({ pool: db.pool, publisher, logger: silentLogger, tickIntervalMs: 60_000, publishWindow: WIDE_WINDOW });
    return start('fan_in_none_failed', 'none_failed_min_one_success');
  })();
  const [first, ...rest] = publisher.messages;
  await report(engine, first!, false);
  await Promise.all(rest.map((m) => report(engine, m, true)));
  expect((await tiStates(db.pool, runId2)).join).toBe('upstream_failed');
});

it('probes of several runs asked in one statement each get their own answer', async () => {
  const runA = await start('fan_in_probe_a', 'all_success');
  publisher.messages.length = 0;
  const runB = await start('fan_in_probe_b', 'all_success');
  const idOf = async (dagId: string, runId: string): Promise<string> =>
    String((await db.pool.query<{ id: string }>('SELECT id FROM dag_run WHERE dag_id = $1 AND run_id = $2', [dagId, runId])).rows[0]!.id);
  const probes = [
    { dagRunId: await idOf('fan_in_probe_a', runA), except: [...ups.filter((u) => u !== 'up_05'), 'join'], limit: 64 },
    { dagRunId: await idOf('fan_in_probe_b', runB), except: ['join'], limit: 64 },
    { dagRunId: await idOf('fan_in_probe_b', runB), except: [...ups, 'join'], limit: 64 },
    { dagRunId: await idOf('fan_in_probe_b', runB), except: [], limit: 3 },
  ];
  const found = await taskInstancesSql.unfinishedExceptMany(db.pool, probes);
  expect(found[0]).toEqual(['up_05']);
  expect([...found[1]!].sort()).toEqual(ups);
  expect(found[2]).toEqual([]);
  expect(found[3]).toHaveLength(3);
});

it('a finish statement names a task outside the join\'s others still queued or running, and none once the last upstream ends', async () => {
  const runId = await start('fan_in_waits_on', 'all_success');
  const finish = async (i: number, joinOthers?: string[]) => {
    const m = publisher.messages[i]!;
    const [done] = await attemptsSql.finishAttempts(db.pool, [{
      ...attemptOf(m), success: true, exitCode: 0, error: null, durationMs: 1, returnValueJson: null, retryDelayMs: 0,
      ...(joinOthers === undefined ? {} : { joinOthers }),
    }]);
    return done!;
  };
  const first = await finish(0, ['join']);
  expect(first.state).toBe('success');
  expect(ups).toContain(first.joinWaitsOn);
  expect(first.joinWaitsOn).not.toBe(publisher.messages[0]!.key!.taskId);
  // Without the list the statement does not look.
  expect((await finish(1)).joinWaitsOn).toBeNull();
  // Every upstream but the last named as not holding the join back: only the last one is left.
  const last = publisher.messages[WIDTH - 1]!.key!.taskId;
  expect((await finish(2, [...ups.filter((u) => u !== last), 'join'])).joinWaitsOn).toBe(last);
  for (let i = 3; i < WIDTH - 1; i++) await finish(i);
  expect((await finish(WIDTH - 1, ['join'])).joinWaitsOn).toBeNull();
  expect((await tiStates(db.pool, runId)).join).toBe('none');
});
