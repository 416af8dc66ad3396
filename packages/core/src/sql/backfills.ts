/**
 * Backfills as tracked jobs: the backfill row, its runs (dag_run.backfill_id), their progress, and
 * pause / resume / cancel. Starting the runs is the scheduler's (startQueuedRuns in dag-runs.ts
 * applies each active backfill's max_active_runs, apart from the DAG's own).
 */
import type { Queryable } from '../db/types.js';
import type { DagRunState } from '../state/states.js';
import { newTaskArrays, newTaskInstancesCte, type NewTaskInstance } from './new-task-instances.js';
import { DAG_RUNS_CHANNEL } from './dag-runs.js';
import { rows } from './query.js';
import { runTransition } from './transitions.js';

/** A cancelled backfill's runs that never started end failed (as Airflow's cancel does). */
const CANCEL_QUEUED = runTransition(['queued'], ['failed']);

export const REPROCESS_BEHAVIORS = ['none', 'failed', 'completed'] as const;
export type ReprocessBehavior = (typeof REPROCESS_BEHAVIORS)[number];
export const BACKFILL_STATES = ['running', 'paused', 'completed', 'cancelled'] as const;
export type BackfillState = (typeof BACKFILL_STATES)[number];

export interface NewBackfill {
  dagId: string;
  fromDate: Date;
  toDate: Date;
  runBackwards: boolean;
  reprocessBehavior: ReprocessBehavior;
  maxActiveRuns: number;
  conf: Record<string, unknown>;
  totalIntervals: number;
  skippedIntervals: number;
  createdBy: string | null;
}

/** Inserts a running backfill; null when the DAG already has an active (running or paused) one. */
export async function insertBackfill(db: Queryable, b: NewBackfill): Promise<string | null> {
  const result = await rows<{ id: string }>(db, 'insertBackfill',
    `INSERT INTO backfill (dag_id, from_date, to_date, run_backwards, reprocess_behavior, max_active_runs, conf,
                           total_intervals, skipped_intervals, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10)
     ON CONFLICT (dag_id) WHERE state IN ('running', 'paused') DO NOTHING
     RETURNING id`,
    [b.dagId, b.fromDate, b.toDate, b.runBackwards, b.reprocessBehavior, b.maxActiveRuns, JSON.stringify(b.conf),
      b.totalIntervals, b.skippedIntervals, b.createdBy]);
  return result[0] === undefined ? null : String(result[0].id);
}

/** The DAG's active backfill's id, or null. */
export async function activeBackfillId(db: Queryable, dagId: string): Promise<string | null> {
  const result = await rows<{ id: string }>(db, 'activeBackfillId',
    `SELECT id FROM backfill WHERE dag_id = $1 AND state IN ('running', 'paused')`, [dagId]);
  return result[0] === undefined ? null : String(result[0].id);
}

/** An existing run at one of the logical dates of a backfill. */
export interface ExistingRun {
  runId: string;
  logicalDate: Date;
  state: DagRunState;
}

/** The DAG's runs at any of `logicalDates`. */
export async function runsAtLogicalDates(db: Queryable, dagId: string, logicalDates: readonly Date[]): Promise<ExistingRun[]> {
  const result = await rows<{ run_id: string; logical_date: Date; state: DagRunState }>(db, 'runsAtLogicalDates',
    `SELECT run_id, logical_date, state FROM dag_run WHERE dag_id = $1 AND logical_date = ANY($2::timestamptz[])`,
    [dagId, logicalDates]);
  return result.map((r) => ({ runId: r.run_id, logicalDate: r.logical_date, state: r.state }));
}

export interface NewBackfillRun {
  runId: string;
  logicalDate: Date;
  dataIntervalStart: Date;
  dataIntervalEnd: Date;
}

/**
 * Inserts the backfill's new runs (queued, run type backfill) and their task instances in one
 * statement; a logical date or run id taken meanwhile is skipped. Returns how many were created.
 */
export async function insertBackfillRuns(
  db: Queryable,
  b: { backfillId: string; dagId: string; dagHash: string; conf: Record<string, unknown> },
  runs: readonly NewBackfillRun[],
  tasks: readonly NewTaskInstance[],
): Promise<number> {
  if (runs.length === 0) return 0;
  const result = await rows<{ n: number }>(db, 'insertBackfillRuns',
    `WITH r AS (
       INSERT INTO dag_run (dag_id, run_id, run_type, state, logical_date, data_interval_start, data_interval_end, conf, dag_hash, backfill_id)
       SELECT $1, x.run_id, 'backfill', 'queued', x.logical_date, x.dis, x.die, $2::jsonb, $3, $4
       FROM unnest($5::text[], $6::timestamptz[], $7::timestamptz[], $8::timestamptz[]) AS x(run_id, logical_date, dis, die)
       ON CONFLICT DO NOTHING
       RETURNING id, dag_id, run_id),
     ${newTaskInstancesCte(9)}
     SELECT count(*)::int AS n FROM r`,
    [b.dagId, JSON.stringify(b.conf), b.dagHash, b.backfillId,
      runs.map((r) => r.runId), runs.map((r) => r.logicalDate), runs.map((r) => r.dataIntervalStart), runs.map((r) => r.dataIntervalEnd),
      ...newTaskArrays(tasks)]);
  return result[0]?.n ?? 0;
}

/** Makes existing runs (cleared for reprocessing) part of the backfill. */
export async function attachRunsToBackfill(
  db: Queryable, backfillId: string, dagId: string, runIds: readonly string[],
  /** The backfill's conf for these runs; undefined keeps each run's own. */
  conf?: Record<string, unknown>,
): Promise<void> {
  if (runIds.length === 0) return;
  await rows(db, 'attachRunsToBackfill',
    'UPDATE dag_run SET backfill_id = $1, conf = COALESCE($4::jsonb, conf) WHERE dag_id = $2 AND run_id = ANY($3::text[])',
    [backfillId, dagId, runIds, conf === undefined ? null : JSON.stringify(conf)]);
}

/** A backfill with the states of its runs. */
export interface BackfillView {
  id: string;
  dagId: string;
  fromDate: Date;
  toDate: Date;
  runBackwards: boolean;
  reprocessBehavior: ReprocessBehavior;
  maxActiveRuns: number;
  conf: Record<string, unknown>;
  state: BackfillState;
  totalIntervals: number;
  skippedIntervals: number;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
  runs: { total: number; queued: number; running: number; success: number; failed: number };
  /** When its first run started, for an ETA. */
  firstStartedAt: Date | null;
}

interface BackfillRow {
  id: string; dag_id: string; from_date: Date; to_date: Date; run_backwards: boolean; reprocess_behavior: ReprocessBehavior;
  max_active_runs: number; conf: Record<string, unknown>; state: BackfillState; total_intervals: number; skipped_intervals: number;
  created_by: string | null; created_at: Date; updated_at: Date; completed_at: Date | null;
  runs: number; queued: number; running: number; success: number; failed: number; first_started_at: Date | null; total: string;
}

const toView = (r: BackfillRow): BackfillView => ({
  id: String(r.id), dagId: r.dag_id, fromDate: r.from_date, toDate: r.to_date, runBackwards: r.run_backwards,
  reprocessBehavior: r.reprocess_behavior, maxActiveRuns: r.max_active_runs, conf: r.conf, state: r.state,
  totalIntervals: r.total_intervals, skippedIntervals: r.skipped_intervals, createdBy: r.created_by, createdAt: r.created_at,
  updatedAt: r.updated_at, completedAt: r.completed_at, firstStartedAt: r.first_started_at,
  runs: { total: r.runs, queued: r.queued, running: r.running, success: r.success, failed: r.failed },
});

const VIEW = `SELECT b.*, count(*) OVER () AS total,
    (SELECT count(*)::int FROM dag_run r WHERE r.backfill_id = b.id) AS runs,
    (SELECT count(*)::int FROM dag_run r WHERE r.backfill_id = b.id AND r.state = 'queued') AS queued,
    (SELECT count(*)::int FROM dag_run r WHERE r.backfill_id = b.id AND r.state = 'running') AS running,
    (SELECT count(*)::int FROM dag_run r WHERE r.backfill_id = b.id AND r.state = 'success') AS success,
    (SELECT count(*)::int FROM dag_run r WHERE r.backfill_id = b.id AND r.state = 'failed') AS failed,
    (SELECT min(r.start_date) FROM dag_run r WHERE r.backfill_id = b.id) AS first_started_at
  FROM backfill b`;

/** Backfills, newest first, of one DAG or all; `active` keeps running and paused ones only. */
export async function listBackfills(
  db: Queryable,
  f: { dagId?: string; active?: boolean; limit: number; offset: number },
): Promise<{ rows: BackfillView[]; total: number }> {
  const result = await rows<BackfillRow>(db, 'listBackfills',
    `${VIEW}
     WHERE ($1::text IS NULL OR b.dag_id = $1) AND (NOT $2::boolean OR b.state IN ('running', 'paused'))
     ORDER BY b.id DESC LIMIT $3 OFFSET $4`,
    [f.dagId ?? null, f.active === true, f.limit, f.offset]);
  return { rows: result.map(toView), total: Number(result[0]?.total ?? 0) };
}

/** One backfill, or null. */
export async function getBackfill(db: Queryable, id: string): Promise<BackfillView | null> {
  const result = await rows<BackfillRow>(db, 'getBackfill', `${VIEW} WHERE b.id = $1`, [id]);
  return result[0] === undefined ? null : toView(result[0]);
}

/**
 * running <-> paused. Returns the backfill's state after the call, or null when there is no such
 * backfill. Resuming tells a scheduler to start its runs at once.
 */
export async function setBackfillPaused(db: Queryable, id: string, paused: boolean): Promise<BackfillState | null> {
  // A notification when pausing is harmless: the scheduler looks at the DAG's runs and finds nothing to start.
  const changed = await rows<{ state: BackfillState }>(db, 'setBackfillPaused',
    `WITH u AS (UPDATE backfill SET state = $2, updated_at = now() WHERE id = $1 AND state = $3 RETURNING dag_id, state)
     SELECT u.state, pg_notify($4, u.dag_id)::text AS notified FROM u`,
    [id, paused ? 'paused' : 'running', paused ? 'running' : 'paused', DAG_RUNS_CHANNEL]);
  if (changed[0] !== undefined) return changed[0].state;
  const current = await rows<{ state: BackfillState }>(db, 'backfillState', 'SELECT state FROM backfill WHERE id = $1', [id]);
  return current[0]?.state ?? null;
}

/**
 * Cancels an active backfill: no run of it starts any more, its queued runs end failed, its
 * running runs finish. Returns the state after the call and how many queued runs were failed, or
 * null when there is no such backfill.
 */
export async function cancelBackfill(db: Queryable, id: string): Promise<{ state: BackfillState; failedQueued: number } | null> {
  const result = await rows<{ state: BackfillState; n: number }>(db, 'cancelBackfill',
    `WITH b AS (
       UPDATE backfill SET state = 'cancelled', updated_at = now(), completed_at = now()
       WHERE id = $1 AND state IN ('running', 'paused') RETURNING id),
     r AS (
       UPDATE dag_run SET state = 'failed', end_date = now()
       WHERE backfill_id IN (SELECT id FROM b) AND ${CANCEL_QUEUED.guard('dag_run')} RETURNING id)
     SELECT CASE WHEN EXISTS (SELECT 1 FROM b) THEN 'cancelled' ELSE x.state END AS state, (SELECT count(*)::int FROM r) AS n
     FROM backfill x WHERE x.id = $1`,
    [id]);
  const r = result[0];
  return r === undefined ? null : { state: r.state, failedQueued: r.n };
}
