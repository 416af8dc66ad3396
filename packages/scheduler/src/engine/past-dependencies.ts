/**
 * depends_on_past and wait_for_downstream: a task that its trigger rule made ready is queued only
 * when the same task (and, with wait_for_downstream, its direct downstream tasks) ended success or
 * skipped in the previous run by logical date. A task held back stays waiting with the reason in
 * task_instance.wait_reason; when the task it waits for ends, the next run is evaluated again.
 */
import { pastRunsSql, type Queryable, type RunKey, type TaskInstanceState } from '@updraft/core';
import type { CompiledDag } from './dag-cache.js';

const RELEASING: ReadonlySet<TaskInstanceState> = new Set(['success', 'skipped', 'removed']);

/** The tasks of `ready` that may be queued now; records why the others wait. */
export async function releasedByPast(db: Queryable, run: RunKey, compiled: CompiledDag, ready: readonly string[]): Promise<string[]> {
  const gated = ready.filter((t) => compiled.tasks.get(t)?.dependsOnPast === true);
  if (gated.length === 0) return [...ready];
  const watched = (taskId: string): string[] => {
    const task = compiled.tasks.get(taskId)!;
    return task.waitForDownstream === true ? [taskId, ...task.downstream] : [taskId];
  };
  const previous = await pastRunsSql.previousRunStates(db, run, [...new Set(gated.flatMap(watched))]);
  if (previous === null) return [...ready];
  const reasons = new Map<string, string>();
  for (const taskId of gated) {
    for (const w of watched(taskId)) {
      const states = previous.states.get(w);
      const blocking = states?.find((s) => !RELEASING.has(s));
      if (blocking === undefined) continue;
      reasons.set(taskId, w === taskId
        ? `depends_on_past: '${taskId}' is ${blocking} in the previous run '${previous.runId}'; it runs when that one succeeds or is skipped`
        : `wait_for_downstream: '${w}' (downstream of '${taskId}') is ${blocking} in the previous run '${previous.runId}'; it runs when that one succeeds or is skipped`);
      break;
    }
  }
  if (reasons.size > 0) await pastRunsSql.setWaitReasons(db, run, reasons);
  return ready.filter((t) => !reasons.has(t));
}

/** Whether tasks that just ended (with these states) can release a task of the next run. */
export function releasesNextRun(compiled: CompiledDag, ended: Iterable<[string, TaskInstanceState]>): boolean {
  if (compiled.pastWatched.size === 0) return false;
  for (const [taskId, state] of ended) if (RELEASING.has(state) && compiled.pastWatched.has(taskId)) return true;
  return false;
}
