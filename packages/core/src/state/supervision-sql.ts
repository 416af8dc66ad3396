/**
 * Statements of fleet supervision (the scheduler's heartbeat, zombie and stuck-queued checks).
 * One statement per function; every change is a compare-and-set guarded by the state it leaves
 * (and, for attempts, by try number and attempt token), so supervision racing a worker's claim or
 * report can never move a task backwards: whoever comes second finds the row changed.
 * Ages are measured on the database clock (the clock heartbeats and queued_at were written with).
 */
import type { Queryable } from '../db/types.js';
import { isAttemptToken, type AttemptRef, type QueuedAttempt } from './task-instance-sql.js';

/** A worker that supervision just marked offline. */
export interface SilentWorker {
  workerId: string;
  workerName: string;
  hostname: string;
  lastHeartbeat: Date | null;
  /** How long it had been silent when it was marked offline. */
  silentMs: number;
}

/**
 * online|draining -> offline for every worker whose last heartbeat is older than `timeoutMs`.
 * Its reported load is cleared (it runs nothing the scheduler can count on).
 */
export async function markSilentWorkersOffline(db: Queryable, timeoutMs: number): Promise<SilentWorker[]> {
  const { rows } = await db.query<{
    worker_id: string; worker_name: string; hostname: string; last_heartbeat: Date | null; silent_ms: number | null;
  }>(
    `UPDATE worker SET state = 'offline', running = 0, free_slots = 0
     WHERE state <> 'offline' AND (last_heartbeat IS NULL OR last_heartbeat < now() - $1::float8 * interval '1 millisecond')
     RETURNING worker_id, worker_name, hostname, last_heartbeat,
       (EXTRACT(EPOCH FROM (now() - last_heartbeat)) * 1000)::float8 AS silent_ms`,
    [timeoutMs],
  );
  return rows.map((r) => ({
    workerId: r.worker_id, workerName: r.worker_name, hostname: r.hostname, lastHeartbeat: r.last_heartbeat,
    silentMs: r.silent_ms ?? timeoutMs,
  }));
}

/** A running attempt with what the worker table says about the worker that claimed it. */
export interface RunningAttemptRow extends AttemptRef {
  /** The worker id the claim recorded; null when supervision seized the attempt itself. */
  workerId: string | null;
  /** Host the claim recorded. */
  hostname: string | null;
  startedAt: Date | null;
  /** The claiming worker's row: null when that worker id is no longer registered (it registered again, or never was). */
  worker: {
    name: string;
    hostname: string;
    state: 'online' | 'draining' | 'offline';
    lastHeartbeat: Date | null;
    /** Milliseconds since its last heartbeat (database clock). */
    silentMs: number | null;
  } | null;
}

/** Every running attempt (oldest first, at most `limit`) joined with its worker's row. */
export async function runningAttempts(db: Queryable, limit: number): Promise<RunningAttemptRow[]> {
  const { rows } = await db.query<{
    dag_id: string; run_id: string; task_id: string; map_index: number; try_number: number; attempt_token: string;
    worker_id: string | null; hostname: string | null; started_at: Date | null; worker_name: string | null;
    worker_host: string | null; worker_state: 'online' | 'draining' | 'offline' | null; last_heartbeat: Date | null;
    silent_ms: number | null;
  }>(
    `SELECT ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number, ti.attempt_token::text AS attempt_token,
       ti.worker_id, ti.hostname, ti.started_at, w.worker_name, w.hostname AS worker_host, w.state AS worker_state,
       w.last_heartbeat, (EXTRACT(EPOCH FROM (now() - w.last_heartbeat)) * 1000)::float8 AS silent_ms
     FROM task_instance ti LEFT JOIN worker w ON w.worker_id = ti.worker_id
     WHERE ti.state = 'running'
     ORDER BY ti.started_at NULLS FIRST LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({
    dagId: r.dag_id, runId: r.run_id, taskId: r.task_id, mapIndex: r.map_index, tryNumber: r.try_number,
    attemptToken: r.attempt_token, workerId: r.worker_id, hostname: r.hostname, startedAt: r.started_at,
    worker: r.worker_name === null ? null : {
      name: r.worker_name, hostname: r.worker_host ?? '', state: r.worker_state!, lastHeartbeat: r.last_heartbeat,
      silentMs: r.silent_ms,
    },
  }));
}

/** A queued attempt that has waited longer than the queued timeout. */
export interface LongQueuedAttempt extends QueuedAttempt {
  requeueCount: number;
  lastRequeueReason: string | null;
  /** Milliseconds since it was queued (or last requeued), database clock. */
  queuedMs: number;
}

/** How many attempts per queue have been queued (or last requeued) more than `olderThanMs` ago. */
export async function longQueuedCounts(db: Queryable, olderThanMs: number): Promise<Map<string, number>> {
  const { rows } = await db.query<{ queue: string; n: number }>(
    `SELECT ti.queue, count(*)::int AS n FROM task_instance ti
     WHERE ti.state = 'queued' AND ti.queued_at < now() - $1::float8 * interval '1 millisecond'
     GROUP BY ti.queue`,
    [olderThanMs],
  );
  return new Map(rows.map((r) => [r.queue, r.n]));
}

/** Attempts of `queue` queued (or last requeued) more than `olderThanMs` ago, oldest first, at most `limit`. */
export async function longQueuedAttempts(db: Queryable, queue: string, olderThanMs: number, limit: number): Promise<LongQueuedAttempt[]> {
  const { rows } = await db.query<{
    dag_run_id: string; dag_id: string; run_id: string; task_id: string; map_index: number; try_number: number;
    attempt_token: string; queue: string; priority_weight: number; requeue_count: number; last_requeue_reason: string | null;
    queued_ms: number;
  }>(
    `SELECT ti.dag_run_id, ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number, ti.attempt_token::text AS attempt_token,
       ti.queue, ti.priority_weight, ti.requeue_count, ti.last_requeue_reason,
       (EXTRACT(EPOCH FROM (now() - ti.queued_at)) * 1000)::float8 AS queued_ms
     FROM task_instance ti
     WHERE ti.state = 'queued' AND ti.queue = $1 AND ti.queued_at < now() - $2::float8 * interval '1 millisecond'
     ORDER BY ti.queued_at LIMIT $3`,
    [queue, olderThanMs, limit],
  );
  return rows.map((r) => ({
    dagRunId: String(r.dag_run_id), dagId: r.dag_id, runId: r.run_id, taskId: r.task_id, mapIndex: r.map_index,
    tryNumber: r.try_number, attemptToken: r.attempt_token, queue: r.queue, priorityWeight: r.priority_weight,
    requeueCount: r.requeue_count, lastRequeueReason: r.last_requeue_reason, queuedMs: r.queued_ms,
  }));
}

/** What the live workers of one queue last said about their capacity. */
export interface QueueCapacity {
  /** Online workers serving the queue (draining and offline ones take no new work). */
  workers: number;
  /** Sum of their free slots (a worker serving several queues counts for each). */
  freeSlots: number;
}

/**
 * Capacity per queue served by at least one live worker (online, heartbeat within `liveWithinMs`);
 * a queue missing from the map has no live worker.
 */
export async function queueCapacities(db: Queryable, liveWithinMs: number): Promise<Map<string, QueueCapacity>> {
  const { rows } = await db.query<{ queue: string; workers: number; free_slots: number }>(
    `SELECT q.queue, count(*)::int AS workers, coalesce(sum(greatest(coalesce(w.free_slots, 0), 0)), 0)::int AS free_slots
     FROM worker w CROSS JOIN LATERAL unnest(w.queues) AS q(queue)
     WHERE w.state = 'online' AND w.last_heartbeat >= now() - $1::float8 * interval '1 millisecond'
     GROUP BY q.queue`,
    [liveWithinMs],
  );
  return new Map(rows.map((r) => [r.queue, { workers: r.workers, freeSlots: r.free_slots }]));
}

/** A requeued attempt: same try, new token, to be published again. */
export interface RequeuedAttempt extends QueuedAttempt {
  requeueCount: number;
}

/**
 * queued -> queued with a NEW attempt token (same try), for exactly this try and token, while the
 * requeue budget lasts: requeue_count + 1, last_requeue_reason = `reason`, queued_at = now (the
 * queued timeout starts again), and the try row gets the new token. A message of the old token is
 * refused at claim. Null when the attempt is no longer queued with that token, or the budget
 * (`maxRequeues`) is spent.
 */
export async function requeueAttempt(db: Queryable, ref: AttemptRef, reason: string, maxRequeues: number): Promise<RequeuedAttempt | null> {
  if (!isAttemptToken(ref.attemptToken)) return null;
  const { rows } = await db.query<{
    dag_run_id: string; dag_id: string; run_id: string; task_id: string; map_index: number; try_number: number;
    attempt_token: string; queue: string; priority_weight: number; requeue_count: number;
  }>(
    `WITH q AS (
       UPDATE task_instance ti SET attempt_token = gen_random_uuid(), queued_at = now(), requeue_count = ti.requeue_count + 1,
         last_requeue_reason = $7, updated_at = now()
       WHERE ti.dag_id = $1 AND ti.run_id = $2 AND ti.task_id = $3 AND ti.map_index = $4
         AND ti.state IS NOT DISTINCT FROM 'queued' AND ti.try_number = $5 AND ti.attempt_token = $6::uuid
         AND ti.requeue_count < $8
       RETURNING ti.dag_run_id, ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number, ti.attempt_token,
         ti.queue, ti.priority_weight, ti.requeue_count),
     t AS (
       UPDATE task_instance_try tt SET attempt_token = q.attempt_token
       FROM q WHERE tt.dag_id = q.dag_id AND tt.run_id = q.run_id AND tt.task_id = q.task_id
         AND tt.map_index = q.map_index AND tt.try_number = q.try_number)
     SELECT dag_run_id, dag_id, run_id, task_id, map_index, try_number, attempt_token::text AS attempt_token, queue,
       priority_weight, requeue_count FROM q`,
    [ref.dagId, ref.runId, ref.taskId, ref.mapIndex, ref.tryNumber, ref.attemptToken, reason, maxRequeues],
  );
  const r = rows[0];
  return r === undefined ? null : {
    dagRunId: String(r.dag_run_id), dagId: r.dag_id, runId: r.run_id, taskId: r.task_id, mapIndex: r.map_index,
    tryNumber: r.try_number, attemptToken: r.attempt_token, queue: r.queue, priorityWeight: r.priority_weight,
    requeueCount: r.requeue_count,
  };
}

/**
 * Records `reason` (e.g. "no worker serves queue X") as last_requeue_reason of the attempts of
 * `queue` queued more than `olderThanMs` ago, without spending their requeue budget. Returns how
 * many rows changed (rows already carrying that reason are left alone).
 */
export async function noteQueuedReason(db: Queryable, queue: string, reason: string, olderThanMs: number): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE task_instance ti SET last_requeue_reason = $2, updated_at = now()
     WHERE ti.state = 'queued' AND ti.queue = $1 AND ti.queued_at < now() - $3::float8 * interval '1 millisecond'
       AND ti.last_requeue_reason IS DISTINCT FROM $2`,
    [queue, reason, olderThanMs],
  );
  return rowCount ?? 0;
}

/**
 * queued -> running for exactly this try and token, with no worker: supervision takes an attempt
 * that can never be delivered (requeue budget spent) so that it can end it through the same path
 * as a reported failure (retry policy, downstream evaluation). If the scheduler dies in between,
 * the zombie check finds a running attempt without a live worker and ends it. False when the
 * attempt is no longer queued with that token.
 */
export async function seizeQueuedAttempt(db: Queryable, ref: AttemptRef): Promise<boolean> {
  if (!isAttemptToken(ref.attemptToken)) return false;
  const { rows } = await db.query<{ n: number }>(
    `WITH s AS (
       UPDATE task_instance ti SET state = 'running', worker_id = NULL, hostname = NULL, updated_at = now()
       WHERE ti.dag_id = $1 AND ti.run_id = $2 AND ti.task_id = $3 AND ti.map_index = $4
         AND ti.state IS NOT DISTINCT FROM 'queued' AND ti.try_number = $5 AND ti.attempt_token = $6::uuid
       RETURNING ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number),
     t AS (
       UPDATE task_instance_try tt SET state = 'running'
       FROM s WHERE tt.dag_id = s.dag_id AND tt.run_id = s.run_id AND tt.task_id = s.task_id
         AND tt.map_index = s.map_index AND tt.try_number = s.try_number)
     SELECT count(*)::int AS n FROM s`,
    [ref.dagId, ref.runId, ref.taskId, ref.mapIndex, ref.tryNumber, ref.attemptToken],
  );
  return (rows[0]?.n ?? 0) > 0;
}

/** How one try ended as the scheduler recorded it (state, error, end), or null when it has not ended. */
export interface TryEnd {
  state: 'success' | 'failed';
  error: string | null;
  endedAt: Date | null;
}

/**
 * The recorded end of a try: what `updraft tasks logs` shows when the worker could not finish the
 * log itself (its host died, or the scheduler ended the try as a zombie).
 */
export async function tryEnd(db: Queryable, key: { dagId: string; runId: string; taskId: string; mapIndex: number }, tryNumber: number): Promise<TryEnd | null> {
  const { rows } = await db.query<{ state: 'success' | 'failed'; error: string | null; ended_at: Date | null }>(
    `SELECT state, error, ended_at FROM task_instance_try
     WHERE dag_id = $1 AND run_id = $2 AND task_id = $3 AND map_index = $4 AND try_number = $5 AND state IN ('success', 'failed')`,
    [key.dagId, key.runId, key.taskId, key.mapIndex, tryNumber],
  );
  const r = rows[0];
  return r === undefined ? null : { state: r.state, error: r.error, endedAt: r.ended_at };
}
