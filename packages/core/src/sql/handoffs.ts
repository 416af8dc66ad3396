/**
 * The chain fast path's answers, found again. A report whose answer handed the reporting worker a
 * downstream task (claimed for it in the same call) can be lost with that answer: the scheduler
 * that wrote both died, or the connection broke, before the answer arrived. The worker retries the
 * report; its compare-and-set finds the try already ended, and this read finds what the lost answer
 * held, so the retry gets the same task instead of leaving it running on nobody until zombie
 * detection ends it.
 */
import type { Queryable } from '../db/types.js';
import { isAttemptToken, type AttemptRef, type QueuedAttempt } from '../state/keys.js';
import { claimedAttemptOf, type ClaimedAttempt, type ClaimedRow } from './attempt-parts.js';
import { rows } from './query.js';

export interface ReplayedSuccess {
  /** A task claimed for the worker after that success (a downstream task first), or null. */
  handedOff: { attempt: QueuedAttempt; claimed: ClaimedAttempt } | null;
}

/**
 * When `done` ended as a success with its own token (a retried report of that success), the running
 * attempt of its run claimed for `workerId` since it ended (a direct downstream task of it first,
 * then the earliest); null when `done` is not such a success. The worker drops an attempt it already
 * runs, so a task it claimed itself in between is never run twice.
 */
export async function replayedSuccess(db: Queryable, done: AttemptRef, workerId: string | null, downstream: readonly string[]): Promise<ReplayedSuccess | null> {
  if (!isAttemptToken(done.attemptToken)) return null;
  // dag_run_id is null when no attempt was handed off (the lateral join found none).
  const result = await rows<Omit<ClaimedRow, 'dag_run_id'> & {
    dag_run_id: string | null; dag_id: string; run_id: string; task_id: string; map_index: number; try_number: number;
    attempt_token: string; queue: string; priority_weight: number;
  }>(db, 'replayedSuccess',
    `WITH done AS (
       SELECT tt.dag_id, tt.run_id, tt.ended_at FROM task_instance_try tt
       WHERE tt.dag_id = $1 AND tt.run_id = $2 AND tt.task_id = $3 AND tt.map_index = $4 AND tt.try_number = $5
         AND tt.attempt_token = $6::uuid AND tt.state = 'success' AND tt.ended_at IS NOT NULL)
     SELECT h.* FROM done
     LEFT JOIN LATERAL (
       SELECT ti.dag_run_id, ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number, ti.attempt_token::text AS attempt_token,
         ti.queue, ti.priority_weight, ti.max_tries, r.run_type, r.logical_date, r.data_interval_start, r.data_interval_end,
         r.conf, r.dag_hash, r.bundle_version
       FROM task_instance ti JOIN dag_run r ON r.id = ti.dag_run_id
       WHERE ti.dag_id = done.dag_id AND ti.run_id = done.run_id AND ti.state = 'running' AND ti.worker_id = $7
         AND ti.started_at >= done.ended_at
       ORDER BY (ti.task_id = ANY($8::text[])) DESC, ti.started_at
       LIMIT 1) h ON true`,
    [done.dagId, done.runId, done.taskId, done.mapIndex, done.tryNumber, done.attemptToken, workerId, downstream]);
  const r = result[0];
  if (r === undefined) return null;
  if (r.dag_run_id === null || workerId === null) return { handedOff: null };
  return {
    handedOff: {
      attempt: {
        dagRunId: String(r.dag_run_id), dagId: r.dag_id, runId: r.run_id, taskId: r.task_id, mapIndex: r.map_index,
        tryNumber: r.try_number, attemptToken: r.attempt_token, queue: r.queue, priorityWeight: r.priority_weight,
      },
      claimed: claimedAttemptOf({ ...r, dag_run_id: r.dag_run_id }),
    },
  };
}
