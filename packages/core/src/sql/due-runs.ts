/**
 * Scheduled runs of many due DAGs at once: when every `* * * * *` DAG of a deployment comes due
 * at the same instant, the scheduler reads what it needs for all of them and stores all their next
 * runs in a few statements, instead of a handful per DAG (their runs: dagRunsSql.insertDagRuns).
 * The one-DAG forms live in dags.ts and dag-runs.ts; these agree with them row for row.
 */
import type { Queryable } from '../db/types.js';
import type { DagRunInfo } from '../time/timetable-types.js';
import type { CurrentDag } from './dags.js';
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
  /** Queued plus running runs outside an active backfill (dagRunsSql.countActiveRuns). */
  active: number;
}

/** What planning the next scheduled runs needs, for each DAG (one statement for all). */
export async function automatedRunFacts(db: Queryable, dagIds: readonly string[]): Promise<Map<string, AutomatedRunFacts>> {
  if (dagIds.length === 0) return new Map();
  const result = await rows<{ dag_id: string; logical_date: Date | null; data_interval_start: Date | null; data_interval_end: Date | null; active: number }>(
    db, 'automatedRunFacts',
    `SELECT d.dag_id, l.logical_date, l.data_interval_start, l.data_interval_end,
            (SELECT count(*)::int FROM dag_run c WHERE c.dag_id = d.dag_id AND c.state IN ('queued', 'running')
               AND NOT EXISTS (SELECT 1 FROM backfill b WHERE b.id = c.backfill_id AND b.state IN ('running', 'paused'))) AS active
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
