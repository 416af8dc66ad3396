import { GROUP_BRAND, isTask, isTaskGroup, TASK_BRAND } from './brands.js';
import { DagDefinitionError } from './errors.js';
import type { Dag } from './dag.js';
import type { Params, TaskArgs, TaskFunction } from './options.js';
import type { TaskControl, TaskKind } from './serialized.js';

/** Anything a dependency can point to: a task, a group of tasks, or an array of tasks. */
export type TaskLike = Task | TaskGroup | readonly Task[];

/** What a task is made of, per kind (filled in by the Dag methods). */
export interface TaskSpec {
  kind: TaskKind;
  args: TaskArgs;
  command?: string;
  env?: Record<string, string>;
  callable?: TaskFunction<Params>;
  control?: TaskControl;
}

declare const XCOM_TYPE: unique symbol;

/**
 * A task of a DAG. Create tasks with the methods of the Dag (`d.bash`, `d.fn`, `d.empty`); wire
 * them with `then` / `after`, `group(...)` and `chain(...)`. `T` is what the task returns (its
 * XCom `return_value`): `ctx.xcom.pull(task)` is typed with it.
 */
export class Task<T = unknown> {
  /** Type-level only: the task's return value (no runtime property). */
  declare readonly [XCOM_TYPE]?: T;
  readonly [TASK_BRAND] = true;
  readonly taskId: string;
  readonly dag: Dag;
  readonly kind: TaskKind;
  readonly args: Readonly<TaskArgs>;
  readonly command: string | undefined;
  readonly env: Readonly<Record<string, string>> | undefined;
  /** The function of a function task (the worker calls it through getTaskFunction). */
  readonly callable: TaskFunction<Params> | undefined;
  /** Branching behaviour (d.branch / d.shortCircuit); undefined for other tasks. */
  readonly control: TaskControl | undefined;
  /** Ids of the tasks this one depends on / that depend on it, in the order they were added. */
  readonly upstreamIds = new Set<string>();
  readonly downstreamIds = new Set<string>();

  /** @internal Use the Dag's methods. */
  constructor(dag: Dag, taskId: string, spec: TaskSpec) {
    this.dag = dag;
    this.taskId = taskId;
    this.kind = spec.kind;
    this.args = Object.freeze({ ...spec.args });
    this.command = spec.command;
    this.env = spec.env === undefined ? undefined : Object.freeze({ ...spec.env });
    this.callable = spec.callable;
    this.control = spec.control;
  }

  /**
   * Makes `next` run after this task. Returns `next`, so `a.then(b).then(c)` reads left to right;
   * `a.then([b, c])` returns a group, so `a.then([b, c]).then(d)` makes d wait for b and c.
   */
  then(next: Task): Task;
  then(next: TaskGroup | readonly Task[]): TaskGroup;
  then(next: TaskLike): Task | TaskGroup {
    connect([this], toTasks(next, `${this.where()}.then()`));
    return isTask(next) ? next : asGroup(next);
  }

  /**
   * Makes this task run after `prev`. Returns `prev`, so `c.after(b).after(a)` reads right to left
   * (a, then b, then c).
   */
  after(prev: Task): Task;
  after(prev: TaskGroup | readonly Task[]): TaskGroup;
  after(prev: TaskLike): Task | TaskGroup {
    connect(toTasks(prev, `${this.where()}.after()`), [this]);
    return isTask(prev) ? prev : asGroup(prev);
  }

  toString(): string {
    return `Task(${this.dag.dagId}.${this.taskId})`;
  }

  private where(): string {
    return `dag '${this.dag.dagId}': task '${this.taskId}'`;
  }
}

/**
 * Several tasks treated as one end of a dependency: `group(a, b).then(c)` makes c wait for a and
 * b (what `[a, b] >> c` is in Airflow; arrays have no `.then`).
 */
export class TaskGroup {
  readonly [GROUP_BRAND] = true;
  readonly tasks: readonly Task[];

  constructor(tasks: readonly Task[]) {
    this.tasks = Object.freeze([...tasks]);
  }

  /** Every task of the group before `next`. Returns `next` (a group for an array). */
  then(next: Task): Task;
  then(next: TaskGroup | readonly Task[]): TaskGroup;
  then(next: TaskLike): Task | TaskGroup {
    connect(this.tasks, toTasks(next, 'group().then()'));
    return isTask(next) ? next : asGroup(next);
  }

  /** Every task of the group after `prev`. Returns `prev` (a group for an array). */
  after(prev: Task): Task;
  after(prev: TaskGroup | readonly Task[]): TaskGroup;
  after(prev: TaskLike): Task | TaskGroup {
    connect(toTasks(prev, 'group().after()'), this.tasks);
    return isTask(prev) ? prev : asGroup(prev);
  }
}

/** Groups tasks (or arrays of tasks) so they can be wired together: `group(a, b).then(c)`. */
export function group(...items: Array<Task | readonly Task[]>): TaskGroup {
  return new TaskGroup(items.flatMap((item, i) => toTasks(item, `group() argument ${i + 1}`)));
}

/**
 * Wires each item before the next: `chain(a, b, c)` is `a.then(b).then(c)`. Items may be groups
 * or arrays: `chain(start, [x, y], end)` makes x and y follow start and precede end (every task
 * of one item before every task of the next).
 */
export function chain(...items: TaskLike[]): void {
  const lists = items.map((item, i) => toTasks(item, `chain() argument ${i + 1}`));
  for (let i = 0; i + 1 < lists.length; i++) connect(lists[i]!, lists[i + 1]!);
}

function asGroup(value: TaskGroup | readonly Task[]): TaskGroup {
  return isTaskGroup(value) ? value : new TaskGroup(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? `an object (${Object.prototype.toString.call(value)})` : `${typeof value} ${String(value)}`;
}

/** Normalizes a TaskLike to a list of tasks; anything else is a DagDefinitionError naming `where`. */
function toTasks(value: unknown, where: string): Task[] {
  if (isTask(value)) return [value];
  if (isTaskGroup(value)) return [...value.tasks];
  if (Array.isArray(value)) {
    return value.map((v: unknown, i) => {
      if (!isTask(v)) throw new DagDefinitionError('invalid', `${where}: element ${i} of the array is ${describe(v)}, not a task`);
      return v;
    });
  }
  throw new DagDefinitionError('invalid', `${where}: expected a task, a group or an array of tasks, got ${describe(value)}`);
}

/** Adds an edge from every task of `ups` to every task of `downs`. */
function connect(ups: readonly Task[], downs: readonly Task[]): void {
  for (const up of ups) {
    for (const down of downs) {
      if (up.dag !== down.dag || up.dag.getTaskOrUndefined(up.taskId) !== up || down.dag.getTaskOrUndefined(down.taskId) !== down) {
        throw new DagDefinitionError(
          'unknown_dependency',
          `dag '${down.dag.dagId}': task '${down.taskId}' cannot depend on task '${up.taskId}' of dag '${up.dag.dagId}'; ` +
            'a task can only depend on tasks of its own DAG',
          { dagId: down.dag.dagId },
        );
      }
      up.downstreamIds.add(down.taskId);
      down.upstreamIds.add(up.taskId);
    }
  }
}
