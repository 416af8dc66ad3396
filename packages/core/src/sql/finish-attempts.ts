/**
 * The finish of attempts: running -> success | up_for_retry | failed | skipped | up_for_reschedule
 * for exactly the reported tries and tokens, in one statement per batch, with everything a finish
 * records alongside (try rows, return values, a branch's skips, callbacks, alerts, asset events,
 * the chain's next step or the run's next queued instance for the reporting worker) and what the
 * scheduler needs to know next (does the run go on).
 */
import type { Queryable } from '../db/types.js';
import { UpdraftError } from '../errors.js';
import type { AttemptRef, QueuedAttempt } from '../state/keys.js';
import type { AlertRequest } from './alerts.js';
import { ASSET_EVENT_CTES } from './assets.js';
import { claimedAttemptOf, current, KEY_JOIN, QUIET, type ClaimedAttempt } from './attempt-parts.js';
import { BACKLOG_CLAIM_CTES, backlogClaimParams, type BacklogClaimInput } from './backlog-claim.js';
import { CLAIMED_COLUMNS, CHAIN_CLAIM_CTES, claimedOf, claimedCtes, chainClaimParams, type ChainClaimInput, type ClaimedColumns } from './chain-claim.js';
import { namedParameters, namedValues, rows, type NamedStatement } from './query.js';
import { endEffectCtes, endEffectValues, hasEndEffects, type EndEffectParams } from './task-end-effects.js';
import { taskTransition } from './transitions.js';

const FINISH = taskTransition(['running'], ['success', 'up_for_retry', 'failed', 'skipped', 'up_for_reschedule']);
const BRANCH_SKIP = taskTransition(['none', 'scheduled'], ['skipped']);

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
const JOIN_WAITS_ON = `CASE WHEN f.map_index < 0 AND EXISTS (SELECT 1 FROM unnest($(join_i)::int[]) AS jo(i) WHERE jo.i = f.i) THEN (
  SELECT u.task_id FROM task_instance u WHERE u.dag_run_id = f.dag_run_id AND u.state IN ('queued', 'running') AND ${NOT_IN_F}
    AND u.task_id <> ALL (ARRAY(SELECT j.task_id FROM unnest($(join_i)::int[], $(join_task_id)::text[]) AS j(i, task_id) WHERE j.i = f.i))
  LIMIT 1) END`;

/**
 * How many times a delay with backoff doubles. A failure's retry delay (state/retry.ts's
 * retryDelayMs): once per failed try before it since the last clear; a sensor's false pokes, each
 * given back (max_tries + 1), are none. A poke's interval (the SDK's pokeDelayMs): once per false
 * poke before it since the first poke (first_poke_at, which a clear resets); failed tries are none.
 */
const DOUBLINGS = `CASE WHEN a.kind = 'reschedule' THEN CASE WHEN ti.first_poke_at IS NULL THEN 0 ELSE (
    SELECT count(*) FROM task_instance_try p WHERE p.dag_id = ti.dag_id AND p.run_id = ti.run_id AND p.task_id = ti.task_id
      AND p.map_index = ti.map_index AND p.state = 'up_for_reschedule' AND p.started_at >= ti.first_poke_at) END
  ELSE ti.try_number - (ti.max_tries - a.retries) END`;

/**
 * The delay before the next try (a retry, or a sensor's next poke): retry_delay_ms, or with backoff
 * (a non-null retries) retry_delay_ms doubled per DOUBLINGS, capped by max_retry_delay_ms and 100 years.
 */
const DELAY_MS = `CASE WHEN a.retries IS NULL THEN a.retry_delay_ms ELSE LEAST(
  a.retry_delay_ms * 2 ^ LEAST(GREATEST(${DOUBLINGS}, 0), 60),
  COALESCE(a.max_retry_delay_ms, 'Infinity'::float8), ${100 * 365 * 86_400_000}) END`;

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
   * Exponential backoff (retryExponentialBackoff; a sensor's exponentialBackoff with `kind`
   * 'reschedule'): the delay is then retryDelayMs (that of a first failed try, or first false poke)
   * doubled per failed try (false poke) before it, up to `maxDelayMs` (null: no cap); `retries` is
   * the task's, to count the failed tries as the retries do (see DOUBLINGS).
   */
  backoff?: { retries: number; maxDelayMs: number | null };
  /** A failure another try cannot change (a sensor that timed out): failed, whatever tries are left. Default false. */
  noRetry?: boolean;
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
  /** What the task attached to the events of its outlets, by asset URI (JSON text of an object); default {} each. */
  outletExtras?: Readonly<Record<string, string>>;
  /**
   * The asset events the task added through its outlet aliases (each resolves its alias to its
   * asset), recorded with the outlets' on success. `extra` is JSON text of an object. Default none.
   */
  aliasEvents?: readonly AliasEvent[];
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
  /**
   * A queued instance of the same run (from the scheduler's publish backlog) to claim for the
   * reporting worker in the same statement, whatever the finish records (backlog-claim.ts). Not
   * with chainClaim. Default none.
   */
  backlogClaim?: BacklogClaimInput;
}

/** An asset event a task added through one of its outlet aliases. */
export interface AliasEvent {
  alias: string;
  uri: string;
  /** JSON text of an object. */
  extra: string;
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
  /** With `backlogClaim` only: that instance, claimed for the worker (running), or null when it was no longer queued with its token. */
  backlogClaimed: { attempt: QueuedAttempt; claimed: ClaimedAttempt; logPath: string } | null;
}

/** The effects' parameters as the finish statement names them (effectParams). */
const NAMED_EFFECT_PARAMS: EndEffectParams = {
  callbackI: '$(callback_i)', callbackEvent: '$(callback_event)', alertI: '$(alert_i)', alertEvent: '$(alert_event)',
  alertIndex: '$(alert_index)', alertTarget: '$(alert_target)',
};

/**
 * The parts of a finish that most tasks do not have: a branch's skips, callbacks, alerts and asset
 * events. They follow `f`; `ae` and `aq` are the asset events recorded and queued.
 */
const EFFECT_CTES = `
     -- Materialized: the planner, which cannot see that it is usually empty, would otherwise walk
     -- every task instance of each finished task's run (every map index of a mapped task).
     sk AS MATERIALIZED (
       SELECT f.dag_id, f.run_id, b.task_id FROM f JOIN unnest($(skip_i)::int[], $(skip_task_id)::text[]) AS b(i, task_id) ON b.i = f.i
       WHERE f.state = 'success'),
     s AS (
       UPDATE task_instance ti SET state = 'skipped', ended_at = now(), updated_at = now()
       FROM sk WHERE ti.dag_id = sk.dag_id AND ti.run_id = sk.run_id AND ti.task_id = sk.task_id
         AND ${BRANCH_SKIP.guard('ti')}),
     ${endEffectCtes('f', NAMED_EFFECT_PARAMS)},
     src AS MATERIALIZED (
       SELECT o.uri, o.extra, o.aliases, f.dag_id, f.run_id, f.task_id, f.map_index, f.try_number
       FROM f JOIN unnest($(outlet_i)::int[], $(outlet_uri)::text[], $(outlet_extra)::jsonb[], $(outlet_aliases)::jsonb[]) AS o(i, uri, extra, aliases) ON o.i = f.i
       WHERE f.state = 'success'),
     ${ASSET_EVENT_CTES}`;

/** The DAGs the success's asset events were queued for (from the effects' `ae` and `aq`). */
const ASSET_DAG_IDS = `ARRAY(SELECT DISTINCT aq.target_dag_id FROM aq JOIN ae ON ae.id = aq.asset_event_id
         WHERE ae.source_dag_id = f.dag_id AND ae.source_run_id = f.run_id AND ae.source_task_id = f.task_id
           AND ae.source_map_index = f.map_index)`;

/**
 * The parts a finish statement carries besides the finish itself, each left out when no input of
 * the batch needs it (a variant is its own prepared statement): even empty, their writes open more
 * tables and their indexes, and plan and lock them, on every finish.
 * - effects: a branch's skips, callbacks, alerts and asset events (EFFECT_CTES);
 * - chain: the claim of a chain's next task for the reporting worker (chain-claim.ts);
 * - backlog: the claim of a queued instance of the run for the reporting worker (backlog-claim.ts).
 * A chain's hop, which waits on this statement, carries no backlog parts.
 */
interface FinishParts {
  effects: boolean;
  chain: boolean;
  backlog: boolean;
}

function finishStatement(parts: FinishParts): NamedStatement {
  return namedParameters(`WITH a AS (
       SELECT * FROM unnest($(dag_id)::text[], $(run_id)::text[], $(task_id)::text[], $(map_index)::int[], $(try_number)::int[],
         $(token)::uuid[], $(success)::bool[], $(exit_code)::int[], $(error)::text[], $(duration_ms)::float8[],
         $(return_value)::text[], $(retry_delay_ms)::float8[], $(kind)::text[], $(sensor_timeout_ms)::float8[], $(soft_fail)::bool[],
         $(pid)::int[], $(no_retry)::bool[], $(retries)::int[], $(max_retry_delay_ms)::float8[])
         WITH ORDINALITY AS a(dag_id, run_id, task_id, map_index, try_number, token, success, exit_code, error, duration_ms,
           return_value, retry_delay_ms, kind, sensor_timeout_ms, soft_fail, pid, no_retry, retries, max_retry_delay_ms, i)
       WHERE ${QUIET}),
     f AS (
       UPDATE task_instance ti SET
         state = CASE WHEN a.kind = 'skipped' THEN 'skipped'
           WHEN a.kind = 'reschedule' THEN CASE WHEN ${TIMED_OUT} THEN CASE WHEN a.soft_fail THEN 'skipped' ELSE 'failed' END
             ELSE 'up_for_reschedule' END
           WHEN a.success THEN 'success' WHEN ti.try_number < ti.max_tries AND NOT a.no_retry THEN 'up_for_retry' ELSE 'failed' END,
         next_retry_at = CASE WHEN a.kind = 'reschedule' AND NOT ${TIMED_OUT} THEN now() + ${DELAY_MS} * interval '1 millisecond'
           WHEN a.kind = '' AND NOT a.success AND ti.try_number < ti.max_tries AND NOT a.no_retry THEN now() + ${DELAY_MS} * interval '1 millisecond' END,
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
       SELECT f.dag_id, f.run_id, f.task_id, f.map_index, 'return_value', f.return_value::json
       FROM f WHERE f.state = 'success' AND f.return_value IS NOT NULL
       ON CONFLICT (dag_id, run_id, task_id, map_index, key) DO UPDATE SET value = EXCLUDED.value, created_at = now())${
       parts.effects ? `,${EFFECT_CTES}` : ''}${parts.chain ? `,${CHAIN_CLAIM_CTES}` : ''}${parts.backlog ? `,${BACKLOG_CLAIM_CTES}` : ''}${
       parts.chain || parts.backlog ? `,${claimedCtes(parts)}` : ''}
     SELECT f.i, f.dag_run_id, f.dag_id, f.run_id, f.state, f.retry_in_ms, ${parts.effects ? ASSET_DAG_IDS : "'{}'::text[]"} AS asset_dag_ids,
       ${RUN_GOES_ON} AS run_goes_on, ${SIBLINGS_GO_ON} AS siblings_go_on, ${JOIN_WAITS_ON} AS join_waits_on${parts.chain || parts.backlog ? `,
       ${CLAIMED_COLUMNS}
     FROM f LEFT JOIN cl ON cl.i = f.i` : `
     FROM f`}`);
}

/** The variants, each its own prepared statement (made when first used), by name. */
const FINISH_STATEMENTS = new Map<string, NamedStatement>();

function finishVariant(parts: FinishParts): { name: string; statement: NamedStatement } {
  const name = `finishAttempts${parts.effects ? 'WithEffects' : ''}${parts.chain ? 'Chain' : ''}${parts.backlog ? 'Backlog' : ''}`;
  let statement = FINISH_STATEMENTS.get(name);
  if (statement === undefined) FINISH_STATEMENTS.set(name, (statement = finishStatement(parts)));
  return { name, statement };
}

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
  if (f.some((x) => x.chainClaim !== undefined && x.backlogClaim !== undefined)) {
    throw new UpdraftError('INVALID_ARGUMENT', 'finishAttempts: an input carries both a chain claim and a backlog claim (a reporting worker offers one slot)');
  }
  const chain = f.some((x) => x.chainClaim !== undefined);
  const backlog = f.some((x) => x.backlogClaim !== undefined);
  const effects = f.some(hasEffects);
  const { name, statement } = finishVariant({ effects, chain, backlog });
  const finished = await rows<ClaimedColumns & {
    i: string; dag_run_id: string; dag_id: string; run_id: string; state: FinishedAttempt['state']; retry_in_ms: number | null;
    asset_dag_ids: string[]; run_goes_on: boolean; siblings_go_on: boolean; join_waits_on: string | null;
  }>(db, name, statement.text, namedValues(name, statement, {
    dag_id: f.map((x) => x.dagId), run_id: f.map((x) => x.runId), task_id: f.map((x) => x.taskId), map_index: f.map((x) => x.mapIndex),
    try_number: f.map((x) => x.tryNumber), token: f.map((x) => x.attemptToken), success: f.map((x) => x.success),
    exit_code: f.map((x) => x.exitCode), error: f.map((x) => x.error), duration_ms: f.map((x) => x.durationMs),
    return_value: f.map((x) => x.returnValueJson), retry_delay_ms: f.map((x) => x.retryDelayMs), kind: f.map((x) => x.kind ?? ''),
    sensor_timeout_ms: f.map((x) => x.sensor?.timeoutMs ?? null), soft_fail: f.map((x) => x.sensor?.softFail ?? false),
    pid: f.map((x) => x.pid ?? null), no_retry: f.map((x) => x.noRetry ?? false),
    retries: f.map((x) => x.backoff?.retries ?? null), max_retry_delay_ms: f.map((x) => x.backoff?.maxDelayMs ?? null),
    join_i: f.flatMap((x, k) => (x.joinOthers ?? []).map(() => k + 1)), join_task_id: f.flatMap((x) => x.joinOthers ?? []),
    ...(effects ? effectParams(f) : {}),
    ...(chain ? chainClaimParams(f) : {}),
    ...(backlog ? backlogClaimParams(f) : {}),
  }), { prepare: true });
  for (const r of finished) {
    const at = valid[Number(r.i) - 1]!.at;
    const claimed = chain || backlog ? claimedOf(r) : null;
    const made = claimed === null ? null : { attempt: claimed.attempt, claimed: claimedAttemptOf(claimed.row), logPath: claimed.logPath };
    const byBacklog = finishes[at]!.backlogClaim !== undefined;
    out[at] = {
      dagRunId: String(r.dag_run_id), state: r.state, retryInMs: r.retry_in_ms, assetQueuedDagIds: r.asset_dag_ids,
      runGoesOn: r.run_goes_on, siblingsGoOn: r.siblings_go_on, joinWaitsOn: r.join_waits_on,
      chainClaimed: byBacklog ? null : made,
      backlogClaimed: byBacklog ? made : null,
    };
  }
  return out;
}

/** True when the input needs the statement's effects (EFFECT_CTES). */
function hasEffects(x: FinishInput): boolean {
  return (x.skipTaskIds?.length ?? 0) > 0 || hasEndEffects([x]) || (x.outlets?.length ?? 0) > 0 || (x.aliasEvents?.length ?? 0) > 0;
}

/**
 * The asset events a success records: its declared outlets, then the assets it added through
 * aliases, one row per asset (an asset added through an alias and declared too, or added through
 * two aliases, is one event, resolving each of those aliases; the last extra given wins).
 */
export function outletRows(x: Pick<FinishInput, 'outlets' | 'outletExtras' | 'aliasEvents'>): Array<{ uri: string; extra: string | null; aliases: string[] }> {
  const rows = new Map<string, { uri: string; extra: string | null; aliases: string[] }>();
  for (const uri of x.outlets ?? []) rows.set(uri, { uri, extra: x.outletExtras?.[uri] ?? null, aliases: [] });
  for (const e of x.aliasEvents ?? []) {
    const row = rows.get(e.uri);
    if (row === undefined) rows.set(e.uri, { uri: e.uri, extra: e.extra, aliases: [e.alias] });
    else {
      if (!row.aliases.includes(e.alias)) row.aliases.push(e.alias);
      if (e.extra !== '{}' || row.extra === null) row.extra = e.extra;
    }
  }
  return [...rows.values()];
}

/** The effects' parameters: each list's entries with the (1-based) position of their input. */
function effectParams(f: readonly FinishInput[]): Record<string, unknown[]> {
  const params = {
    skip_i: f.flatMap((x, k) => (x.skipTaskIds ?? []).map(() => k + 1)), skip_task_id: f.flatMap((x) => x.skipTaskIds ?? []),
    ...endEffectValues(f),
  };
  const outlets = f.map(outletRows);
  return {
    ...params,
    outlet_i: outlets.flatMap((rows, k) => rows.map(() => k + 1)), outlet_uri: outlets.flatMap((rows) => rows.map((r) => r.uri)),
    outlet_extra: outlets.flatMap((rows) => rows.map((r) => r.extra)),
    outlet_aliases: outlets.flatMap((rows) => rows.map((r) => (r.aliases.length === 0 ? null : JSON.stringify(r.aliases)))),
  };
}
