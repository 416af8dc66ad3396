/**
 * A person marking a task instance success or failed (the REST API's PATCH of a task instance, the
 * UI's mark buttons), as Airflow's set_task_instance_state does: the instance takes the state, and
 * in the same transaction the task's downstream instances in that run that failed or are
 * upstream_failed are cleared (the task's own other map indexes are not), so the scheduler decides
 * them again from the new state. A failed task marked success lets what its failure stopped run;
 * before, that stayed upstream_failed and the run failed again.
 */
import type { SerializedDag } from '@updraft/sdk';
import { withTransaction } from '../db/transaction.js';
import { isPool, type Queryable } from '../db/types.js';
import { clearTaskInstances } from '../sql/clear.js';
import { markTaskInstances, type MarkedInstance } from '../sql/mark-state.js';
import { clearItems, instancesToClear } from './clear-selection.js';

export interface MarkTaskInput {
  runId: string;
  taskId: string;
  mapIndex: number;
  state: 'success' | 'failed';
}

export interface MarkTaskResult {
  /** The marked instance with the state it had; absent when it was already in that state (or removed). */
  marked: MarkedInstance | undefined;
  /** Downstream instances cleared to be decided again. */
  cleared: number;
}

export async function markTaskInstance(db: Queryable, dag: SerializedDag, m: MarkTaskInput): Promise<MarkTaskResult> {
  const work = async (tx: Queryable): Promise<MarkTaskResult> => {
    const [marked] = await markTaskInstances(tx, dag.dagId, [{ runId: m.runId, taskId: m.taskId, mapIndex: m.mapIndex }], m.state);
    if (marked === undefined) return { marked, cleared: 0 };
    const downstream = (await instancesToClear(tx, dag, { runId: m.runId, include: (t) => t === m.taskId, downstream: true, onlyFailed: true }))
      .filter((i) => i.taskId !== m.taskId);
    return { marked, cleared: await clearTaskInstances(tx, dag.dagId, clearItems(dag, downstream)) };
  };
  return isPool(db) ? withTransaction(db, work) : work(db);
}
