/**
 * A queued task instance claimed by the statement that ends a task of the same run (part of
 * finishAttempts). A wide run's queued instances wait in the scheduler's publish backlog instead of
 * JetStream; the worker whose report frees a slot gets the next one in the report's answer. Claimed
 * here, in the finish statement, that hand-off costs no statement of its own: a task of a wide run
 * costs one statement (its finish, with the claim of the next) instead of two.
 *
 * The claim is the ordinary one (claimAttempts): queued -> running for exactly that try and token,
 * its try row running with the log path, the XCom values of earlier tries cleared. An instance that
 * is no longer queued with that token (cleared, marked, claimed through a published copy) is left
 * alone: the database decides, as for any stale message.
 */
import type { QueuedAttempt } from '../state/keys.js';
import { taskTransition } from './transitions.js';

const BACKLOG_CLAIM = taskTransition(['queued'], ['running']);

/** The queued instance a finish claims for the reporting worker. */
export interface BacklogClaimInput {
  /** An instance of the finished task's run. */
  attempt: QueuedAttempt;
  workerId: string;
  hostname: string;
  /** Relative path of the claimed try's log file. */
  logPath: string;
}

/**
 * CTEs that follow the finish statement's `f`; parameters take_*: backlogClaimParams. `bq` holds the
 * claimed rows by `i`, with the columns of chain-claim.ts's `nq` in the same order.
 */
export const BACKLOG_CLAIM_CTES = `
     bx AS MATERIALIZED (
       SELECT f.i, f.dag_id, f.run_id, b.task_id, b.map_index, b.try_number, b.token, b.worker_id, b.hostname, b.log_path
       FROM f JOIN unnest($(take_i)::int[], $(take_task_id)::text[], $(take_map_index)::int[], $(take_try_number)::int[],
         $(take_token)::uuid[], $(take_worker_id)::text[], $(take_hostname)::text[], $(take_log_path)::text[])
         AS b(i, task_id, map_index, try_number, token, worker_id, hostname, log_path) ON b.i = f.i),
     bq AS (
       UPDATE task_instance ti SET state = 'running', started_at = now(), worker_id = bx.worker_id, hostname = bx.hostname,
         updated_at = now()
       FROM bx, dag_run r
       WHERE ti.dag_id = bx.dag_id AND ti.run_id = bx.run_id AND ti.task_id = bx.task_id AND ti.map_index = bx.map_index
         AND ${BACKLOG_CLAIM.guard('ti')} AND ti.try_number = bx.try_number AND ti.attempt_token = bx.token AND r.id = ti.dag_run_id
       RETURNING bx.i, ti.dag_run_id, ti.dag_id, ti.run_id, ti.task_id, ti.try_number, ti.attempt_token, ti.queue,
         ti.priority_weight, ti.worker_id, ti.hostname, ti.started_at, ti.max_tries, r.run_type, r.logical_date,
         r.data_interval_start, r.data_interval_end, r.conf, r.dag_hash, r.bundle_version, bx.log_path, ti.map_index),
     btry AS (
       UPDATE task_instance_try tt SET state = 'running', started_at = bq.started_at, worker_id = bq.worker_id,
         hostname = bq.hostname, log_path = bq.log_path
       FROM bq WHERE tt.dag_id = bq.dag_id AND tt.run_id = bq.run_id AND tt.task_id = bq.task_id
         AND tt.map_index = bq.map_index AND tt.try_number = bq.try_number),
     -- A new try starts without the XCom values of earlier tries (as a claim does).
     bxc AS (
       DELETE FROM xcom USING bq WHERE xcom.dag_id = bq.dag_id AND xcom.run_id = bq.run_id AND xcom.task_id = bq.task_id
         AND xcom.map_index = bq.map_index)`;

/** The take_* parameters for the inputs (1-based positions) that carry a backlog claim. */
export function backlogClaimParams(inputs: ReadonlyArray<{ backlogClaim?: BacklogClaimInput | undefined }>): Record<string, unknown[]> {
  const at: number[] = [];
  const c: BacklogClaimInput[] = [];
  inputs.forEach((x, k) => {
    if (x.backlogClaim !== undefined) {
      at.push(k + 1);
      c.push(x.backlogClaim);
    }
  });
  return {
    take_i: at, take_task_id: c.map((x) => x.attempt.taskId), take_map_index: c.map((x) => x.attempt.mapIndex),
    take_try_number: c.map((x) => x.attempt.tryNumber), take_token: c.map((x) => x.attempt.attemptToken),
    take_worker_id: c.map((x) => x.workerId), take_hostname: c.map((x) => x.hostname), take_log_path: c.map((x) => x.logPath),
  };
}
