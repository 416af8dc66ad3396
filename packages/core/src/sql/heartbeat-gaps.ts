/**
 * The heartbeat history (worker_heartbeat_minute, written by workers.recordHeartbeat): per worker
 * and minute, how many heartbeats arrived and the largest gap before one of them. Read by the
 * monitor's worker charts; old minutes are deleted by the leading scheduler's daily retention.
 */
import type { Queryable } from '../db/types.js';
import { query, rows } from './query.js';

/** One bucket of a worker's heartbeat history. */
export interface HeartbeatGapPoint {
  /** Start of the bucket. */
  at: Date;
  /** Heartbeats received in the bucket. */
  beats: number;
  /** The largest time between one of them and the heartbeat before it. */
  maxGapMs: number;
}

/** A worker's heartbeat history over the last `windowMs`, in buckets of `bucketSeconds` (a multiple of 60); empty buckets are missing. */
export async function heartbeatGapSeries(db: Queryable, workerName: string, windowMs: number, bucketSeconds: number): Promise<HeartbeatGapPoint[]> {
  const result = await rows<{ at: Date; beats: number; max_gap_ms: number }>(db, 'heartbeatGapSeries',
    `SELECT to_timestamp(floor(EXTRACT(EPOCH FROM minute) / $3) * $3) AS at, sum(beats)::int AS beats, max(max_gap_ms) AS max_gap_ms
     FROM worker_heartbeat_minute
     WHERE worker_name = $1 AND minute >= date_trunc('minute', now() - $2::float8 * interval '1 millisecond')
     GROUP BY 1 ORDER BY 1`, [workerName, windowMs, bucketSeconds]);
  return result.map((r) => ({ at: r.at, beats: r.beats, maxGapMs: r.max_gap_ms }));
}

/** Deletes the heartbeat history older than `olderThanMs`; returns how many minute rows went. */
export async function pruneHeartbeatGaps(db: Queryable, olderThanMs: number): Promise<number> {
  const result = await query(db, 'pruneHeartbeatGaps',
    `DELETE FROM worker_heartbeat_minute WHERE minute < now() - $1::float8 * interval '1 millisecond'`, [olderThanMs]);
  return result.rowCount ?? 0;
}
