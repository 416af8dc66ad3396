/**
 * Who starts a ready task: a worker, or the scheduler itself. The admission gate routes ready
 * tasks by it and the chain fast path hands only worker tasks to the reporting worker, so a new
 * kind of task the scheduler ends is added here, once, for both (two lists drifted apart before:
 * a trigger task after a single upstream went to a worker and triggered nothing).
 */
import type { SerializedTask } from '@updraft/sdk';

/** What the answer is decided from. */
export type TaskStartSpec = Pick<SerializedTask, 'sensor' | 'triggerDagRun' | 'latestOnly'>;

/**
 * - 'worker': queued, published and run by a worker (takes a pool slot and a worker place);
 * - 'deferred': a deferred sensor, which waits in state deferred until the scheduler resolves it (external-waits.ts);
 * - 'scheduler': ended by the scheduler in one transaction, `d.triggerDagRun` and `d.latestOnly` (scheduler-tasks.ts).
 * The last two never reach a worker nor take a place.
 */
export type TaskStart = 'worker' | 'deferred' | 'scheduler';

export function taskStart(t: TaskStartSpec): TaskStart {
  if (t.triggerDagRun !== undefined || t.latestOnly === true) return 'scheduler';
  if (t.sensor?.mode === 'deferred') return 'deferred';
  return 'worker';
}
