/**
 * Task instances and their tries as the API reads them: filtered, paginated pages (Airflow's
 * task instance fields), one task's tries, and where a try's log is. Reads only; the transitions
 * are in ./task-instances.ts and ./attempts.ts.
 */
import type { Queryable } from '../db/types.js';
import type { TimeRange } from './dag-runs.js';
import { rows } from './query.js';

/** A task instance (or one of its tries) as the API shows it. */
export interface TaskInstancePageRow {
  dagId: string;
  runId: string;
  taskId: string;
  mapIndex: number;
  logicalDate: Date;
  state: string | null;
  tryNumber: number;
  maxTries: number;
  operator: string;
  queue: string;
  pool: string;
  poolSlots: number;
  priorityWeight: number;
  queuedAt: Date | null;
  startedAt: Date | null;
  endedAt: Date | null;
  durationMs: number | null;
  hostname: string | null;
  pid: number | null;
  worker: string | null;
  /** Why the try ended (or failed to start) as recorded: zombie, timeout, killed, marked, cleared, a sensor's timeout… */
  error: string | null;
  pendingReason: string | null;
  exitCode: number | null;
  /** Requeues of a lost queued message (same try, new token) and the last reason. */
  requeueCount: number;
  lastRequeueReason: string | null;
  /** A mapped instance's name from its task's mapIndexTemplate, once rendered; null: none. */
  renderedMapIndex: string | null;
  /** The task instance's note (task-instance-notes.ts); null: none. */
  note: string | null;
}

/** Columns a task instance list may be ordered by (the API's `order_by`, Airflow's names), as the page's rows name them. */
export const TASK_INSTANCE_ORDER_COLUMNS = {
  dag_id: 'dag_id', dag_run_id: 'run_id', task_id: 'task_id', map_index: 'map_index', state: 'state', try_number: 'try_number',
  execution_date: 'logical_date', logical_date: 'logical_date', start_date: 'started_at', end_date: 'ended_at', duration: 'duration_ms',
  queued_when: 'queued_at', pool: 'pool', queue: 'queue', priority_weight: 'priority_weight',
} as const;
export type TaskInstanceOrderColumn = keyof typeof TASK_INSTANCE_ORDER_COLUMNS;

export interface TaskInstancePageFilter {
  limit: number;
  offset: number;
  /** Default: by run, then task id and map index. Ties keep that order. */
  orderBy?: { column: TaskInstanceOrderColumn; desc: boolean };
  /** null: every DAG (`~`). */
  dagId: string | null;
  /** null: every run of the DAG(s) (`~`). */
  runId: string | null;
  taskIds?: readonly string[];
  states?: readonly string[];
  pools?: readonly string[];
  queues?: readonly string[];
  logicalDate?: TimeRange;
  startDate?: TimeRange;
  endDate?: TimeRange;
  /** Seconds. */
  duration?: { gte?: number; lte?: number };
}

interface Row {
  dag_id: string; run_id: string; task_id: string; map_index: number; logical_date: Date; state: string | null; try_number: number;
  max_tries: number; operator: string; queue: string; pool: string; pool_slots: number; priority_weight: number; queued_at: Date | null;
  started_at: Date | null; ended_at: Date | null; duration_ms: number | null; hostname: string | null; pid: number | null;
  worker: string | null; error: string | null; pending_reason: string | null; exit_code: number | null; requeue_count: number;
  last_requeue_reason: string | null; rendered_map_index: string | null; note: string | null; total?: string;
}
const toRow = (r: Row): TaskInstancePageRow => ({
  dagId: r.dag_id, runId: r.run_id, taskId: r.task_id, mapIndex: r.map_index, logicalDate: r.logical_date, state: r.state,
  tryNumber: r.try_number, maxTries: r.max_tries, operator: r.operator, queue: r.queue, pool: r.pool, poolSlots: r.pool_slots,
  priorityWeight: r.priority_weight, queuedAt: r.queued_at, startedAt: r.started_at, endedAt: r.ended_at, durationMs: r.duration_ms,
  hostname: r.hostname, pid: r.pid, worker: r.worker, error: r.error, pendingReason: r.pending_reason,
  exitCode: r.exit_code, requeueCount: r.requeue_count, lastRequeueReason: r.last_requeue_reason,
  renderedMapIndex: r.rendered_map_index, note: r.note,
});

const SELECTED = `ti.dag_id, ti.run_id, ti.task_id, ti.map_index, r.logical_date, ti.state, ti.try_number, ti.max_tries, ti.operator,
            ti.queue, ti.pool, ti.pool_slots, ti.priority_weight, ti.queued_at, ti.started_at, ti.ended_at, ti.duration_ms,
            ti.hostname, ti.pid, COALESCE(w.worker_name, ti.worker_id) AS worker, ti.error, ti.wait_reason AS pending_reason,
            ti.exit_code, ti.requeue_count, ti.last_requeue_reason, ti.rendered_map_index, nt.content AS note`;
/** The joins SELECTED reads from besides task_instance ti and dag_run r. */
const JOINED = `LEFT JOIN worker w ON w.worker_id = ti.worker_id
       LEFT JOIN task_instance_note nt ON nt.dag_id = ti.dag_id AND nt.run_id = ti.run_id AND nt.task_id = ti.task_id AND nt.map_index = ti.map_index`;
// $1 … $14: the filters; a NULL one matches everything (statements are unnamed, so each is planned
// with its values and the unused conditions fold away).
const FILTERS = `($1::text IS NULL OR ti.dag_id = $1) AND ($2::text IS NULL OR ti.run_id = $2)
        AND ($3::text[] IS NULL OR ti.task_id = ANY($3))
        AND ($4::text[] IS NULL OR COALESCE(ti.state, 'none') = ANY($4))
        AND ($5::text[] IS NULL OR ti.pool = ANY($5)) AND ($6::text[] IS NULL OR ti.queue = ANY($6))
        AND ($7::timestamptz IS NULL OR r.logical_date >= $7) AND ($8::timestamptz IS NULL OR r.logical_date <= $8)
        AND ($9::timestamptz IS NULL OR ti.started_at >= $9) AND ($10::timestamptz IS NULL OR ti.started_at <= $10)
        AND ($11::timestamptz IS NULL OR ti.ended_at >= $11) AND ($12::timestamptz IS NULL OR ti.ended_at <= $12)
        AND ($13::float8 IS NULL OR ti.duration_ms >= $13 * 1000) AND ($14::float8 IS NULL OR ti.duration_ms <= $14 * 1000)`;

function filterValues(f: TaskInstancePageFilter): unknown[] {
  const nonEmpty = (a: readonly string[] | undefined): readonly string[] | null => (a && a.length > 0 ? a : null);
  return [f.dagId, f.runId, nonEmpty(f.taskIds), nonEmpty(f.states), nonEmpty(f.pools), nonEmpty(f.queues),
    f.logicalDate?.gte ?? null, f.logicalDate?.lte ?? null, f.startDate?.gte ?? null, f.startDate?.lte ?? null,
    f.endDate?.gte ?? null, f.endDate?.lte ?? null, f.duration?.gte ?? null, f.duration?.lte ?? null];
}

/** The ORDER BY of a page's rows: `orderBy`'s column, then `byRun` (the default order). */
function orderOf(f: TaskInstancePageFilter, byRun: string): string {
  const o = f.orderBy;
  return o === undefined ? byRun : `${TASK_INSTANCE_ORDER_COLUMNS[o.column]} ${o.desc ? 'DESC' : 'ASC'} NULLS LAST, ${byRun}`;
}

/**
 * One page of task instances and how many match; ordered by run, then task id (or by `orderBy`).
 *
 * One run (the UI's grid, `.../dagRuns/{run}/taskInstances`): the page is read in primary-key order
 * (dag, run, task, map index), so PostgreSQL reads only the page's rows, and the count is an
 * index-only scan of the run's keys: the cost follows the page, not the run's size or the history.
 *
 * Several runs: the matching rows are gathered first (MATERIALIZED: counting them reads them all
 * anyway) and only then sorted and cut to the page: planned with the LIMIT inside, PostgreSQL
 * would walk every run of the DAG in id order to avoid a sort of 1,000 rows (a million comparisons
 * for a DAG with 1,000 runs of 1,000 tasks: 200 ms instead of 4; `npm run bench -- api`).
 */
export async function listTaskInstancePage(db: Queryable, f: TaskInstancePageFilter): Promise<{ rows: TaskInstancePageRow[]; total: number }> {
  if (f.dagId !== null && f.runId !== null && f.orderBy === undefined) return listOneRunPage(db, f);
  const result = await rows<Row>(db, 'listTaskInstancePage',
    `WITH matching AS MATERIALIZED (
     SELECT ti.dag_run_id, ${SELECTED}, count(*) OVER () AS total
       FROM task_instance ti JOIN dag_run r ON r.id = ti.dag_run_id
       ${JOINED}
      WHERE ${FILTERS}
     )
     SELECT dag_id, run_id, task_id, map_index, logical_date, state, try_number, max_tries, operator, queue, pool, pool_slots,
            priority_weight, queued_at, started_at, ended_at, duration_ms, hostname, pid, worker, error, pending_reason,
            exit_code, requeue_count, last_requeue_reason, rendered_map_index, note, total
       FROM matching ORDER BY ${orderOf(f, 'dag_run_id, task_id, map_index')} LIMIT $15 OFFSET $16`,
    [...filterValues(f), f.limit, f.offset]);
  let total = Number(result[0]?.total ?? 0);
  if (result.length === 0 && f.offset > 0) total = (await listTaskInstancePage(db, { ...f, offset: 0, limit: 1 })).total;
  return { rows: result.map(toRow), total };
}

async function listOneRunPage(db: Queryable, f: TaskInstancePageFilter): Promise<{ rows: TaskInstancePageRow[]; total: number }> {
  const values = filterValues(f);
  const [page, counted] = await Promise.all([
    rows<Row>(db, 'listTaskInstancePage',
      `SELECT ${SELECTED}
         FROM task_instance ti JOIN dag_run r ON r.id = ti.dag_run_id
         ${JOINED}
        WHERE ${FILTERS}
        ORDER BY ti.dag_id, ti.run_id, ti.task_id, ti.map_index LIMIT $15 OFFSET $16`,
      [...values, f.limit, f.offset]),
    rows<{ total: string }>(db, 'countTaskInstancePage',
      `SELECT count(*) AS total FROM task_instance ti JOIN dag_run r ON r.id = ti.dag_run_id WHERE ${FILTERS}`, values),
  ]);
  return { rows: page.map(toRow), total: Number(counted[0]?.total ?? 0) };
}

/** A try of a task instance, with its log's path relative to the log folder. */
export interface TaskTryRow extends TaskInstancePageRow {
  logPath: string | null;
  /** The templated fields as rendered for this try (bounded, secrets masked); null before its claim. */
  renderedFields: Record<string, unknown> | null;
}

/** The tries of one task instance, first try first (`tryNumber` given: only that one). */
export async function listTaskTries(
  db: Queryable,
  k: { dagId: string; runId: string; taskId: string; mapIndex: number },
  tryNumber?: number,
): Promise<TaskTryRow[]> {
  const result = await rows<Row & { log_path: string | null; rendered_fields: Record<string, unknown> | null }>(db, 'listTaskTries',
    `SELECT t.dag_id, t.run_id, t.task_id, t.map_index, r.logical_date, t.state, t.try_number, ti.max_tries, ti.operator,
            ti.queue, ti.pool, ti.pool_slots, ti.priority_weight, t.queued_at, t.started_at, t.ended_at, t.duration_ms,
            t.hostname, t.pid, COALESCE(w.worker_name, t.worker_id) AS worker, t.error, NULL AS pending_reason, NULL AS note, t.log_path,
            t.exit_code, t.requeue_count, t.last_requeue_reason, t.rendered_fields, ti.rendered_map_index
       FROM task_instance_try t
       JOIN task_instance ti ON ti.dag_id = t.dag_id AND ti.run_id = t.run_id AND ti.task_id = t.task_id AND ti.map_index = t.map_index
       JOIN dag_run r ON r.id = ti.dag_run_id
       LEFT JOIN worker w ON w.worker_id = t.worker_id
      WHERE t.dag_id = $1 AND t.run_id = $2 AND t.task_id = $3 AND t.map_index = $4 AND ($5::int IS NULL OR t.try_number = $5)
      ORDER BY t.try_number`,
    [k.dagId, k.runId, k.taskId, k.mapIndex, tryNumber ?? null]);
  return result.map((r) => ({ ...toRow(r), logPath: r.log_path, renderedFields: r.rendered_fields }));
}

/** A try that ended with (or was requeued for) a reason: what `updraft tasks states` lists under the table. */
export interface TryReason {
  taskId: string;
  mapIndex: number;
  tryNumber: number;
  state: string | null;
  error: string;
}

/** The tries of one run that have a reason (error), by task and try. */
export async function listRunTryReasons(db: Queryable, dagId: string, runId: string): Promise<TryReason[]> {
  const result = await rows<{ task_id: string; map_index: number; try_number: number; state: string | null; error: string }>(db, 'listRunTryReasons',
    `SELECT task_id, map_index, try_number, state, error FROM task_instance_try
      WHERE dag_id = $1 AND run_id = $2 AND error IS NOT NULL AND error <> ''
      ORDER BY task_id, map_index, try_number`,
    [dagId, runId]);
  return result.map((r) => ({ taskId: r.task_id, mapIndex: r.map_index, tryNumber: r.try_number, state: r.state, error: r.error }));
}
