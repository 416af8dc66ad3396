/**
 * Task instances: queueing (a new try with a fresh attempt token and its try row), the states of a
 * run's tasks, tasks that will never run, queued attempts for republishing and supervision, and
 * the view people read. Transitions are compare-and-set UPDATEs guarded by the state they leave
 * (./transitions.ts), so a late or duplicated message can never move a task backwards.
 * Task timestamps use the database clock (now()).
 */
import type { Queryable } from '../db/types.js';
import { type AttemptRef, type QueuedAttempt, type RunKey, type TaskInstanceKey } from '../state/keys.js';
import { taskInstanceStateOf, type TaskInstanceState } from '../state/states.js';
import { newAttemptColumns } from './new-attempt.js';
import { query, rows } from './query.js';
import { taskTransition } from './transitions.js';

const QUEUE = taskTransition(['none', 'scheduled'], ['queued'], 'scheduled');
const RETRY_DUE = taskTransition(['up_for_retry', 'up_for_reschedule'], ['scheduled', 'none']);
const NOT_RUN = taskTransition(['none', 'scheduled'], ['skipped', 'upstream_failed', 'removed']);
/**
 * A due retry whose failed try no worker made (the scheduler ended it: a trigger task, a wait for
 * another DAG; or a person terminated it): it goes back to none and the run's evaluation starts it
 * again, which sends it where its kind goes (a map index too: mapped-evaluation.ts). Through
 * scheduled it would reach the admission statement, which queues for workers.
 */
const NO_WORKER_TRY = `ti.state = 'up_for_retry' AND ti.attempt_token IS NULL`;

/** A retry (or poke) that came due (scheduleDueRetries). */
export interface DueRetry {
  pool: string;
  dagId: string;
  runId: string;
  dagRunId: string;
  dagHash: string | null;
  /** It went back to none (no worker made its try): evaluate its run. Otherwise it waits in scheduled for the admission. */
  evaluate: boolean;
}

interface QueuedRow {
  dag_run_id: string; dag_id: string; run_id: string; task_id: string; map_index: number; try_number: number;
  attempt_token: string; queue: string; priority_weight: number;
}

const toQueued = (r: QueuedRow): QueuedAttempt => ({
  dagRunId: String(r.dag_run_id), dagId: r.dag_id, runId: r.run_id, taskId: r.task_id, mapIndex: r.map_index,
  tryNumber: r.try_number, attemptToken: r.attempt_token, queue: r.queue, priorityWeight: r.priority_weight,
});

// Columns reset when a new attempt is queued, and the try row written with it.
const NEW_ATTEMPT = newAttemptColumns({ queuedAt: 'now()' });
const RETURN_QUEUED = 'ti.dag_run_id, ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number, ti.attempt_token, ti.queue, ti.priority_weight, ti.queued_at';
const INSERT_TRIES = `
  ins AS (
    INSERT INTO task_instance_try (dag_id, run_id, task_id, map_index, try_number, attempt_token, state, queued_at)
    SELECT dag_id, run_id, task_id, map_index, try_number, attempt_token, 'queued', queued_at FROM q
    ON CONFLICT (dag_id, run_id, task_id, map_index, try_number)
      DO UPDATE SET attempt_token = EXCLUDED.attempt_token, state = 'queued', queued_at = EXCLUDED.queued_at)`;

/**
 * none|scheduled -> (scheduled ->) queued for the given tasks of one run: a new try with a fresh
 * attempt token, and its try row, whatever the pools and limits say (admission.ts hands out slots). Tasks no longer in none/scheduled are left alone (not returned).
 */
export async function queueTasks(db: Queryable, run: RunKey, taskIds: readonly string[]): Promise<QueuedAttempt[]> {
  if (taskIds.length === 0) return [];
  const result = await rows<QueuedRow>(db, 'queueTasks',
    `WITH q AS (
       UPDATE task_instance ti SET state = 'queued', scheduled_at = now(), ${NEW_ATTEMPT}
       WHERE ti.dag_id = $1 AND ti.run_id = $2 AND ti.task_id = ANY($3::text[]) AND ${QUEUE.guard('ti')}
       RETURNING ${RETURN_QUEUED}),
     ${INSERT_TRIES}
     SELECT * FROM q`,
    [run.dagId, run.runId, taskIds], { prepare: true });
  return result.map(toQueued);
}

/**
 * up_for_retry | up_for_reschedule -> scheduled for every retry (or sensor's next poke) whose next_retry_at has come, in running DAG runs, at
 * most `limit` of them (earliest first): they wait for a place like any ready task (admission.ts),
 * in their run's logical-date order (run_logical_date).
 * A retry of a try no worker made -> none instead (NO_WORKER_TRY). Returns the rows moved.
 */
export async function scheduleDueRetries(db: Queryable, limit: number): Promise<DueRetry[]> {
  const result = await rows<{ pool: string; dag_id: string; run_id: string; dag_run_id: string; dag_hash: string | null; state: string | null }>(db, 'scheduleDueRetries',
    `WITH due AS (
       SELECT ti.dag_id, ti.run_id, ti.task_id, ti.map_index, r.dag_hash, r.logical_date FROM task_instance ti
       JOIN dag_run r ON r.id = ti.dag_run_id AND r.state = 'running'
       WHERE ti.state IN ('up_for_retry', 'up_for_reschedule') AND ti.next_retry_at <= now()
       ORDER BY ti.next_retry_at LIMIT $1 FOR UPDATE OF ti SKIP LOCKED)
     UPDATE task_instance ti SET state = CASE WHEN ${NO_WORKER_TRY} THEN NULL ELSE 'scheduled' END,
       scheduled_at = CASE WHEN ${NO_WORKER_TRY} THEN ti.scheduled_at ELSE now() END, run_logical_date = due.logical_date,
       wait_reason = NULL, updated_at = now()
     FROM due WHERE ti.dag_id = due.dag_id AND ti.run_id = due.run_id AND ti.task_id = due.task_id
       AND ti.map_index = due.map_index AND ${RETRY_DUE.guard('ti')}
     RETURNING ti.pool, ti.dag_id, ti.run_id, ti.dag_run_id, due.dag_hash, ti.state`,
    [limit]);
  return result.map((r) => ({
    pool: r.pool, dagId: r.dag_id, runId: r.run_id, dagRunId: String(r.dag_run_id), dagHash: r.dag_hash, evaluate: r.state === null,
  }));
}

/** Milliseconds until the earliest pending retry, sensor poke or deferred wait in a running run (<= 0: due now), or null when none. */
export async function msUntilNextRetry(db: Queryable): Promise<number | null> {
  const result = await rows<{ ms: number | null }>(db, 'msUntilNextRetry',
    `SELECT (EXTRACT(EPOCH FROM (min(ti.next_retry_at) - now())) * 1000)::float8 AS ms
     FROM task_instance ti JOIN dag_run r ON r.id = ti.dag_run_id AND r.state = 'running'
     WHERE ti.state IN ('up_for_retry', 'up_for_reschedule', 'deferred')`);
  return result[0]?.ms ?? null;
}

/**
 * none|scheduled -> skipped | upstream_failed | removed for tasks that will never run.
 * Returns the task ids that moved.
 */
export async function markNotRun(
  db: Queryable,
  run: RunKey,
  taskIds: readonly string[],
  state: 'skipped' | 'upstream_failed' | 'removed',
): Promise<string[]> {
  if (taskIds.length === 0) return [];
  const result = await rows<{ task_id: string }>(db, 'markNotRun',
    `UPDATE task_instance ti SET state = $4, ended_at = now(), updated_at = now()
     WHERE ti.dag_id = $1 AND ti.run_id = $2 AND ti.task_id = ANY($3::text[]) AND ${NOT_RUN.guard('ti')}
     RETURNING ti.task_id`,
    [run.dagId, run.runId, taskIds, state], { prepare: true });
  return result.map((r) => r.task_id);
}

/** States of the given tasks of one run (all tasks when `taskIds` is null). */
export async function taskStates(db: Queryable, run: RunKey, taskIds: readonly string[] | null): Promise<Map<string, TaskInstanceState>> {
  const result = taskIds === null
    ? await rows<{ task_id: string; state: string | null }>(db, 'taskStates',
      'SELECT task_id, state FROM task_instance WHERE dag_run_id = $1', [run.dagRunId])
    : await rows<{ task_id: string; state: string | null }>(db, 'taskStatesOf',
      'SELECT task_id, state FROM task_instance WHERE dag_id = $1 AND run_id = $2 AND task_id = ANY($3::text[])',
      [run.dagId, run.runId, taskIds], { prepare: true });
  return new Map(result.map((r) => [r.task_id, taskInstanceStateOf(r.state)]));
}

/**
 * Whether any of these tasks of the run is unfinished. Walks only the run's unfinished rows
 * (task_instance_unfinished_state_idx) and stops at the first match: a wide fan-in's join asks it on
 * each upstream end instead of reading every upstream's state.
 */
export async function anyUnfinished(db: Queryable, run: RunKey, taskIds: readonly string[]): Promise<boolean> {
  const result = await rows<{ task_id: string }>(db, 'anyUnfinished',
    `SELECT task_id FROM task_instance
      WHERE dag_run_id = $1 AND (state IS NULL OR state IN ('scheduled', 'queued', 'running', 'up_for_retry', 'up_for_reschedule', 'deferred'))
        AND task_id = ANY($2::text[])
      LIMIT 1`,
    [run.dagRunId, taskIds], { prepare: true });
  return result.length > 0;
}

/** One unfinishedExceptMany probe: a run, the task ids left out, and how many ids at most. */
export interface UnfinishedProbe {
  dagRunId: string;
  except: readonly string[];
  limit: number;
}

/**
 * For each probe, up to `limit` unfinished task ids of its run other than `except` (a task id
 * once per row, so a mapped task may repeat). For a fan-in wider than the rest of its DAG: asking
 * with the few tasks that are not its upstreams costs a small parameter, where anyUnfinished would
 * send (and PostgreSQL parse and compare) the whole upstream list on each upstream's end. The
 * probes of upstreams whose ends are evaluated together go in one statement.
 */
export async function unfinishedExceptMany(db: Queryable, probes: readonly UnfinishedProbe[]): Promise<string[][]> {
  const result = await rows<{ i: string; task_id: string }>(db, 'unfinishedExceptMany',
    `SELECT p.i, u.task_id
       FROM unnest($1::bigint[], $2::int[]) WITH ORDINALITY AS p(dag_run_id, lim, i)
       CROSS JOIN LATERAL (
         SELECT ti.task_id FROM task_instance ti
          WHERE ti.dag_run_id = p.dag_run_id AND (ti.state IS NULL OR ti.state IN ('scheduled', 'queued', 'running', 'up_for_retry', 'up_for_reschedule', 'deferred'))
            AND NOT EXISTS (SELECT 1 FROM unnest($3::int[], $4::text[]) AS e(i, task_id) WHERE e.i = p.i AND e.task_id = ti.task_id)
          -- Backwards through task_instance_unfinished_state_idx: running rows come before queued ones,
          -- and the queued rows that went on since (in queue order) leave entries only a forward walk meets.
          ORDER BY ti.state DESC
          LIMIT p.lim) u`,
    [probes.map((p) => p.dagRunId), probes.map((p) => p.limit),
      probes.flatMap((p, k) => p.except.map(() => k + 1)), probes.flatMap((p) => p.except)],
    { prepare: true });
  const out: string[][] = probes.map(() => []);
  for (const r of result) out[Number(r.i) - 1]!.push(r.task_id);
  return out;
}


/** The current attempt of a task instance (for explaining a refused claim or report), or null. */
export async function currentAttempt(db: Queryable, k: TaskInstanceKey): Promise<{ state: TaskInstanceState; tryNumber: number; attemptToken: string | null } | null> {
  const result = await rows<{ state: string | null; try_number: number; attempt_token: string | null }>(db, 'currentAttempt',
    'SELECT state, try_number, attempt_token FROM task_instance WHERE dag_id = $1 AND run_id = $2 AND task_id = $3 AND map_index = $4',
    [k.dagId, k.runId, k.taskId, k.mapIndex]);
  const r = result[0];
  return r === undefined ? null : { state: taskInstanceStateOf(r.state), tryNumber: r.try_number, attemptToken: r.attempt_token };
}

/** Where a page of queuedAttemptsPage ended (its last row's sort key). */
export interface QueuedCursor {
  /** queued_at as PostgreSQL prints it (microseconds: a Date would cut them). */
  queuedAt: string; dagId: string; runId: string; taskId: string; mapIndex: number;
}

/**
 * Queued attempts, oldest first (then by key: a mapped task's instances in map-index order), at
 * most `limit` after `after`: what the publish repair re-sends on start. `next`: the cursor of the
 * following page, null after the last one.
 */
export async function queuedAttemptsPage(db: Queryable, limit: number, after: QueuedCursor | null): Promise<{ attempts: QueuedAttempt[]; next: QueuedCursor | null }> {
  const result = await rows<QueuedRow & { queued_at_text: string }>(db, 'queuedAttemptsPage',
    `SELECT ${RETURN_QUEUED}, ti.queued_at::text AS queued_at_text FROM task_instance ti
     WHERE ti.state = 'queued'
       AND ($2::timestamptz IS NULL OR (ti.queued_at, ti.dag_id, ti.run_id, ti.task_id, ti.map_index) > ($2::timestamptz, $3, $4, $5, $6))
     ORDER BY ti.queued_at, ti.dag_id, ti.run_id, ti.task_id, ti.map_index LIMIT $1`,
    [limit, after?.queuedAt ?? null, after?.dagId ?? null, after?.runId ?? null, after?.taskId ?? null, after?.mapIndex ?? null]);
  const last = result.at(-1);
  const next = result.length < limit || last === undefined ? null
    : { queuedAt: last.queued_at_text, dagId: last.dag_id, runId: last.run_id, taskId: last.task_id, mapIndex: last.map_index };
  return { attempts: result.map(toQueued), next };
}

function attemptColumns(a: readonly AttemptRef[]): unknown[] {
  return [a.map((x) => x.dagId), a.map((x) => x.runId), a.map((x) => x.taskId), a.map((x) => x.mapIndex),
    a.map((x) => x.tryNumber), a.map((x) => x.attemptToken)];
}

/** Which of these attempts are still queued with the same try and token (worth republishing). */
export async function stillQueued(db: Queryable, attempts: readonly QueuedAttempt[]): Promise<QueuedAttempt[]> {
  if (attempts.length === 0) return [];
  const result = await rows<{ i: number }>(db, 'stillQueued',
    `SELECT a.i FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::text[]) WITH ORDINALITY
       AS a(dag_id, run_id, task_id, map_index, try_number, token, i)
     JOIN task_instance ti ON ti.dag_id = a.dag_id AND ti.run_id = a.run_id AND ti.task_id = a.task_id
       AND ti.map_index = a.map_index AND ti.try_number = a.try_number AND ti.attempt_token::text = lower(a.token)
     WHERE ti.state IS NOT DISTINCT FROM 'queued'`,
    attemptColumns(attempts));
  return result.map((r) => attempts[Number(r.i) - 1]!);
}

/**
 * Indexes (into `attempts`) of attempts that are not the current attempt of their task. A worker
 * lists an attempt in heartbeats from the moment it pulls it, before its claim lands, so a queued
 * row with the same try and token is current too (killing it would fail a task that is starting).
 */
export async function notRunning(db: Queryable, attempts: readonly AttemptRef[]): Promise<StaleAttempt[]> {
  if (attempts.length === 0) return [];
  // The reason is read only for the attempts that are stale: the lateral join's condition
  // `ti.task_id IS NULL` is false for current attempts, so their try rows are never read.
  const result = await rows<{ i: number; try_state: string | null; try_error: string | null }>(db, 'notRunning',
    `SELECT a.i, t.state AS try_state, t.error AS try_error
     FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::text[]) WITH ORDINALITY
       AS a(dag_id, run_id, task_id, map_index, try_number, token, i)
     LEFT JOIN task_instance ti ON ti.dag_id = a.dag_id AND ti.run_id = a.run_id AND ti.task_id = a.task_id
       AND ti.map_index = a.map_index AND ti.state IN ('queued', 'running') AND ti.try_number = a.try_number
       AND ti.attempt_token::text = lower(a.token)
     LEFT JOIN LATERAL (SELECT tt.state, tt.error FROM task_instance_try tt
       WHERE ti.task_id IS NULL AND tt.dag_id = a.dag_id AND tt.run_id = a.run_id AND tt.task_id = a.task_id
         AND tt.map_index = a.map_index AND tt.try_number = a.try_number) t ON true
     WHERE ti.task_id IS NULL`,
    attemptColumns(attempts));
  return result.map((r) => ({ index: Number(r.i) - 1, reason: staleReason(r.try_state, r.try_error) }));
}

/** An attempt a worker runs that is no longer current, and why (for the task's log). */
export interface StaleAttempt {
  /** Its index in the list asked about. */
  index: number;
  reason: string;
}

/** Why an attempt is no longer current, from its try row as the scheduler ended it. */
function staleReason(tryState: string | null, tryError: string | null): string {
  if (tryState === null) return 'its task instance no longer exists (its run was deleted)';
  if (tryError !== null && tryError !== '') return `the scheduler ended this try: ${tryError}`;
  if (tryState === 'queued' || tryState === 'running') return 'another attempt of this try holds the task instance now';
  return `the scheduler ended this try (${tryState})`;
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
  const result = await rows<{ queue: string; n: number }>(db, 'longQueuedCounts',
    `SELECT ti.queue, count(*)::int AS n FROM task_instance ti
     WHERE ti.state = 'queued' AND ti.queued_at < now() - $1::float8 * interval '1 millisecond'
     GROUP BY ti.queue`,
    [olderThanMs]);
  return new Map(result.map((r) => [r.queue, r.n]));
}

/** Attempts of `queue` queued (or last requeued) more than `olderThanMs` ago, oldest first, at most `limit`. */
export async function longQueuedAttempts(db: Queryable, queue: string, olderThanMs: number, limit: number): Promise<LongQueuedAttempt[]> {
  const result = await rows<QueuedRow & { requeue_count: number; last_requeue_reason: string | null; queued_ms: number }>(
    db, 'longQueuedAttempts',
    `SELECT ti.dag_run_id, ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number, ti.attempt_token::text AS attempt_token,
       ti.queue, ti.priority_weight, ti.requeue_count, ti.last_requeue_reason,
       (EXTRACT(EPOCH FROM (now() - ti.queued_at)) * 1000)::float8 AS queued_ms
     FROM task_instance ti
     WHERE ti.state = 'queued' AND ti.queue = $1 AND ti.queued_at < now() - $2::float8 * interval '1 millisecond'
     ORDER BY ti.queued_at LIMIT $3`,
    [queue, olderThanMs, limit]);
  return result.map((r) => ({
    ...toQueued(r), requeueCount: r.requeue_count, lastRequeueReason: r.last_requeue_reason, queuedMs: r.queued_ms,
  }));
}

/**
 * Records `reason` (e.g. "no worker serves queue X") as last_requeue_reason of the attempts of
 * `queue` queued more than `olderThanMs` ago, without spending their requeue budget. Returns how
 * many rows changed (rows already carrying that reason are left alone).
 */
export async function noteQueuedReason(db: Queryable, queue: string, reason: string, olderThanMs: number): Promise<number> {
  const { rowCount } = await query(db, 'noteQueuedReason',
    `UPDATE task_instance ti SET last_requeue_reason = $2, updated_at = now()
     WHERE ti.state = 'queued' AND ti.queue = $1 AND ti.queued_at < now() - $3::float8 * interval '1 millisecond'
       AND ti.last_requeue_reason IS DISTINCT FROM $2`,
    [queue, reason, olderThanMs]);
  return rowCount ?? 0;
}

/** A task instance as people read it (CLI `tasks states`, the API). */
export interface TaskInstanceView {
  taskId: string;
  mapIndex: number;
  state: TaskInstanceState;
  /** The current (or last) try; 0 before the first one is queued. */
  tryNumber: number;
  maxTries: number;
  queue: string;
  operator: string;
  /** The worker that runs (ran) the current try: its name when it is registered, else its id. */
  worker: string | null;
  hostname: string | null;
  queuedAt: Date | null;
  startedAt: Date | null;
  endedAt: Date | null;
  durationMs: number | null;
  exitCode: number | null;
  error: string | null;
  /** Requeues of a lost queued attempt (their own budget, separate from retries) and the last reason. */
  requeueCount: number;
  lastRequeueReason: string | null;
  nextRetryAt: Date | null;
  /** Why a task instance that is not queued yet waits (depends_on_past, ...); null when nothing holds it back. */
  waitReason: string | null;
  /** A mapped instance's name from its task's mapIndexTemplate; null without one (or before its first try). */
  renderedMapIndex: string | null;
}

/** The task instances of one run, in the order they started (not started last, then by task id). */
export async function listRunTaskInstances(db: Queryable, dagId: string, runId: string): Promise<TaskInstanceView[]> {
  const result = await rows<{
    task_id: string; map_index: number; state: string | null; try_number: number; max_tries: number; queue: string;
    operator: string; worker: string | null; hostname: string | null; queued_at: Date | null; started_at: Date | null;
    ended_at: Date | null; duration_ms: number | null; exit_code: number | null; error: string | null;
    requeue_count: number; last_requeue_reason: string | null; next_retry_at: Date | null; wait_reason: string | null;
    rendered_map_index: string | null;
  }>(db, 'listRunTaskInstances',
    `SELECT ti.task_id, ti.map_index, ti.state, ti.try_number, ti.max_tries, ti.queue, ti.operator,
            COALESCE(w.worker_name, ti.worker_id) AS worker, ti.hostname, ti.queued_at, ti.started_at, ti.ended_at,
            ti.duration_ms, ti.exit_code, ti.error, ti.requeue_count, ti.last_requeue_reason, ti.next_retry_at,
            ti.wait_reason, ti.rendered_map_index
       FROM task_instance ti LEFT JOIN worker w ON w.worker_id = ti.worker_id
      WHERE ti.dag_id = $1 AND ti.run_id = $2
      ORDER BY ti.started_at NULLS LAST, ti.task_id, ti.map_index`,
    [dagId, runId]);
  return result.map((r) => ({
    taskId: r.task_id, mapIndex: r.map_index, state: taskInstanceStateOf(r.state), tryNumber: r.try_number, maxTries: r.max_tries,
    queue: r.queue, operator: r.operator, worker: r.worker, hostname: r.hostname, queuedAt: r.queued_at, startedAt: r.started_at,
    endedAt: r.ended_at, durationMs: r.duration_ms, exitCode: r.exit_code, error: r.error, requeueCount: r.requeue_count,
    lastRequeueReason: r.last_requeue_reason, nextRetryAt: r.next_retry_at, waitReason: r.wait_reason, renderedMapIndex: r.rendered_map_index,
  }));
}

/** One task instance's state (mapped tasks have one row per map index; -1 until expanded). */
export interface InstanceState {
  taskId: string;
  mapIndex: number;
  state: TaskInstanceState;
}

/** Every task instance of a run with its map index and state (for DAGs with mapped tasks). */
export async function instanceStates(db: Queryable, run: RunKey): Promise<InstanceState[]> {
  const result = await rows<{ task_id: string; map_index: number; state: string | null }>(db, 'instanceStates',
    'SELECT task_id, map_index, state FROM task_instance WHERE dag_run_id = $1', [run.dagRunId], { prepare: true });
  return result.map((r) => ({ taskId: r.task_id, mapIndex: r.map_index, state: taskInstanceStateOf(r.state) }));
}

/** A mapped task of one run: which of its instances are unfinished is asked (mappedUnfinished). */
export interface MappedTaskRef {
  dagId: string;
  runId: string;
  taskId: string;
}

/**
 * For each mapped task, whether some instance of it (map_index >= 0) has not finished yet. One
 * statement for the batch: concurrent reports of mapped instances ask together.
 */
export async function mappedUnfinished(db: Queryable, refs: readonly MappedTaskRef[]): Promise<boolean[]> {
  if (refs.length === 0) return [];
  // Scans each task's instances from the highest map index: instances tend to finish in index order.
  const result = await rows<{ i: string }>(db, 'mappedUnfinished',
    `SELECT a.i FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS a(dag_id, run_id, task_id, i)
     CROSS JOIN LATERAL (
       SELECT 1 FROM task_instance ti WHERE ti.dag_id = a.dag_id AND ti.run_id = a.run_id AND ti.task_id = a.task_id
         AND ti.map_index >= 0 AND (ti.state IS NULL OR ti.state NOT IN ('success', 'failed', 'skipped', 'upstream_failed', 'removed'))
       ORDER BY ti.map_index DESC LIMIT 1) u`,
    [refs.map((r) => r.dagId), refs.map((r) => r.runId), refs.map((r) => r.taskId)], { prepare: true });
  const out = refs.map(() => false);
  for (const r of result) out[Number(r.i) - 1] = true;
  return out;
}
