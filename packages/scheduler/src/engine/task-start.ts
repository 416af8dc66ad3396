/**
 * Who starts a ready task: a worker, or the scheduler itself. The admission gate routes ready
 * tasks by it and the chain fast path hands only worker tasks to the reporting worker, so a new
 * kind of task the scheduler ends is added here, once, for both (two lists drifted apart before:
 * a trigger task after a single upstream went to a worker and triggered nothing).
 */
import type { SerializedTask } from '@updraft/sdk';

/** What the answer is decided from. */
export type TaskStartSpec = Pick<SerializedTask, 'kind' | 'sensor' | 'triggerDagRun' | 'latestOnly' | 'expand' | 'outlets' | 'outletAliases' | 'callbacks'>;

/**
 * - 'worker': queued, published and run by a worker (takes a pool slot and a worker place);
 * - 'deferred': a deferred sensor, which waits in state deferred until the scheduler resolves it (external-waits.ts);
 * - 'scheduler': ended by the scheduler in one transaction, `d.triggerDagRun`, `d.latestOnly` and
 *   `d.empty` (scheduler-tasks.ts).
 * The last two never reach a worker nor take a place.
 */
export type TaskStart = 'worker' | 'deferred' | 'scheduler';

export function taskStart(t: TaskStartSpec): TaskStart {
  if (t.triggerDagRun !== undefined || t.latestOnly === true || endsAsNoOp(t)) return 'scheduler';
  if (t.sensor?.mode === 'deferred') return 'deferred';
  return 'worker';
}

/**
 * An empty task the scheduler marks success as soon as it is ready, as Airflow's scheduler does
 * with an EmptyOperator: no worker, no pool slot, no log; a start or end marker or a join then
 * costs no hop and never waits in a queue behind real work. Its onSuccess callbacks and notifiers
 * are still recorded with the success. Left to a worker, as in Airflow: an empty task with an
 * onExecute callback (it runs when a worker starts the task) or with outlets or outlet aliases
 * (their asset events are a worker's report); and a mapped one (the scheduler ends unmapped
 * instances only).
 */
export function endsAsNoOp(t: TaskStartSpec): boolean {
  // kind 'empty' is also what a deferred sensor, a trigger task and a latest-only task are made of: they are not no-ops.
  return t.kind === 'empty' && t.sensor === undefined && t.triggerDagRun === undefined && t.latestOnly !== true && t.expand === undefined
    && (t.outlets?.length ?? 0) === 0 && (t.outletAliases?.length ?? 0) === 0 && !(t.callbacks ?? []).includes('onExecute');
}
