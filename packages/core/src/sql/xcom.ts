/**
 * XCom: values task instances store for other tasks of the same DAG run (the return value under
 * key `return_value`, anything else a task pushes). Workers never read these tables: the scheduler
 * answers GetXCom / PushXCom for running attempts, and renders `ti.xcom_pull(...)` in templates at
 * claim time. A task's return value is written by attempts.finishAttempts in the same statement
 * that ends the try; a claim clears the instance's values of earlier tries (attempts.claimAttempts),
 * as Airflow clears a task's XCom when a new try starts.
 */
import type { Queryable } from '../db/types.js';
import type { TaskInstanceKey } from '../state/keys.js';
import { rows } from './query.js';

/** A value to read: one task of a run, one key, one map index or (null) the task as a whole. */
export interface XComPull {
  dagId: string;
  runId: string;
  taskId: string;
  key: string;
  /**
   * null: the task's value; for a mapped task (instances with map_index >= 0) the values of all
   * its instances as a JSON array in map-index order (instances without a value are left out).
   */
  mapIndex: number | null;
}

/**
 * One result per input: the value as JSON text, or null when there is none. One statement.
 */
export async function pullXComs(db: Queryable, pulls: readonly XComPull[]): Promise<Array<string | null>> {
  if (pulls.length === 0) return [];
  const result = await rows<{ i: string; value: string | null }>(db, 'pullXComs',
    `WITH a AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[])
         WITH ORDINALITY AS a(dag_id, run_id, task_id, key, map_index, i))
     SELECT a.i, (CASE
       WHEN a.map_index IS NOT NULL THEN
         (SELECT x.value FROM xcom x WHERE x.dag_id = a.dag_id AND x.run_id = a.run_id AND x.task_id = a.task_id
            AND x.key = a.key AND x.map_index = a.map_index)
       WHEN EXISTS (SELECT 1 FROM task_instance ti WHERE ti.dag_id = a.dag_id AND ti.run_id = a.run_id
            AND ti.task_id = a.task_id AND ti.map_index >= 0) THEN
         (SELECT COALESCE(json_agg(x.value ORDER BY x.map_index), '[]'::json) FROM xcom x
           WHERE x.dag_id = a.dag_id AND x.run_id = a.run_id AND x.task_id = a.task_id AND x.key = a.key AND x.map_index >= 0)
       ELSE
         (SELECT x.value FROM xcom x WHERE x.dag_id = a.dag_id AND x.run_id = a.run_id AND x.task_id = a.task_id
            AND x.key = a.key AND x.map_index = -1)
       END)::text AS value
     FROM a`,
    [pulls.map((p) => p.dagId), pulls.map((p) => p.runId), pulls.map((p) => p.taskId), pulls.map((p) => p.key),
      pulls.map((p) => p.mapIndex)],
    { prepare: true });
  const out: Array<string | null> = pulls.map(() => null);
  for (const r of result) out[Number(r.i) - 1] = r.value;
  return out;
}

/** A value a task instance stores under `key` (JSON text, already checked: valid, no NUL, within core.max_xcom_size). */
export interface XComPush extends TaskInstanceKey {
  key: string;
  valueJson: string;
}

/** Stores (or replaces) these values; one statement. A push for a task instance that does not exist stores nothing. */
export async function pushXComs(db: Queryable, pushes: readonly XComPush[]): Promise<void> {
  if (pushes.length === 0) return;
  await rows(db, 'pushXComs',
    `INSERT INTO xcom (dag_id, run_id, task_id, map_index, key, value)
     SELECT a.dag_id, a.run_id, a.task_id, a.map_index, a.key, a.value::json
     FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[])
       AS a(dag_id, run_id, task_id, map_index, key, value)
     JOIN task_instance ti ON ti.dag_id = a.dag_id AND ti.run_id = a.run_id AND ti.task_id = a.task_id AND ti.map_index = a.map_index
     ON CONFLICT (dag_id, run_id, task_id, map_index, key) DO UPDATE SET value = EXCLUDED.value, created_at = now()`,
    [pushes.map((p) => p.dagId), pushes.map((p) => p.runId), pushes.map((p) => p.taskId), pushes.map((p) => p.mapIndex),
      pushes.map((p) => p.key), pushes.map((p) => p.valueJson)],
    { prepare: true });
}

/** One stored XCom value, as listings show it. */
export interface XComEntry extends TaskInstanceKey {
  key: string;
  /** The value as JSON text. */
  valueJson: string;
  createdAt: Date;
  /** The logical date of the value's run. */
  logicalDate: Date;
}

export interface XComEntriesFilter {
  /** Only this DAG (null: every DAG, the API's `~`). */
  dagId: string | null;
  /** Only this run (null: every run). */
  runId: string | null;
  /** Only this task (default: all tasks). */
  taskId?: string;
  /** Only this key (default: all keys). */
  key?: string;
  /** Only this map index (default: all). */
  mapIndex?: number;
  /** Default 100. */
  limit?: number;
  /** Default 0. */
  offset?: number;
}

const ENTRIES_WHERE = `($1::text IS NULL OR x.dag_id = $1) AND ($2::text IS NULL OR x.run_id = $2) AND ($3::text IS NULL OR x.task_id = $3)
  AND ($4::text IS NULL OR x.key = $4) AND ($5::int IS NULL OR x.map_index = $5)`;
const entriesParams = (f: XComEntriesFilter): unknown[] => [f.dagId, f.runId, f.taskId ?? null, f.key ?? null, f.mapIndex ?? null];

/** XCom values (of one run, or with a null dagId / runId of every DAG / run), ordered by DAG, run, task, map index and key. */
export async function xcomEntries(db: Queryable, f: XComEntriesFilter): Promise<XComEntry[]> {
  const result = await rows<{ dag_id: string; run_id: string; task_id: string; map_index: number; key: string; value: string; created_at: Date; logical_date: Date }>(db, 'xcomEntries',
    `SELECT x.dag_id, x.run_id, x.task_id, x.map_index, x.key, x.value::text AS value, x.created_at, r.logical_date
     FROM xcom x JOIN dag_run r ON r.dag_id = x.dag_id AND r.run_id = x.run_id
     WHERE ${ENTRIES_WHERE}
     ORDER BY x.dag_id, x.run_id, x.task_id, x.map_index, x.key LIMIT $6 OFFSET $7`,
    [...entriesParams(f), f.limit ?? 100, f.offset ?? 0]);
  return result.map((r) => ({
    dagId: r.dag_id, runId: r.run_id, taskId: r.task_id, mapIndex: r.map_index, key: r.key, valueJson: r.value, createdAt: r.created_at,
    logicalDate: r.logical_date,
  }));
}

/** How many XCom values `xcomEntries` would list without its page bounds. */
export async function countXComEntries(db: Queryable, f: Omit<XComEntriesFilter, 'limit' | 'offset'>): Promise<number> {
  const result = await rows<{ n: string }>(db, 'countXComEntries', `SELECT count(*) AS n FROM xcom x WHERE ${ENTRIES_WHERE}`, entriesParams(f));
  return Number(result[0]?.n ?? 0);
}

/** The element a mapped task's instance handles: element `index` of its source task's value. */
export interface MappedItemRef {
  dagId: string;
  runId: string;
  /** The task mapped over. */
  sourceTaskId: string;
  /** The source is itself mapped: its instances' values in map-index order form the array. */
  sourceMapped: boolean;
  index: number;
}

/** One result per input: the element as JSON text, or null when there is none. One statement. */
export async function mappedItems(db: Queryable, refs: readonly MappedItemRef[]): Promise<Array<string | null>> {
  if (refs.length === 0) return [];
  const result = await rows<{ i: string; value: string | null }>(db, 'mappedItems',
    `WITH a AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bool[], $5::int[])
         WITH ORDINALITY AS a(dag_id, run_id, task_id, mapped, idx, i))
     SELECT a.i, (CASE WHEN a.mapped THEN
         (SELECT x.value FROM xcom x WHERE x.dag_id = a.dag_id AND x.run_id = a.run_id AND x.task_id = a.task_id
            AND x.key = 'return_value' AND x.map_index >= 0 ORDER BY x.map_index OFFSET a.idx LIMIT 1)
       ELSE
         (SELECT x.value -> a.idx FROM xcom x WHERE x.dag_id = a.dag_id AND x.run_id = a.run_id AND x.task_id = a.task_id
            AND x.key = 'return_value' AND x.map_index = -1)
       END)::text AS value
     FROM a`,
    [refs.map((r) => r.dagId), refs.map((r) => r.runId), refs.map((r) => r.sourceTaskId), refs.map((r) => r.sourceMapped),
      refs.map((r) => r.index)],
    { prepare: true });
  const out: Array<string | null> = refs.map(() => null);
  for (const r of result) out[Number(r.i) - 1] = r.value;
  return out;
}
