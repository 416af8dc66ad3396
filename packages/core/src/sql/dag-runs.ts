/**
 * DAG runs: creation (run + its task instances in one statement), queued -> running within
 * max_active_runs, running -> success|failed (by its leaf tasks) once no task instance is unfinished, reads, and the
 * `updraft_dag_runs` notification that tells a scheduler to look at a DAG's runs at once.
 */
import type { Queryable } from '../db/types.js';
import { RUN_FAILING_LEAF_STATES } from '../state/run-outcome.js';
import type { DagRunState } from '../state/states.js';
import type { AlertRequest } from './alerts.js';
import { newTaskArrays, newTaskInstancesCte, type NewTaskInstance } from './new-task-instances.js';
import { query, rows } from './query.js';
import { runTransition } from './transitions.js';

const START = runTransition(['queued'], ['running']);
const FINISH = runTransition(['running'], ['success', 'failed']);

export type DagRunType = 'scheduled' | 'manual' | 'backfill' | 'asset_triggered';

export type { NewTaskInstance } from './new-task-instances.js';

export interface NewDagRun {
  dagId: string;
  runId: string;
  runType: DagRunType;
  logicalDate: Date;
  dataIntervalStart: Date;
  dataIntervalEnd: Date;
  conf: Record<string, unknown>;
  dagHash: string;
  tasks: readonly NewTaskInstance[];
}

/**
 * Inserts a queued run and a task instance (state none) per task, atomically. Returns the run's id,
 * or null when a run with that run_id or logical date already exists (nothing is written then).
 */
export async function insertDagRun(db: Queryable, r: NewDagRun): Promise<string | null> {
  return (await insertDagRuns(db, [r]))[0]?.dagRunId ?? null;
}

export interface CreatedRunRow {
  dagRunId: string;
  dagId: string;
  runId: string;
}

/**
 * Inserts queued runs with a task instance (state none) per task, all in one statement
 * (insertDagRun is the one-run form). A run whose run_id or logical date already exists is left
 * out with its task instances; the created ones are returned.
 */
export async function insertDagRuns(db: Queryable, runs: readonly NewDagRun[]): Promise<CreatedRunRow[]> {
  if (runs.length === 0) return [];
  const tasks = runs.flatMap((r) => r.tasks.map((t) => ({ dagId: r.dagId, runId: r.runId, ...t })));
  const result = await rows<{ id: string; dag_id: string; run_id: string }>(db, 'insertDagRuns',
    `WITH r AS (
       INSERT INTO dag_run (dag_id, run_id, run_type, state, logical_date, data_interval_start, data_interval_end, conf, dag_hash)
       SELECT x.dag_id, x.run_id, x.run_type, 'queued', x.logical_date, x.data_interval_start, x.data_interval_end, x.conf, x.dag_hash
         FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[], $7::jsonb[], $8::text[])
           AS x(dag_id, run_id, run_type, logical_date, data_interval_start, data_interval_end, conf, dag_hash)
       ON CONFLICT DO NOTHING
       RETURNING id, dag_id, run_id),
     ${newTaskInstancesCte(9, true)}
     SELECT id, dag_id, run_id FROM r`,
    [runs.map((r) => r.dagId), runs.map((r) => r.runId), runs.map((r) => r.runType), runs.map((r) => r.logicalDate),
      runs.map((r) => r.dataIntervalStart), runs.map((r) => r.dataIntervalEnd), runs.map((r) => JSON.stringify(r.conf)), runs.map((r) => r.dagHash),
      tasks.map((t) => t.dagId), tasks.map((t) => t.runId), ...newTaskArrays(tasks)],
  );
  return result.map((r) => ({ dagRunId: String(r.id), dagId: r.dag_id, runId: r.run_id }));
}

export interface StartedRun {
  dagRunId: string;
  runId: string;
  dagHash: string | null;
}

/**
 * queued -> running for the oldest queued runs of an active, unpaused DAG, as many as
 * `maxActiveRuns` allows next to its running ones; the runs of an active backfill count apart,
 * against the backfill's own max_active_runs, in its order (newest first with run_backwards), and
 * only while it is running (not paused). In the same statement, a running backfill none of whose
 * runs is queued or running any more is completed. Callers serialize this per DAG (the counts are
 * not locked). start_date is the clock at the update, not now() (the transaction's start, which
 * may precede the snapshot by a busy planner's milliseconds): a run never seems to start before
 * the run whose end made room for it. A run whose logical date is after `now` (a manual run for a
 * future date) waits queued until then, as in Airflow.
 */
export async function startQueuedRuns(db: Queryable, dagId: string, maxActiveRuns: number, now: Date): Promise<StartedRun[]> {
  const result = await rows<{ id: string; run_id: string; dag_hash: string | null }>(db, 'startQueuedRuns',
    `WITH active AS (
       SELECT id, state, max_active_runs, run_backwards FROM backfill WHERE dag_id = $1 AND state IN ('running', 'paused')),
     dag_ok AS (SELECT 1 FROM dag d WHERE d.dag_id = $1 AND NOT d.is_paused AND d.is_active),
     plain AS (
       SELECT q.id FROM dag_run q
       WHERE q.dag_id = $1 AND q.state = 'queued' AND q.logical_date <= $3 AND EXISTS (SELECT 1 FROM dag_ok)
         AND (q.backfill_id IS NULL OR q.backfill_id NOT IN (SELECT id FROM active))
       ORDER BY q.logical_date
       LIMIT GREATEST(0, $2::int - (
         SELECT count(*) FROM dag_run c WHERE c.dag_id = $1 AND c.state = 'running'
           AND (c.backfill_id IS NULL OR c.backfill_id NOT IN (SELECT id FROM active))))),
     filled AS (
       SELECT q.id FROM active b CROSS JOIN LATERAL (
         SELECT q.id FROM dag_run q
         WHERE q.backfill_id = b.id AND q.state = 'queued' AND q.logical_date <= $3
         ORDER BY CASE WHEN b.run_backwards THEN -extract(epoch FROM q.logical_date) ELSE extract(epoch FROM q.logical_date) END
         LIMIT GREATEST(0, b.max_active_runs - (SELECT count(*) FROM dag_run c WHERE c.backfill_id = b.id AND c.state = 'running'))) q
       WHERE b.state = 'running' AND EXISTS (SELECT 1 FROM dag_ok)),
     done AS (
       UPDATE backfill b SET state = 'completed', completed_at = now(), updated_at = now()
       WHERE b.id IN (SELECT id FROM active WHERE state = 'running')
         AND NOT EXISTS (SELECT 1 FROM dag_run c WHERE c.backfill_id = b.id AND c.state IN ('queued', 'running')))
     UPDATE dag_run r SET state = 'running', start_date = clock_timestamp()
     WHERE r.id IN (SELECT id FROM plain UNION ALL SELECT id FROM filled) AND ${START.guard('r')}
     RETURNING r.id, r.run_id, r.dag_hash`,
    [dagId, maxActiveRuns, now],
  );
  return result.map((r) => ({ dagRunId: String(r.id), runId: r.run_id, dagHash: r.dag_hash }));
}

/**
 * running -> failed (an instance of a leaf task failed or is upstream_failed) | success, only when
 * no task instance of the run is unfinished (Airflow's rule: the leaves decide, see core's
 * state/run-outcome.ts). Returns the new state, or null when the run goes on (or is not running).
 */
export async function finishDagRunIfDone(
  db: Queryable,
  dagRunId: string,
  /** The DAG's leaf tasks (state/run-outcome.ts leafTaskIds). */
  leafTaskIds: readonly string[],
  /** The DAG's run callbacks: the one matching the final state is requested in the same statement. */
  callbacks: readonly ('onDagRunSuccess' | 'onDagRunFailure')[] = [],
  /**
   * The DAG's declarative notifiers of both events: those of the final state get alert outbox rows
   * in the same statement; a success after a failed run also gets one `onDagRunRecovered` row per
   * failure notifier.
   */
  alerts: readonly AlertRequest[] = [],
): Promise<'success' | 'failed' | null> {
  const result = await rows<{ state: 'success' | 'failed' }>(db, 'finishDagRunIfDone',
    `WITH r AS (
       -- A run marked by hand while its teardowns had to run (mark-state.ts) takes the marked state.
       UPDATE dag_run SET end_date = now(), state = COALESCE(marked_state, CASE WHEN EXISTS (
           SELECT 1 FROM task_instance WHERE dag_run_id = $1 AND task_id = ANY($6::text[]) AND state = ANY($7::text[])) THEN 'failed' ELSE 'success' END)
       -- Ordered by state: only the index of unfinished rows gives that order, so no plan reads the
       -- run's finished rows to find an unfinished one (an EXISTS would drop the ORDER BY).
       WHERE id = $1 AND ${FINISH.guard('dag_run')} AND (
         SELECT 1 FROM task_instance WHERE dag_run_id = $1
           AND (state IS NULL OR state IN ('scheduled', 'queued', 'running', 'up_for_retry', 'up_for_reschedule', 'deferred'))
         ORDER BY state LIMIT 1) IS NULL
       RETURNING dag_id, run_id, state, logical_date, marked_state),
     cb AS (
       INSERT INTO callback_request (dag_id, run_id, event, exception)
       SELECT r.dag_id, r.run_id, e.event, (
           SELECT ti.task_id || ': ' || COALESCE(ti.error, ti.state) FROM task_instance ti
           WHERE ti.dag_run_id = $1 AND ti.state = 'failed' ORDER BY ti.ended_at NULLS LAST LIMIT 1)
       FROM r JOIN unnest($2::text[]) AS e(event)
         ON e.event = CASE r.state WHEN 'success' THEN 'onDagRunSuccess' ELSE 'onDagRunFailure' END
       WHERE r.marked_state IS NULL
       ON CONFLICT DO NOTHING),
     al AS (
       INSERT INTO alert_outbox (dag_id, run_id, event, notifier_index, target, exception)
       SELECT r.dag_id, r.run_id, n.event, n.idx, n.target::jsonb, (
           SELECT ti.task_id || ': ' || COALESCE(ti.error, ti.state) FROM task_instance ti
           WHERE ti.dag_run_id = $1 AND ti.state = 'failed' ORDER BY ti.ended_at NULLS LAST LIMIT 1)
       FROM r JOIN unnest($3::text[], $4::int[], $5::text[]) AS n(event, idx, target)
         ON n.event = CASE r.state WHEN 'success' THEN 'onDagRunSuccess' ELSE 'onDagRunFailure' END
       WHERE r.marked_state IS NULL
       ON CONFLICT DO NOTHING),
     -- "Recovered": a success right after a failed run goes to the DAG's failure notifiers, so
     -- whoever was told it failed is told it works again (the previous run by logical date).
     rec AS (
       INSERT INTO alert_outbox (dag_id, run_id, event, notifier_index, target)
       SELECT r.dag_id, r.run_id, 'onDagRunRecovered', n.idx, n.target::jsonb
       FROM r JOIN unnest($3::text[], $4::int[], $5::text[]) AS n(event, idx, target) ON n.event = 'onDagRunFailure'
       WHERE r.state = 'success' AND r.marked_state IS NULL AND (
         SELECT p.state FROM dag_run p WHERE p.dag_id = r.dag_id AND p.logical_date < r.logical_date AND p.state IN ('success', 'failed')
         ORDER BY p.logical_date DESC LIMIT 1) = 'failed'
       ON CONFLICT DO NOTHING)
     SELECT state FROM r`,
    [dagRunId, callbacks, alerts.map((a) => a.event), alerts.map((a) => a.index), alerts.map((a) => JSON.stringify(a.target)), leafTaskIds, RUN_FAILING_LEAF_STATES],
    { prepare: true });
  return result[0]?.state ?? null;
}

/** Data interval of the latest scheduled or backfill run of a DAG, or null. */
export async function lastAutomatedRun(db: Queryable, dagId: string): Promise<{ logicalDate: Date; dataIntervalStart: Date; dataIntervalEnd: Date } | null> {
  const result = await rows<{ logical_date: Date; data_interval_start: Date | null; data_interval_end: Date | null }>(db, 'lastAutomatedRun',
    `SELECT logical_date, data_interval_start, data_interval_end FROM dag_run
     WHERE dag_id = $1 AND run_type IN ('scheduled', 'backfill') ORDER BY logical_date DESC LIMIT 1`,
    [dagId],
  );
  const r = result[0];
  if (r === undefined) return null;
  return { logicalDate: r.logical_date, dataIntervalStart: r.data_interval_start ?? r.logical_date, dataIntervalEnd: r.data_interval_end ?? r.logical_date };
}

/**
 * Number of queued plus running runs of a DAG that count against its max_active_runs: the runs of
 * an active backfill count apart, against the backfill's own limit (as startQueuedRuns does).
 */
export async function countActiveRuns(db: Queryable, dagId: string): Promise<number> {
  const result = await rows<{ n: number }>(db, 'countActiveRuns',
    `SELECT count(*)::int AS n FROM dag_run r WHERE r.dag_id = $1 AND r.state IN ('queued', 'running')
       AND NOT EXISTS (SELECT 1 FROM backfill b WHERE b.id = r.backfill_id AND b.state IN ('running', 'paused'))`, [dagId]);
  return result[0]?.n ?? 0;
}

/** DAGs that have queued runs waiting to start, or a running backfill (that may be complete). */
export async function dagsWithQueuedRuns(db: Queryable): Promise<string[]> {
  const result = await rows<{ dag_id: string }>(db, 'dagsWithQueuedRuns',
    `SELECT dag_id FROM dag_run WHERE state = 'queued' UNION SELECT dag_id FROM backfill WHERE state = 'running'`);
  return result.map((r) => r.dag_id);
}

export interface DagRunRow {
  dagRunId: string;
  dagId: string;
  runId: string;
  runType: DagRunType;
  state: DagRunState;
  logicalDate: Date;
  dataIntervalStart: Date;
  dataIntervalEnd: Date;
  conf: Record<string, unknown>;
  dagHash: string | null;
}

interface RunRow {
  id: string; dag_id: string; run_id: string; run_type: DagRunType; state: DagRunState; logical_date: Date;
  data_interval_start: Date | null; data_interval_end: Date | null; conf: Record<string, unknown>; dag_hash: string | null;
}
const RUN_COLUMNS = 'id, dag_id, run_id, run_type, state, logical_date, data_interval_start, data_interval_end, conf, dag_hash';
const toRun = (r: RunRow): DagRunRow => ({
  dagRunId: String(r.id), dagId: r.dag_id, runId: r.run_id, runType: r.run_type, state: r.state, logicalDate: r.logical_date,
  dataIntervalStart: r.data_interval_start ?? r.logical_date, dataIntervalEnd: r.data_interval_end ?? r.logical_date,
  conf: r.conf, dagHash: r.dag_hash,
});

/** One run by DAG id and run id, or null. */
export async function findDagRun(db: Queryable, dagId: string, runId: string): Promise<DagRunRow | null> {
  const result = await rows<RunRow>(db, 'findDagRun', `SELECT ${RUN_COLUMNS} FROM dag_run WHERE dag_id = $1 AND run_id = $2`, [dagId, runId]);
  return result[0] === undefined ? null : toRun(result[0]);
}

/** Every running run (the engine re-evaluates them on start: a crash may have cut an evaluation). */
export async function runningDagRuns(db: Queryable): Promise<DagRunRow[]> {
  const result = await rows<RunRow>(db, 'runningDagRuns', `SELECT ${RUN_COLUMNS} FROM dag_run WHERE state = 'running' ORDER BY id`);
  return result.map(toRun);
}

/**
 * Takes the flags of runs in which a person cleared or marked task instances while they ran
 * (dag_run.evaluate_requested_at, set by those statements) and returns the flagged runs still
 * running, for the scheduler to evaluate whole. A flag set after this is taken at the next call.
 */
export async function takeRunsToEvaluate(db: Queryable): Promise<DagRunRow[]> {
  const result = await rows<RunRow>(db, 'takeRunsToEvaluate',
    `UPDATE dag_run SET evaluate_requested_at = NULL WHERE evaluate_requested_at IS NOT NULL RETURNING ${RUN_COLUMNS}`);
  return result.filter((r) => r.state === 'running').map(toRun);
}

/**
 * Refreshes the planner statistics of the task tables. Called after a big run was created: the
 * hot statements are prepared, and a generic plan made while the tables were small (sequential
 * scans) would otherwise be reused until autovacuum analyzes them; ANALYZE also invalidates it.
 */
export async function analyzeTaskTables(db: Queryable): Promise<void> {
  await query(db, 'analyzeTaskTables', 'ANALYZE task_instance, task_instance_try, dag_run');
}

/**
 * analyzeTaskTables when `newRows` task instances are more than a tenth of what the statistics say
 * task_instance holds (autovacuum's default threshold, applied at once), or it was never analyzed.
 * With a long history the plans were made from a big table already, and ANALYZE would read a sample
 * of millions of rows for nothing (1.5 s of PostgreSQL's CPU with 1,000,000 finished instances).
 * True when it analyzed.
 */
export async function analyzeTaskTablesIfOutgrown(db: Queryable, newRows: number): Promise<boolean> {
  const [estimate] = await rows<{ n: number }>(db, 'taskInstanceEstimate', "SELECT reltuples::float8 AS n FROM pg_class WHERE oid = 'task_instance'::regclass");
  if (estimate !== undefined && estimate.n >= 0 && newRows <= estimate.n / 10) return false;
  await analyzeTaskTables(db);
  return true;
}

/** The channel a scheduler LISTENs on: a DAG id as payload means "look at this DAG's runs now". */
export const DAG_RUNS_CHANNEL = 'updraft_dag_runs';

/**
 * NOTIFY updraft_dag_runs with the DAG id (delivered at commit inside a transaction): whoever
 * creates a run outside the scheduler (CLI, webserver) or unpauses a DAG sends it, and a running
 * scheduler starts the run at once instead of at its next tick.
 */
export async function notifyDagRuns(db: Queryable, dagId: string): Promise<void> {
  await query(db, 'notifyDagRuns', 'SELECT pg_notify($1, $2)', [DAG_RUNS_CHANNEL, dagId]);
}

/** A DAG run as the API shows it. */
export interface DagRunView extends DagRunRow {
  queuedAt: Date;
  startDate: Date | null;
  endDate: Date | null;
  note: string | null;
  /** When the run, still unfinished, passed its DAG's deadline; null otherwise. */
  deadlineMissedAt: Date | null;
  /** The DAG version the run was created with (its file and when it was parsed); null when not recorded. */
  version: { fileloc: string; fileHash: string; createdAt: Date } | null;
  /** The DAG bundle version the run's tasks execute against; null when none was recorded. */
  bundleVersion: string | null;
  /** The git commit that bundle version was read from (core.dags_bundle = git:...); null for the DAGs folder. */
  bundleCommit: string | null;
}

export const DAG_RUN_ORDER_COLUMNS = {
  id: 'r.id', dag_id: 'r.dag_id', dag_run_id: 'r.run_id', state: 'r.state', run_type: 'r.run_type',
  execution_date: 'r.logical_date', logical_date: 'r.logical_date', start_date: 'r.start_date', end_date: 'r.end_date',
  queued_at: 'r.queued_at', data_interval_start: 'r.data_interval_start', data_interval_end: 'r.data_interval_end',
} as const;
export type DagRunOrderColumn = keyof typeof DAG_RUN_ORDER_COLUMNS;

/** A time range filter: either end may be absent. */
export interface TimeRange { gte?: Date; lte?: Date }

export interface DagRunPageFilter {
  limit: number;
  offset: number;
  /** null: every DAG (the API's `~`). */
  dagIds: readonly string[] | null;
  runIds?: readonly string[];
  states?: readonly string[];
  logicalDate?: TimeRange;
  startDate?: TimeRange;
  endDate?: TimeRange;
  orderBy?: { column: DagRunOrderColumn; desc: boolean };
}

interface RunViewRow extends RunRow {
  queued_at: Date; start_date: Date | null; end_date: Date | null; note: string | null; deadline_missed_at: Date | null;
  v_fileloc: string | null; v_file_hash: string | null; v_created_at: Date | null; bundle_version: string | null; bundle_commit: string | null; total: string;
}

const toRunView = (r: RunViewRow): DagRunView => ({
  ...toRun(r), queuedAt: r.queued_at, startDate: r.start_date, endDate: r.end_date, note: r.note, deadlineMissedAt: r.deadline_missed_at,
  version: r.v_file_hash === null ? null : { fileloc: r.v_fileloc!, fileHash: r.v_file_hash, createdAt: r.v_created_at! },
  bundleVersion: r.bundle_version, bundleCommit: r.bundle_commit,
});

/** One page of DAG runs and how many match. */
export async function listDagRunPage(db: Queryable, f: DagRunPageFilter): Promise<{ rows: DagRunView[]; total: number }> {
  const order = f.orderBy ?? { column: 'id', desc: false };
  const result = await rows<RunViewRow>(db, 'listDagRunPage',
    `SELECT ${RUN_COLUMNS.split(', ').map((c) => `r.${c}`).join(', ')}, r.queued_at, r.start_date, r.end_date, r.note, r.deadline_missed_at,
            v.fileloc AS v_fileloc, v.file_hash AS v_file_hash, v.created_at AS v_created_at,
            r.bundle_version, b.git_commit AS bundle_commit, count(*) OVER () AS total
       FROM dag_run r LEFT JOIN dag_version v ON v.dag_id = r.dag_id AND v.dag_hash = r.dag_hash
       LEFT JOIN dag_bundle_version b ON b.version = r.bundle_version
      WHERE ($1::text[] IS NULL OR r.dag_id = ANY($1))
        AND ($2::text[] IS NULL OR r.run_id = ANY($2))
        AND ($3::text[] IS NULL OR r.state = ANY($3))
        AND ($4::timestamptz IS NULL OR r.logical_date >= $4) AND ($5::timestamptz IS NULL OR r.logical_date <= $5)
        AND ($6::timestamptz IS NULL OR r.start_date >= $6) AND ($7::timestamptz IS NULL OR r.start_date <= $7)
        AND ($8::timestamptz IS NULL OR r.end_date >= $8) AND ($9::timestamptz IS NULL OR r.end_date <= $9)
      ORDER BY ${DAG_RUN_ORDER_COLUMNS[order.column]} ${order.desc ? 'DESC' : 'ASC'} NULLS LAST, r.id
      LIMIT $10 OFFSET $11`,
    [f.dagIds, f.runIds ?? null, f.states && f.states.length > 0 ? f.states : null,
      f.logicalDate?.gte ?? null, f.logicalDate?.lte ?? null, f.startDate?.gte ?? null, f.startDate?.lte ?? null,
      f.endDate?.gte ?? null, f.endDate?.lte ?? null, f.limit, f.offset]);
  let total = Number(result[0]?.total ?? 0);
  if (result.length === 0 && f.offset > 0) total = (await listDagRunPage(db, { ...f, offset: 0, limit: 1 })).total;
  return { rows: result.map(toRunView), total };
}

/** Sets a run's note; returns whether the run exists. */
export async function setDagRunNote(db: Queryable, dagId: string, runId: string, note: string | null): Promise<boolean> {
  const result = await rows<{ id: string }>(db, 'setDagRunNote',
    'UPDATE dag_run SET note = $3 WHERE dag_id = $1 AND run_id = $2 RETURNING id', [dagId, runId, note]);
  return result.length > 0;
}

/** The latest successful run before a logical date: what Airflow calls prev_*_success. */
export interface PreviousSuccessfulRun {
  dataIntervalStart: Date;
  dataIntervalEnd: Date;
  startDate: Date | null;
}

/**
 * For each (dag, logical date): the successful run of that DAG with the latest earlier logical
 * date, or null. One statement.
 */
export async function previousSuccessfulRuns(
  db: Queryable,
  runs: ReadonlyArray<{ dagId: string; logicalDate: Date }>,
): Promise<Array<PreviousSuccessfulRun | null>> {
  if (runs.length === 0) return [];
  const result = await rows<{ i: string; data_interval_start: Date | null; data_interval_end: Date | null; logical_date: Date; start_date: Date | null }>(
    db, 'previousSuccessfulRuns',
    `SELECT a.i, p.data_interval_start, p.data_interval_end, p.logical_date, p.start_date
     FROM unnest($1::text[], $2::timestamptz[]) WITH ORDINALITY AS a(dag_id, logical_date, i)
     CROSS JOIN LATERAL (
       SELECT r.data_interval_start, r.data_interval_end, r.logical_date, r.start_date FROM dag_run r
       WHERE r.dag_id = a.dag_id AND r.logical_date < a.logical_date AND r.state = 'success'
       ORDER BY r.logical_date DESC LIMIT 1) p`,
    [runs.map((r) => r.dagId), runs.map((r) => r.logicalDate)], { prepare: true });
  const out: Array<PreviousSuccessfulRun | null> = runs.map(() => null);
  for (const r of result) {
    out[Number(r.i) - 1] = {
      dataIntervalStart: r.data_interval_start ?? r.logical_date, dataIntervalEnd: r.data_interval_end ?? r.logical_date, startDate: r.start_date,
    };
  }
  return out;
}
