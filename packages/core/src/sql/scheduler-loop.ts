/**
 * The leading scheduler's loop timings (table scheduler_loop): written by the scheduler every few
 * seconds, read by the monitor for /metrics. One row per step, overwritten with the counts since
 * that scheduler started.
 */
import type { Queryable } from '../db/types.js';
import { query, rows } from './query.js';
import { SCHEDULER_LEADER_LOCK } from './scheduler-lock.js';

/** Upper bounds (seconds) of the loop-time histogram buckets; `+Inf` is `runs`. */
export const SCHEDULER_LOOP_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const;

export interface LoopStepTimings {
  step: string;
  runs: number;
  totalMs: number;
  lastMs: number;
  /** Cumulative: buckets[i] = runs that took at most SCHEDULER_LOOP_BUCKETS_S[i] seconds. */
  buckets: number[];
}

/** Overwrites the rows of `steps` with this scheduler's counts since `startedAt`. */
export async function recordLoopTimings(db: Queryable, hostname: string, startedAt: Date, steps: readonly LoopStepTimings[]): Promise<void> {
  if (steps.length === 0) return;
  await query(db, 'recordLoopTimings',
    `INSERT INTO scheduler_loop (step, hostname, started_at, runs, total_ms, last_ms, buckets, updated_at)
     SELECT x.step, $1, $2, x.runs, x.total_ms, x.last_ms, ARRAY(SELECT jsonb_array_elements_text(x.buckets)::bigint), now()
     FROM jsonb_to_recordset($3::jsonb) AS x(step text, runs bigint, total_ms float8, last_ms float8, buckets jsonb)
     ON CONFLICT (step) DO UPDATE SET hostname = EXCLUDED.hostname, started_at = EXCLUDED.started_at, runs = EXCLUDED.runs,
       total_ms = EXCLUDED.total_ms, last_ms = EXCLUDED.last_ms, buckets = EXCLUDED.buckets, updated_at = now()`,
    [hostname, startedAt, JSON.stringify(steps.map((s) => ({ step: s.step, runs: s.runs, total_ms: s.totalMs, last_ms: s.lastMs, buckets: s.buckets })))]);
}

export interface StoredLoopTimings extends LoopStepTimings {
  hostname: string;
  /** Milliseconds since the row was written (database clock). */
  ageMs: number;
}

/** Every step's timings, by step. */
export async function loopTimings(db: Queryable): Promise<StoredLoopTimings[]> {
  const result = await rows<{ step: string; hostname: string; runs: string; total_ms: number; last_ms: number; buckets: string[]; age_ms: number }>(db, 'loopTimings',
    `SELECT step, hostname, runs, total_ms, last_ms, buckets, (EXTRACT(EPOCH FROM now() - updated_at) * 1000)::float8 AS age_ms
     FROM scheduler_loop ORDER BY step`);
  return result.map((r) => ({
    step: r.step, hostname: r.hostname, runs: Number(r.runs), totalMs: r.total_ms, lastMs: r.last_ms, buckets: r.buckets.map(Number), ageMs: r.age_ms,
  }));
}

export interface SchedulerHeartbeat {
  /** A scheduler session holds the leader lock now (a scheduler leads: its process and connection are alive). */
  leaderPresent: boolean;
  /** When the leading scheduler's loop last recorded its timings (every few seconds while it runs); null: never. */
  latest: Date | null;
  /** Milliseconds since `latest` (database clock); null: never. */
  ageMs: number | null;
}

/**
 * Is a scheduler running? The leader lock's holder (pg_locks: a bigint advisory key shows as
 * classid 0, objid the key, objsubid 1) and the age of its loop's last write, in one read.
 */
export async function schedulerHeartbeat(db: Queryable): Promise<SchedulerHeartbeat> {
  const [r] = await rows<{ leader: boolean; latest: Date | null; age_ms: number | null }>(db, 'schedulerHeartbeat',
    `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = 0 AND objid = $1 AND objsubid = 1
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())) AS leader,
       l.latest, (EXTRACT(EPOCH FROM now() - l.latest) * 1000)::float8 AS age_ms
     FROM (SELECT max(updated_at) AS latest FROM scheduler_loop) l`, [SCHEDULER_LEADER_LOCK]);
  return { leaderPresent: r!.leader, latest: r!.latest, ageMs: r!.age_ms };
}
