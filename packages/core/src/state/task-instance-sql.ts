/**
 * Task-instance transitions in SQL. Each function is ONE statement: a compare-and-set UPDATE
 * guarded by the state it leaves (and, for attempts, by try number and attempt token), with the
 * matching task_instance_try row written in the same statement (data-modifying CTE), so a late or
 * duplicated message can never move a task backwards or finish it twice.
 * Task timestamps use the database clock (now()).
 */
import type { Queryable } from '../db/types.js';
import { taskInstanceStateOf } from './states.js';
import type { TaskInstanceState } from './states.js';

export interface TaskInstanceKey {
  dagId: string;
  runId: string;
  taskId: string;
  mapIndex: number;
}

/** An attempt that was just queued: what goes into its TaskMessage. */
export interface QueuedAttempt extends TaskInstanceKey {
  dagRunId: string;
  tryNumber: number;
  attemptToken: string;
  queue: string;
  priorityWeight: number;
}

interface QueuedRow {
  dag_run_id: string;
  dag_id: string;
  run_id: string;
  task_id: string;
  map_index: number;
  try_number: number;
  attempt_token: string;
  queue: string;
  priority_weight: number;
}

const toQueued = (r: QueuedRow): QueuedAttempt => ({
  dagRunId: String(r.dag_run_id), dagId: r.dag_id, runId: r.run_id, taskId: r.task_id, mapIndex: r.map_index,
  tryNumber: r.try_number, attemptToken: r.attempt_token, queue: r.queue, priorityWeight: r.priority_weight,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A token that is not a UUID can never be current; callers treat it as a refused attempt. */
export const isAttemptToken = (token: string): boolean => UUID.test(token);

// Columns reset when a new attempt is queued, and the try row written with it.
const NEW_ATTEMPT = `
    try_number = ti.try_number + 1, attempt_token = gen_random_uuid(), queued_at = now(),
    next_retry_at = NULL, started_at = NULL, ended_at = NULL, duration_ms = NULL, worker_id = NULL,
    hostname = NULL, pid = NULL, exit_code = NULL, error = NULL, updated_at = now()`;
/*
 * State guards on single rows are written `IS NOT DISTINCT FROM` (same meaning for a non-null
 * literal): it keeps the planner on the primary key instead of a partial index over every row in
 * that state (e.g. thousands of queued rows), whatever the table statistics say.
 */
const WAITING = `(ti.state IS NULL OR ti.state IS NOT DISTINCT FROM 'scheduled')`;
const RETURN_QUEUED = 'ti.dag_run_id, ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number, ti.attempt_token, ti.queue, ti.priority_weight, ti.queued_at';
const INSERT_TRIES = `
  ins AS (
    INSERT INTO task_instance_try (dag_id, run_id, task_id, map_index, try_number, attempt_token, state, queued_at)
    SELECT dag_id, run_id, task_id, map_index, try_number, attempt_token, 'queued', queued_at FROM q
    ON CONFLICT (dag_id, run_id, task_id, map_index, try_number)
      DO UPDATE SET attempt_token = EXCLUDED.attempt_token, state = 'queued', queued_at = EXCLUDED.queued_at)`;

/** Identifies a DAG run; task instances are looked up by primary key (dag_id, run_id, task_id). */
export interface RunKey {
  dagRunId: string;
  dagId: string;
  runId: string;
}

/**
 * none|scheduled -> (scheduled ->) queued for the given tasks of one run: a new try with a fresh
 * attempt token, and its try row. Tasks no longer in none/scheduled are left alone (not returned).
 */
export async function queueTasks(db: Queryable, run: RunKey, taskIds: readonly string[]): Promise<QueuedAttempt[]> {
  if (taskIds.length === 0) return [];
  const { rows } = await db.query<QueuedRow>({
    name: 'updraft_queue_tasks',
    text: `WITH q AS (
       UPDATE task_instance ti SET state = 'queued', scheduled_at = now(), ${NEW_ATTEMPT}
       WHERE ti.dag_id = $1 AND ti.run_id = $2 AND ti.task_id = ANY($3::text[]) AND ${WAITING}
       RETURNING ${RETURN_QUEUED}),
     ${INSERT_TRIES}
     SELECT * FROM q`,
    values: [run.dagId, run.runId, taskIds],
  });
  return rows.map(toQueued);
}

/**
 * up_for_retry -> (scheduled ->) queued for every retry whose next_retry_at has come, in running
 * DAG runs, at most `limit` of them (earliest first).
 */
export async function queueDueRetries(db: Queryable, limit: number): Promise<QueuedAttempt[]> {
  const { rows } = await db.query<QueuedRow>(
    `WITH due AS (
       SELECT ti.dag_id, ti.run_id, ti.task_id, ti.map_index FROM task_instance ti
       JOIN dag_run r ON r.id = ti.dag_run_id AND r.state = 'running'
       WHERE ti.state = 'up_for_retry' AND ti.next_retry_at <= now()
       ORDER BY ti.next_retry_at LIMIT $1 FOR UPDATE OF ti SKIP LOCKED),
     q AS (
       UPDATE task_instance ti SET state = 'queued', scheduled_at = now(), ${NEW_ATTEMPT}
       FROM due WHERE ti.dag_id = due.dag_id AND ti.run_id = due.run_id AND ti.task_id = due.task_id
         AND ti.map_index = due.map_index AND ti.state = 'up_for_retry'
       RETURNING ${RETURN_QUEUED}),
     ${INSERT_TRIES}
     SELECT * FROM q`,
    [limit],
  );
  return rows.map(toQueued);
}

/** Milliseconds until the earliest pending retry in a running run (<= 0: due now), or null when none. */
export async function msUntilNextRetry(db: Queryable): Promise<number | null> {
  const { rows } = await db.query<{ ms: number | null }>(
    `SELECT (EXTRACT(EPOCH FROM (min(ti.next_retry_at) - now())) * 1000)::float8 AS ms
     FROM task_instance ti JOIN dag_run r ON r.id = ti.dag_run_id AND r.state = 'running'
     WHERE ti.state = 'up_for_retry'`,
  );
  return rows[0]?.ms ?? null;
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
  const { rows } = await db.query<{ task_id: string }>({
    name: 'updraft_mark_not_run',
    text: `UPDATE task_instance ti SET state = $4, ended_at = now(), updated_at = now()
     WHERE ti.dag_id = $1 AND ti.run_id = $2 AND ti.task_id = ANY($3::text[]) AND ${WAITING}
     RETURNING ti.task_id`,
    values: [run.dagId, run.runId, taskIds, state],
  });
  return rows.map((r) => r.task_id);
}

/** States of the given tasks of one run (all tasks when `taskIds` is null). */
export async function taskStates(db: Queryable, run: RunKey, taskIds: readonly string[] | null): Promise<Map<string, TaskInstanceState>> {
  const { rows } = taskIds === null
    ? await db.query<{ task_id: string; state: string | null }>(
      'SELECT task_id, state FROM task_instance WHERE dag_run_id = $1', [run.dagRunId])
    : await db.query<{ task_id: string; state: string | null }>({
      name: 'updraft_task_states',
      text: 'SELECT task_id, state FROM task_instance WHERE dag_id = $1 AND run_id = $2 AND task_id = ANY($3::text[])',
      values: [run.dagId, run.runId, taskIds],
    });
  return new Map(rows.map((r) => [r.task_id, taskInstanceStateOf(r.state)]));
}
/** The current attempt of a task instance (for explaining a refused claim or report), or null. */
export async function currentAttempt(db: Queryable, k: TaskInstanceKey): Promise<{ state: TaskInstanceState; tryNumber: number; attemptToken: string | null } | null> {
  const { rows } = await db.query<{ state: string | null; try_number: number; attempt_token: string | null }>(
    'SELECT state, try_number, attempt_token FROM task_instance WHERE dag_id = $1 AND run_id = $2 AND task_id = $3 AND map_index = $4',
    [k.dagId, k.runId, k.taskId, k.mapIndex],
  );
  const r = rows[0];
  return r === undefined ? null : { state: taskInstanceStateOf(r.state), tryNumber: r.try_number, attemptToken: r.attempt_token };
}

/** Every queued attempt (at most `limit`, oldest first): what the publish repair re-sends on start. */
export async function queuedAttempts(db: Queryable, limit: number): Promise<QueuedAttempt[]> {
  const { rows } = await db.query<QueuedRow>(
    `SELECT ${RETURN_QUEUED} FROM task_instance ti WHERE ti.state = 'queued' ORDER BY ti.queued_at LIMIT $1`,
    [limit],
  );
  return rows.map(toQueued);
}

/** Which of these attempts are still queued with the same try and token (worth republishing). */
export async function stillQueued(db: Queryable, attempts: readonly QueuedAttempt[]): Promise<QueuedAttempt[]> {
  if (attempts.length === 0) return [];
  const { rows } = await db.query<{ i: number }>(
    `SELECT a.i FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::text[]) WITH ORDINALITY
       AS a(dag_id, run_id, task_id, map_index, try_number, token, i)
     JOIN task_instance ti ON ti.dag_id = a.dag_id AND ti.run_id = a.run_id AND ti.task_id = a.task_id
       AND ti.map_index = a.map_index AND ti.try_number = a.try_number AND ti.attempt_token::text = lower(a.token)
     WHERE ti.state IS NOT DISTINCT FROM 'queued'`,
    columns(attempts),
  );
  return rows.map((r) => attempts[Number(r.i) - 1]!);
}

export interface AttemptRef extends TaskInstanceKey {
  tryNumber: number;
  attemptToken: string;
}

/**
 * Indexes (into `attempts`) of attempts that are not the current attempt of their task. A worker
 * lists an attempt in heartbeats from the moment it pulls it, before its claim lands, so a queued
 * row with the same try and token is current too (killing it would fail a task that is starting).
 */
export async function notRunning(db: Queryable, attempts: readonly AttemptRef[]): Promise<number[]> {
  if (attempts.length === 0) return [];
  const { rows } = await db.query<{ i: number }>(
    `SELECT a.i FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::text[]) WITH ORDINALITY
       AS a(dag_id, run_id, task_id, map_index, try_number, token, i)
     LEFT JOIN task_instance ti ON ti.dag_id = a.dag_id AND ti.run_id = a.run_id AND ti.task_id = a.task_id
       AND ti.map_index = a.map_index AND ti.state IN ('queued', 'running') AND ti.try_number = a.try_number
       AND ti.attempt_token::text = lower(a.token)
     WHERE ti.task_id IS NULL`,
    columns(attempts),
  );
  return rows.map((r) => Number(r.i) - 1);
}

function columns(a: readonly AttemptRef[]): unknown[] {
  return [a.map((x) => x.dagId), a.map((x) => x.runId), a.map((x) => x.taskId), a.map((x) => x.mapIndex),
    a.map((x) => x.tryNumber), a.map((x) => x.attemptToken)];
}
