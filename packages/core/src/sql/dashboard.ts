/**
 * The home page's figures (Airflow's dashboard): how many DAGs are active, paused, failing or
 * running, and the runs of a recent window with their task instances, counted by state.
 */
import type { Queryable } from '../db/types.js';
import { latestRunState } from './dag-pages.js';
import { rows } from './query.js';

export interface DagCounts {
  /** DAGs whose file is present, not paused. */
  active: number;
  /** DAGs whose file is present, paused. */
  paused: number;
  /** Active DAGs (not paused) whose latest run by logical date failed. */
  failing: number;
  /** DAGs (file present) whose latest run by logical date is running. */
  running: number;
  /** DAG files that failed to import. */
  importErrors: number;
}

/** The DAG counts of the home page, in one statement: one pass over the DAGs, one probe of each one's latest run. */
export async function dagCounts(db: Queryable): Promise<DagCounts> {
  const [r] = await rows<{ active: number; paused: number; failing: number; running: number; import_errors: number }>(db, 'dashboardDagCounts',
    `SELECT count(*) FILTER (WHERE NOT d.is_paused)::int AS active,
            count(*) FILTER (WHERE d.is_paused)::int AS paused,
            count(*) FILTER (WHERE NOT d.is_paused AND d.latest = 'failed')::int AS failing,
            count(*) FILTER (WHERE d.latest = 'running')::int AS running,
            (SELECT count(*)::int FROM import_error) AS import_errors
       FROM (SELECT d.is_paused, ${latestRunState('d')} AS latest FROM dag d WHERE d.is_active) d`,
    [], { prepare: true });
  return { active: r!.active, paused: r!.paused, failing: r!.failing, running: r!.running, importErrors: r!.import_errors };
}

export interface WindowCounts {
  /** Runs by state. */
  runStates: Record<string, number>;
  /** Runs by type (scheduled, manual, backfill, asset_triggered). */
  runTypes: Record<string, number>;
  /** The task instances of those runs by state ('none': not ready yet). */
  taskInstanceStates: Record<string, number>;
}

/**
 * The runs created since `since` and every run still queued or running, counted by state and by
 * type, and their task instances by state: one statement (the runs by their creation time's index
 * and the active runs' partial index, their instances by run).
 */
export async function windowCounts(db: Queryable, since: Date): Promise<WindowCounts> {
  const result = await rows<{ kind: 'state' | 'type' | 'ti'; key: string; n: number }>(db, 'dashboardWindowCounts',
    `WITH runs AS MATERIALIZED (
       SELECT id, state, run_type FROM dag_run WHERE queued_at >= $1
       UNION
       SELECT id, state, run_type FROM dag_run WHERE state IN ('queued', 'running'))
     SELECT 'state' AS kind, state AS key, count(*)::int AS n FROM runs GROUP BY state
     UNION ALL
     SELECT 'type', run_type, count(*)::int FROM runs GROUP BY run_type
     UNION ALL
     SELECT 'ti', COALESCE(ti.state, 'none'), count(*)::int FROM runs JOIN task_instance ti ON ti.dag_run_id = runs.id GROUP BY 2`,
    [since], { prepare: true });
  const out: WindowCounts = { runStates: {}, runTypes: {}, taskInstanceStates: {} };
  const into = { state: out.runStates, type: out.runTypes, ti: out.taskInstanceStates };
  for (const r of result) into[r.kind][r.key] = r.n;
  return out;
}
