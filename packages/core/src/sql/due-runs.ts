/**
 * Scheduled runs of many due DAGs at once: when every `* * * * *` DAG of a deployment comes due
 * at the same instant, the scheduler reads what it needs for all of them, creates all their runs
 * and stores all their next runs in a few statements, instead of a handful per DAG.
 * The one-DAG forms live in dags.ts and dag-runs.ts; these agree with them row for row.
 */
import type { Queryable } from '../db/types.js';
import type { DagRunInfo } from '../time/timetable-types.js';
import type { CurrentDag } from './dags.js';
import type { NewDagRun } from './dag-runs.js';
import { query, rows } from './query.js';

/** The current version and flags of each DAG that has one (dagsSql.currentDag for many). */
export async function currentDags(db: Queryable, dagIds: readonly string[]): Promise<CurrentDag[]> {
  if (dagIds.length === 0) return [];
  const result = await rows<{ dag_id: string; dag_hash: string; is_paused: boolean; is_active: boolean }>(db, 'currentDags',
    `SELECT s.dag_id, s.dag_hash, d.is_paused, d.is_active
       FROM serialized_dag s JOIN dag d ON d.dag_id = s.dag_id
      WHERE s.dag_id = ANY($1::text[])`,
    [dagIds]);
  return result.map((r) => ({ dagId: r.dag_id, dagHash: r.dag_hash, isPaused: r.is_paused, isActive: r.is_active }));
}

/** The serialized form of each DAG version still stored, keyed by dag id (dagsSql.serializedDagData for many). */
export async function serializedDagDatas(db: Queryable, versions: ReadonlyArray<{ dagId: string; dagHash: string }>): Promise<Map<string, unknown>> {
  if (versions.length === 0) return new Map();
  const result = await rows<{ dag_id: string; data: unknown }>(db, 'serializedDagDatas',
    `SELECT s.dag_id, s.data FROM serialized_dag s
       JOIN unnest($1::text[], $2::text[]) AS v(dag_id, dag_hash) ON s.dag_id = v.dag_id AND s.dag_hash = v.dag_hash`,
    [versions.map((v) => v.dagId), versions.map((v) => v.dagHash)]);
  return new Map(result.map((r) => [r.dag_id, r.data]));
}

export interface AutomatedRunFacts {
  /** The latest scheduled or backfill run (dagRunsSql.lastAutomatedRun), null when none. */
  last: Omit<DagRunInfo, 'runAfter'> | null;
  /** Queued plus running runs (dagRunsSql.countActiveRuns). */
  active: number;
}

/** What planning the next scheduled runs needs, for each DAG (one statement for all). */
export async function automatedRunFacts(db: Queryable, dagIds: readonly string[]): Promise<Map<string, AutomatedRunFacts>> {
  if (dagIds.length === 0) return new Map();
  const result = await rows<{ dag_id: string; logical_date: Date | null; data_interval_start: Date | null; data_interval_end: Date | null; active: number }>(
    db, 'automatedRunFacts',
    `SELECT d.dag_id, l.logical_date, l.data_interval_start, l.data_interval_end,
            (SELECT count(*)::int FROM dag_run c WHERE c.dag_id = d.dag_id AND c.state IN ('queued', 'running')) AS active
       FROM unnest($1::text[]) AS d(dag_id)
       LEFT JOIN LATERAL (
         SELECT logical_date, data_interval_start, data_interval_end FROM dag_run
          WHERE dag_id = d.dag_id AND run_type IN ('scheduled', 'backfill') ORDER BY logical_date DESC LIMIT 1) l ON true`,
    [dagIds]);
  return new Map(result.map((r) => [r.dag_id, {
    last: r.logical_date === null ? null : {
      logicalDate: r.logical_date, dataIntervalStart: r.data_interval_start ?? r.logical_date, dataIntervalEnd: r.data_interval_end ?? r.logical_date,
    },
    active: r.active,
  }]));
}

export interface CreatedRunRow {
  dagRunId: string;
  dagId: string;
  runId: string;
}

/**
 * Inserts queued runs with a task instance (state none) per task, all in one statement
 * (dagRunsSql.insertDagRun for many). A run whose run_id or logical date already exists is left
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
     ti AS (
       INSERT INTO task_instance (dag_run_id, dag_id, run_id, task_id, operator, queue, pool, priority_weight, max_tries,
                                  pool_slots, max_active_tis_per_dag)
       SELECT r.id, r.dag_id, r.run_id, t.task_id, t.operator, t.queue, t.pool, t.priority_weight, t.max_tries,
              t.pool_slots, t.max_active_tis_per_dag
         FROM unnest($9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::int[], $16::int[], $17::int[], $18::int[])
           AS t(dag_id, run_id, task_id, operator, queue, pool, priority_weight, max_tries, pool_slots, max_active_tis_per_dag)
         JOIN r ON r.dag_id = t.dag_id AND r.run_id = t.run_id)
     SELECT id, dag_id, run_id FROM r`,
    [runs.map((r) => r.dagId), runs.map((r) => r.runId), runs.map((r) => r.runType), runs.map((r) => r.logicalDate),
      runs.map((r) => r.dataIntervalStart), runs.map((r) => r.dataIntervalEnd), runs.map((r) => JSON.stringify(r.conf)), runs.map((r) => r.dagHash),
      tasks.map((t) => t.dagId), tasks.map((t) => t.runId), tasks.map((t) => t.taskId), tasks.map((t) => t.operator), tasks.map((t) => t.queue),
      tasks.map((t) => t.pool), tasks.map((t) => t.priorityWeight), tasks.map((t) => t.maxTries), tasks.map((t) => t.poolSlots),
      tasks.map((t) => t.maxActiveTisPerDag)],
  );
  return result.map((r) => ({ dagRunId: String(r.id), dagId: r.dag_id, runId: r.run_id }));
}

/** Stores the next automated run of each DAG (dagsSql.setNextDagRun for many; null: none). */
export async function setNextDagRuns(db: Queryable, next: ReadonlyArray<{ dagId: string; info: DagRunInfo | null }>): Promise<void> {
  if (next.length === 0) return;
  await query(db, 'setNextDagRuns',
    `UPDATE dag d SET next_dagrun = x.logical_date, next_dagrun_interval_start = x.data_interval_start,
            next_dagrun_interval_end = x.data_interval_end, next_dagrun_create_after = x.run_after
       FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[])
         AS x(dag_id, logical_date, data_interval_start, data_interval_end, run_after)
      WHERE d.dag_id = x.dag_id`,
    [next.map((n) => n.dagId), next.map((n) => n.info?.logicalDate ?? null), next.map((n) => n.info?.dataIntervalStart ?? null),
      next.map((n) => n.info?.dataIntervalEnd ?? null), next.map((n) => n.info?.runAfter ?? null)],
  );
}

/** When the next DAG comes due (the earliest next_dagrun_create_after of an active, unpaused DAG), or null. */
export async function nextDueAt(db: Queryable): Promise<Date | null> {
  const result = await rows<{ at: Date | null }>(db, 'nextDueAt',
    `SELECT min(next_dagrun_create_after) AS at FROM dag
      WHERE is_active AND NOT is_paused AND next_dagrun_create_after IS NOT NULL`);
  return result[0]?.at ?? null;
}
