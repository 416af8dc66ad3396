/**
 * The monitor's task feed against a real PostgreSQL: a statement that writes more tries than a
 * page at one moment is read page by page (no read returns more than a page) and every stage of
 * every try is emitted exactly once, also after the feed has forgotten the oldest tries it
 * remembered and after reads that look back the whole window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskFeed, type TaskEvent } from '../../packages/monitor/src/live/task-feed.js';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';

let db: TestDatabase;
let feed: TaskFeed | undefined;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`INSERT INTO dag (dag_id, fileloc) VALUES ('feed', 'feed.ts')`);
  await db.pool.query(`INSERT INTO dag_run (dag_id, run_id, run_type, state, logical_date) VALUES
    ('feed', 'r1', 'manual', 'running', '2024-01-01'), ('feed', 'r2', 'manual', 'running', '2024-01-02')`);
}, 120_000);

afterAll(async () => {
  await feed?.close();
  await db?.drop();
});

/** One statement: `n` finished tries of run `runId`, all at the statement's moment. */
const writeTries = (runId: string, n: number): Promise<unknown> => db.pool.query(`WITH ti AS (
    INSERT INTO task_instance (dag_run_id, dag_id, run_id, task_id, state, try_number, operator, queued_at, started_at, ended_at, duration_ms)
    SELECT dr.id, 'feed', dr.run_id, 't' || t, 'success', 1, 'bash', now(), now(), now(), 5
    FROM dag_run dr, generate_series(1, $2::int) t WHERE dr.run_id = $1 RETURNING *)
  INSERT INTO task_instance_try (dag_id, run_id, task_id, map_index, try_number, state, queued_at, started_at, ended_at, duration_ms, hostname)
  SELECT dag_id, run_id, task_id, map_index, 1, 'success', queued_at, started_at, ended_at, duration_ms, 'host' FROM ti`, [runId, n]);

describe('task feed', () => {
  it('reads a moment holding more tries than a page page by page, emitting each stage once', async () => {
    const batch = 100;
    const pages: number[] = [];
    const seen = new Map<string, number>();
    feed = new TaskFeed({
      db: db.pool, refreshIntervalMs: 50, batch, maxRemembered: 250, fullLookBackEveryMs: 100,
      onEvents: (events: TaskEvent[]) => {
        pages.push(events.length);
        for (const e of events) {
          const key = `${e.runId}/${e.taskId}/${e.tryNumber}/${e.event}`;
          seen.set(key, (seen.get(key) ?? 0) + 1);
        }
      },
    });
    await feed.start();
    const settle = async (emitted: number): Promise<void> => {
      const deadline = Date.now() + 60_000;
      while (feed!.emitted < emitted && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      // Several more reads, full look-backs among them: nothing is emitted twice.
      for (let i = 0; i < 5; i++) {
        await new Promise((r) => setTimeout(r, 150));
        feed!.poke();
        await feed!.idle();
      }
    };

    await writeTries('r1', 1000);
    await settle(3000);
    expect(feed.emitted).toBe(3000);
    await writeTries('r2', 500);
    await settle(4500);
    expect(feed.emitted).toBe(4500);

    expect(seen.size).toBe(4500);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(seen.get('r2/t500/1/succeeded')).toBe(1);
    // A page of `batch` tries yields at most 3 events each.
    expect(Math.max(...pages)).toBeLessThanOrEqual(3 * batch);
  }, 120_000);
});
