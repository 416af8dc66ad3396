/**
 * Attempts as workers and supervision drive them. The two transitions workers drive come in bulk:
 * many claims (or many results) arriving together are applied by ONE compare-and-set statement
 * each way, with their try rows (and XCom) written in the same statement; per input the result
 * is the new row, or null when the attempt is not current. Supervision requeues a lost queued
 * attempt with a new token, seizes one that can never be delivered, and reads running attempts
 * with their workers; each change is guarded by state, try number and attempt token, so
 * supervision racing a worker can never move a task backwards.
 * Ages are measured on the database clock (the clock heartbeats and queued_at were written with).
 */
import type { Queryable } from '../db/types.js';
import { isAttemptToken, type AttemptRef, type QueuedAttempt, type TaskInstanceKey } from '../state/keys.js';
import { claimCtes, claimedAttemptOf, current, KEY_JOIN, QUIET, type ClaimedAttempt, type ClaimedRow } from './attempt-parts.js';
import { rows } from './query.js';
import { taskTransition } from './transitions.js';

export { claimedAttemptOf, type ClaimedAttempt, type ClaimedRow } from './attempt-parts.js';
export type { ChainClaimInput } from './chain-claim.js';
export type { BacklogClaimInput } from './backlog-claim.js';
export { finishAttempts, type AliasEvent, type FinishedAttempt, type FinishInput } from './finish-attempts.js';

const REQUEUE = taskTransition(['queued'], ['queued']);
const SEIZE = taskTransition(['queued'], ['running']);

export interface ClaimInput extends AttemptRef {
  workerId: string;
  hostname: string;
  /** Relative path of this try's log file, stored on the try row. */
  logPath: string;
}

/**
 * queued -> running for exactly these tries and tokens (claims), updating their try rows and
 * clearing the XCom values of the instances' earlier tries.
 * Two claims of one attempt in a batch: one wins, the other gets null.
 * Sends no change notification: announce the claimed ones (gridSql.notifyTaskInstanceChanges).
 */
export async function claimAttempts(db: Queryable, claims: readonly ClaimInput[]): Promise<Array<ClaimedAttempt | null>> {
  const out: Array<ClaimedAttempt | null> = claims.map(() => null);
  const valid = current(claims);
  if (valid.length === 0) return out;
  const c = valid.map((v) => v.input);
  const claimed = await rows<ClaimedRow & { i: string }>(db, 'claimAttempts',
    `WITH a AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::uuid[], $7::text[], $8::text[], $9::text[])
         WITH ORDINALITY AS a(dag_id, run_id, task_id, map_index, try_number, token, worker_id, hostname, log_path, i)
       WHERE ${QUIET}),
${claimCtes('a', 'c')},
     -- A claim is proof of life: a worker marked offline (heartbeats delayed) that claims is
     -- online again, or the zombie sweep would fail the try it just started.
     w AS (
       UPDATE worker SET state = 'online', last_heartbeat = now()
       WHERE worker.state = 'offline' AND worker.worker_id IN (SELECT DISTINCT worker_id FROM c))
     SELECT i, dag_run_id, max_tries, run_type, logical_date, data_interval_start, data_interval_end, conf, dag_hash, bundle_version FROM c`,
    [c.map((x) => x.dagId), c.map((x) => x.runId), c.map((x) => x.taskId), c.map((x) => x.mapIndex),
      c.map((x) => x.tryNumber), c.map((x) => x.attemptToken), c.map((x) => x.workerId), c.map((x) => x.hostname),
      c.map((x) => x.logPath)],
    { prepare: true });
  for (const r of claimed) out[valid[Number(r.i) - 1]!.at] = claimedAttemptOf(r);
  return out;
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
  const result = await rows<{
    dag_id: string; run_id: string; task_id: string; map_index: number; try_number: number; attempt_token: string;
    worker_id: string | null; hostname: string | null; started_at: Date | null; worker_name: string | null;
    worker_host: string | null; worker_state: 'online' | 'draining' | 'offline' | null; last_heartbeat: Date | null;
    silent_ms: number | null;
  }>(db, 'runningAttempts',
    `SELECT ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number, ti.attempt_token::text AS attempt_token,
       ti.worker_id, ti.hostname, ti.started_at, w.worker_name, w.hostname AS worker_host, w.state AS worker_state,
       w.last_heartbeat, (EXTRACT(EPOCH FROM (now() - w.last_heartbeat)) * 1000)::float8 AS silent_ms
     FROM task_instance ti LEFT JOIN worker w ON w.worker_id = ti.worker_id
     WHERE ti.state = 'running'
     ORDER BY ti.started_at NULLS FIRST LIMIT $1`,
    [limit],
  );
  return result.map((r) => ({
    dagId: r.dag_id, runId: r.run_id, taskId: r.task_id, mapIndex: r.map_index, tryNumber: r.try_number,
    attemptToken: r.attempt_token, workerId: r.worker_id, hostname: r.hostname, startedAt: r.started_at,
    worker: r.worker_name === null ? null : {
      name: r.worker_name, hostname: r.worker_host ?? '', state: r.worker_state!, lastHeartbeat: r.last_heartbeat,
      silentMs: r.silent_ms,
    },
  }));
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
  const result = await rows<{
    dag_run_id: string; dag_id: string; run_id: string; task_id: string; map_index: number; try_number: number;
    attempt_token: string; queue: string; priority_weight: number; requeue_count: number;
  }>(db, 'requeueAttempt',
    `WITH q AS (
       UPDATE task_instance ti SET attempt_token = gen_random_uuid(), queued_at = now(), requeue_count = ti.requeue_count + 1,
         last_requeue_reason = $7, updated_at = now()
       WHERE ti.dag_id = $1 AND ti.run_id = $2 AND ti.task_id = $3 AND ti.map_index = $4
         AND ${REQUEUE.guard('ti')} AND ti.try_number = $5 AND ti.attempt_token = $6::uuid
         AND ti.requeue_count < $8
       RETURNING ti.dag_run_id, ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number, ti.attempt_token,
         ti.queue, ti.priority_weight, ti.requeue_count),
     t AS (
       UPDATE task_instance_try tt SET attempt_token = q.attempt_token, requeue_count = tt.requeue_count + 1, last_requeue_reason = $7
       FROM q WHERE tt.dag_id = q.dag_id AND tt.run_id = q.run_id AND tt.task_id = q.task_id
         AND tt.map_index = q.map_index AND tt.try_number = q.try_number)
     SELECT dag_run_id, dag_id, run_id, task_id, map_index, try_number, attempt_token::text AS attempt_token, queue,
       priority_weight, requeue_count FROM q`,
    [ref.dagId, ref.runId, ref.taskId, ref.mapIndex, ref.tryNumber, ref.attemptToken, reason, maxRequeues],
  );
  const r = result[0];
  return r === undefined ? null : {
    dagRunId: String(r.dag_run_id), dagId: r.dag_id, runId: r.run_id, taskId: r.task_id, mapIndex: r.map_index,
    tryNumber: r.try_number, attemptToken: r.attempt_token, queue: r.queue, priorityWeight: r.priority_weight,
    requeueCount: r.requeue_count,
  };
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
  const result = await rows<{ n: number }>(db, 'seizeQueuedAttempt',
    `WITH s AS (
       UPDATE task_instance ti SET state = 'running', worker_id = NULL, hostname = NULL, updated_at = now()
       WHERE ti.dag_id = $1 AND ti.run_id = $2 AND ti.task_id = $3 AND ti.map_index = $4
         AND ${SEIZE.guard('ti')} AND ti.try_number = $5 AND ti.attempt_token = $6::uuid
       RETURNING ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number),
     t AS (
       UPDATE task_instance_try tt SET state = 'running'
       FROM s WHERE tt.dag_id = s.dag_id AND tt.run_id = s.run_id AND tt.task_id = s.task_id
         AND tt.map_index = s.map_index AND tt.try_number = s.try_number)
     SELECT count(*)::int AS n FROM s`,
    [ref.dagId, ref.runId, ref.taskId, ref.mapIndex, ref.tryNumber, ref.attemptToken],
  );
  return (result[0]?.n ?? 0) > 0;
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
export async function tryEnd(db: Queryable, key: TaskInstanceKey, tryNumber: number): Promise<TryEnd | null> {
  const result = await rows<{ state: 'success' | 'failed'; error: string | null; ended_at: Date | null }>(db, 'tryEnd',
    `SELECT state, error, ended_at FROM task_instance_try
     WHERE dag_id = $1 AND run_id = $2 AND task_id = $3 AND map_index = $4 AND try_number = $5 AND state IN ('success', 'failed')`,
    [key.dagId, key.runId, key.taskId, key.mapIndex, tryNumber],
  );
  const r = result[0];
  return r === undefined ? null : { state: r.state, error: r.error, endedAt: r.ended_at };
}

/**
 * Which of these attempts are running right now with exactly their try number and token (what a
 * task-scoped read, e.g. GetConnection, is authorised by). One boolean per input.
 */
export async function areRunning(db: Queryable, attempts: readonly AttemptRef[]): Promise<boolean[]> {
  const out = attempts.map(() => false);
  const valid = current(attempts);
  if (valid.length === 0) return out;
  const a = valid.map((v) => v.input);
  const result = await rows<{ i: string }>(db, 'areRunning',
    `SELECT a.i FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::uuid[])
       WITH ORDINALITY AS a(dag_id, run_id, task_id, map_index, try_number, token, i)
     JOIN task_instance ti ON ${KEY_JOIN} AND ti.try_number = a.try_number AND ti.attempt_token = a.token
     WHERE ti.state IS NOT DISTINCT FROM 'running'`,
    [a.map((x) => x.dagId), a.map((x) => x.runId), a.map((x) => x.taskId), a.map((x) => x.mapIndex),
      a.map((x) => x.tryNumber), a.map((x) => x.attemptToken)],
    { prepare: true });
  for (const r of result) out[valid[Number(r.i) - 1]!.at] = true;
  return out;
}
