/**
 * Empty tasks the scheduler ends itself (which ones: the scheduler's task-start.ts), as Airflow's
 * scheduler does with an EmptyOperator: each ready instance is marked success as a try of its own,
 * started and ended now, with the onSuccess callbacks and notifiers it has, in one statement. An
 * instance no longer ready is left alone, so two evaluations of a run end it once.
 */
import type { SerializedTask } from '@updraft/sdk';
import type { Queryable } from '../db/types.js';
import { endReadyTasks } from '../sql/scheduler-tasks.js';
import { endEffectsOf } from '../sql/task-end-effects.js';
import type { RunKey } from '../state/keys.js';

/** Marks these ready empty tasks of `run` success; returns the ids of those it ended. */
export async function endEmptyTasks(db: Queryable, run: RunKey, tasks: readonly SerializedTask[]): Promise<string[]> {
  // The try number sets only a failure's retry delay: none here.
  const ended = await endReadyTasks(db, run, tasks.map((t) => ({ taskId: t.taskId, state: 'success' as const, error: null, ...endEffectsOf(t, 1) })));
  return ended.map((e) => e.taskId);
}
