/**
 * The alert outbox (declarative notifiers: slack(), email(), webhook()). Rows are recorded by the
 * statements that change the states they report (attempts.ts, dag-runs.ts, callbacks.ts), one per
 * notifier, keyed by event and notifier index (the idempotency key). The scheduler's sender claims
 * due rows with a lease, and marks each sent, pending again later (a retry), or failed; every mark
 * is guarded by the claim's attempt number, so a sender whose lease ran out cannot overwrite the
 * outcome of the one that took the row over.
 */
import type { AlertTarget } from '@updraft/sdk';
import type { Queryable } from '../db/types.js';
import { query, rows } from './query.js';
import { eventJoins } from './event-joins.js';

/** The channel the outbox's insert trigger notifies (migration 0012). */
export const ALERTS_CHANNEL = 'updraft_alerts';

/** One notifier of an event, to record with it. */
export interface AlertRequest {
  event: string;
  /** Position among the event's declarative notifiers. */
  index: number;
  target: AlertTarget;
}

/** The declarative notifiers of `events` in a serialized `alerts` map, flattened for the statements. */
export function alertRequestsOf(alerts: Partial<Record<string, AlertTarget[]>> | undefined, events: readonly string[]): AlertRequest[] {
  if (alerts === undefined) return [];
  return events.flatMap((event) => (alerts[event] ?? []).map((target, index) => ({ event, index, target })));
}

/** What every outbox row holds: the event it is for and where it goes. */
interface OutboxRow {
  id: string;
  dagId: string;
  runId: string;
  /** null for DAG run events. */
  taskId: string | null;
  mapIndex: number;
  tryNumber: number;
  event: string;
  notifierIndex: number;
  target: AlertTarget;
  /** Claims so far; a claim's marks are guarded by it. */
  attempts: number;
  createdAt: Date;
}

/** A claimed alert with what its message needs. */
export interface ClaimedAlert extends OutboxRow {
  exception: string | null;
  logicalDate: Date;
  conf: Record<string, unknown>;
  runState: string;
  /** The try's times for task events, the run's for DAG run events. */
  startedAt: Date | null;
  endedAt: Date | null;
  durationMs: number | null;
  maxTries: number;
  hostname: string | null;
  /** The try's log file relative to the log folder. */
  logPath: string | null;
}

/** True for an outbox row (of table alert_outbox, unaliased) whose run has ended. */
const RUN_ENDED = `EXISTS (SELECT 1 FROM dag_run r WHERE r.dag_id = alert_outbox.dag_id AND r.run_id = alert_outbox.run_id
  AND r.state IN ('success', 'failed'))`;

/**
 * pending (due) -> sending for at most `limit` rows, oldest first, and sending rows whose lease ran
 * out (their sender died): each gets a lease of `leaseMs` and one more attempt. With a group window
 * (`groupWindowMs` > 0), a task failure (onFailure) sent for the first time is due only once the
 * window after it was recorded has passed, or once its run has ended (no other failure of the run
 * can come: waiting longer would only delay it), and comes with every other pending failure of its
 * run to the same notifier (they go out as one message).
 */
export async function claimAlerts(db: Queryable, limit: number, leaseMs: number, groupWindowMs = 0): Promise<ClaimedAlert[]> {
  const result = await rows<{
    id: string; dag_id: string; run_id: string; task_id: string; map_index: number; try_number: number; event: string;
    notifier_index: number; target: AlertTarget; exception: string | null; attempts: number; created_at: Date;
    logical_date: Date; conf: Record<string, unknown> | null; run_state: string; started_at: Date | null; ended_at: Date | null;
    duration_ms: number | null; max_tries: number | null; hostname: string | null; log_path: string | null;
  }>(db, 'claimAlerts',
    `WITH due AS (
       SELECT id, dag_id, run_id, event, target FROM alert_outbox
       WHERE (state = 'pending' AND next_attempt_at <= now()
           AND ($3::float8 <= 0 OR event <> 'onFailure' OR attempts > 0 OR created_at <= now() - $3 * interval '1 millisecond'
             OR ${RUN_ENDED}))
          OR (state = 'sending' AND lease_until < now())
       ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED),
     siblings AS (
       SELECT o.id FROM alert_outbox o
       JOIN (SELECT DISTINCT dag_id, run_id, target FROM due WHERE event = 'onFailure') d
         ON o.dag_id = d.dag_id AND o.run_id = d.run_id AND o.target = d.target
       WHERE $3::float8 > 0 AND o.event = 'onFailure' AND o.state = 'pending' AND o.id NOT IN (SELECT id FROM due)
       FOR UPDATE OF o SKIP LOCKED),
     c AS (SELECT id FROM due UNION SELECT id FROM siblings),
     u AS (
       UPDATE alert_outbox o SET state = 'sending', attempts = o.attempts + 1,
         lease_until = now() + $2 * interval '1 millisecond'
       FROM c WHERE o.id = c.id
       RETURNING o.*)
     SELECT u.id, u.dag_id, u.run_id, u.task_id, u.map_index, u.try_number, u.event, u.notifier_index, u.target,
       u.exception, u.attempts, u.created_at, r.logical_date, r.conf, r.state AS run_state,
       CASE WHEN u.task_id = '' THEN r.start_date ELSE tt.started_at END AS started_at,
       CASE WHEN u.task_id = '' THEN r.end_date ELSE tt.ended_at END AS ended_at,
       CASE WHEN u.task_id = '' THEN EXTRACT(EPOCH FROM (r.end_date - r.start_date)) * 1000 ELSE tt.duration_ms END::float8 AS duration_ms,
       ti.max_tries, tt.hostname, tt.log_path
     FROM u
     ${eventJoins('u')}
     ORDER BY u.id`,
    [limit, leaseMs, groupWindowMs]);
  return result.map((r) => ({
    id: String(r.id), dagId: r.dag_id, runId: r.run_id, taskId: r.task_id === '' ? null : r.task_id, mapIndex: r.map_index,
    tryNumber: r.try_number, event: r.event, notifierIndex: r.notifier_index, target: r.target, exception: r.exception,
    attempts: r.attempts, createdAt: r.created_at, logicalDate: r.logical_date, conf: r.conf ?? {}, runState: r.run_state,
    startedAt: r.started_at, endedAt: r.ended_at, durationMs: r.duration_ms, maxTries: r.max_tries ?? 0, hostname: r.hostname,
    logPath: r.log_path,
  }));
}

/** sending -> sent, for the claim `attempt` of row `id`. False when the row was taken over meanwhile. */
export async function markAlertSent(db: Queryable, id: string, attempt: number): Promise<boolean> {
  const r = await query(db, 'markAlertSent',
    `UPDATE alert_outbox SET state = 'sent', sent_at = now(), lease_until = NULL, error = NULL
     WHERE id = $1 AND state = 'sending' AND attempts = $2`,
    [id, attempt]);
  return r.rowCount === 1;
}

/** sending -> pending (sent again in `delayMs`) with the error, or -> failed when `delayMs` is null. */
export async function markAlertUnsent(db: Queryable, id: string, attempt: number, error: string, delayMs: number | null): Promise<boolean> {
  const r = await query(db, 'markAlertUnsent',
    `UPDATE alert_outbox SET state = CASE WHEN $4::float8 IS NULL THEN 'failed' ELSE 'pending' END,
       next_attempt_at = CASE WHEN $4::float8 IS NULL THEN next_attempt_at ELSE now() + $4::float8 * interval '1 millisecond' END,
       lease_until = NULL, error = $3
     WHERE id = $1 AND state = 'sending' AND attempts = $2`,
    [id, attempt, error, delayMs]);
  return r.rowCount === 1;
}

/**
 * When the next row is due (a retry's time, the end of a failure's group window, or a lease that
 * runs out): `inMs`, null when none is open; `held`, whether a task failure waits for its group
 * window in a run that has not ended (its run's end makes it due: AlertSender.runEnded).
 */
export async function nextAlertDue(db: Queryable, groupWindowMs = 0): Promise<{ inMs: number | null; held: boolean }> {
  const result = await rows<{ ms: number | null; held: boolean | null }>(db, 'nextAlertDue',
    `WITH open AS (
       SELECT state, next_attempt_at, lease_until, created_at,
         $1::float8 > 0 AND event = 'onFailure' AND attempts = 0 AND state = 'pending' AND NOT ${RUN_ENDED} AS windowed
       FROM alert_outbox WHERE state IN ('pending', 'sending'))
     SELECT (EXTRACT(EPOCH FROM (min(CASE
         WHEN state = 'sending' THEN lease_until
         WHEN windowed THEN greatest(next_attempt_at, created_at + $1 * interval '1 millisecond')
         ELSE next_attempt_at END) - now())) * 1000)::float8 AS ms, bool_or(windowed) AS held
     FROM open`,
    [groupWindowMs]);
  const ms = result[0]?.ms ?? null;
  return { inMs: ms === null ? null : Math.max(0, ms), held: result[0]?.held === true };
}

/** An outbox row as listed (CLI, tests). */
export interface AlertRow extends OutboxRow {
  state: string;
  sentAt: Date | null;
  nextAttemptAt: Date;
  error: string | null;
}

/** The newest rows (at most `limit`), optionally only failed ones or those of one DAG / run. */
export async function listAlerts(db: Queryable, o: { failed?: boolean; dagId?: string; runId?: string; limit: number }): Promise<AlertRow[]> {
  const result = await rows<{
    id: string; dag_id: string; run_id: string; task_id: string; map_index: number; try_number: number; event: string;
    notifier_index: number; target: AlertTarget; state: string; attempts: number; created_at: Date; sent_at: Date | null;
    next_attempt_at: Date; error: string | null;
  }>(db, 'listAlerts',
    `SELECT id, dag_id, run_id, task_id, map_index, try_number, event, notifier_index, target, state, attempts, created_at,
       sent_at, next_attempt_at, error
     FROM alert_outbox
     WHERE (NOT $1::bool OR state = 'failed') AND ($2::text IS NULL OR dag_id = $2) AND ($3::text IS NULL OR run_id = $3)
     ORDER BY id DESC LIMIT $4`,
    [o.failed === true, o.dagId ?? null, o.runId ?? null, o.limit]);
  return result.map((r) => ({
    id: String(r.id), dagId: r.dag_id, runId: r.run_id, taskId: r.task_id === '' ? null : r.task_id, mapIndex: r.map_index,
    tryNumber: r.try_number, event: r.event, notifierIndex: r.notifier_index, target: r.target, state: r.state,
    attempts: r.attempts, createdAt: r.created_at, sentAt: r.sent_at, nextAttemptAt: r.next_attempt_at, error: r.error,
  }));
}
