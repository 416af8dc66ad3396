/**
 * Runs next to each other by logical date, for depends_on_past and wait_for_downstream: the states
 * a task had in the previous run, the run after a given one, and why a task waits.
 */
import type { Queryable } from '../db/types.js';
import type { RunKey } from '../state/keys.js';
import { taskInstanceStateOf, type TaskInstanceState } from '../state/states.js';
import { query, rows } from './query.js';

export interface PreviousRun {
  runId: string;
  /** States of the asked tasks in that run (one per map index); a task absent there is absent here. */
  states: Map<string, TaskInstanceState[]>;
}

/** The run of the same DAG just before `run` by logical date, with the states of `taskIds` there; null for the first run. */
export async function previousRunStates(db: Queryable, run: RunKey, taskIds: readonly string[]): Promise<PreviousRun | null> {
  const result = await rows<{ run_id: string; task_id: string | null; state: string | null }>(db, 'previousRunStates',
    `WITH cur AS (SELECT dag_id, logical_date FROM dag_run WHERE id = $1),
     prev AS (
       SELECT r.id, r.run_id FROM dag_run r, cur
       WHERE r.dag_id = cur.dag_id AND r.logical_date < cur.logical_date
       ORDER BY r.logical_date DESC LIMIT 1)
     SELECT prev.run_id, ti.task_id, ti.state
     FROM prev LEFT JOIN task_instance ti ON ti.dag_run_id = prev.id AND ti.task_id = ANY($2::text[])`,
    [run.dagRunId, taskIds], { prepare: true });
  if (result.length === 0) return null;
  const states = new Map<string, TaskInstanceState[]>();
  for (const r of result) {
    if (r.task_id === null) continue;
    states.set(r.task_id, [...(states.get(r.task_id) ?? []), taskInstanceStateOf(r.state)]);
  }
  return { runId: result[0]!.run_id, states };
}

export interface NextRun extends RunKey {
  dagHash: string | null;
}

/** The running run of the same DAG just after `run` by logical date, or null (none, or it is not running). */
export async function nextRunningRun(db: Queryable, run: RunKey): Promise<NextRun | null> {
  const result = await rows<{ id: string; dag_id: string; run_id: string; dag_hash: string | null; state: string }>(db, 'nextRunningRun',
    `WITH cur AS (SELECT dag_id, logical_date FROM dag_run WHERE id = $1)
     SELECT r.id, r.dag_id, r.run_id, r.dag_hash, r.state FROM dag_run r, cur
     WHERE r.dag_id = cur.dag_id AND r.logical_date > cur.logical_date
     ORDER BY r.logical_date LIMIT 1`,
    [run.dagRunId], { prepare: true });
  const r = result[0];
  if (r === undefined || r.state !== 'running') return null;
  return { dagRunId: String(r.id), dagId: r.dag_id, runId: r.run_id, dagHash: r.dag_hash };
}

/** Records why these waiting task instances of `run` are held back (null clears it). */
export async function setWaitReasons(db: Queryable, run: RunKey, reasons: ReadonlyMap<string, string | null>): Promise<void> {
  if (reasons.size === 0) return;
  await query(db, 'setWaitReasons',
    `UPDATE task_instance ti SET wait_reason = w.reason, updated_at = now()
     FROM unnest($2::text[], $3::text[]) AS w(task_id, reason)
     WHERE ti.dag_run_id = $1 AND ti.task_id = w.task_id AND COALESCE(ti.state, 'none') IN ('none', 'scheduled')
       AND ti.wait_reason IS DISTINCT FROM w.reason`,
    [run.dagRunId, [...reasons.keys()], [...reasons.values()]]);
}
