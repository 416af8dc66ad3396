import { GROUP_BRAND, isNamedTaskGroup, isTask, isTaskGroup, TASK_BRAND } from './brands.js';
import { DagDefinitionError } from './errors.js';
import type { Dag } from './dag.js';
import type { MapExpansion, MapSource } from './mapping.js';
import type { TaskRole } from './setup-teardown.js';
import type { Params, TaskArgs, TaskFunction } from './options.js';
import type { SensorSettings, TaskControl, TaskKind, TriggerDagRunSettings } from './serialized.js';
import type { NamedTaskGroup } from './task-group.js';

/**
 * Anything a dependency can point to: a task, a named task group (`d.taskGroup`), a list of tasks
 * (`group(a, b)`), or an array of tasks and named groups.
 */
/**
 * The named sources of a cross product whose item is `I` (an object): each names a source of that
 * key's type. With an untyped item, any object (checked at run time).
 */
type ProductSources<I> = { [K in keyof I]: Task<readonly I[K][]> | readonly I[K][] };

export type TaskLike = Task<unknown> | NamedTaskGroup | TaskGroup | readonly (Task<unknown> | NamedTaskGroup)[];

/** What a task is made of, per kind (filled in by the Dag methods). */
export interface TaskSpec {
  kind: TaskKind;
  args: TaskArgs;
  command?: string;
  env?: Record<string, string>;
  callable?: TaskFunction<Params>;
  control?: TaskControl;
  sensor?: SensorSettings;
  triggerDagRun?: TriggerDagRunSettings;
  latestOnly?: true;
}

declare const XCOM_TYPE: unique symbol;

/**
 * A task of a DAG. Create tasks with the methods of the Dag (`d.bash`, `d.fn`, `d.empty`); wire
 * them with `then` / `after`, `group(...)` and `chain(...)`. `T` is what the task returns (its
 * XCom `return_value`): `ctx.xcom.pull(task)` is typed with it.
 */
export class Task<T = unknown, I = unknown> {
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
  /** Set by expand(): what the task is mapped over. */
  mapping: MapExpansion | undefined;
  /** The innermost named task group the task was defined in (`d.taskGroup`), or undefined. */
  groupId: string | undefined;
  /** Branching behaviour (d.branch / d.shortCircuit); undefined for other tasks. */
  readonly control: TaskControl | undefined;
  /** Set for sensors (d.sensor). */
  readonly sensor: SensorSettings | undefined;
  /** Set for d.triggerDagRun. */
  readonly triggerDagRun: TriggerDagRunSettings | undefined;
  /** Set for d.latestOnly. */
  readonly latestOnly: true | undefined;
  /** Set by asSetup() / asTeardown() (setup-teardown.ts). */
  role: TaskRole | undefined;
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
    this.sensor = spec.sensor;
    this.triggerDagRun = spec.triggerDagRun;
    this.latestOnly = spec.latestOnly;
  }

  /**
   * Makes `next` run after this task. Returns `next`, so `a.then(b).then(c)` reads left to right;
   * `a.then([b, c])` returns a group, so `a.then([b, c]).then(d)` makes d wait for b and c. A named
   * task group stands for its root tasks here (and for its leaves in `group.then(x)`).
   */
  then<U>(next: Task<U>): Task<U>;
  then(next: NamedTaskGroup): NamedTaskGroup;
  then(next: TaskGroup | readonly (Task<unknown> | NamedTaskGroup)[]): TaskGroup;
  then(next: TaskLike): TaskLike {
    connect([this], edgeEnds(next, `${this.where()}.then()`, 'down'));
    return chainResult(next);
  }

  /**
   * Makes this task run after `prev`. Returns `prev`, so `c.after(b).after(a)` reads right to left
   * (a, then b, then c).
   */
  after<U>(prev: Task<U>): Task<U>;
  after(prev: NamedTaskGroup): NamedTaskGroup;
  after(prev: TaskGroup | readonly (Task<unknown> | NamedTaskGroup)[]): TaskGroup;
  after(prev: TaskLike): TaskLike {
    connect(edgeEnds(prev, `${this.where()}.after()`, 'up'), [this]);
    return chainResult(prev);
  }

  /**
   * Dynamic task mapping: one instance of this task per element of `source`, created when the
   * task becomes ready, with map_index 0..n-1. `source` is an upstream task whose return value is
   * an array (made upstream of this task if it is not yet; a mapped task maps over the values of
   * all its instances) or a literal array. A function task gets the element as `ctx.item` (type
   * it with `MappedTaskContext<I>`), a bash task as `{{ item }}`. An empty array skips the task;
   * more than `core.max_map_length` elements fails it. Returns the task, typed so that
   * `ctx.xcom.pull(task)` gives the array of its instances' values.
   *
   * Several named sources, `expand({ city: cities, day: ['mon', 'tue'] })`, map over their cross
   * product (Airflow's `expand(city=..., day=...)`): one instance per combination, the first source
   * outermost and the last varying fastest; the item is an object with one element of each
   * (`ctx.item.city`, `{{ item.day }}`). One empty source skips the task; more than
   * `core.max_map_length` combinations fail it.
   */
  expand(source: Task<readonly I[]> | readonly I[]): Task<T[], I>;
  expand(sources: ProductSources<I>): Task<T[], I>;
  expand(source: unknown): Task<T[], unknown> {
    const where = `${this.where()}.expand()`;
    const fail = (message: string): never => {
      throw new DagDefinitionError('invalid', `${where}: ${message}`, { dagId: this.dag.dagId });
    };
    if (this.mapping !== undefined) fail('the task is already mapped');
    if (this.control !== undefined) fail('a branch or short-circuit cannot be mapped');
    const sourceOf = (value: unknown, what: string): MapSource => {
      if (isTask(value)) {
        if (value === (this as Task<unknown, unknown>)) fail('a task cannot be mapped over itself');
        connect([value as Task], [this as Task<unknown, unknown>]);
        return { taskId: value.taskId };
      }
      if (Array.isArray(value)) {
        try {
          return { literal: JSON.parse(JSON.stringify(value)) as unknown[] };
        } catch (err) {
          return fail(`${what} must hold JSON values: ${(err as Error).message}`);
        }
      }
      return fail(`${what === 'the literal array' ? '' : `${what}: `}expected an upstream task or an array, got ${describe(value)}`);
    };
    if (isTask(source) || Array.isArray(source)) {
      this.mapping = sourceOf(source, 'the literal array');
    } else if (source !== null && typeof source === 'object' && Object.getPrototypeOf(source) === Object.prototype) {
      const named = Object.entries(source as Record<string, unknown>);
      if (named.length === 0) fail('expected an upstream task, an array, or an object naming at least one of them');
      this.mapping = { product: named.map(([name, value]) => ({ name, ...sourceOf(value, `source '${name}'`) })) };
    } else {
      fail(`expected an upstream task, an array, or an object naming them, got ${describe(source)}`);
    }
    return this as unknown as Task<T[], unknown>;
  }

  /**
   * Makes this a setup task (Airflow's `as_setup()`): it creates what its work tasks need (a
   * cluster, a scratch table), and its teardowns run once that work is done, whatever its outcome.
   * Clearing a work task clears its setups and their teardowns with it. Returns the task.
   */
  asSetup(): this {
    this.setRole('setup', 'asSetup');
    return this;
  }

  /**
   * Makes this a teardown task (Airflow's `as_teardown()`): trigger rule `all_done_setup_success`,
   * so it runs when its upstream tasks are done, whatever their outcome, if one of its setups
   * succeeded (skipped when they were all skipped; upstream_failed when none succeeded). `setups`
   * are made setup tasks and upstream of it. Its failure does not fail the run unless
   * `onFailureFailDagrun`; a run whose work failed still fails. Returns the task.
   */
  asTeardown(options: { setups?: Task<unknown> | readonly Task<unknown>[]; onFailureFailDagrun?: boolean } = {}): this {
    this.setRole({ teardown: { onFailureFailDagrun: options.onFailureFailDagrun === true } }, 'asTeardown');
    const setups = options.setups === undefined ? [] : isTask(options.setups) ? [options.setups] : [...(options.setups as readonly Task<unknown>[])];
    for (const setup of setups) {
      if (!isTask(setup)) throw new DagDefinitionError('invalid', `${this.where()}.asTeardown(): setups must be tasks, got ${describe(setup)}`, { dagId: this.dag.dagId });
      if (setup.role === undefined) setup.asSetup();
      connect([setup as Task], [this as Task<unknown, unknown>]);
    }
    return this;
  }

  /**
   * Airflow's `with setup >> teardown:` block: the tasks `build` creates (synchronously) are this
   * teardown's work. Those without an upstream among them run after its setups (asTeardown's
   * `setups`), and those without a downstream among them come before it. Returns the task.
   *
   *     const create = d.bash('create_cluster', { command: '...' }).asSetup();
   *     d.bash('delete_cluster', { command: '...' }).asTeardown({ setups: create }).around(() => {
   *       d.bash('load', { command: '...' }).then(d.bash('report', { command: '...' }));
   *     });
   */
  around(build: () => void): this {
    const fail = (message: string): never => {
      throw new DagDefinitionError('invalid', `${this.where()}.around(): ${message}`, { dagId: this.dag.dagId });
    };
    if (typeof this.role !== 'object') fail('only a teardown task (asTeardown) wraps work tasks');
    if (typeof build !== 'function') fail(`expected a function that defines the work tasks, got ${describe(build)}`);
    const before = new Set(this.dag.tasks.map((t) => t.taskId));
    const result: unknown = build();
    if (result instanceof Promise) fail('the function must define its tasks synchronously (it returned a Promise)');
    const made = this.dag.tasks.filter((t) => !before.has(t.taskId));
    if (made.length === 0) fail('the function defined no task');
    const ids = new Set(made.map((t) => t.taskId));
    const setups = this.dag.tasks.filter((t) => t.role === 'setup' && this.upstreamIds.has(t.taskId));
    for (const task of made) {
      if (![...task.upstreamIds].some((id) => ids.has(id))) connect(setups, [task]);
      if (![...task.downstreamIds].some((id) => ids.has(id))) connect([task], [this as Task<unknown, unknown>]);
    }
    return this;
  }

  private setRole(role: TaskRole, method: string): void {
    if (this.role !== undefined) {
      throw new DagDefinitionError('invalid', `${this.where()}.${method}(): the task is already a ${this.role === 'setup' ? 'setup' : 'teardown'} task`, { dagId: this.dag.dagId });
    }
    this.role = role;
  }

  toString(): string {
    return `Task(${this.dag.dagId}.${this.taskId})`;
  }

  private where(): string {
    return `dag '${this.dag.dagId}': task '${this.taskId}'`;
  }
}

/**
 * Several tasks (or named task groups) treated as one end of a dependency: `group(a, b).then(c)`
 * makes c wait for a and b (what `[a, b] >> c` is in Airflow; arrays have no `.then`).
 */
export class TaskGroup {
  readonly [GROUP_BRAND] = true;
  /** The tasks and named groups, as given. */
  readonly items: readonly (Task<unknown> | NamedTaskGroup)[];

  constructor(items: readonly (Task<unknown> | NamedTaskGroup)[]) {
    this.items = Object.freeze([...items]);
  }

  /** Every task of the group (the tasks of its named groups included). */
  get tasks(): readonly Task[] {
    return this.items.flatMap((i) => (isTask(i) ? [i as Task] : i.tasks));
  }

  /** Every task of the group before `next`. Returns `next` (a group for an array). */
  then<U>(next: Task<U>): Task<U>;
  then(next: NamedTaskGroup): NamedTaskGroup;
  then(next: TaskGroup | readonly (Task<unknown> | NamedTaskGroup)[]): TaskGroup;
  then(next: TaskLike): TaskLike {
    connect(edgeEnds(this, 'group().then()', 'up'), edgeEnds(next, 'group().then()', 'down'));
    return chainResult(next);
  }

  /** Every task of the group after `prev`. Returns `prev` (a group for an array). */
  after<U>(prev: Task<U>): Task<U>;
  after(prev: NamedTaskGroup): NamedTaskGroup;
  after(prev: TaskGroup | readonly (Task<unknown> | NamedTaskGroup)[]): TaskGroup;
  after(prev: TaskLike): TaskLike {
    connect(edgeEnds(prev, 'group().after()', 'up'), edgeEnds(this, 'group().after()', 'down'));
    return chainResult(prev);
  }
}

/** Groups tasks, named task groups or arrays of them so they can be wired together: `group(a, b).then(c)`. */
export function group(...items: Array<Task<unknown> | NamedTaskGroup | readonly (Task<unknown> | NamedTaskGroup)[]>): TaskGroup {
  return new TaskGroup(items.flatMap((item, i) => itemsOf(item, `group() argument ${i + 1}`)));
}

/**
 * Wires each item before the next: `chain(a, b, c)` is `a.then(b).then(c)`. Items may be groups
 * or arrays: `chain(start, [x, y], end)` makes x and y follow start and precede end (every task
 * of one item before every task of the next).
 */
export function chain(...items: TaskLike[]): void {
  for (let i = 0; i + 1 < items.length; i++) {
    connect(edgeEnds(items[i], `chain() argument ${i + 1}`, 'up'), edgeEnds(items[i + 1], `chain() argument ${i + 2}`, 'down'));
  }
}

/** @internal What a `then` / `after` returns: the task or named group itself, else a list group. */
export function chainResult(value: TaskLike): TaskLike {
  if (isTask(value) || isNamedTaskGroup(value) || isTaskGroup(value)) return value;
  return new TaskGroup(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? `an object (${Object.prototype.toString.call(value)})` : `${typeof value} ${String(value)}`;
}

/** The tasks and named groups of an item of group(); anything else is a DagDefinitionError naming `where`. */
function itemsOf(value: unknown, where: string): Array<Task<unknown> | NamedTaskGroup> {
  if (isTask(value) || isNamedTaskGroup(value)) return [value];
  if (isTaskGroup(value)) return [...value.items];
  if (Array.isArray(value)) {
    return value.map((v: unknown, i) => {
      if (!isTask(v) && !isNamedTaskGroup(v)) {
        throw new DagDefinitionError('invalid', `${where}: element ${i} of the array is ${describe(v)}, not a task or task group`);
      }
      return v;
    });
  }
  throw new DagDefinitionError('invalid', `${where}: expected a task, a group or an array of tasks, got ${describe(value)}`);
}

/**
 * @internal The tasks a dependency end stands for: a named group is its leaves on the upstream
 * side ('up') and its roots on the downstream side ('down'); a list group or array, each item so.
 */
export function edgeEnds(value: unknown, where: string, side: 'up' | 'down'): Task[] {
  return itemsOf(value, where).flatMap((i) => (isTask(i) ? [i as Task] : side === 'up' ? i.leaves() : i.roots()));
}

/** @internal Adds an edge from every task of `ups` to every task of `downs`. */
export function connect(ups: readonly Task[], downs: readonly Task[]): void {
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
