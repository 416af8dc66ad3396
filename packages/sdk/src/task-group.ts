import { NAMED_GROUP_BRAND } from './brands.js';
import type { Dag } from './dag.js';
import { DagDefinitionError } from './errors.js';
import type { TaskSettings } from './options.js';
import { chainResult, connect, edgeEnds, type Task, type TaskGroup, type TaskLike } from './task.js';

/** Options of `d.taskGroup(groupId, build, options)`. */
export interface TaskGroupOptions {
  /** Defaults for the tasks of the group (over the DAG's defaultArgs and those of enclosing groups). */
  defaultArgs?: TaskSettings;
  /** Prefix the ids of the group's tasks (and nested groups) with the group id: `group.task`. Default true. */
  prefixGroupId?: boolean;
  /** Shown in the UI when hovering the group. */
  tooltip?: string;
}

/**
 * A named task group (Airflow's TaskGroup): tasks defined in `d.taskGroup(id, (g) => ...)`, drawn
 * and collapsed together in the UI, with ids `groupId.taskId`. In a dependency it stands for its
 * root tasks (on the downstream side: `extract.then(group)`) or its leaf tasks (on the upstream
 * side: `group.then(load)`), as `extract >> group >> load` does in Airflow.
 */
export class NamedTaskGroup {
  readonly [NAMED_GROUP_BRAND] = true;
  readonly dag: Dag;
  /** Full id (with the enclosing groups' prefix when they prefix). */
  readonly groupId: string;
  /** The id as given to taskGroup(). */
  readonly label: string;
  readonly parent: NamedTaskGroup | null;
  readonly prefixGroupId: boolean;
  readonly tooltip: string | null;
  /** Tasks defined directly in this group, and its nested groups, in creation order. */
  readonly ownTasks: Task[] = [];
  readonly childGroups: NamedTaskGroup[] = [];

  /** @internal Use `d.taskGroup()`. */
  constructor(dag: Dag, groupId: string, label: string, parent: NamedTaskGroup | null, o: { prefixGroupId: boolean; tooltip: string | null }) {
    this.dag = dag;
    this.groupId = groupId;
    this.label = label;
    this.parent = parent;
    this.prefixGroupId = o.prefixGroupId;
    this.tooltip = o.tooltip;
  }

  /** Every task of the group, nested groups included. */
  get tasks(): Task[] {
    return [...this.ownTasks, ...this.childGroups.flatMap((g) => g.tasks)];
  }

  /** Tasks of the group with no upstream task inside the group: what `x.then(group)` points to. */
  roots(): Task[] {
    const inside = new Set(this.tasks.map((t) => t.taskId));
    return this.nonEmpty(this.tasks.filter((t) => ![...t.upstreamIds].some((id) => inside.has(id))));
  }

  /**
   * Tasks of the group with no downstream task inside the group: what `group.then(x)` starts from.
   * A teardown there stands for the work before it (Airflow ignores teardowns in dependencies on a
   * group): the nearest tasks upstream of it in the group that are neither teardowns, nor its
   * setups, nor upstream of another work task of the group. A group of nothing else: its leaves.
   */
  leaves(): Task[] {
    const tasks = this.tasks;
    const inside = new Map(tasks.map((t) => [t.taskId, t]));
    const isTeardown = (t: Task): boolean => typeof t.role === 'object';
    const last = tasks.filter((t) => ![...t.downstreamIds].some((id) => inside.has(id)));
    const feedsWork = (t: Task, except: string): boolean =>
      [...t.downstreamIds].some((id) => id !== except && inside.has(id) && !isTeardown(inside.get(id)!));
    const workBefore = (teardown: Task): Task[] => [...teardown.upstreamIds].flatMap((id) => {
      const up = inside.get(id);
      if (up === undefined) return [];
      if (isTeardown(up)) return workBefore(up);
      if (up.role === 'setup') return [];
      return feedsWork(up, teardown.taskId) ? [] : [up];
    });
    const leaves = [...new Set(last.flatMap((t) => (isTeardown(t) ? workBefore(t) : [t])))];
    return this.nonEmpty(leaves.length > 0 ? leaves : last);
  }

  /** The group's leaves before `next`. Returns `next` (a group for an array). */
  then<T>(next: Task<T>): Task<T>;
  then(next: NamedTaskGroup): NamedTaskGroup;
  then(next: TaskGroup | readonly (Task | NamedTaskGroup)[]): TaskGroup;
  then(next: TaskLike): TaskLike {
    connect(this.leaves(), edgeEnds(next, `task group '${this.groupId}'.then()`, 'down'));
    return chainResult(next);
  }

  /** The group's roots after `prev`. Returns `prev` (a group for an array). */
  after<T>(prev: Task<T>): Task<T>;
  after(prev: NamedTaskGroup): NamedTaskGroup;
  after(prev: TaskGroup | readonly (Task | NamedTaskGroup)[]): TaskGroup;
  after(prev: TaskLike): TaskLike {
    connect(edgeEnds(prev, `task group '${this.groupId}'.after()`, 'up'), this.roots());
    return chainResult(prev);
  }

  toString(): string {
    return `TaskGroup(${this.dag.dagId}.${this.groupId})`;
  }

  private nonEmpty(tasks: Task[]): Task[] {
    if (tasks.length === 0) {
      throw new DagDefinitionError('invalid', `dag '${this.dag.dagId}': task group '${this.groupId}' has no tasks to depend on`, { dagId: this.dag.dagId });
    }
    return tasks;
  }
}
