/**
 * A finished DAG run's state, as Airflow decides it: failed when an instance of a leaf task (a task
 * without downstream tasks) failed or is upstream_failed, success otherwise (leaves that succeeded or
 * were skipped). Tasks before the leaves do not count: a failure followed by an all_done leaf that
 * succeeds is a successful run, and a leaf that fails fails the run whatever its upstreams did.
 * Removed instances count for nothing; so does a teardown task's failure, unless it says otherwise
 * (see leafTaskIds). The scheduler's finish statement (../sql/dag-runs.ts) and
 * `updraft dags test` both decide with these leaves.
 */
import type { SerializedTask } from '@updraft/sdk';
import type { TaskInstanceState } from './states.js';

type LeafInput = Pick<SerializedTask, 'taskId' | 'downstream' | 'teardown'>;

/**
 * The ids of the tasks that decide a run's state, in the DAG's order: those without downstream
 * tasks. A teardown whose failure may not fail the run (no onFailureFailDagrun) does not count, and
 * does not keep the tasks before it from counting: a task whose downstream tasks are all such
 * teardowns counts (Airflow's effective leaves). A DAG of such teardowns only: its plain leaves.
 */
export function leafTaskIds(tasks: Iterable<LeafInput>): string[] {
  const all = [...tasks];
  const byId = new Map(all.map((t) => [t.taskId, t]));
  const ignorable = (t: LeafInput | undefined): boolean => t?.teardown !== undefined && !t.teardown.onFailureFailDagrun;
  const effective = all.filter((t) => !ignorable(t) && t.downstream.every((d) => ignorable(byId.get(d))));
  return (effective.length > 0 ? effective : all.filter((t) => t.downstream.length === 0)).map((t) => t.taskId);
}

/** States of a leaf instance that fail its run. */
export const RUN_FAILING_LEAF_STATES: readonly TaskInstanceState[] = ['failed', 'upstream_failed'];

/** The state of a finished run whose leaf instances ended in `leafStates`. */
export function finishedRunState(leafStates: Iterable<TaskInstanceState>): 'success' | 'failed' {
  for (const s of leafStates) if (RUN_FAILING_LEAF_STATES.includes(s)) return 'failed';
  return 'success';
}
