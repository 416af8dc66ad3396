/**
 * The DAG pages of the REST API (list, one DAG): a DAG's row with a few fields of its serialized
 * form and its latest automated run, filtered, ordered and paged in one statement.
 */
import type { SerializedAssetCondition, SerializedDag, SerializedTimetable } from '@updraft/sdk';
import type { Queryable } from '../db/types.js';
import { queuedAliasesSql, queuedUrisSql } from './assets.js';
import type { DagSummary } from './dags.js';
import { rows } from './query.js';

/** Columns a DAG list may be ordered by (the API's `order_by`, Airflow's names). */
export const DAG_ORDER_COLUMNS = {
  dag_id: 'd.dag_id', is_paused: 'd.is_paused', is_active: 'd.is_active', last_parsed_time: 'd.last_parsed_at',
  next_dagrun: 'd.next_dagrun', fileloc: 'd.fileloc', owners: 'd.owner',
} as const;
export type DagOrderColumn = keyof typeof DAG_ORDER_COLUMNS;

/** The state of DAG `dag`'s latest run by logical date (a probe of dag_run (dag_id, logical_date)); null: no run. */
export const latestRunState = (dag: string): string =>
  `(SELECT lr.state FROM dag_run lr WHERE lr.dag_id = ${dag}.dag_id ORDER BY lr.logical_date DESC LIMIT 1)`;

export interface DagPageFilter {
  limit: number;
  offset: number;
  orderBy?: { column: DagOrderColumn; desc: boolean };
  /** Only these DAG ids (one DAG: its page of one). */
  dagIds?: readonly string[];
  /** Not these DAG ids. */
  excludeDagIds?: readonly string[];
  /** DAGs having any of these tags. */
  tags?: readonly string[];
  paused?: boolean;
  /** Default true: leave out DAGs whose file is gone. */
  onlyActive?: boolean;
  /** Case-insensitive LIKE pattern matched anywhere in the dag id (Airflow's dag_id_pattern). */
  dagIdPattern?: string;
  /** Only DAGs whose latest run (by logical date) is in this state (Airflow's last_dag_run_state). */
  lastRunState?: string;
}

/**
 * A DAG as the API shows it: its row, a few fields of its serialized form, whether its file has
 * import errors, and what nextRunOf needs to show the run the scheduler will really create next.
 */
export interface DagView extends Pick<DagSummary, 'startDate' | 'endDate' | 'catchup' | 'lastScheduledRun'> {
  dagId: string;
  fileloc: string;
  fileToken: string | null;
  isActive: boolean;
  isPaused: boolean;
  schedule: string | null;
  /** The serialized DAG's timetable, or null (the schedule decides). */
  timetable: SerializedTimetable | null;
  /** The assets it is scheduled on, and the condition over them (null: each of them); null when not asset-driven. */
  assetSchedule: string[] | null;
  assetCondition: SerializedAssetCondition | null;
  /** Of assetSchedule, those updated since the DAG's last asset-triggered run (events queued for it), by URI; null when not asset-driven. */
  assetsUpdated: string[] | null;
  /** The asset aliases it is scheduled on, and those resolved to an asset with events queued for it, by name; null when none. */
  aliasSchedule: string[] | null;
  aliasesUpdated: string[] | null;
  timezone: string;
  owner: string;
  description: string | null;
  tags: string[];
  maxActiveRuns: number;
  maxActiveTasks: number;
  lastParsedAt: Date | null;
  nextDagrun: Date | null;
  nextDagrunIntervalStart: Date | null;
  nextDagrunIntervalEnd: Date | null;
  nextDagrunCreateAfter: Date | null;
  hasImportErrors: boolean;
  /** Some task has maxActiveTisPerDag or maxActiveTisPerDagrun (Airflow's has_task_concurrency_limits). */
  hasTaskConcurrencyLimits: boolean;
  /** The serialized DAG (only with `withData`). */
  data?: SerializedDag;
}

interface DagViewRow {
  dag_id: string; fileloc: string; file_hash: string | null; is_active: boolean; is_paused: boolean; schedule: string | null;
  timetable: SerializedTimetable | null; asset_schedule: string[] | null; asset_condition: SerializedAssetCondition | null; assets_updated: string[] | null; alias_schedule: string[] | null; aliases_updated: string[] | null; timezone: string; owner: string; description: string | null; tags: string[]; max_active_runs: number; max_active_tasks: number;
  last_parsed_at: Date | null; next_dagrun: Date | null; next_dagrun_interval_start: Date | null; next_dagrun_interval_end: Date | null;
  next_dagrun_create_after: Date | null; has_import_errors: boolean; has_task_concurrency_limits: boolean | null; data?: SerializedDag; total: string;
  start_date: string | null; end_date: string | null; catchup: boolean | null;
  last_logical_date: Date | null; last_interval_start: Date | null; last_interval_end: Date | null;
}

/** One page of DAGs for the API, and how many match the filter. */
export async function listDagPage(db: Queryable, f: DagPageFilter, options: { withData?: boolean } = {}): Promise<{ rows: DagView[]; total: number }> {
  const order = f.orderBy ?? { column: 'dag_id', desc: false };
  const orderSql = `${DAG_ORDER_COLUMNS[order.column]} ${order.desc ? 'DESC' : 'ASC'} NULLS LAST, d.dag_id`;
  const result = await rows<DagViewRow>(db, 'listDagPage',
    `SELECT d.dag_id, d.fileloc, s.file_hash, d.is_active, d.is_paused, d.schedule, s.data->'timetable' AS timetable,
            s.data->'assetSchedule' AS asset_schedule, s.data->'assetCondition' AS asset_condition, d.timezone, d.owner, d.description, d.tags,
            CASE WHEN jsonb_typeof(s.data->'assetSchedule') = 'array' THEN ARRAY(${queuedUrisSql('d.dag_id')})
            END AS assets_updated,
            s.data->'aliasSchedule' AS alias_schedule,
            CASE WHEN jsonb_typeof(s.data->'aliasSchedule') = 'array' THEN ARRAY(${queuedAliasesSql('d.dag_id', "s.data->'aliasSchedule'", 'jsonb')})
            END AS aliases_updated,
            d.max_active_runs, d.max_active_tasks, d.last_parsed_at, d.next_dagrun, d.next_dagrun_interval_start,
            d.next_dagrun_interval_end, d.next_dagrun_create_after,
            EXISTS (SELECT 1 FROM import_error e WHERE e.fileloc = d.fileloc) AS has_import_errors,
            jsonb_path_exists(s.data, '$.tasks[*] ? (exists(@.maxActiveTisPerDag) || exists(@.maxActiveTisPerDagrun))') AS has_task_concurrency_limits,
            s.data->>'startDate' AS start_date, s.data->>'endDate' AS end_date, (s.data->>'catchup')::boolean AS catchup,
            r.logical_date AS last_logical_date, r.data_interval_start AS last_interval_start, r.data_interval_end AS last_interval_end,
            ${options.withData ? 's.data,' : ''} count(*) OVER () AS total
       FROM dag d LEFT JOIN serialized_dag s ON s.dag_id = d.dag_id
       LEFT JOIN LATERAL (
         SELECT logical_date, data_interval_start, data_interval_end FROM dag_run
          WHERE dag_run.dag_id = d.dag_id AND run_type IN ('scheduled', 'backfill')
          ORDER BY logical_date DESC LIMIT 1) r ON true
      WHERE ($1::text[] IS NULL OR d.dag_id = ANY($1))
        AND ($2::text[] IS NULL OR d.tags && $2)
        AND ($3::boolean IS NULL OR d.is_paused = $3)
        AND (NOT $4 OR d.is_active)
        AND ($5::text IS NULL OR d.dag_id ILIKE '%' || $5 || '%')
        AND ($9::text[] IS NULL OR d.dag_id <> ALL($9))
        AND ($8::text IS NULL OR ${latestRunState('d')} = $8)
      ORDER BY ${orderSql}
      LIMIT $6 OFFSET $7`,
    [f.dagIds ?? null, f.tags && f.tags.length > 0 ? f.tags : null, f.paused ?? null, f.onlyActive ?? true,
      f.dagIdPattern ?? null, f.limit, f.offset, f.lastRunState ?? null, f.excludeDagIds ?? null]);
  let total = Number(result[0]?.total ?? 0);
  if (result.length === 0 && f.offset > 0) {
    const again = await listDagPage(db, { ...f, offset: 0, limit: 1 });
    total = again.total;
  }
  return {
    total,
    rows: result.map((r) => {
      const v: DagView = {
        dagId: r.dag_id, fileloc: r.fileloc, fileToken: r.file_hash, isActive: r.is_active, isPaused: r.is_paused,
        schedule: r.schedule, timetable: r.timetable ?? null, assetSchedule: r.asset_schedule ?? null, assetCondition: r.asset_condition ?? null, assetsUpdated: r.assets_updated ?? null, aliasSchedule: r.alias_schedule ?? null, aliasesUpdated: r.aliases_updated ?? null, timezone: r.timezone, owner: r.owner, description: r.description, tags: r.tags,
        maxActiveRuns: r.max_active_runs, maxActiveTasks: r.max_active_tasks, lastParsedAt: r.last_parsed_at,
        nextDagrun: r.next_dagrun, nextDagrunIntervalStart: r.next_dagrun_interval_start,
        nextDagrunIntervalEnd: r.next_dagrun_interval_end, nextDagrunCreateAfter: r.next_dagrun_create_after,
        hasImportErrors: r.has_import_errors, hasTaskConcurrencyLimits: r.has_task_concurrency_limits === true, startDate: r.start_date, endDate: r.end_date, catchup: r.catchup ?? false,
        lastScheduledRun: r.last_logical_date === null ? null : {
          logicalDate: r.last_logical_date, dataIntervalStart: r.last_interval_start ?? r.last_logical_date,
          dataIntervalEnd: r.last_interval_end ?? r.last_logical_date,
        },
      };
      if (r.data !== undefined) v.data = r.data;
      return v;
    }),
  };
}
