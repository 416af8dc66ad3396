/**
 * What the run's branches and short-circuits that succeeded decided to skip, for an evaluation of
 * the whole run (core's planReadiness `skippedByControl`): a task one of them skipped that waits
 * again (a clear or mark that left the deciding task alone) is skipped again instead of running, as
 * Airflow's NotPreviouslySkippedDep does. Their return values are read only when such a task
 * waits, so a run's start and its hot path never read them.
 */
import { skippedByDecisions, xcomSql, type Queryable, type TaskInstanceState } from '@updraft/core';
import type { CompiledDag } from './dag-cache.js';
import type { RunRef } from './evaluator.js';

const waiting = (s: TaskInstanceState | undefined): boolean => s === 'none' || s === 'scheduled';

export async function skippedByControl(
  db: Queryable,
  run: RunRef,
  compiled: CompiledDag,
  states: ReadonlyMap<string, TaskInstanceState>,
): Promise<ReadonlySet<string> | undefined> {
  const deciders = compiled.controls.filter((t) => states.get(t) === 'success'
    && compiled.tasks.get(t)!.downstream.some((d) => waiting(states.get(d))));
  if (deciders.length === 0) return undefined;
  const values = await xcomSql.pullXComs(db, deciders.map((taskId) => ({ dagId: run.dagId, runId: run.runId, taskId, key: 'return_value', mapIndex: -1 })));
  return skippedByDecisions(compiled.tasks, deciders.map((t, i) => [t, values[i] ?? null] as const), compiled.dag.taskGroups);
}
