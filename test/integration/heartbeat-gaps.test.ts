/**
 * The heartbeat history against real PostgreSQL: recording heartbeats keeps one row per worker and
 * minute with the beat count and the largest gap since the previous heartbeat (a back-dated
 * previous heartbeat stands for a stalled worker); the series groups minutes into buckets; the
 * retention delete removes old minutes only.
 */
import { heartbeatGapsSql, workersSql } from '@updraft/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const registration = { hostname: 'h', queues: ['default'], concurrency: 2, version: '1', umask: '0022', uid: 1, gid: 1, pid: 1 };
const beat = (workerId: string): Promise<unknown> =>
  workersSql.recordHeartbeat(db.pool, { workerId, running: 0, freeSlots: 2, load1: 0, load5: 0, load15: 0, processed: 0 });

describe('heartbeat history', () => {
  it('keeps per minute the beats and the largest gap; the series buckets them; retention deletes old minutes', async () => {
    await workersSql.upsertWorker(db.pool, 'hb-1', { workerName: 'hb-worker', ...registration });
    await beat('hb-1');
    // The worker went silent for 90 s.
    await db.pool.query(`UPDATE worker SET last_heartbeat = now() - interval '90 seconds' WHERE worker_id = 'hb-1'`);
    await beat('hb-1');
    await beat('hb-1');
    const { rows } = await db.pool.query<{ worker_name: string; beats: number; max_gap_ms: number }>(
      'SELECT worker_name, beats, max_gap_ms FROM worker_heartbeat_minute');
    expect(rows.reduce((n, r) => n + r.beats, 0)).toBe(3);
    expect(rows.every((r) => r.worker_name === 'hb-worker')).toBe(true);
    const largest = Math.max(...rows.map((r) => r.max_gap_ms));
    expect(largest).toBeGreaterThanOrEqual(90_000);
    expect(largest).toBeLessThan(3_600_000);

    const hour = await heartbeatGapsSql.heartbeatGapSeries(db.pool, 'hb-worker', 3_600_000, 60);
    expect(hour.reduce((n, p) => n + p.beats, 0)).toBe(3);
    expect(Math.max(...hour.map((p) => p.maxGapMs))).toBe(largest);
    const day = await heartbeatGapsSql.heartbeatGapSeries(db.pool, 'hb-worker', 86_400_000, 1800);
    expect(day.reduce((n, p) => n + p.beats, 0)).toBe(3);
    expect(await heartbeatGapsSql.heartbeatGapSeries(db.pool, 'someone-else', 3_600_000, 60)).toEqual([]);
    // An unknown worker id records nothing.
    expect(await beat('nobody')).toBeNull();

    await db.pool.query(`INSERT INTO worker_heartbeat_minute (worker_name, minute, beats, max_gap_ms) VALUES ('hb-worker', date_trunc('minute', now() - interval '3 days'), 5, 100)`);
    expect(await heartbeatGapsSql.pruneHeartbeatGaps(db.pool, 2 * 86_400_000)).toBe(1);
    const left = await db.pool.query<{ n: number }>('SELECT sum(beats)::int AS n FROM worker_heartbeat_minute');
    expect(left.rows[0]!.n).toBe(3);
  });
});
