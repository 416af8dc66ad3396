/**
 * SchedulerEngine against a real PostgreSQL: queueing, claims, reports, the event-driven
 * downstream path, retries, fencing of stale attempts, publish repair, and the finish statement's
 * variants (a batch mixing inputs with and without effects records each one's, and only those).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attemptsSql, clearSql, dagDeleteSql, isUpdraftError, taskMessageId, type TaskMessage } from '@updraft/core';
import { SchedulerEngine } from '@updraft/scheduler';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';
import { attemptOf, claim, makeDag, RecordingPublisher, report, run, runState, silentLogger, storeDag, tiStates } from './engine-support.js';

let db: TestDatabase;
let publisher: RecordingPublisher;
let engine: SchedulerEngine;

beforeEach(async () => {
  db = await createTestDatabase();
  publisher = new RecordingPublisher();
  engine = new SchedulerEngine({ pool: db.pool, publisher, logger: silentLogger, tickIntervalMs: 60_000 });
});

afterEach(async () => {
  await engine.stop();
  await db.drop();
});

async function expectCode(p: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  try {
    await p;
  } catch (err) {
    expect(isUpdraftError(err) ? err.code : err).toBe(code);
    if (message) expect((err as Error).message).toMatch(message);
    return;
  }
  throw new Error(`expected ${code}`);
}

const chain = makeDag({
  dagId: 'chain',
  params: { greeting: 'hi' },
  tasks: [
    { taskId: 'extract', bashCommand: 'echo {{ ds }} {{ params.greeting }} {{ dag_run.conf.who }} {{ run_id }}', env: { DAY: '{{ ds_nodash }}' } },
    { taskId: 'transform', kind: 'function', upstream: ['extract'] },
    { taskId: 'load', upstream: ['transform'] },
  ],
});

describe('trigger, claim and report', () => {
  it('queues and publishes the root tasks of a triggered run, database first', async () => {
    await storeDag(db.pool, chain);
    const created = await engine.triggerDagRun({ dagId: 'chain', logicalDate: new Date('2024-05-01T00:00:00Z'), conf: { who: 'ops' } });
    expect(created).toMatchObject({ runId: 'manual__2024-05-01T00:00:00+00:00', runType: 'manual', state: 'running' });
    expect(publisher.messages).toHaveLength(1);
    const m = publisher.messages[0]!;
    expect(m.key).toEqual({ dagId: 'chain', runId: created.runId, taskId: 'extract', mapIndex: -1 });
    expect(m.tryNumber).toBe(1);
    expect(taskMessageId(m)).toBe(`chain/${created.runId}/extract/-1/1/${m.attemptToken}`);
    const { rows } = await db.pool.query(
      `SELECT ti.state, ti.attempt_token::text AS token, t.state AS try_state FROM task_instance ti
       JOIN task_instance_try t USING (dag_id, run_id, task_id, map_index) WHERE ti.task_id = 'extract'`);
    expect(rows).toEqual([{ state: 'queued', token: m.attemptToken, try_state: 'queued' }]);
    expect(await tiStates(db.pool, created.runId)).toEqual({ extract: 'queued', load: 'none', transform: 'none' });
  });

  it('claims with a rendered spec, and a success queues the downstream within the same call', async () => {
    await storeDag(db.pool, chain);
    const created = await engine.triggerDagRun({ dagId: 'chain', logicalDate: new Date('2024-05-01T00:00:00Z'), conf: { who: 'ops' } });
    const res = await claim(engine, publisher.messages[0]!);
    expect(res.spec).toMatchObject({
      kind: 'bash',
      bashCommand: `echo 2024-05-01 hi ops ${created.runId}`,
      env: { DAY: '20240501' },
      dagFile: { fileloc: 'chain.ts', fileHash: chain.fileHash },
      maxTries: 1,
    });
    expect(res.context).toMatchObject({ ds: '2024-05-01', dsNodash: '20240501', runId: created.runId, timezone: 'UTC' });
    expect(res.context.conf).toEqual({ who: 'ops' });
    expect(res.context.params).toEqual({ greeting: 'hi', who: 'ops' });
    expect(res.logPath).toBe(`dag_id=chain/run_id=${created.runId}/task_id=extract/attempt=1.log`);
    expect((await tiStates(db.pool, created.runId)).extract).toBe('running');

    const answer = await report(engine, publisher.messages[0]!, true);
    expect(answer.state).toBe('success');
    // No tick, no timer: the report itself queued and published the downstream task.
    expect(publisher.messages.map((m) => m.key!.taskId)).toEqual(['extract', 'transform']);
    expect(await tiStates(db.pool, created.runId)).toMatchObject({ extract: 'success', transform: 'queued', load: 'none' });

    await claim(engine, publisher.messages[1]!);
    await report(engine, publisher.messages[1]!, true, { returnValueJson: '{"rows":42}' });
    const xcom = await db.pool.query(`SELECT key, value FROM xcom WHERE task_id = 'transform'`);
    expect(xcom.rows).toEqual([{ key: 'return_value', value: { rows: 42 } }]);
    expect(await runState(db.pool, 'chain', created.runId)).toBe('running');
    expect(await run(engine, publisher.messages[2]!)).toBe('success');
    expect(await runState(db.pool, 'chain', created.runId)).toBe('success');
  });

  it('refuses a duplicate claim, a stale token, a report of an unclaimed attempt and unknown tasks', async () => {
    await storeDag(db.pool, chain);
    await engine.triggerDagRun({ dagId: 'chain', conf: { who: 'x' } });
    const m = publisher.messages[0]!;
    await expectCode(report(engine, m, true), 'STALE_ATTEMPT', /queued on try 1/);
    await expectCode(claim(engine, { ...m, attemptToken: '00000000-0000-4000-8000-000000000000' }), 'STALE_ATTEMPT', /another attempt token/);
    await expectCode(claim(engine, { ...m, attemptToken: 'not-a-uuid' }), 'STALE_ATTEMPT');
    await claim(engine, m);
    await expectCode(claim(engine, m, 'w2'), 'STALE_ATTEMPT', /running on try 1/);
    await expectCode(claim(engine, { ...m, key: { ...m.key!, taskId: 'nope' } }), 'TASK_NOT_FOUND');
    expect(await report(engine, m, true)).toEqual({ state: 'success' });
    await expectCode(report(engine, m, false), 'STALE_ATTEMPT', /success/);
    const { rows } = await db.pool.query(`SELECT state, worker_id FROM task_instance WHERE task_id = 'extract'`);
    expect(rows).toEqual([{ state: 'success', worker_id: 'w1' }]);
  });

  it('fails a claimed attempt whose template cannot be rendered, and tells the worker not to run it', async () => {
    await storeDag(db.pool, makeDag({ dagId: 'bad', tasks: [{ taskId: 'a', bashCommand: 'echo {{ params.missing }}' }, { taskId: 'b', upstream: ['a'] }] }));
    const created = await engine.triggerDagRun({ dagId: 'bad' });
    await expectCode(claim(engine, publisher.messages[0]!), 'STALE_ATTEMPT', /params\.missing/);
    expect(await tiStates(db.pool, created.runId)).toEqual({ a: 'failed', b: 'upstream_failed' });
    const { rows } = await db.pool.query(`SELECT error FROM task_instance WHERE task_id = 'a'`);
    expect(rows[0].error).toMatch(/could not start: .*params\.missing/);
    expect(await runState(db.pool, 'bad', created.runId)).toBe('failed');
  });
});

describe('retries', () => {
  const flaky = (retries: number) => makeDag({
    dagId: 'flaky',
    tasks: [{ taskId: 'flaky', retries, retryDelayMs: 0 }, { taskId: 'after', upstream: ['flaky'] }],
  });

  it('fails twice then succeeds with retries=2: success on try 3 with three try rows', async () => {
    await engine.start();
    await storeDag(db.pool, flaky(2));
    const created = await engine.triggerDagRun({ dagId: 'flaky' });
    for (let attempt = 1; attempt <= 2; attempt++) {
      const m = publisher.forTask('flaky')[attempt - 1]!;
      expect(m.tryNumber).toBe(attempt);
      expect(await run(engine, m, false)).toBe('up_for_retry');
      await publisher.waitFor(attempt + 1); // the retry timer queues and publishes the next try
    }
    const third = publisher.forTask('flaky')[2]!;
    expect(third.tryNumber).toBe(3);
    expect(new Set(publisher.forTask('flaky').map((m) => m.attemptToken)).size).toBe(3);
    expect(await run(engine, third, true)).toBe('success');
    expect(publisher.forTask('after')).toHaveLength(1);
    const tries = await db.pool.query(
      `SELECT try_number, state, log_path FROM task_instance_try WHERE task_id = 'flaky' ORDER BY try_number`);
    expect(tries.rows.map((r) => [r.try_number, r.state])).toEqual([[1, 'failed'], [2, 'failed'], [3, 'success']]);
    expect(tries.rows[2].log_path).toBe(`dag_id=flaky/run_id=${created.runId}/task_id=flaky/attempt=3.log`);
    const ti = await db.pool.query(`SELECT try_number, max_tries FROM task_instance WHERE task_id = 'flaky'`);
    expect(ti.rows[0]).toEqual({ try_number: 3, max_tries: 3 });
  });

  it('with retries=1 fails for good: downstream upstream_failed, run failed', async () => {
    await engine.start();
    await storeDag(db.pool, flaky(1));
    const created = await engine.triggerDagRun({ dagId: 'flaky' });
    expect(await run(engine, publisher.forTask('flaky')[0]!, false)).toBe('up_for_retry');
    await publisher.waitFor(2);
    expect(await run(engine, publisher.forTask('flaky')[1]!, false)).toBe('failed');
    expect(await tiStates(db.pool, created.runId)).toEqual({ after: 'upstream_failed', flaky: 'failed' });
    expect(publisher.forTask('after')).toHaveLength(0);
    expect(await runState(db.pool, 'flaky', created.runId)).toBe('failed');
  });

  it('waits the retry delay: a retry not yet due stays up_for_retry', async () => {
    await engine.start();
    await storeDag(db.pool, makeDag({ dagId: 'slow', tasks: [{ taskId: 's', retries: 1, retryDelayMs: 3_600_000 }] }));
    const created = await engine.triggerDagRun({ dagId: 'slow' });
    expect(await run(engine, publisher.messages[0]!, false)).toBe('up_for_retry');
    await engine.tick();
    expect(publisher.messages).toHaveLength(1);
    const { rows } = await db.pool.query(`SELECT next_retry_at > now() + interval '59 minutes' AS later FROM task_instance WHERE run_id = $1`, [created.runId]);
    expect(rows[0].later).toBe(true);
  });
});

describe('trigger rules through the engine', () => {
  it('runs a join after both branches, and an all_done cleanup after a failure; the cleanup, the only leaf, decides the run', async () => {
    await storeDag(db.pool, makeDag({
      dagId: 'diamond',
      tasks: [
        { taskId: 'start' },
        { taskId: 'left', upstream: ['start'] },
        { taskId: 'right', upstream: ['start'] },
        { taskId: 'join', upstream: ['left', 'right'] },
        { taskId: 'cleanup', upstream: ['join'], triggerRule: 'all_done' },
      ],
    }));
    const created = await engine.triggerDagRun({ dagId: 'diamond' });
    await run(engine, publisher.forTask('start')[0]!);
    expect(publisher.messages.map((m) => m.key!.taskId).sort()).toEqual(['left', 'right', 'start']);
    await run(engine, publisher.forTask('left')[0]!);
    expect(publisher.forTask('join')).toHaveLength(0);
    await run(engine, publisher.forTask('right')[0]!, false);
    expect(await tiStates(db.pool, created.runId)).toMatchObject({ join: 'upstream_failed', cleanup: 'queued' });
    await run(engine, publisher.forTask('cleanup')[0]!);
    // Airflow's rule: the leaves decide the run's state, not the failure before them.
    expect(await runState(db.pool, 'diamond', created.runId)).toBe('success');
  });

  it('finishes the run when the last task to end is upstream of a task that already ran (trigger rule always)', async () => {
    await storeDag(db.pool, makeDag({
      dagId: 'always',
      tasks: [{ taskId: 'slow' }, { taskId: 'watch', upstream: ['slow'], triggerRule: 'always' }],
    }));
    const created = await engine.triggerDagRun({ dagId: 'always' });
    expect(publisher.messages.map((m) => m.key!.taskId).sort()).toEqual(['slow', 'watch']);
    await run(engine, publisher.forTask('watch')[0]!);
    expect(await runState(db.pool, 'always', created.runId)).toBe('running');
    await run(engine, publisher.forTask('slow')[0]!);
    expect(publisher.messages).toHaveLength(2);
    expect(await runState(db.pool, 'always', created.runId)).toBe('success');
  });
});

describe('re-evaluation on request', () => {
  it('queues a task a person cleared in a running run', async () => {
    await storeDag(db.pool, makeDag({ dagId: 'pair', tasks: [{ taskId: 'a' }, { taskId: 'b' }, { taskId: 'c', upstream: ['a'] }] }));
    const created = await engine.triggerDagRun({ dagId: 'pair' });
    await run(engine, publisher.forTask('a')[0]!);
    await db.pool.query(`UPDATE task_instance SET state = NULL WHERE task_id = 'a'`);
    await engine.evaluateRun('pair', created.runId);
    expect(publisher.forTask('a').map((m) => m.tryNumber)).toEqual([1, 2]);
    await expect(engine.evaluateRun('pair', 'nope')).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
  });

  it('a clear in a running run leaves it running, and the next tick queues the cleared task (no notification needed)', async () => {
    await storeDag(db.pool, makeDag({ dagId: 'pair', tasks: [{ taskId: 'a' }, { taskId: 'b' }, { taskId: 'c', upstream: ['a'] }] }));
    const created = await engine.triggerDagRun({ dagId: 'pair' });
    await run(engine, publisher.forTask('a')[0]!);
    expect(await clearSql.clearTaskInstances(db.pool, 'pair', [{ runId: created.runId, taskId: 'a', mapIndex: -1, retries: 0 }])).toBe(1);
    // As in Airflow: only a finished run goes back to queued.
    expect(await runState(db.pool, 'pair', created.runId)).toBe('running');
    expect(publisher.forTask('a').map((m) => m.tryNumber)).toEqual([1]);
    // This engine does not LISTEN: the flag in the run's row brings it to the tick.
    await engine.tick();
    expect(publisher.forTask('a').map((m) => m.tryNumber)).toEqual([1, 2]);
    expect(await runState(db.pool, 'pair', created.runId)).toBe('running');
  });

  it('a clear in a finished run queues it again without its start and end dates, and the next start sets a new start date (as Airflow)', async () => {
    await storeDag(db.pool, makeDag({ dagId: 'solo', tasks: [{ taskId: 'only_task' }] }));
    const created = await engine.triggerDagRun({ dagId: 'solo' });
    await run(engine, publisher.forTask('only_task')[0]!);
    const dates = async () => (await db.pool.query<{ state: string; start_date: Date | null; end_date: Date | null }>(
      "SELECT state, start_date, end_date FROM dag_run WHERE dag_id = 'solo' AND run_id = $1", [created.runId])).rows[0]!;
    const ended = await dates();
    expect(ended.state).toBe('success');
    expect(ended.start_date).not.toBeNull();
    // The run's end schedules the DAG in the background (a max_active_runs slot opened): let that
    // finish first, or it may start the run the clear below queues before it is looked at.
    await expect.poll(() => engine.stats().inFlight, { timeout: 30_000, interval: 20 }).toBe(0);
    expect(await clearSql.clearTaskInstances(db.pool, 'solo', [{ runId: created.runId, taskId: 'only_task', mapIndex: -1, retries: 0 }])).toBe(1);
    // Before, the queued run kept its old start date (the UI showed it started before it was cleared).
    expect(await dates()).toEqual({ state: 'queued', start_date: null, end_date: null });
    await engine.tick();
    const again = await dates();
    expect(again.state).toBe('running');
    expect(again.start_date!.getTime()).toBeGreaterThan(ended.end_date!.getTime());
  });

  it('a run deleted while running and created again with the same run id renders with its own previous success', async () => {
    await storeDag(db.pool, makeDag({ dagId: 'again', tasks: [{ taskId: 'show', bashCommand: 'echo prev={{ prev_data_interval_start_success }}', retries: 1, retryDelayMs: 3_600_000 }] }));
    const at = new Date('2024-05-10T00:00:00Z');
    await engine.triggerDagRun({ dagId: 'again', runId: 'again_run', logicalDate: at });
    const first = publisher.forTask('show')[0]!;
    expect((await claim(engine, first)).spec.bashCommand).toBe('echo prev=');
    // Up for retry an hour later: the run stays running with nothing queued or running, so it can be deleted.
    expect((await report(engine, first, false)).state).toBe('up_for_retry');
    expect(await dagDeleteSql.deleteDagRun(db.pool, 'again', 'again_run')).toMatchObject({ outcome: 'deleted' });
    await engine.triggerDagRun({ dagId: 'again', runId: 'earlier_run', logicalDate: new Date('2024-05-05T00:00:00Z') });
    expect(await run(engine, publisher.forTask('show')[1]!)).toBe('success');
    await engine.triggerDagRun({ dagId: 'again', runId: 'again_run', logicalDate: at });
    // Before, the previous success read for the deleted run (none) was kept under its run id.
    expect((await claim(engine, publisher.forTask('show')[2]!)).spec.bashCommand).toBe('echo prev=2024-05-05T00:00:00.000Z');
  });
});

describe('publishing and repair', () => {
  it('retries a failed publish with the same token while the attempt is still queued', async () => {
    await storeDag(db.pool, chain);
    publisher.failNext = 1;
    await engine.triggerDagRun({ dagId: 'chain' });
    expect(publisher.messages).toHaveLength(0);
    expect(engine.stats().unpublished).toBe(1);
    await engine.tick();
    expect(publisher.messages).toHaveLength(1);
    const { rows } = await db.pool.query(`SELECT attempt_token::text AS t FROM task_instance WHERE task_id = 'extract'`);
    expect(publisher.messages[0]!.attemptToken).toBe(rows[0].t);
    expect(engine.stats().unpublished).toBe(0);
  });

  it('a new engine republishes queued attempts a crashed one never published, with the same token', async () => {
    await storeDag(db.pool, chain);
    publisher.drop = true; // "published" but lost: the process died between DB write and publish
    await engine.triggerDagRun({ dagId: 'chain' });
    const second = new RecordingPublisher();
    const restarted = new SchedulerEngine({ pool: db.pool, publisher: second, logger: silentLogger, tickIntervalMs: 60_000 });
    await restarted.start();
    await restarted.stop();
    const { rows } = await db.pool.query(`SELECT attempt_token::text AS t, try_number FROM task_instance WHERE task_id = 'extract'`);
    expect(second.messages.map((m) => [m.key!.taskId, m.tryNumber, m.attemptToken])).toEqual([['extract', 1, rows[0].t]]);
  });

  it('a new engine re-evaluates running runs: downstream of a task whose result was stored just before a crash gets queued', async () => {
    await storeDag(db.pool, chain);
    const created = await engine.triggerDagRun({ dagId: 'chain', conf: { who: 'x' } });
    await claim(engine, publisher.messages[0]!);
    // The crashed engine stored the result but never evaluated the downstream.
    await db.pool.query(`UPDATE task_instance SET state = 'success', ended_at = now() WHERE task_id = 'extract'`);
    const second = new RecordingPublisher();
    const restarted = new SchedulerEngine({ pool: db.pool, publisher: second, logger: silentLogger, tickIntervalMs: 60_000 });
    await restarted.start();
    await restarted.stop();
    expect(second.messages.map((m) => m.key!.taskId)).toEqual(['transform']);
    expect(await tiStates(db.pool, created.runId)).toMatchObject({ extract: 'success', transform: 'queued' });
  });
});

describe('workers', () => {
  it('registers, heartbeats with kill for attempts that are no longer current, drains, deregisters', async () => {
    await storeDag(db.pool, chain);
    const reg = await engine.registerWorker({
      workerName: 'w-a', hostname: 'host-a', queues: ['default'], concurrency: 4, version: '0.1.0', umask: '0022', uid: 1000, gid: 1000, pid: 42,
    });
    expect(reg.heartbeatIntervalMs).toBe(5000);
    await engine.triggerDagRun({ dagId: 'chain', conf: { who: 'x' } });
    const m = publisher.messages[0]!;
    await claim(engine, m, reg.workerId);
    const current = { ...m.key, tryNumber: 1, attemptToken: m.attemptToken, pid: 7 };
    const stale = { ...current, attemptToken: '11111111-1111-4111-8111-111111111111' };
    const hb = await engine.heartbeat({ workerId: reg.workerId, running: [current, stale], freeSlots: 2, load1: 0.5, load5: 0.4, load15: 0.3, processed: 3 });
    // The stale token's try is still running under the current token: the reason says so.
    expect(hb).toEqual({
      kill: [stale], killReasons: ['another attempt of this try holds the task instance now'], drain: false, concurrency: 0, queues: [], pause: false, controls: [],
    });
    const { rows } = await db.pool.query('SELECT state, free_slots, processed::int AS processed, hostname FROM worker WHERE worker_id = $1', [reg.workerId]);
    expect(rows[0]).toEqual({ state: 'online', free_slots: 2, processed: 3, hostname: 'host-a' });
    await db.pool.query(`UPDATE worker SET state = 'draining' WHERE worker_id = $1`, [reg.workerId]);
    expect((await engine.heartbeat({ workerId: reg.workerId, running: [], freeSlots: 4, load1: 0, load5: 0, load15: 0, processed: 3 })).drain).toBe(true);
    await engine.deregisterWorker(reg.workerId);
    expect((await db.pool.query('SELECT state FROM worker WHERE worker_name = $1', ['w-a'])).rows[0].state).toBe('offline');
    await expectCode(engine.heartbeat({ workerId: 'nobody', running: [], freeSlots: 0, load1: 0, load5: 0, load15: 0, processed: 0 }), 'WORKER_NOT_FOUND');
  });

  it('does not fence an attempt the worker listed before its claim landed (still queued, same token)', async () => {
    await storeDag(db.pool, chain);
    const reg = await engine.registerWorker({
      workerName: 'w-early', hostname: 'host-a', queues: ['default'], concurrency: 4, version: '0.1.0', umask: '0022', uid: 1000, gid: 1000, pid: 43,
    });
    await engine.triggerDagRun({ dagId: 'chain' });
    const m = publisher.messages[0]!;
    const pulled = { ...m.key, tryNumber: m.tryNumber, attemptToken: m.attemptToken, pid: 0 };
    const wrongTry = { ...pulled, tryNumber: m.tryNumber + 1 };
    const hb = await engine.heartbeat({ workerId: reg.workerId, running: [pulled, wrongTry], freeSlots: 3, load1: 0, load5: 0, load15: 0, processed: 0 });
    expect(hb.kill).toEqual([wrongTry]);
  });

  it('serves DAG files by content hash', async () => {
    await storeDag(db.pool, chain);
    const file = await engine.fetchDagFile(chain.fileHash);
    expect(file.fileloc).toBe('chain.ts');
    expect(file.content.toString()).toBe('// DAG chain\n');
    await expectCode(engine.fetchDagFile('nope'), 'DAG_NOT_FOUND');
  });
});

describe('the finish statement\'s variants (without a branch\'s skips, callbacks, alerts and asset events when no input has any)', () => {
  /** A run of three independent tasks a, b, c, all claimed by w1; their messages by task id. */
  async function claimedRun(dagId: string): Promise<{ runId: string; m: Record<string, TaskMessage> }> {
    await storeDag(db.pool, makeDag({ dagId, tasks: [{ taskId: 'a' }, { taskId: 'b' }, { taskId: 'c' }] }));
    const { runId } = await engine.triggerDagRun({ dagId, logicalDate: new Date('2024-05-01T00:00:00Z') });
    const m: Record<string, TaskMessage> = {};
    for (const msg of publisher.messages) {
      await claim(engine, msg);
      m[msg.key!.taskId] = msg;
    }
    return { runId, m };
  }

  const done = { success: true, exitCode: 0, error: null, durationMs: 1, returnValueJson: null, retryDelayMs: 0 };

  async function callbacksOf(runId: string): Promise<string[]> {
    const { rows } = await db.pool.query<{ r: string }>(
      `SELECT task_id || ':' || event AS r FROM callback_request WHERE run_id = $1 ORDER BY 1`, [runId]);
    return rows.map((x) => x.r);
  }

  it('a batch mixing inputs with and without effects records each one\'s effects, and only those', async () => {
    const { runId, m } = await claimedRun('finish_mixed');
    const out = await attemptsSql.finishAttempts(db.pool, [
      { ...attemptOf(m.a!), ...done },
      { ...attemptOf(m.b!), ...done, callbacks: ['onSuccess', 'onFailure'], skipTaskIds: [] },
      { ...attemptOf(m.c!), ...done, returnValueJson: '{"n":1}', outlets: [] },
    ]);
    expect(out.map((o) => o?.state)).toEqual(['success', 'success', 'success']);
    expect(out.map((o) => o?.assetQueuedDagIds)).toEqual([[], [], []]);
    expect(await callbacksOf(runId)).toEqual(['b:onSuccess']);
    const { rows: xcom } = await db.pool.query(`SELECT task_id, value FROM xcom WHERE run_id = $1`, [runId]);
    expect(xcom).toEqual([{ task_id: 'c', value: { n: 1 } }]);
    expect(await tiStates(db.pool, runId)).toEqual({ a: 'success', b: 'success', c: 'success' });
  });

  it('a batch without effects finishes its attempts alike: a success, a failure, a stale token left alone', async () => {
    const { runId, m } = await claimedRun('finish_lean');
    const out = await attemptsSql.finishAttempts(db.pool, [
      { ...attemptOf(m.a!), ...done },
      { ...attemptOf(m.b!), ...done, success: false, exitCode: 1, error: 'boom' },
      // A stale token: not current, nothing happens to c.
      { ...attemptOf(m.c!), ...done, attemptToken: '00000000-0000-4000-8000-000000000000' },
    ]);
    expect(out.map((o) => o?.state ?? null)).toEqual(['success', 'failed', null]);
    expect(out[0]!.runGoesOn).toBe(true);
    expect(await callbacksOf(runId)).toEqual([]);
    expect(await tiStates(db.pool, runId)).toEqual({ a: 'success', b: 'failed', c: 'running' });
    const { rows: tries } = await db.pool.query(
      `SELECT task_id, state, error FROM task_instance_try WHERE run_id = $1 ORDER BY task_id`, [runId]);
    expect(tries).toEqual([
      { task_id: 'a', state: 'success', error: null }, { task_id: 'b', state: 'failed', error: 'boom' }, { task_id: 'c', state: 'running', error: null },
    ]);
  });
});
