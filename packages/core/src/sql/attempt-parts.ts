/**
 * What the attempt statements (attempts.ts, finish-attempts.ts, handoffs.ts, chain-claim.ts) share:
 * the run columns a claim returns, the join of an input to its task instance, the condition that
 * quiets the change trigger, the filter of inputs whose token can be current, and the order in
 * which batches lock rows.
 */
import { isAttemptToken, type AttemptRef } from '../state/keys.js';
import { taskTransition } from './transitions.js';

const CLAIM = taskTransition(['queued'], ['running']);

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
 * The claim of exactly the tries and tokens in CTE `input` (columns dag_id, run_id, task_id,
 * map_index, try_number, token, worker_id, hostname, log_path, i): queued -> running, their try rows
 * running with the log path, the XCom values of their earlier tries cleared. CTE `name` holds the
 * claimed rows (i, dag_run_id, dag_id, run_id, task_id, try_number, attempt_token, queue,
 * priority_weight, worker_id, hostname, started_at, max_tries, the run's columns of ClaimedRow but
 * dag_run_id, log_path, map_index: the order of chain-claim.ts's `nq`). One definition for a
 * worker's claims (claimAttempts) and for the claims a finish makes for its worker (backlog-claim.ts).
 */
export function claimCtes(input: string, name: string): string {
  const i = input;
  return `
     ${name} AS (
       UPDATE task_instance ti SET state = 'running', started_at = now(), worker_id = ${i}.worker_id, hostname = ${i}.hostname, updated_at = now()
       FROM ${i}, dag_run r
       WHERE ti.dag_id = ${i}.dag_id AND ti.run_id = ${i}.run_id AND ti.task_id = ${i}.task_id AND ti.map_index = ${i}.map_index
         AND ${CLAIM.guard('ti')} AND ti.try_number = ${i}.try_number AND ti.attempt_token = ${i}.token AND r.id = ti.dag_run_id
       RETURNING ${i}.i, ti.dag_run_id, ti.dag_id, ti.run_id, ti.task_id, ti.try_number, ti.attempt_token, ti.queue,
         ti.priority_weight, ti.worker_id, ti.hostname, ti.started_at, ti.max_tries, r.run_type, r.logical_date,
         r.data_interval_start, r.data_interval_end, r.conf, r.dag_hash, r.bundle_version, ${i}.log_path, ti.map_index),
     ${name}_try AS (
       UPDATE task_instance_try tt SET state = 'running', started_at = ${name}.started_at, worker_id = ${name}.worker_id,
         hostname = ${name}.hostname, log_path = ${name}.log_path
       FROM ${name} WHERE tt.dag_id = ${name}.dag_id AND tt.run_id = ${name}.run_id AND tt.task_id = ${name}.task_id
         AND tt.map_index = ${name}.map_index AND tt.try_number = ${name}.try_number),
     -- A new try starts without the XCom values of earlier tries (as in Airflow).
     ${name}_xcom AS (
       DELETE FROM xcom USING ${name} WHERE xcom.dag_id = ${name}.dag_id AND xcom.run_id = ${name}.run_id
         AND xcom.task_id = ${name}.task_id AND xcom.map_index = ${name}.map_index)`;
}

/** The inputs that carry a part (`pick` gives it, or undefined), with their 1-based positions: a statement's per-part arrays. */
export function carrying<T, P>(inputs: readonly T[], pick: (x: T) => P | undefined): { at: number[]; parts: P[] } {
  const at: number[] = [];
  const parts: P[] = [];
  inputs.forEach((x, k) => {
    const part = pick(x);
    if (part !== undefined) {
      at.push(k + 1);
      parts.push(part);
    }
  });
  return { at, parts };
}

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
export function attemptOrder(x: Omit<AttemptRef, 'attemptToken'>, y: Omit<AttemptRef, 'attemptToken'>): number {
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
