/**
 * What a branching task's result skips (Airflow's BranchPythonOperator / ShortCircuitOperator),
 * as a pure function of the serialized DAG and the task's return value. The scheduler applies the
 * skips in the same statement that records the task's success, so the decision is never lost.
 *
 * - branch: returns a task id, a list of ids, or null. Each id must be a direct downstream task.
 *   Skipped: the direct downstream tasks that are not followed and not downstream of a followed
 *   one (so a join that is also fed by a followed path is left to its trigger rule).
 * - short_circuit: a truthy value skips nothing. A falsy one skips every task downstream when
 *   ignoreDownstreamTriggerRules (Airflow's default), else only the direct downstream tasks.
 * Everything else follows from the trigger rules of the tasks after the skipped ones.
 */
import type { SerializedTask } from '@updraft/sdk';

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

/**
 * The tasks `task`'s result skips. `returnValueJson` is its JSON return value (null: none).
 * Tasks without `control` skip nothing.
 */
export function controlDecision(task: SerializedTask, tasks: Graph, returnValueJson: string | null): ControlDecision {
  const control = task.control;
  if (control === undefined) return { skip: [] };
  const value: unknown = returnValueJson === null ? null : JSON.parse(returnValueJson);
  const direct = task.downstream;
  if (control.kind === 'short_circuit') {
    if (value) return { skip: [] };
    return { skip: control.ignoreDownstreamTriggerRules ? [...descendants(tasks, [task.taskId])] : [...direct] };
  }
  const ids = followedIds(value);
  if (typeof ids === 'string') return { error: `branch '${task.taskId}' ${ids}` };
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
