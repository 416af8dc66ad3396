/**
 * Which task instances a clear touches (Airflow's `tasks clear` and `clearTaskInstances`): the
 * selected tasks with their downstream and/or upstream tasks (transitively), in the runs of a
 * logical-date range or one run, optionally only failed or only running instances, with the setup
 * tasks those need and their teardowns (as Airflow clears them). The CLI and the
 * REST API both select through here, then clear with ../sql/clear.ts.
 */
import type { SerializedDag } from '@updraft/sdk';
import type { Queryable } from '../db/types.js';
import { instancesInRange, type ClearableInstance, type ClearItem } from '../sql/clear.js';
import type { TaskInstanceState } from '../state/states.js';

/** Task ids for which `include` holds, plus their downstream and/or upstream tasks (transitively). */
export function selectTasks(dag: SerializedDag, include: (taskId: string) => boolean, downstream: boolean, upstream: boolean): Set<string> {
  const byId = new Map(dag.tasks.map((t) => [t.taskId, t]));
  const selected = new Set(dag.tasks.filter((t) => include(t.taskId)).map((t) => t.taskId));
  const follow = (edge: 'downstream' | 'upstream'): void => {
    const work = [...selected];
    while (work.length > 0) {
      for (const next of byId.get(work.pop()!)?.[edge] ?? []) {
        if (!selected.has(next)) {
          selected.add(next);
          work.push(next);
        }
      }
    }
  };
  if (downstream) follow('downstream');
  if (upstream) follow('upstream');
  withSetupsAndTeardowns(byId, selected);
  return selected;
}

/**
 * Adds to `selected` what Airflow clears with a task: a work task's setups (upstream of it, through
 * any path) and their teardowns, and a setup's teardowns. Work run again needs what its setup made,
 * and what a setup makes again is torn down again.
 */
function withSetupsAndTeardowns(byId: ReadonlyMap<string, SerializedDag['tasks'][number]>, selected: Set<string>): void {
  const setups = new Set<string>();
  for (const id of selected) {
    const task = byId.get(id);
    if (task === undefined || task.teardown !== undefined) continue;
    if (task.setup === true) {
      setups.add(id);
      continue;
    }
    // The setups upstream of a work task.
    const seen = new Set<string>();
    const work = [...task.upstream];
    while (work.length > 0) {
      const up = byId.get(work.pop()!);
      if (up === undefined || seen.has(up.taskId)) continue;
      seen.add(up.taskId);
      if (up.setup === true) setups.add(up.taskId);
      work.push(...up.upstream);
    }
  }
  for (const id of setups) {
    selected.add(id);
    for (const d of byId.get(id)!.downstream) if (byId.get(d)?.teardown !== undefined) selected.add(d);
  }
}

export interface ClearSelection {
  from?: Date;
  to?: Date;
  runId?: string;
  /** Which tasks (before downstream / upstream are added); default all. */
  include?: (taskId: string) => boolean;
  /**
   * Of a task named here, only these map indexes (Airflow's `[task_id, map_index]` pairs); its
   * downstream / upstream tasks are still selected whole. Tasks not named here are not narrowed.
   */
  mapIndexes?: ReadonlyArray<{ taskId: string; mapIndex: number }>;
  downstream?: boolean;
  upstream?: boolean;
  /** Only failed and upstream_failed instances. */
  onlyFailed?: boolean;
  /** Only running instances (with onlyFailed too: none, as Airflow). */
  onlyRunning?: boolean;
  /** At most this many (default: all). */
  limit?: number;
}

/**
 * The instances a clear of `dag` with this selection would touch, by logical date, task and map
 * index: one statement, filtered in the database.
 */
export async function instancesToClear(db: Queryable, dag: SerializedDag, s: ClearSelection): Promise<ClearableInstance[]> {
  const tasks = selectTasks(dag, s.include ?? (() => true), s.downstream === true, s.upstream === true);
  if (tasks.size === 0 || (s.onlyFailed === true && s.onlyRunning === true)) return [];
  const states: Array<Exclude<TaskInstanceState, 'none'>> | undefined = s.onlyFailed === true ? ['failed', 'upstream_failed']
    : s.onlyRunning === true ? ['running'] : undefined;
  const taskIds = tasks.size === dag.tasks.length ? undefined : [...tasks];
  return instancesInRange(db, dag.dagId, { from: s.from, to: s.to, runId: s.runId, taskIds, states, limit: s.limit, mapIndexes: s.mapIndexes });
}

/** What ../sql/clear.ts needs to clear these instances (each task's retries given again). */
export function clearItems(dag: SerializedDag, instances: readonly ClearableInstance[]): ClearItem[] {
  const retries = new Map(dag.tasks.map((t) => [t.taskId, t.retries]));
  return instances.map((i) => ({ runId: i.runId, taskId: i.taskId, mapIndex: i.mapIndex, retries: retries.get(i.taskId) ?? 0 }));
}

/**
 * What the event log records of a clear in one run: the task ids, and per mapped task the map
 * indexes cleared (`map_indexes`, absent when no mapped instance was).
 */
export function clearEventExtra(instances: readonly ClearableInstance[], runId: string): { task_ids: string[]; map_indexes?: Record<string, number[]> } {
  const inRun = instances.filter((i) => i.runId === runId);
  const extra: { task_ids: string[]; map_indexes?: Record<string, number[]> } = { task_ids: [...new Set(inRun.map((i) => i.taskId))] };
  for (const i of inRun) {
    if (i.mapIndex < 0) continue;
    extra.map_indexes ??= {};
    (extra.map_indexes[i.taskId] ??= []).push(i.mapIndex);
  }
  for (const list of Object.values(extra.map_indexes ?? {})) list.sort((a, b) => a - b);
  return extra;
}
