/**
 * What the web UI's overview pages read in one statement each: the last runs, time zone and
 * active runs of many DAGs (the DAG list), the runs x task instances of a DAG's grid, the tries of a run (its Gantt), and the LISTEN on the channel the
 * change triggers of migration 0006 notify (live pages re-read what changed).
 */
import type pg from 'pg';
import type { Queryable } from '../db/types.js';
import { query, rows } from './query.js';

/** Channel of the change triggers: payload {"k":"ti"|"try"|"run"|"dag","d":[dag ids] | null}. */
export const CHANGES_CHANNEL = 'updraft_changes';

export interface RunSummary {
  dagId: string;
  runId: string;
  runType: string;
  state: string;
  logicalDate: Date;
  dataIntervalStart: Date | null;
  dataIntervalEnd: Date | null;
  queuedAt: Date | null;
  startDate: Date | null;
  endDate: Date | null;
}

interface RunRow {
  dag_id: string; run_id: string; run_type: string; state: string; logical_date: Date;
  data_interval_start: Date | null; data_interval_end: Date | null; queued_at: Date | null; start_date: Date | null; end_date: Date | null;
}

const RUN_COLUMNS = 'dag_id, run_id, run_type, state, logical_date, data_interval_start, data_interval_end, queued_at, start_date, end_date';

const toRun = (r: RunRow): RunSummary => ({
  dagId: r.dag_id, runId: r.run_id, runType: r.run_type, state: r.state, logicalDate: r.logical_date,
  dataIntervalStart: r.data_interval_start, dataIntervalEnd: r.data_interval_end, queuedAt: r.queued_at,
  startDate: r.start_date, endDate: r.end_date,
});

/** The newest `limit` runs (by logical date) of each DAG, newest first per DAG. */
export async function recentRunsOfDags(db: Queryable, dagIds: readonly string[], limit: number): Promise<RunSummary[]> {
  if (dagIds.length === 0) return [];
  const result = await rows<RunRow>(db, 'recentRunsOfDags',
    `SELECT r.* FROM unnest($1::text[]) AS d(dag_id)
     CROSS JOIN LATERAL (
       SELECT ${RUN_COLUMNS} FROM dag_run WHERE dag_run.dag_id = d.dag_id ORDER BY logical_date DESC LIMIT $2) r
     ORDER BY r.dag_id, r.logical_date DESC`,
    [dagIds, limit]);
  return result.map(toRun);
}

export interface DagStatus {
  dagId: string;
  timezone: string;
  runningRuns: number;
  queuedRuns: number;
}

/** Each DAG's time zone and its running and queued runs (DAGs that do not exist are left out). */
export async function dagStatuses(db: Queryable, dagIds: readonly string[]): Promise<DagStatus[]> {
  if (dagIds.length === 0) return [];
  const result = await rows<{ dag_id: string; timezone: string; running: number; queued: number }>(db, 'dagStatuses',
    `SELECT d.dag_id, d.timezone,
            count(*) FILTER (WHERE r.state = 'running')::int AS running,
            count(*) FILTER (WHERE r.state = 'queued')::int AS queued
     FROM dag d LEFT JOIN dag_run r ON r.dag_id = d.dag_id AND r.state IN ('queued', 'running')
     WHERE d.dag_id = ANY($1::text[])
     GROUP BY d.dag_id, d.timezone`,
    [dagIds]);
  return result.map((r) => ({ dagId: r.dag_id, timezone: r.timezone, runningRuns: r.running, queuedRuns: r.queued }));
}

/** A DAG's newest `limit` runs with a logical date before `before` (all when null), newest first. */
export async function gridRuns(db: Queryable, dagId: string, limit: number, before: Date | null): Promise<RunSummary[]> {
  const result = await rows<RunRow>(db, 'gridRuns',
    `SELECT ${RUN_COLUMNS} FROM dag_run
     WHERE dag_id = $1 AND ($3::timestamptz IS NULL OR logical_date < $3)
     ORDER BY logical_date DESC LIMIT $2`,
    [dagId, limit, before]);
  return result.map(toRun);
}

export interface GridCell {
  runId: string;
  taskId: string;
  mapIndex: number;
  state: string | null;
  tryNumber: number;
  maxTries: number;
  durationMs: number | null;
  hostname: string | null;
  /** The worker's name (its id when the worker row is gone). */
  worker: string | null;
}

interface CellRow {
  run_id: string; task_id: string; map_index: number; state: string | null; try_number: number; max_tries: number;
  duration_ms: number | null;
  hostname: string | null; worker: string | null;
}

/**
 * The task instances of some runs of one DAG (the grid's cells): only what a cell shows, no
 * timestamps (a grid of 25 runs x 200 tasks is 5,000 rows; their times are in the task instance's
 * own read).
 */
export async function gridCells(db: Queryable, dagId: string, runIds: readonly string[]): Promise<GridCell[]> {
  if (runIds.length === 0) return [];
  const result = await rows<CellRow>(db, 'gridCells',
    `SELECT ti.run_id, ti.task_id, ti.map_index, ti.state, ti.try_number, ti.max_tries, ti.duration_ms, ti.hostname, coalesce(w.worker_name, ti.worker_id) AS worker
     FROM task_instance ti LEFT JOIN worker w ON w.worker_id = ti.worker_id
     WHERE ti.dag_id = $1 AND ti.run_id = ANY($2::text[])`,
    [dagId, runIds]);
  return result.map((r) => ({
    runId: r.run_id, taskId: r.task_id, mapIndex: r.map_index, state: r.state, tryNumber: r.try_number, maxTries: r.max_tries,
    durationMs: r.duration_ms,
    hostname: r.hostname, worker: r.worker,
  }));
}

/** One try of a task instance: when it was queued, started and ended (a Gantt bar). */
export interface RunTry {
  taskId: string;
  mapIndex: number;
  tryNumber: number;
  state: string | null;
  queuedAt: Date | null;
  startDate: Date | null;
  endDate: Date | null;
  worker: string | null;
}

/** Every try of every task instance of one run (the run's Gantt), by task, map index and try. */
export async function runTries(db: Queryable, dagId: string, runId: string): Promise<RunTry[]> {
  const result = await rows<{
    task_id: string; map_index: number; try_number: number; state: string | null;
    queued_at: Date | null; started_at: Date | null; ended_at: Date | null; worker: string | null;
  }>(db, 'runTries',
    `SELECT t.task_id, t.map_index, t.try_number, t.state, t.queued_at, t.started_at, t.ended_at,
            coalesce(w.worker_name, t.worker_id) AS worker
     FROM task_instance_try t LEFT JOIN worker w ON w.worker_id = t.worker_id
     WHERE t.dag_id = $1 AND t.run_id = $2
     ORDER BY t.task_id, t.map_index, t.try_number`,
    [dagId, runId]);
  return result.map((r) => ({
    taskId: r.task_id, mapIndex: r.map_index, tryNumber: r.try_number, state: r.state,
    queuedAt: r.queued_at, startDate: r.started_at, endDate: r.ended_at, worker: r.worker,
  }));
}

/** Whether a run of a DAG exists (a Gantt of no tries is empty, of no run a 404). */
export async function runExists(db: Queryable, dagId: string, runId: string): Promise<boolean> {
  const result = await rows<{ one: number }>(db, 'runExists', 'SELECT 1 AS one FROM dag_run WHERE dag_id = $1 AND run_id = $2', [dagId, runId]);
  return result.length > 0;
}

/** LISTEN on the change channel, on a client of its own (it keeps receiving until released). */
export async function listenForChanges(client: pg.PoolClient): Promise<void> {
  await query(client, 'listenForChanges', `LISTEN ${CHANGES_CHANNEL}`);
}

/** A notification carries at most 8000 bytes: a longer DAG list is left out (null: "any DAG"). */
const MAX_DAG_IDS_JSON = 4000;

/**
 * One 'ti' change notification for these DAGs, as the task instance trigger sends for a statement
 * (ids sorted and distinct; null past 50 of them): for writers that announce their changes
 * themselves, coalesced (attemptsSql.claimAttempts and finishAttempts send none).
 */
export async function notifyTaskInstanceChanges(db: Queryable, dagIds: Iterable<string>): Promise<void> {
  const ids = [...new Set(dagIds)].sort();
  if (ids.length === 0) return;
  const d = ids.length <= 50 && JSON.stringify(ids).length <= MAX_DAG_IDS_JSON ? ids : null;
  // Prepared: sent a few times a second under load, it was parsed and planned at every call.
  await query(db, 'notifyTaskInstanceChanges', 'SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, JSON.stringify({ k: 'ti', d })], { prepare: true });
}

/** Whether a DAG row exists (a grid of no runs is empty, of no DAG a 404). */
export async function dagExists(db: Queryable, dagId: string): Promise<boolean> {
  const result = await rows<{ one: number }>(db, 'dagExists', 'SELECT 1 AS one FROM dag WHERE dag_id = $1', [dagId]);
  return result.length > 0;
}

/** One day of a DAG's calendar: how many of its runs with a logical date that day are in each state. */
export interface CalendarDay {
  /** YYYY-MM-DD in the time zone asked for. */
  day: string;
  states: Record<string, number>;
}

/** The runs of a DAG with a logical date in [from, to), counted by day (in `timeZone`) and state, by day. */
export async function calendarDays(db: Queryable, dagId: string, from: Date, to: Date, timeZone: string): Promise<CalendarDay[]> {
  const result = await rows<{ day: string; states: Record<string, number> }>(db, 'calendarDays',
    `SELECT day, jsonb_object_agg(state, n) AS states FROM (
       SELECT to_char(logical_date AT TIME ZONE $4, 'YYYY-MM-DD') AS day, state, count(*)::int AS n
       FROM dag_run WHERE dag_id = $1 AND logical_date >= $2 AND logical_date < $3 GROUP BY 1, 2) d
     GROUP BY day ORDER BY day`,
    [dagId, from, to, timeZone]);
  return result.map((r) => ({ day: r.day, states: r.states }));
}
