import { DAG_BRAND } from './brands.js';
import { DagDefinitionError } from './errors.js';
import { assertValidId } from './ids.js';
import type { BashTaskOptions, DagOptions, Params, ShortCircuitOptions, TaskArgs, TaskFunction } from './options.js';
import { SCHEDULE_PRESETS } from './options.js';
import { register } from './registry.js';
import { assertKnownKeys, DEFAULT_ARG_KEYS, taskArgKeys, validateTaskSettings } from './settings.js';
import type { TaskSpec } from './task.js';
import { Task } from './task.js';
import { assertDateInput, isValidTimeZone } from './timezone.js';

/** What a branch returns: the id(s) of the direct downstream tasks to follow, or null for none. */
export type BranchChoice = string | readonly string[] | null;

const DAG_OPTION_KEYS: ReadonlySet<string> = new Set([
  'dagId',
  'schedule',
  'startDate',
  'endDate',
  'catchup',
  'timezone',
  'tags',
  'owner',
  'description',
  'maxActiveRuns',
  'params',
  'isPausedUponCreation',
  'defaultArgs',
]);
const BASH_KEYS = taskArgKeys(['command', 'env']);
const PLAIN_KEYS = taskArgKeys([]);

/**
 * A DAG: tasks and their dependencies plus when to run them. Create it with `dag(options, build?)`
 * and add tasks with its methods `bash`, `fn` and `empty`. Every Dag constructed while a DAG file
 * is imported is collected by the registry (exporting it is optional).
 */
export class Dag<P extends Params = Params> {
  readonly [DAG_BRAND] = true;
  readonly dagId: string;
  readonly options: Readonly<DagOptions<P>>;
  private readonly taskMap = new Map<string, Task>();

  constructor(options: DagOptions<P>) {
    validateDagOptions(options);
    this.dagId = options.dagId;
    this.options = Object.freeze({ ...options });
    register(this as unknown as Dag);
  }

  /** The tasks in the order they were created. */
  get tasks(): readonly Task[] {
    return [...this.taskMap.values()];
  }

  /** The task with this id; a DagDefinitionError (unknown_dependency) names the known ids if none. */
  getTask(taskId: string): Task {
    const task = this.taskMap.get(taskId);
    if (task === undefined) {
      const known = [...this.taskMap.keys()].join(', ') || 'none';
      throw new DagDefinitionError('unknown_dependency', `dag '${this.dagId}' has no task '${taskId}' (its tasks: ${known})`, {
        dagId: this.dagId,
      });
    }
    return task;
  }

  getTaskOrUndefined(taskId: string): Task | undefined {
    return this.taskMap.get(taskId);
  }

  /** A task that runs `command` with bash. `command` and `env` values are templates (`{{ ds }}`). */
  bash(taskId: string, options: BashTaskOptions): Task {
    const where = this.taskWhere(taskId);
    if (typeof options !== 'object' || options === null) {
      throw new DagDefinitionError('invalid', `${where}: options with a command are required`, { dagId: this.dagId });
    }
    assertKnownKeys(options, BASH_KEYS, where);
    if (typeof options.command !== 'string' || options.command.trim().length === 0) {
      throw new DagDefinitionError('invalid', `${where}: command must be a non-empty string`, { dagId: this.dagId });
    }
    if (options.env !== undefined) validateEnv(options.env, where);
    const { command, env, ...args } = options;
    return this.addTask(taskId, { kind: 'bash', args, command, ...(env === undefined ? {} : { env }) });
  }

  /**
   * A TypeScript function task: the worker calls `callable(ctx)`; its (awaited) return value becomes
   * XCom `return_value`, and the task's type `Task<R>` carries it to `ctx.xcom.pull(task)`.
   */
  fn<R>(taskId: string, callable: TaskFunction<P, R>, args: TaskArgs = {}): Task<Awaited<R>> {
    this.assertCallable(taskId, callable);
    return this.addTask(taskId, { kind: 'function', args, callable: callable as TaskFunction<Params> }) as Task<Awaited<R>>;
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
    if (typeof options !== 'object' || options === null) {
      throw new DagDefinitionError('invalid', `${this.taskWhere(taskId)}: options must be an object`, { dagId: this.dagId });
    }
    const { ignoreDownstreamTriggerRules = true, ...args } = options;
    if (typeof ignoreDownstreamTriggerRules !== 'boolean') {
      throw new DagDefinitionError('invalid', `${this.taskWhere(taskId)}: ignoreDownstreamTriggerRules must be true or false`, { dagId: this.dagId });
    }
    return this.addTask(taskId, {
      kind: 'function', args, callable: condition as TaskFunction<Params>, control: { kind: 'short_circuit', ignoreDownstreamTriggerRules },
    }) as Task<boolean>;
  }

  /** A task that does nothing (a join or start/end point). */
  empty(taskId: string, args: TaskArgs = {}): Task {
    return this.addTask(taskId, { kind: 'empty', args });
  }

  toString(): string {
    return `Dag(${this.dagId})`;
  }

  private assertCallable(taskId: string, callable: unknown): void {
    if (typeof callable !== 'function') {
      throw new DagDefinitionError('invalid', `${this.taskWhere(taskId)}: expected a function, got ${typeof callable}`, {
        dagId: this.dagId,
      });
    }
  }

  private taskWhere(taskId: string): string {
    return `dag '${this.dagId}': task '${String(taskId)}'`;
  }

  private addTask(taskId: string, spec: TaskSpec): Task {
    assertValidId('task id', taskId, this.dagId);
    const where = this.taskWhere(taskId);
    if (this.taskMap.has(taskId)) {
      throw new DagDefinitionError(
        'duplicate_task',
        `dag '${this.dagId}': duplicate task id '${taskId}' (task ids must be unique within a DAG)`,
        { dagId: this.dagId },
      );
    }
    if (typeof spec.args !== 'object' || spec.args === null) {
      throw new DagDefinitionError('invalid', `${where}: options must be an object`, { dagId: this.dagId });
    }
    if (spec.kind !== 'bash') assertKnownKeys(spec.args, PLAIN_KEYS, where);
    validateTaskSettings(spec.args, where);
    const task = new Task(this as unknown as Dag, taskId, spec);
    this.taskMap.set(taskId, task);
    return task;
  }
}

/**
 * Defines a DAG. `build`, when given, is called with the new Dag so its tasks can be defined in
 * one block:
 *
 *     export const hello = dag({ dagId: 'hello', schedule: '@daily', startDate: '2024-01-01' }, (d) => {
 *       d.bash('print_hello', { command: 'echo hello' }).then(d.bash('print_bye', { command: 'echo bye' }));
 *     });
 */
export function dag<P extends Params = Params>(options: DagOptions<P>, build?: (d: Dag<P>) => void): Dag<P> {
  const d = new Dag<P>(options);
  if (build !== undefined) build(d);
  return d;
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

function isJson(value: unknown, depth = 0): boolean {
  if (depth > 100) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((v) => isJson(v, depth + 1));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.values(value).every((v) => isJson(v, depth + 1));
  }
  return false;
}

const CRON_FIELDS = /^\S+(\s+\S+){4,5}$/;

function validateDagOptions(o: DagOptions<Params>): void {
  if (typeof o !== 'object' || o === null) throw new DagDefinitionError('invalid', 'dag(): options with a dagId are required');
  assertValidId('dag id', o.dagId);
  const where = `dag '${o.dagId}'`;
  const fail = (message: string): never => {
    throw new DagDefinitionError('invalid', `${where}: ${message}`, { dagId: o.dagId });
  };
  assertKnownKeys(o, DAG_OPTION_KEYS, where);
  const schedule = o.schedule;
  if (schedule !== undefined && schedule !== null) {
    if (typeof schedule !== 'string') fail(`schedule must be a cron string, a preset or null, got ${typeof schedule}`);
    else if (schedule.startsWith('@')) {
      if (!(SCHEDULE_PRESETS as readonly string[]).includes(schedule)) {
        fail(`unknown schedule preset '${schedule}' (one of: ${SCHEDULE_PRESETS.join(', ')})`);
      }
    } else if (!CRON_FIELDS.test(schedule.trim())) {
      fail(`schedule '${schedule}' is not a cron expression (5 fields: minute hour day-of-month month day-of-week)`);
    }
    if (o.startDate === undefined) fail(`schedule '${schedule}' needs a startDate (the first logical date)`);
  }
  if (o.startDate !== undefined) assertDateInput(o.startDate, `${where}: startDate`);
  if (o.endDate !== undefined) assertDateInput(o.endDate, `${where}: endDate`);
  if (o.catchup !== undefined && typeof o.catchup !== 'boolean') fail('catchup must be true or false');
  if (o.isPausedUponCreation !== undefined && typeof o.isPausedUponCreation !== 'boolean') {
    fail('isPausedUponCreation must be true or false');
  }
  if (o.timezone !== undefined && !isValidTimeZone(o.timezone)) {
    fail(`unknown timezone '${String(o.timezone)}' (use an IANA name such as 'UTC' or 'Europe/Paris')`);
  }
  if (o.tags !== undefined && (!Array.isArray(o.tags) || !o.tags.every((t) => typeof t === 'string' && t.length > 0))) {
    fail('tags must be an array of non-empty strings');
  }
  if (o.owner !== undefined && (typeof o.owner !== 'string' || o.owner.length === 0)) fail('owner must be a non-empty string');
  if (o.description !== undefined && typeof o.description !== 'string') fail('description must be a string');
  if (o.maxActiveRuns !== undefined && (!Number.isInteger(o.maxActiveRuns) || o.maxActiveRuns < 1)) {
    fail(`maxActiveRuns must be an integer >= 1, got ${String(o.maxActiveRuns)}`);
  }
  if (o.params !== undefined && (typeof o.params !== 'object' || o.params === null || Array.isArray(o.params) || !isJson(o.params))) {
    fail('params must be an object of JSON values (strings, numbers, booleans, null, arrays, plain objects)');
  }
  if (o.defaultArgs !== undefined) {
    if (typeof o.defaultArgs !== 'object' || o.defaultArgs === null) fail('defaultArgs must be an object');
    assertKnownKeys(o.defaultArgs, DEFAULT_ARG_KEYS, `${where}: defaultArgs`);
    validateTaskSettings(o.defaultArgs, `${where}: defaultArgs`);
  }
}
