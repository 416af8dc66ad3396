/**
 * The next step of a chain, claimed by the statement that ends its upstream (part of
 * finishAttempts: one statement per hop instead of three). A success whose only downstream task
 * has no other upstream makes that task ready; when the reporting worker offered its slot, the
 * same statement moves it none -> running with a new attempt token and try row, for that worker,
 * as the queueing and the claim statements would have done one after the other.
 *
 * Places: the task takes the slots its upstream frees (same pool, no more slots, same DAG), so
 * it never takes a place that the admission gate, running at the same time, could also hand out;
 * it is claimed only while its pool and its DAG's max_active_tasks have room even so (a pool made
 * smaller meanwhile). Anything else (another state, another queue or pool, a per-task limit)
 * leaves the task alone: the ordinary evaluation after the finish queues it.
 */
import type { QueuedAttempt } from '../state/keys.js';
import { carrying, type ClaimedRow } from './attempt-parts.js';
import { newAttemptColumns } from './new-attempt.js';
import { taskTransition } from './transitions.js';

const CHAIN_CLAIM = taskTransition(['none'], ['running'], ['scheduled', 'queued']);

/** The downstream task a finish claims for the reporting worker when it records a success. */
export interface ChainClaimInput {
  taskId: string;
  /** The task's queue (one the worker offered): a row with another queue is left alone. */
  queue: string;
  workerId: string;
  hostname: string;
  /** The try's log path is `logPrefix + <try number> + logSuffix` (the try number is the row's next one). */
  logPrefix: string;
  logSuffix: string;
}

/** What a finish claimed for its worker (a chain's next task, a backlog instance): the attempt, its run's columns (as a claim returns them) and its log path. */
export interface FinishClaimed {
  attempt: QueuedAttempt;
  row: ClaimedRow;
  logPath: string;
}

/**
 * CTEs that follow the finish statement's `f` (which returns i, dag_id, run_id, state, pool and
 * pool_slots of each ended instance); parameters chain_*: chainClaimParams. `nq` holds the claimed rows by `i`.
 */
export const CHAIN_CLAIM_CTES = `
     nx AS MATERIALIZED (
       SELECT f.i, f.dag_id, f.run_id, f.pool AS f_pool, f.pool_slots AS f_slots, n.task_id, n.queue, n.worker_id, n.hostname,
         n.log_prefix, n.log_suffix
       FROM f JOIN unnest($(chain_i)::int[], $(chain_task_id)::text[], $(chain_queue)::text[], $(chain_worker_id)::text[],
         $(chain_hostname)::text[], $(chain_log_prefix)::text[], $(chain_log_suffix)::text[])
         AS n(i, task_id, queue, worker_id, hostname, log_prefix, log_suffix) ON n.i = f.i
       WHERE f.state = 'success' AND f.map_index < 0),
     -- The statement's snapshot still counts the ended upstream as running: its slots and place are netted out.
     nfit AS MATERIALIZED (
       SELECT nx.*, ti.ctid AS row_id FROM nx
       JOIN task_instance ti ON ti.dag_id = nx.dag_id AND ti.run_id = nx.run_id AND ti.task_id = nx.task_id AND ti.map_index = -1
       WHERE ti.state IS NULL AND ti.queue = nx.queue AND ti.pool = nx.f_pool AND ti.pool_slots <= nx.f_slots
         AND ti.max_active_tis_per_dag IS NULL AND ti.max_active_tis_per_dagrun IS NULL
         AND EXISTS (SELECT 1 FROM slot_pool p WHERE p.pool = ti.pool AND (p.slots < 0 OR p.slots >= ti.pool_slots - nx.f_slots
           + (SELECT COALESCE(sum(o.pool_slots), 0) FROM task_instance o WHERE o.pool = ti.pool AND o.state IN ('queued', 'running'))))
         AND NOT EXISTS (SELECT 1 FROM dag d WHERE d.dag_id = nx.dag_id
           AND d.max_active_tasks < (SELECT count(*) FROM task_instance o WHERE o.dag_id = nx.dag_id AND o.state IN ('queued', 'running')))),
     nq AS (
       UPDATE task_instance ti SET state = 'running', scheduled_at = now(),
         ${newAttemptColumns({ queuedAt: 'now()', startedAt: 'now()', workerId: 'nfit.worker_id', hostname: 'nfit.hostname' })}
       FROM nfit, dag_run r
       WHERE ti.ctid = nfit.row_id AND ti.dag_id = nfit.dag_id AND ti.run_id = nfit.run_id AND ti.task_id = nfit.task_id
         AND ti.map_index = -1 AND ${CHAIN_CLAIM.guard('ti')} AND r.id = ti.dag_run_id
       RETURNING nfit.i, ti.dag_run_id, ti.dag_id, ti.run_id, ti.task_id, ti.try_number, ti.attempt_token, ti.queue,
         ti.priority_weight, ti.worker_id, ti.hostname, ti.started_at, ti.max_tries, r.run_type, r.logical_date,
         r.data_interval_start, r.data_interval_end, r.conf, r.dag_hash, r.bundle_version,
         nfit.log_prefix || ti.try_number || nfit.log_suffix AS log_path, ti.map_index),
     ntry AS (
       INSERT INTO task_instance_try (dag_id, run_id, task_id, map_index, try_number, attempt_token, state, queued_at, started_at,
         worker_id, hostname, log_path)
       SELECT dag_id, run_id, task_id, -1, try_number, attempt_token, 'running', started_at, started_at, worker_id, hostname, log_path
       FROM nq
       ON CONFLICT (dag_id, run_id, task_id, map_index, try_number) DO UPDATE SET attempt_token = EXCLUDED.attempt_token,
         state = 'running', queued_at = EXCLUDED.queued_at, started_at = EXCLUDED.started_at, worker_id = EXCLUDED.worker_id,
         hostname = EXCLUDED.hostname, log_path = EXCLUDED.log_path),
     -- A new try starts without the XCom values of earlier tries (as a claim does).
     nxc AS (
       DELETE FROM xcom USING nq WHERE xcom.dag_id = nq.dag_id AND xcom.run_id = nq.run_id AND xcom.task_id = nq.task_id
         AND xcom.map_index = -1)`;

/**
 * What follows the claim CTEs of a finish statement, the chain's (`nq`) and/or the backlog's (`bq`,
 * backlog-claim.ts): `cl`, every row claimed, and the proof of life a claim is (a worker marked
 * offline is online again). One UPDATE of the worker table: two in one statement could meet the same row.
 */
export function claimedCtes(parts: { chain: boolean; backlog: boolean }): string {
  const claimed = [...(parts.chain ? ['SELECT * FROM nq'] : []), ...(parts.backlog ? ['SELECT * FROM bq'] : [])].join(' UNION ALL ');
  return `
     cl AS (${claimed}),
     nw AS (
       UPDATE worker SET state = 'online', last_heartbeat = now()
       WHERE worker.state = 'offline' AND worker.worker_id IN (SELECT DISTINCT worker_id FROM cl))`;
}

/** The columns the finish statement selects of `cl` (joined on i), prefixed `n_`. */
export const CLAIMED_COLUMNS = `cl.dag_run_id AS n_dag_run_id, cl.task_id AS n_task_id, cl.map_index AS n_map_index,
       cl.try_number AS n_try_number, cl.attempt_token::text AS n_attempt_token, cl.queue AS n_queue,
       cl.priority_weight AS n_priority_weight, cl.max_tries AS n_max_tries, cl.run_type AS n_run_type,
       cl.logical_date AS n_logical_date, cl.data_interval_start AS n_data_interval_start,
       cl.data_interval_end AS n_data_interval_end, cl.conf AS n_conf, cl.dag_hash AS n_dag_hash,
       cl.bundle_version AS n_bundle_version, cl.log_path AS n_log_path`;

/** CLAIMED_COLUMNS of a finish's row (null ones when it claimed nothing). */
export interface ClaimedColumns {
  n_dag_run_id: string | null; n_task_id: string; n_map_index: number; n_try_number: number; n_attempt_token: string; n_queue: string;
  n_priority_weight: number; n_max_tries: number; n_run_type: string; n_logical_date: Date; n_data_interval_start: Date | null;
  n_data_interval_end: Date | null; n_conf: Record<string, unknown>; n_dag_hash: string | null; n_bundle_version: string | null;
  n_log_path: string;
}

/** The chain_* parameters for the inputs (1-based positions) that carry a chain claim. */
export function chainClaimParams(inputs: ReadonlyArray<{ chainClaim?: ChainClaimInput | undefined }>): Record<string, unknown[]> {
  const { at, parts: c } = carrying(inputs, (x) => x.chainClaim);
  return {
    chain_i: at, chain_task_id: c.map((x) => x.taskId), chain_queue: c.map((x) => x.queue), chain_worker_id: c.map((x) => x.workerId),
    chain_hostname: c.map((x) => x.hostname), chain_log_prefix: c.map((x) => x.logPrefix), chain_log_suffix: c.map((x) => x.logSuffix),
  };
}

/** What a finish's row claimed (the chain's next task or a backlog instance), or null when it claimed nothing. */
export function claimedOf(r: ClaimedColumns & { dag_id: string; run_id: string }): FinishClaimed | null {
  if (r.n_dag_run_id === null) return null;
  const row: ClaimedRow = {
    dag_run_id: r.n_dag_run_id, max_tries: r.n_max_tries, run_type: r.n_run_type, logical_date: r.n_logical_date,
    data_interval_start: r.n_data_interval_start, data_interval_end: r.n_data_interval_end, conf: r.n_conf,
    dag_hash: r.n_dag_hash, bundle_version: r.n_bundle_version,
  };
  return {
    attempt: {
      dagRunId: String(r.n_dag_run_id), dagId: r.dag_id, runId: r.run_id, taskId: r.n_task_id, mapIndex: r.n_map_index,
      tryNumber: r.n_try_number, attemptToken: r.n_attempt_token, queue: r.n_queue, priorityWeight: r.n_priority_weight,
    },
    row,
    logPath: r.n_log_path,
  };
}
