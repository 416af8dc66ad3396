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
import type { AlertRequest } from './alerts.js';
import { ASSET_EVENT_CTES } from './assets.js';
import { CHAIN_CLAIM_COLUMNS, CHAIN_CLAIM_CTES, chainClaimedOf, chainClaimParams, type ChainClaimInput, type ChainClaimRow } from './chain-claim.js';

export type { ChainClaimInput } from './chain-claim.js';
import { rows } from './query.js';
import { taskTransition } from './transitions.js';

const CLAIM = taskTransition(['queued'], ['running']);
const FINISH = taskTransition(['running'], ['success', 'up_for_retry', 'failed', 'skipped', 'up_for_reschedule']);
const REQUEUE = taskTransition(['queued'], ['queued']);
const SEIZE = taskTransition(['queued'], ['running']);
const BRANCH_SKIP = taskTransition(['none', 'scheduled'], ['skipped']);

export interface ClaimInput extends AttemptRef {
  workerId: string;
  hostname: string;
  /** Relative path of this try's log file, stored on the try row. */
  logPath: string;
}

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

/** Not one of the instances the statement's `f` ends. */
const NOT_IN_F = 'NOT EXISTS (SELECT 1 FROM f g WHERE g.dag_id = u.dag_id AND g.run_id = u.run_id AND g.task_id = u.task_id AND g.map_index = u.map_index)';
/** An unmapped instance's run has another instance queued or running (answered by the partial index of those states). */
const RUN_GOES_ON = `f.map_index < 0 AND EXISTS (
  SELECT 1 FROM task_instance u WHERE u.dag_run_id = f.dag_run_id AND u.state IN ('queued', 'running') AND ${NOT_IN_F})`;
/**
 * A mapped instance's task has another instance queued or running. Only the highest map index is
 * looked at (one primary key probe): instances end roughly in index order, and a scan of the
 * queued or running rows would first walk the index entries of the many that already ended.
 */
const SIBLINGS_GO_ON = `f.map_index >= 0 AND (
  SELECT u.state IN ('queued', 'running') AND ${NOT_IN_F} FROM task_instance u
  WHERE u.dag_id = f.dag_id AND u.run_id = f.run_id AND u.task_id = f.task_id AND u.map_index >= 0
  ORDER BY u.map_index DESC LIMIT 1) IS TRUE`;

/** A task not in the input's joinOthers with an instance queued or running (the first one found), or null. */
const JOIN_WAITS_ON = `CASE WHEN f.map_index < 0 AND EXISTS (SELECT 1 FROM unnest($27::int[]) AS jo(i) WHERE jo.i = f.i) THEN (
  SELECT u.task_id FROM task_instance u WHERE u.dag_run_id = f.dag_run_id AND u.state IN ('queued', 'running') AND ${NOT_IN_F}
    AND u.task_id <> ALL (ARRAY(SELECT j.task_id FROM unnest($27::int[], $28::text[]) AS j(i, task_id) WHERE j.i = f.i))
  LIMIT 1) END`;

const KEY_JOIN = 'ti.dag_id = a.dag_id AND ti.run_id = a.run_id AND ti.task_id = a.task_id AND ti.map_index = a.map_index';

/**
 * The condition that quiets the task instance change trigger for the rest of the statement's
 * transaction (migration 0036): the caller announces these changes itself, coalesced. Holds for
 * every row; it is evaluated with the first.
 */
const QUIET = `set_config('updraft.change_notify', 'off', true) = 'off'`;

/** Keeps the inputs with a well-formed token (others can never be current) with their positions. */
function current<T extends { attemptToken: string }>(inputs: readonly T[]): Array<{ input: T; at: number }> {
  return inputs.flatMap((input, at) => (isAttemptToken(input.attemptToken) ? [{ input, at }] : []));
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
     c AS (
       UPDATE task_instance ti SET state = 'running', started_at = now(), worker_id = a.worker_id, hostname = a.hostname, updated_at = now()
       FROM a, dag_run r
       WHERE ${KEY_JOIN} AND ${CLAIM.guard('ti')} AND ti.try_number = a.try_number AND ti.attempt_token = a.token
         AND r.id = ti.dag_run_id
       RETURNING a.i, a.log_path, ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number, ti.worker_id, ti.hostname,
         ti.started_at, ti.dag_run_id, ti.max_tries, r.run_type, r.logical_date, r.data_interval_start, r.data_interval_end,
         r.conf, r.dag_hash, r.bundle_version),
     t AS (
       UPDATE task_instance_try tt SET state = 'running', started_at = c.started_at, worker_id = c.worker_id,
         hostname = c.hostname, log_path = c.log_path
       FROM c WHERE tt.dag_id = c.dag_id AND tt.run_id = c.run_id AND tt.task_id = c.task_id
         AND tt.map_index = c.map_index AND tt.try_number = c.try_number),
     -- A new try starts without the XCom values of earlier tries (as in Airflow).
     x AS (
       DELETE FROM xcom USING c WHERE xcom.dag_id = c.dag_id AND xcom.run_id = c.run_id AND xcom.task_id = c.task_id
         AND xcom.map_index = c.map_index),
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

// A rescheduled sensor whose timeout has passed since its first poke (this one, when it is the first).
const TIMED_OUT = `COALESCE(now() - COALESCE(ti.first_poke_at, ti.started_at) >= a.sensor_timeout_ms * interval '1 millisecond', false)`;

export interface FinishInput extends AttemptRef {
  success: boolean;
  exitCode: number | null;
  /** Process id of the task on its worker's host; null or 0 = not reported (the one a heartbeat recorded stays). */
  pid?: number | null;
  error: string | null;
  durationMs: number | null;
  /** JSON text stored as XCom `return_value` on success; null = none. Must be valid JSON. */
  returnValueJson: string | null;
  /** Delay before the next try when this one failed and tries are left (or before a sensor's next poke). */
  retryDelayMs: number;
  /**
   * 'skipped': the task skipped itself. 'reschedule': a sensor's poke was false: up_for_reschedule
   * (the try does not count against retries) unless `sensor.timeoutMs` has passed since the first
   * poke (then failed, or skipped with softFail). Absent: success or failure as `success` says.
   */
  kind?: 'skipped' | 'reschedule';
  sensor?: { timeoutMs: number; softFail: boolean };
  /**
   * Tasks of the same run a branching task's success skips (none/scheduled -> skipped), in the
   * same statement, only when this finish records success. Default none.
   */
  skipTaskIds?: readonly string[];
  /**
   * Callbacks the task has among onSuccess / onRetry / onFailure: the one matching the recorded
   * state is requested in the same statement (exactly once per try and event).
   */
  callbacks?: readonly ('onSuccess' | 'onRetry' | 'onFailure')[];
  /**
   * Declarative notifiers of onSuccess / onRetry / onFailure: those of the event matching the
   * recorded state get their alert outbox rows in the same statement (once per try, event and notifier).
   */
  alerts?: readonly AlertRequest[];
  /**
   * URIs of the assets the task updates: a recorded success records their asset events in the
   * same statement (a success never lacks its events, an event never lacks its success).
   */
  outlets?: readonly string[];
  /**
   * The task's only downstream is a wide join that waits for all its upstreams: the DAG's tasks that
   * do not hold that join back (its non-upstreams, the join included). The statement then names a
   * task of the run outside that list with an instance queued or running (`joinWaitsOn`: an
   * upstream of the join, or a task no longer in the DAG), so the join's readiness usually needs
   * no read of its own. Default none.
   */
  joinOthers?: readonly string[];
  /**
   * The task's only downstream task, which has no other upstream, to claim for the reporting
   * worker in the same statement when this finish records a success (chain-claim.ts). Default none.
   */
  chainClaim?: ChainClaimInput;
}

export interface FinishedAttempt {
  dagRunId: string;
  state: 'success' | 'failed' | 'up_for_retry' | 'skipped' | 'up_for_reschedule';
  /** DAGs scheduled on the assets this success updated, which had its events queued (they may get a run). */
  assetQueuedDagIds: string[];
  /** Milliseconds (database clock) until the retry (or next poke) may be queued; null unless up_for_retry or up_for_reschedule. */
  retryInMs: number | null;
  /**
   * An unmapped instance only (false for a mapped one): another task instance of the run, not
   * ended by this statement, was queued or running when it ran. Such an instance ends later
   * through finishAttempts again (a later statement, which sees this one) or through a hand-made
   * change that re-evaluates the run: the run cannot finish now.
   */
  runGoesOn: boolean;
  /**
   * A mapped instance only: the instance of its task with the highest map index, not ended by
   * this statement, was queued or running (false does not say that none is).
   */
  siblingsGoOn: boolean;
  /**
   * With `joinOthers` only: a task of the run not in that list with an instance, not ended by this
   * statement, queued or running; null when none was (or without joinOthers). When it is an
   * upstream of the join, the join cannot be ready yet: that instance's own finish evaluates it again.
   */
  joinWaitsOn: string | null;
  /** With `chainClaim` only: the downstream task claimed for the worker (running), or null. */
  chainClaimed: { attempt: QueuedAttempt; claimed: ClaimedAttempt; logPath: string } | null;
}

/**
 * The finish statement; `chain`: with the chain claim's CTEs and parameters (chain-claim.ts). A
 * batch without a chain claim runs the statement without them: even empty, their writes (three
 * more tables and their indexes opened) would cost every finish.
 */
function finishSql(chain: boolean): string {
  return `WITH a AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::uuid[], $7::bool[], $8::int[],
         $9::text[], $10::float8[], $11::text[], $12::float8[], $21::text[], $22::float8[], $23::bool[], $26::int[])
         WITH ORDINALITY AS a(dag_id, run_id, task_id, map_index, try_number, token, success, exit_code, error, duration_ms,
           return_value, retry_delay_ms, kind, sensor_timeout_ms, soft_fail, pid, i)
       WHERE ${QUIET}),
     f AS (
       UPDATE task_instance ti SET
         state = CASE WHEN a.kind = 'skipped' THEN 'skipped'
           WHEN a.kind = 'reschedule' THEN CASE WHEN ${TIMED_OUT} THEN CASE WHEN a.soft_fail THEN 'skipped' ELSE 'failed' END
             ELSE 'up_for_reschedule' END
           WHEN a.success THEN 'success' WHEN ti.try_number < ti.max_tries THEN 'up_for_retry' ELSE 'failed' END,
         next_retry_at = CASE WHEN a.kind = 'reschedule' AND NOT ${TIMED_OUT} THEN now() + a.retry_delay_ms * interval '1 millisecond'
           WHEN a.kind = '' AND NOT a.success AND ti.try_number < ti.max_tries THEN now() + a.retry_delay_ms * interval '1 millisecond' END,
         -- A poke is not a retry: the try it took is given back.
         max_tries = CASE WHEN a.kind = 'reschedule' AND NOT ${TIMED_OUT} THEN ti.max_tries + 1 ELSE ti.max_tries END,
         first_poke_at = CASE WHEN a.kind = 'reschedule' THEN COALESCE(ti.first_poke_at, ti.started_at) ELSE ti.first_poke_at END,
         ended_at = now(), duration_ms = a.duration_ms, exit_code = a.exit_code, updated_at = now(), pid = COALESCE(NULLIF(a.pid, 0), ti.pid),
         error = CASE WHEN a.kind = 'reschedule' AND ${TIMED_OUT}
           THEN format('sensor timed out: poke still false %s ms after the first poke', a.sensor_timeout_ms) ELSE a.error END
       FROM a
       WHERE ${KEY_JOIN} AND ${FINISH.guard('ti')} AND ti.try_number = a.try_number AND ti.attempt_token = a.token
       RETURNING a.i, ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number, ti.dag_run_id, ti.state, ti.ended_at,
         ti.pool, ti.pool_slots,
         NULLIF(a.pid, 0) AS pid, a.duration_ms, a.exit_code, a.error, a.return_value,
         (EXTRACT(EPOCH FROM (ti.next_retry_at - now())) * 1000)::float8 AS retry_in_ms),
     t AS (
       UPDATE task_instance_try tt SET state = CASE WHEN f.state = 'up_for_retry' THEN 'failed' ELSE f.state END,
         ended_at = f.ended_at, duration_ms = f.duration_ms, exit_code = f.exit_code, error = f.error, pid = COALESCE(f.pid, tt.pid)
       FROM f WHERE tt.dag_id = f.dag_id AND tt.run_id = f.run_id AND tt.task_id = f.task_id
         AND tt.map_index = f.map_index AND tt.try_number = f.try_number),
     x AS (
       INSERT INTO xcom (dag_id, run_id, task_id, map_index, key, value)
       SELECT f.dag_id, f.run_id, f.task_id, f.map_index, 'return_value', f.return_value::jsonb
       FROM f WHERE f.state = 'success' AND f.return_value IS NOT NULL
       ON CONFLICT (dag_id, run_id, task_id, map_index, key) DO UPDATE SET value = EXCLUDED.value, created_at = now()),
     -- Materialized: the planner, which cannot see that it is usually empty, would otherwise walk
     -- every task instance of each finished task's run (every map index of a mapped task).
     sk AS MATERIALIZED (
       SELECT f.dag_id, f.run_id, b.task_id FROM f JOIN unnest($13::int[], $14::text[]) AS b(i, task_id) ON b.i = f.i
       WHERE f.state = 'success'),
     s AS (
       UPDATE task_instance ti SET state = 'skipped', ended_at = now(), updated_at = now()
       FROM sk WHERE ti.dag_id = sk.dag_id AND ti.run_id = sk.run_id AND ti.task_id = sk.task_id
         AND ${BRANCH_SKIP.guard('ti')}),
     cb AS (
       INSERT INTO callback_request (dag_id, run_id, task_id, map_index, try_number, event, exception)
       SELECT f.dag_id, f.run_id, f.task_id, f.map_index, f.try_number, e.event, f.error
       FROM f JOIN unnest($15::int[], $16::text[]) AS e(i, event) ON e.i = f.i
       WHERE e.event = CASE f.state WHEN 'success' THEN 'onSuccess' WHEN 'up_for_retry' THEN 'onRetry' WHEN 'failed' THEN 'onFailure' END
       ON CONFLICT DO NOTHING),
     al AS (
       INSERT INTO alert_outbox (dag_id, run_id, task_id, map_index, try_number, event, notifier_index, target, exception)
       SELECT f.dag_id, f.run_id, f.task_id, f.map_index, f.try_number, n.event, n.idx, n.target::jsonb, f.error
       FROM f JOIN unnest($17::int[], $18::text[], $19::int[], $20::text[]) AS n(i, event, idx, target) ON n.i = f.i
       WHERE n.event = CASE f.state WHEN 'success' THEN 'onSuccess' WHEN 'up_for_retry' THEN 'onRetry' WHEN 'failed' THEN 'onFailure' END
       ON CONFLICT DO NOTHING),
     src AS MATERIALIZED (
       SELECT o.uri, NULL::jsonb AS extra, f.dag_id, f.run_id, f.task_id, f.map_index, f.try_number
       FROM f JOIN unnest($24::int[], $25::text[]) AS o(i, uri) ON o.i = f.i
       WHERE f.state = 'success'),
     ${ASSET_EVENT_CTES}${chain ? `,
     ${CHAIN_CLAIM_CTES}` : ''}
     SELECT f.i, f.dag_run_id, f.dag_id, f.run_id, f.state, f.retry_in_ms,
       ARRAY(SELECT DISTINCT aq.target_dag_id FROM aq JOIN ae ON ae.id = aq.asset_event_id
         WHERE ae.source_dag_id = f.dag_id AND ae.source_run_id = f.run_id AND ae.source_task_id = f.task_id
           AND ae.source_map_index = f.map_index) AS asset_dag_ids,
       ${RUN_GOES_ON} AS run_goes_on, ${SIBLINGS_GO_ON} AS siblings_go_on, ${JOIN_WAITS_ON} AS join_waits_on${chain ? `,
       ${CHAIN_CLAIM_COLUMNS}
     FROM f LEFT JOIN nq ON nq.i = f.i` : `
     FROM f`}`;
}

const FINISH_SQL = finishSql(false);
const FINISH_CHAIN_SQL = finishSql(true);

/**
 * running -> success | up_for_retry (failed, tries left) | failed, for exactly these tries and
 * tokens; updates their try rows (success or failed: the outcome of that try) and stores return
 * values as XCom `return_value`; a success also skips the input's `skipTaskIds` (a branch's
 * decision is recorded with the branch's outcome, never one without the other) and records the
 * asset events of its `outlets`, all in one statement.
 * Sends no change notification: announce the DAGs of the finished ones (gridSql.notifyTaskInstanceChanges).
 */
export async function finishAttempts(db: Queryable, finishes: readonly FinishInput[]): Promise<Array<FinishedAttempt | null>> {
  const out: Array<FinishedAttempt | null> = finishes.map(() => null);
  const valid = current(finishes);
  if (valid.length === 0) return out;
  const f = valid.map((v) => v.input);
  const chain = f.some((x) => x.chainClaim !== undefined);
  const finished = await rows<ChainClaimRow & {
    i: string; dag_run_id: string; dag_id: string; run_id: string; state: FinishedAttempt['state']; retry_in_ms: number | null;
    asset_dag_ids: string[]; run_goes_on: boolean; siblings_go_on: boolean; join_waits_on: string | null;
  }>(
    db, chain ? 'finishAttemptsChain' : 'finishAttempts',
    chain ? FINISH_CHAIN_SQL : FINISH_SQL,
    [f.map((x) => x.dagId), f.map((x) => x.runId), f.map((x) => x.taskId), f.map((x) => x.mapIndex),
      f.map((x) => x.tryNumber), f.map((x) => x.attemptToken), f.map((x) => x.success), f.map((x) => x.exitCode),
      f.map((x) => x.error), f.map((x) => x.durationMs), f.map((x) => x.returnValueJson), f.map((x) => x.retryDelayMs),
      f.flatMap((x, k) => (x.skipTaskIds ?? []).map(() => k + 1)), f.flatMap((x) => x.skipTaskIds ?? []),
      f.flatMap((x, k) => (x.callbacks ?? []).map(() => k + 1)), f.flatMap((x) => x.callbacks ?? []),
      f.flatMap((x, k) => (x.alerts ?? []).map(() => k + 1)), f.flatMap((x) => (x.alerts ?? []).map((a) => a.event)),
      f.flatMap((x) => (x.alerts ?? []).map((a) => a.index)), f.flatMap((x) => (x.alerts ?? []).map((a) => JSON.stringify(a.target))),
      f.map((x) => x.kind ?? ''), f.map((x) => x.sensor?.timeoutMs ?? null), f.map((x) => x.sensor?.softFail ?? false),
      f.flatMap((x, k) => (x.outlets ?? []).map(() => k + 1)), f.flatMap((x) => x.outlets ?? []),
      f.map((x) => x.pid ?? null),
      f.flatMap((x, k) => (x.joinOthers ?? []).map(() => k + 1)), f.flatMap((x) => x.joinOthers ?? []),
      ...(chain ? chainClaimParams(f) : [])],
    { prepare: true });
  for (const r of finished) {
    const claimed = chain ? chainClaimedOf(r) : null;
    out[valid[Number(r.i) - 1]!.at] = {
      dagRunId: String(r.dag_run_id), state: r.state, retryInMs: r.retry_in_ms, assetQueuedDagIds: r.asset_dag_ids,
      runGoesOn: r.run_goes_on, siblingsGoOn: r.siblings_go_on, joinWaitsOn: r.join_waits_on,
      chainClaimed: claimed === null ? null : { attempt: claimed.attempt, claimed: claimedAttemptOf(claimed.row), logPath: claimed.logPath },
    };
  }
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
