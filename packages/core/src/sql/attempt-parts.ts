/**
 * What the attempt statements (attempts.ts, finish-attempts.ts, handoffs.ts, chain-claim.ts) share:
 * the run columns a claim returns, the join of an input to its task instance, the condition that
 * quiets the change trigger, the filter of inputs whose token can be current, and the order in
 * which batches lock rows.
 */
import { isAttemptToken, type AttemptRef } from '../state/keys.js';

/** The run a claim refers to, returned by the claim so the task can be rendered without a read. */
export interface ClaimedAttempt {
  dagRunId: string;
  maxTries: number;
  runType: string;
  logicalDate: Date;
  dataIntervalStart: Date | null;
  dataIntervalEnd: Date | null;
  conf: Record<string, unknown>;
  dagHash: string | null;
  /** The DAG bundle version the run started with (null: none recorded). */
  bundleVersion: string | null;
}

/** The columns of a claimed attempt's run, as claimAttempts returns them. */
export interface ClaimedRow {
  dag_run_id: string; max_tries: number; run_type: string; logical_date: Date; data_interval_start: Date | null;
  data_interval_end: Date | null; conf: Record<string, unknown>; dag_hash: string | null; bundle_version: string | null;
}

export const claimedAttemptOf = (r: ClaimedRow): ClaimedAttempt => ({
  dagRunId: String(r.dag_run_id), maxTries: r.max_tries, runType: r.run_type, logicalDate: r.logical_date,
  dataIntervalStart: r.data_interval_start, dataIntervalEnd: r.data_interval_end, conf: r.conf, dagHash: r.dag_hash,
  bundleVersion: r.bundle_version,
});

export const KEY_JOIN = 'ti.dag_id = a.dag_id AND ti.run_id = a.run_id AND ti.task_id = a.task_id AND ti.map_index = a.map_index';

/**
 * The condition that quiets the task instance change trigger for the rest of the statement's
 * transaction (migration 0036): the caller announces these changes itself, coalesced. Holds for
 * every row; it is evaluated with the first.
 */
export const QUIET = `set_config('updraft.change_notify', 'off', true) = 'off'`;

/**
 * The order in which a batch statement takes its rows' locks: by task instance key, then try.
 * Batches that lock the same task instances or tries (claims, finishes, the rendered fields) all
 * take them in this order, so two of them wait for each other's rows at most one way, never in a
 * cycle (a deadlock, which PostgreSQL ends by rolling one back). Their plans lock rows in the order
 * of the input arrays (a nested loop over them).
 */
export function attemptOrder(x: AttemptRef, y: AttemptRef): number {
  return compare(x.dagId, y.dagId) || compare(x.runId, y.runId) || compare(x.taskId, y.taskId) ||
    x.mapIndex - y.mapIndex || x.tryNumber - y.tryNumber;
}

const compare = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

/**
 * Keeps the inputs with a well-formed token (others can never be current) with their positions,
 * in lock order (attemptOrder).
 */
export function current<T extends AttemptRef>(inputs: readonly T[]): Array<{ input: T; at: number }> {
  return inputs.flatMap((input, at) => (isAttemptToken(input.attemptToken) ? [{ input, at }] : []))
    .sort((x, y) => attemptOrder(x.input, y.input));
}
