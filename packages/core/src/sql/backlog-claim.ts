/**
 * A queued task instance claimed by the statement that ends a task of the same run (part of
 * finishAttempts). A wide run's queued instances wait in the scheduler's publish backlog instead of
 * JetStream; the worker whose report frees a slot gets the next one in the report's answer. Claimed
 * here, in the finish statement, that hand-off costs no statement of its own: a task of a wide run
 * costs one statement (its finish, with the claim of the next) instead of two.
 *
 * The claim is the ordinary one (attempt-parts.ts's claimCtes, as claimAttempts): queued -> running
 * for exactly that try and token, its try row running with the log path, the XCom values of earlier
 * tries cleared. An instance that is no longer queued with that token (cleared, marked, claimed through a published copy) is left
 * alone: the database decides, as for any stale message.
 */
import type { QueuedAttempt } from '../state/keys.js';
import { carrying, claimCtes } from './attempt-parts.js';

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
${claimCtes('bx', 'bq')}`;

/** The take_* parameters for the inputs (1-based positions) that carry a backlog claim. */
export function backlogClaimParams(inputs: ReadonlyArray<{ backlogClaim?: BacklogClaimInput | undefined }>): Record<string, unknown[]> {
  const { at, parts: c } = carrying(inputs, (x) => x.backlogClaim);
  return {
    take_i: at, take_task_id: c.map((x) => x.attempt.taskId), take_map_index: c.map((x) => x.attempt.mapIndex),
    take_try_number: c.map((x) => x.attempt.tryNumber), take_token: c.map((x) => x.attempt.attemptToken),
    take_worker_id: c.map((x) => x.workerId), take_hostname: c.map((x) => x.hostname), take_log_path: c.map((x) => x.logPath),
  };
}
