/**
 * A finished DAG run's state, as Airflow decides it: failed when an instance of a leaf task (a task
 * without downstream tasks) failed or is upstream_failed, success otherwise (leaves that succeeded or
 * were skipped). Tasks before the leaves do not count: a failure followed by an all_done leaf that
 * succeeds is a successful run, and a leaf that fails fails the run whatever its upstreams did.
 * Removed instances count for nothing. The scheduler's finish statement (../sql/dag-runs.ts) and
 * `updraft dags test` both decide with these leaves.
 */
import type { SerializedTask } from '@updraft/sdk';
import type { TaskInstanceState } from './states.js';

/** The ids of the tasks without downstream tasks, in the DAG's order. */
export function leafTaskIds(tasks: Iterable<Pick<SerializedTask, 'taskId' | 'downstream'>>): string[] {
  return [...tasks].filter((t) => t.downstream.length === 0).map((t) => t.taskId);
}

/** States of a leaf instance that fail its run. */
export const RUN_FAILING_LEAF_STATES: readonly TaskInstanceState[] = ['failed', 'upstream_failed'];

/** The state of a finished run whose leaf instances ended in `leafStates`. */
export function finishedRunState(leafStates: Iterable<TaskInstanceState>): 'success' | 'failed' {
  for (const s of leafStates) if (RUN_FAILING_LEAF_STATES.includes(s)) return 'failed';
  return 'success';
}
