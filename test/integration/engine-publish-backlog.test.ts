/**
 * The backlog of a wide run against a real PostgreSQL: only `publishWindow` of the task instances
 * it queues at once (a wide mapped task, a fan-out) are published; a claim of one publishes the
 * next waiting one; a report that offers its slot gets the next waiting one claimed for it (by the
 * report's own finish statement; a refused report sends the one it took out to the queue); an
 * engine that starts publishes what a previous one held back; an instance changed by hand
 * meanwhile is never run from the backlog; a backlog that stops moving publishes its next window.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskMessage } from '@updraft/core';
import { SchedulerEngine, type ReportAnswer } from '@updraft/scheduler';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';
import { attemptOf, claim, makeDag, RecordingPublisher, runState, silentLogger, storeDag } from './engine-support.js';

let db: TestDatabase;
let publisher: RecordingPublisher;
let engine: SchedulerEngine;

const WINDOW = 3;
const COUNT = 8;

beforeEach(async () => {
  db = await createTestDatabase();
  publisher = new RecordingPublisher();
  engine = newEngine(publisher);
});

afterEach(async () => {
  await engine.stop();
  await db.drop();
});

function newEngine(p: RecordingPublisher, stallMs = 60_000): SchedulerEngine {
  return new SchedulerEngine({ pool: db.pool, publisher: p, logger: silentLogger, tickIntervalMs: 60_000, publishWindow: WINDOW, publishBacklogStallMs: stallMs });
}

const mapped = makeDag({
  dagId: 'wide_map',
  tasks: [
    { taskId: 'each', bashCommand: 'echo {{ item }}', expand: { literal: Array.from({ length: COUNT }, (_, i) => `file-${i}`) } },
    { taskId: 'after', upstream: ['each'] },
  ],
});

function succeed(m: TaskMessage, offer: boolean): Promise<ReportAnswer> {
  return engine.reportTaskResult({
    workerId: 'w1', attempt: attemptOf(m), timedOut: false,
    outcome: { success: true, exitCode: 0, error: null, durationMs: 5, returnValueJson: null },
    ...(offer ? { handoff: { queues: ['default'], hostname: 'fast-host' } } : {}),
  });
}

const indexes = (ms: readonly TaskMessage[]): number[] => ms.map((m) => m.key.mapIndex);

async function states(runId: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ state: string }>(
    `SELECT state FROM task_instance WHERE run_id = $1 AND task_id = 'each' ORDER BY map_index`, [runId]);
  return rows.map((r) => r.state);
}

/** Records the names of the prepared statements run on the test pool until stop() (the statements still run). */
function recordStatementNames(): { seen: string[]; stop: () => void } {
  const seen: string[] = [];
  const pool = db.pool as unknown as { query: (...args: unknown[]) => unknown };
  const original = pool.query;
  pool.query = function (this: unknown, ...args: unknown[]) {
    const name = (args[0] as { name?: unknown } | null)?.name;
    if (typeof name === 'string') seen.push(name);
    return original.apply(this, args);
  };
  return { seen, stop: () => { pool.query = original; } };
}

async function trigger(): Promise<string> {
  await storeDag(db.pool, { ...mapped, maxActiveTasks: COUNT });
  return (await engine.triggerDagRun({ dagId: 'wide_map', logicalDate: new Date('2024-05-01T00:00:00Z') })).runId;
}

describe('backlog of a wide run', () => {
  it('publishes a window of the instances; all are queued; a claim publishes the next one', async () => {
    const runId = await trigger();
    expect(await states(runId)).toEqual(Array(COUNT).fill('queued'));
    expect(indexes(publisher.messages)).toEqual([0, 1, 2]);
    expect(engine.stats().backlogged).toBe(COUNT - WINDOW);
    await claim(engine, publisher.messages[1]!);
    expect(indexes(publisher.messages)).toEqual([0, 1, 2, 3]);
    expect(engine.stats().backlogged).toBe(COUNT - WINDOW - 1);
  });

  it('a report that offers its slot gets the next waiting instance, claimed for it and never published', async () => {
    const runId = await trigger();
    await claim(engine, publisher.messages[0]!);
    const answer = await succeed(publisher.messages[0]!, true);
    expect(answer.state).toBe('success');
    expect(answer.handoff?.message.key).toEqual({ dagId: 'wide_map', runId, taskId: 'each', mapIndex: 4 });
    expect(answer.handoff?.claim.spec).toMatchObject({ kind: 'bash', bashCommand: 'echo file-4' });
    expect((await states(runId))[4]).toBe('running');
    // 3 was published in place of the claimed 0; 4 went to the reporting worker.
    expect(indexes(publisher.messages)).toEqual([0, 1, 2, 3]);
    expect(engine.stats().backlogged).toBe(COUNT - WINDOW - 2);
    // A report without an offer takes nothing from the backlog.
    const plain = await succeed(answer.handoff!.message, false);
    expect(plain).toEqual({ state: 'success', handoff: null });
    expect(engine.stats().backlogged).toBe(COUNT - WINDOW - 2);
  });

  it('the own finish statement of a report claims the instance it hands off: no claim statement of its own', async () => {
    const runId = await trigger();
    await claim(engine, publisher.messages[0]!);
    const names = recordStatementNames();
    try {
      const answer = await succeed(publisher.messages[0]!, true);
      expect(answer.handoff?.message.key.mapIndex).toBe(4);
      expect(answer.handoff?.claim.logPath).toMatch(/task_id=each\/map_index=4\.attempt=1\.log$/);
    } finally {
      names.stop();
    }
    expect(names.seen.filter((n) => n.startsWith('updraft_finishAttempts'))).toHaveLength(1);
    expect(names.seen).not.toContain('updraft_claimAttempts');
    const { rows } = await db.pool.query<{ state: string; worker_id: string; log_path: string }>(
      `SELECT t.state, t.worker_id, t.log_path FROM task_instance_try t WHERE t.run_id = $1 AND t.task_id = 'each' AND t.map_index = 4`, [runId]);
    expect(rows).toEqual([{ state: 'running', worker_id: 'w1', log_path: expect.stringMatching(/task_id=each\/map_index=4\.attempt=1\.log$/) }]);
  });

  it('a refused report that offered its slot sends the instance it took out to the queue (nothing waits forever)', async () => {
    const runId = await trigger();
    await claim(engine, publisher.messages[0]!);
    const stale = { ...publisher.messages[0]!, attemptToken: '00000000-0000-4000-8000-000000000000' };
    await expect(succeed(stale, true)).rejects.toThrow(/another attempt token/);
    // 3 went out in place of the claimed 0; 4, taken for the refused report, went out too.
    expect(indexes(publisher.messages)).toEqual([0, 1, 2, 3, 4]);
    expect(engine.stats().backlogged).toBe(COUNT - WINDOW - 2);
    expect((await states(runId))[4]).toBe('queued');
  });

  it('runs every instance and the task after them through claims and hand-offs', async () => {
    const runId = await trigger();
    const ran: string[] = [];
    for (let i = 0; i < publisher.messages.length; i++) {
      const m = publisher.messages[i]!;
      await claim(engine, m);
      ran.push(`${m.key.taskId}[${m.key.mapIndex}]`);
      let answer = await succeed(m, true);
      while (answer.handoff !== null) {
        ran.push(`${answer.handoff.message.key.taskId}[${answer.handoff.message.key.mapIndex}]`);
        answer = await succeed(answer.handoff.message, true);
      }
    }
    // 0 then the backlog by hand-offs (4..7), the published 1, 2, 3, then the task after them.
    expect(ran).toEqual(['each[0]', 'each[4]', 'each[5]', 'each[6]', 'each[7]', 'each[1]', 'each[2]', 'each[3]', 'after[-1]']);
    expect(publisher.messages.map((m) => `${m.key.taskId}[${m.key.mapIndex}]`)).toEqual(['each[0]', 'each[1]', 'each[2]', 'each[3]', 'after[-1]']);
    expect(await states(runId)).toEqual(Array(COUNT).fill('success'));
    expect(await runState(db.pool, 'wide_map', runId)).toBe('success');
    expect(engine.stats().backlogged).toBe(0);
  });

  it('an engine that starts publishes the instances a previous one held back (a window, the rest in its own backlog)', async () => {
    const runId = await trigger();
    await engine.stop();
    const second = new RecordingPublisher();
    engine = newEngine(second);
    await engine.start();
    // Queued instances are republished oldest first, in map-index order, a window at a time.
    expect(indexes(second.messages)).toEqual([0, 1, 2]);
    expect(engine.stats().backlogged).toBe(COUNT - WINDOW);
    await claim(engine, second.messages[2]!);
    expect(indexes(second.messages)).toEqual([0, 1, 2, 3]);
    expect(await states(runId)).toEqual(['queued', 'queued', 'running', ...Array(COUNT - 3).fill('queued')]);
  });

  it('a waiting instance changed by hand meanwhile is not handed off (the claim is refused)', async () => {
    const runId = await trigger();
    await db.pool.query(`UPDATE task_instance SET state = 'success' WHERE run_id = $1 AND task_id = 'each' AND map_index = 3`, [runId]);
    await claim(engine, publisher.messages[0]!);
    // 3 was published in place of 0 (a stale message: its claim is refused like any other).
    await expect(claim(engine, publisher.messages[3]!)).rejects.toThrow(/is success/);
    const answer = await succeed(publisher.messages[0]!, true);
    expect(answer.handoff?.message.key.mapIndex).toBe(4);
    await db.pool.query(`UPDATE task_instance SET state = 'success' WHERE run_id = $1 AND task_id = 'each' AND map_index = 5`, [runId]);
    const refused = await succeed(answer.handoff!.message, true);
    expect(refused).toEqual({ state: 'success', handoff: null });
    expect((await states(runId))[5]).toBe('success');
  });

  it('a backlog nothing was taken from for the stall time publishes its next window, skipping instances no longer queued', async () => {
    await engine.stop();
    engine = newEngine(publisher, 50);
    const runId = await trigger();
    await db.pool.query(`UPDATE task_instance SET state = 'success' WHERE run_id = $1 AND task_id = 'each' AND map_index = 4`, [runId]);
    await new Promise((resolve) => setTimeout(resolve, 80));
    await engine.tick();
    expect(indexes(publisher.messages)).toEqual([0, 1, 2, 3, 5]);
    expect(engine.stats().backlogged).toBe(COUNT - 2 * WINDOW);
  });

  it('a wide fan-out: a window published, one task handed to the reporting worker, the rest through hand-offs', async () => {
    const fan = makeDag({
      dagId: 'wide_fan',
      tasks: [{ taskId: 'root' }, ...Array.from({ length: 6 }, (_, i) => ({ taskId: `t${i}`, upstream: ['root'] })),
        { taskId: 'join', upstream: ['t0', 't1', 't2', 't3', 't4', 't5'] }],
    });
    await storeDag(db.pool, fan);
    const { runId } = await engine.triggerDagRun({ dagId: 'wide_fan', logicalDate: new Date('2024-05-01T00:00:00Z') });
    await claim(engine, publisher.messages[0]!);
    const first = await succeed(publisher.messages[0]!, true);
    // One ready task is held for the reporting worker (chain fast path), a window of the others published.
    expect(first.handoff?.message.key.taskId).toBe('t0');
    expect(publisher.messages.map((m) => m.key.taskId)).toEqual(['root', 't1', 't2', 't3']);
    expect(engine.stats().backlogged).toBe(2);
    const second = await succeed(first.handoff!.message, true);
    expect(second.handoff?.message.key.taskId).toBe('t4');
    await claim(engine, publisher.messages[1]!);
    expect(publisher.messages.map((m) => m.key.taskId)).toEqual(['root', 't1', 't2', 't3', 't5']);
    expect(engine.stats().backlogged).toBe(0);
    await succeed(second.handoff!.message, false);
    await succeed(publisher.messages[1]!, false);
    for (const m of publisher.messages.slice(2)) {
      await claim(engine, m);
      await succeed(m, false);
    }
    const join = publisher.forTask('join', runId);
    expect(join).toHaveLength(1);
    await claim(engine, join[0]!);
    await succeed(join[0]!, false);
    expect(await runState(db.pool, 'wide_fan', runId)).toBe('success');
  });
});
