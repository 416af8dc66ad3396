/**
 * What a branching task's result skips (Airflow's BranchPythonOperator / ShortCircuitOperator),
 * as a pure function of the serialized DAG and the task's return value. The scheduler applies the
 * skips in the same statement that records the task's success, so the decision is never lost.
 *
 * - branch: returns a task id, a list of ids, or null. Each id must be a direct downstream task, or
 *   a task group whose tasks include direct downstream tasks (those are followed, as in Airflow).
 *   Skipped: the direct downstream tasks that are not followed and not downstream of a followed
 *   one (so a join that is also fed by a followed path is left to its trigger rule).
 * - short_circuit: a truthy value skips nothing. A falsy one skips every task downstream when
 *   ignoreDownstreamTriggerRules (Airflow's default), else only the direct downstream tasks.
 * - latest only (`d.latestOnly`, run by the scheduler): a branch whose recorded return value is the
 *   direct downstream tasks it follows (all of them in the latest run, none in an older one).
 * Everything else follows from the trigger rules of the tasks after the skipped ones.
 */
import type { SerializedTask, SerializedTaskGroup } from '@updraft/sdk';

export type ControlDecision = { skip: string[] } | { error: string };

type Graph = ReadonlyMap<string, Pick<SerializedTask, 'downstream'>>;

/** Every task downstream of `roots` (not the roots themselves unless reachable from another). */
export function descendants(tasks: Graph, roots: Iterable<string>): Set<string> {
  const out = new Set<string>();
  const work = [...roots].flatMap((r) => tasks.get(r)?.downstream ?? []);
  while (work.length > 0) {
    const id = work.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    work.push(...(tasks.get(id)?.downstream ?? []));
  }
  return out;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The branch's choice as task ids, or a message why it is not one. */
function followedIds(value: unknown): string[] | string {
  if (value === null || value === undefined) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string')) return value;
  return `must return a task id, an array of task ids or null; it returned ${describe(value)}`;
}

/** Every task of `groupId` and its nested groups. */
function groupTasks(groups: readonly SerializedTaskGroup[], groupId: string): string[] {
  const byId = new Map(groups.map((g) => [g.groupId, g]));
  const out: string[] = [];
  const work = [groupId];
  while (work.length > 0) {
    const g = byId.get(work.pop()!);
    if (g === undefined) continue;
    out.push(...g.taskIds);
    work.push(...g.childGroupIds);
  }
  return out;
}

/**
 * The tasks `task`'s result skips. `returnValueJson` is its JSON return value (null: none);
 * `groups` the DAG's task groups (a branch may name one). Tasks without `control` skip nothing.
 */
export function controlDecision(task: SerializedTask, tasks: Graph, returnValueJson: string | null, groups: readonly SerializedTaskGroup[] = []): ControlDecision {
  // A latest-only gate decides as a branch: its return value lists the tasks it follows.
  const control = task.control ?? (task.latestOnly === true ? { kind: 'branch' as const } : undefined);
  if (control === undefined) return { skip: [] };
  const value: unknown = returnValueJson === null ? null : JSON.parse(returnValueJson);
  const direct = task.downstream;
  if (control.kind === 'short_circuit') {
    if (value) return { skip: [] };
    return { skip: control.ignoreDownstreamTriggerRules ? [...descendants(tasks, [task.taskId])] : [...direct] };
  }
  const chosen = followedIds(value);
  if (typeof chosen === 'string') return { error: `branch '${task.taskId}' ${chosen}` };
  // A group id stands for the group's tasks that are direct downstream of the branch.
  const ids = chosen.flatMap((id) => {
    if (!groups.some((g) => g.groupId === id)) return [id];
    const inGroup = groupTasks(groups, id).filter((t) => direct.includes(t));
    return inGroup.length === 0 ? [id] : inGroup;
  });
  const invalid = ids.filter((id) => !direct.includes(id));
  if (invalid.length > 0) {
    return {
      error: `branch '${task.taskId}' returned ${invalid.map((i) => `'${i}'`).join(', ')}, which ${invalid.length === 1 ? 'is not a direct downstream task' : 'are not direct downstream tasks'}; ` +
        `it can follow: ${direct.length === 0 ? '(none: it has no downstream tasks)' : direct.join(', ')}`,
    };
  }
  const kept = new Set([...ids, ...descendants(tasks, ids)]);
  return { skip: direct.filter((id) => !kept.has(id)) };
}

/**
 * The direct downstream tasks that branches and short-circuits skipped, from the return values
 * they recorded (`decisions`: control task id -> its JSON return value, null when it has none):
 * what Airflow's NotPreviouslySkippedDep keeps skipped when a clear leaves the deciding task alone.
 * Only direct downstream tasks, as in Airflow (further ones follow from the trigger rules). A task
 * without a recorded value (marked success by hand, or it returned undefined) decided nothing that
 * can be found again, and an invalid choice never ended in success: neither skips anything here.
 */
export function skippedByDecisions(
  tasks: ReadonlyMap<string, SerializedTask>,
  decisions: Iterable<readonly [taskId: string, returnValueJson: string | null]>,
  groups: readonly SerializedTaskGroup[] = [],
): Set<string> {
  const out = new Set<string>();
  for (const [taskId, json] of decisions) {
    const task = tasks.get(taskId);
    if (task === undefined || json === null) continue;
    const decision = controlDecision(task, tasks, json, groups);
    if ('error' in decision) continue;
    for (const id of decision.skip) if (task.downstream.includes(id)) out.add(id);
  }
  return out;
}
