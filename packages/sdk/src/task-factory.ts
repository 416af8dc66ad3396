/**
 * The task methods shared by a Dag and a task group's builder (`d.taskGroup(id, (g) => ...)`):
 * `bash`, `fn`, `branch`, `shortCircuit`, `sensor`, `triggerDagRun`, `latestOnly`, `empty` and `taskGroup`. A group's builder creates its
 * tasks with the group's id prefix and default arguments.
 */
import type { BranchChoice, Dag } from './dag.js';
import { DagDefinitionError } from './errors.js';
import { assertValidId } from './ids.js';
import type { BashTaskOptions, MappedTaskContext, Params, ShortCircuitOptions, TaskArgs, TaskContext, TaskFunction, TaskSettings } from './options.js';
import { sensorCallable, sensorSettings, type SensorOptions } from './sensor.js';
import { assertKnownKeys, DEFAULT_ARG_KEYS, taskArgKeys, validateTaskSettings } from './settings.js';
import type { Task, TaskSpec } from './task.js';
import { NamedTaskGroup, type TaskGroupOptions } from './task-group.js';
import { triggerDagRunSettings, type TriggerDagRunTaskOptions } from './trigger-dag-run.js';

const BASH_KEYS = taskArgKeys(['command', 'env']);
const GROUP_OPTION_KEYS: ReadonlySet<string> = new Set(['defaultArgs', 'prefixGroupId', 'tooltip']);

/** @internal Where a factory creates tasks: the enclosing group, the id prefix, the group defaults. */
export interface TaskScope {
  group: NamedTaskGroup | null;
  /** '' at the top level, `group.` inside a prefixing group. */
  idPrefix: string;
  /** Defaults of the enclosing groups (the DAG's own defaultArgs apply when serializing). */
  defaultArgs: TaskSettings;
}

export abstract class TaskFactory<P extends Params = Params> {
  /** @internal */
  protected abstract factoryDag(): Dag<P>;
  /** @internal */
  protected abstract factoryScope(): TaskScope;

  /** A task that runs `command` with bash. `command` and `env` values are templates (`{{ ds }}`). */
  bash(taskId: string, options: BashTaskOptions): Task {
    const where = this.taskWhere(taskId);
    if (typeof options !== 'object' || options === null) {
      throw this.invalid(`${where}: options with a command are required`);
    }
    assertKnownKeys(options, BASH_KEYS, where);
    if (typeof options.command !== 'string' || options.command.trim().length === 0) {
      throw this.invalid(`${where}: command must be a non-empty string`);
    }
    if (options.env !== undefined) validateEnv(options.env, where);
    const { command, env, ...args } = options;
    return this.addTask(taskId, { kind: 'bash', args, command, ...(env === undefined ? {} : { env }) });
  }

  /**
   * A TypeScript function task: the worker calls `callable(ctx)`; its (awaited) return value becomes
   * XCom `return_value`, and the task's type `Task<R>` carries it to `ctx.xcom.pull(task)`.
   */
  fn<R, I = unknown>(taskId: string, callable: (ctx: MappedTaskContext<I, P>) => R, args: TaskArgs = {}): Task<Awaited<R>, I> {
    this.assertCallable(taskId, callable);
    return this.addTask(taskId, { kind: 'function', args, callable: callable as TaskFunction<Params> }) as unknown as Task<Awaited<R>, I>;
  }

  /**
   * A branch: `choose(ctx)` returns the id(s) of the direct downstream tasks to follow (a string,
   * an array, or null for none); the other direct downstream tasks are skipped (not those that are
   * also downstream of a followed task), and the skips propagate by trigger rules as in Airflow:
   * a join after the branches needs `triggerRule: 'none_failed_min_one_success'` to run.
   * Returning an id that is not a direct downstream task fails the task, naming the valid ones.
   */
  branch(taskId: string, choose: TaskFunction<P, BranchChoice | Promise<BranchChoice>>, args: TaskArgs = {}): Task<BranchChoice> {
    this.assertCallable(taskId, choose);
    return this.addTask(taskId, { kind: 'function', args, callable: choose as TaskFunction<Params>, control: { kind: 'branch' } }) as Task<BranchChoice>;
  }

  /**
   * A short-circuit: when `condition(ctx)` returns a falsy value, what follows is skipped (see
   * ShortCircuitOptions.ignoreDownstreamTriggerRules); truthy, everything runs as usual.
   */
  shortCircuit(taskId: string, condition: TaskFunction<P, unknown>, options: ShortCircuitOptions = {}): Task<boolean> {
    this.assertCallable(taskId, condition);
    if (typeof options !== 'object' || options === null) throw this.invalid(`${this.taskWhere(taskId)}: options must be an object`);
    const { ignoreDownstreamTriggerRules = true, ...args } = options;
    if (typeof ignoreDownstreamTriggerRules !== 'boolean') {
      throw this.invalid(`${this.taskWhere(taskId)}: ignoreDownstreamTriggerRules must be true or false`);
    }
    return this.addTask(taskId, {
      kind: 'function', args, callable: condition as TaskFunction<Params>, control: { kind: 'short_circuit', ignoreDownstreamTriggerRules },
    }) as Task<boolean>;
  }

  /**
   * A sensor: waits until `poke(ctx)` returns a truthy value, in `reschedule` mode (default: each
   * poke a short try, no worker slot held in between) or `poke` mode (one try pokes until true).
   * See SensorOptions for the interval, timeout, softFail and backoff.
   */
  sensor(taskId: string, options: SensorOptions<P>): Task {
    const where = this.taskWhere(taskId);
    if (typeof options !== 'object' || options === null) throw this.invalid(`${where}: options with a poke function are required`);
    const { poke, pokeInterval: _i, timeout: _t, mode: _m, softFail: _s, exponentialBackoff: _b, ...args } = options;
    const { waitUntil: _w, ...taskArgs } = args as typeof args & { waitUntil?: unknown };
    const sensor = sensorSettings(options as SensorOptions, where, (m) => this.invalid(m));
    // A deferred wait runs no code: the scheduler ends it.
    if (sensor.mode === 'deferred') return this.addTask(taskId, { kind: 'empty', args: taskArgs, sensor });
    const callable = sensorCallable(poke as (ctx: TaskContext) => unknown, sensor);
    return this.addTask(taskId, { kind: 'function', args: taskArgs, callable: callable as TaskFunction<Params>, sensor });
  }

  /**
   * A task that starts a run of another DAG (Airflow's TriggerDagRunOperator), e.g.
   * `d.triggerDagRun('load', { triggerDagId: 'load_dag', conf: { day: '{{ ds }}' }, waitForCompletion: true })`.
   * The scheduler creates the run; no worker is involved. XCom `trigger_run_id` holds the run's id.
   */
  triggerDagRun(taskId: string, options: TriggerDagRunTaskOptions): Task {
    const { settings, args } = triggerDagRunSettings(options, this.taskWhere(taskId), (m) => this.invalid(m));
    return this.addTask(taskId, { kind: 'empty', args, triggerDagRun: settings });
  }

  /**
   * Airflow's LatestOnlyOperator: in a scheduled (or backfill) run that is not the latest one (the
   * present is not between the end of its data interval and the end of the next one, as when
   * catching up), the scheduler skips this task's direct downstream tasks (what follows them goes
   * by its trigger rules); in the latest run, and in manual and asset-triggered runs, nothing is
   * skipped. It runs no code and never reaches a worker.
   */
  latestOnly(taskId: string, args: TaskArgs = {}): Task {
    return this.addTask(taskId, { kind: 'empty', args, latestOnly: true });
  }

  /**
   * A task that does nothing (a join or start/end point). The scheduler marks it success as soon as
   * it is ready, as Airflow's does with an EmptyOperator: no worker, no pool slot, no log (its
   * onSuccess callbacks and notifiers are still sent). With outlets or outlet aliases, an onExecute
   * callback, or mapped, it goes to a worker like any task.
   */
  empty(taskId: string, args: TaskArgs = {}): Task {
    return this.addTask(taskId, { kind: 'empty', args });
  }

  /**
   * A task group: `build(g)` defines its tasks with `g.bash`, `g.fn`, ... (ids become
   * `groupId.taskId`, nested groups `outer.inner.taskId`); the returned group can be a dependency
   * end (`extract.then(group)`, `group.then(load)`). The serialized DAG keeps the group tree.
   */
  taskGroup(groupId: string, build: (g: TaskGroupBuilder<P>) => void, options: TaskGroupOptions = {}): NamedTaskGroup {
    const dag = this.factoryDag();
    const scope = this.factoryScope();
    assertValidId('task id', groupId, dag.dagId);
    const where = `dag '${dag.dagId}': task group '${groupId}'`;
    if (groupId.includes('.')) throw this.invalid(`${where}: a group id cannot contain '.' (it separates groups from tasks in ids)`);
    if (typeof build !== 'function') throw this.invalid(`${where}: expected a function that defines the group's tasks, got ${typeof build}`);
    if (typeof options !== 'object' || options === null) throw this.invalid(`${where}: options must be an object`);
    assertKnownKeys(options, GROUP_OPTION_KEYS, where);
    const prefixGroupId = options.prefixGroupId ?? true;
    if (typeof prefixGroupId !== 'boolean') throw this.invalid(`${where}: prefixGroupId must be true or false`);
    if (options.tooltip !== undefined && typeof options.tooltip !== 'string') throw this.invalid(`${where}: tooltip must be a string`);
    if (options.defaultArgs !== undefined) {
      if (typeof options.defaultArgs !== 'object' || options.defaultArgs === null) throw this.invalid(`${where}: defaultArgs must be an object`);
      assertKnownKeys(options.defaultArgs, DEFAULT_ARG_KEYS, `${where}: defaultArgs`);
      validateTaskSettings(options.defaultArgs, `${where}: defaultArgs`);
    }
    // Airflow's ids: a group is prefixed by its parent when the parent prefixes, its tasks by it when it prefixes.
    const parent = scope.group;
    const fullId = parent?.prefixGroupId ? `${parent.groupId}.${groupId}` : groupId;
    assertValidId('task id', fullId, dag.dagId);
    const group = new NamedTaskGroup(dag as unknown as Dag, fullId, groupId, parent, { prefixGroupId, tooltip: options.tooltip ?? null });
    dag.addGroup(group);
    parent?.childGroups.push(group);
    const inner: TaskScope = {
      group,
      idPrefix: prefixGroupId ? `${fullId}.` : '',
      defaultArgs: { ...scope.defaultArgs, ...options.defaultArgs },
    };
    const result: unknown = build(new TaskGroupBuilder<P>(dag, inner));
    if (result instanceof Promise) throw this.invalid(`${where}: the group's function must define its tasks synchronously (it returned a Promise)`);
    return group;
  }

  private addTask(taskId: string, spec: TaskSpec): Task {
    return this.factoryDag().addTaskIn(this.factoryScope(), taskId, spec);
  }

  private assertCallable(taskId: string, callable: unknown): void {
    if (typeof callable !== 'function') throw this.invalid(`${this.taskWhere(taskId)}: expected a function, got ${typeof callable}`);
  }

  private taskWhere(taskId: string): string {
    return `dag '${this.factoryDag().dagId}': task '${this.factoryScope().idPrefix}${String(taskId)}'`;
  }

  private invalid(message: string): DagDefinitionError {
    return new DagDefinitionError('invalid', message, { dagId: this.factoryDag().dagId });
  }
}

/** What `d.taskGroup(id, (g) => ...)` hands its function: the Dag's task methods, inside the group. */
export class TaskGroupBuilder<P extends Params = Params> extends TaskFactory<P> {
  /** @internal Use `d.taskGroup()`. */
  constructor(private readonly dag: Dag<P>, private readonly scope: TaskScope) {
    super();
  }

  /** The group being defined. */
  get group(): NamedTaskGroup {
    return this.scope.group!;
  }

  protected override factoryDag(): Dag<P> {
    return this.dag;
  }

  protected override factoryScope(): TaskScope {
    return this.scope;
  }
}

function validateEnv(env: unknown, where: string): void {
  if (typeof env !== 'object' || env === null || Array.isArray(env)) {
    throw new DagDefinitionError('invalid', `${where}: env must be an object of strings`);
  }
  for (const [k, v] of Object.entries(env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new DagDefinitionError('invalid', `${where}: env name '${k}' is not valid`);
    if (typeof v !== 'string') throw new DagDefinitionError('invalid', `${where}: env ${k} must be a string, got ${typeof v}`);
  }
}
