import { isAssetCondition, listSchedule } from './asset-condition.js';
import { DAG_CALLBACK_EVENTS, validateCallbacks } from './callbacks.js';
import { DAG_BRAND } from './brands.js';
import { dagrunTimeoutMs, deadlineSettings } from './deadline.js';
import { DagDefinitionError } from './errors.js';
import { assertValidId } from './ids.js';
import { checkParamSpecs } from './param-specs.js';
import type { DagOptions, Params } from './options.js';
import { SCHEDULE_PRESETS } from './options.js';
import { register } from './registry.js';
import { assertKnownKeys, DEFAULT_ARG_KEYS, taskArgKeys, validateTaskSettings } from './settings.js';
import type { TaskSpec } from './task.js';
import { Task } from './task.js';
import { TaskFactory, type TaskScope } from './task-factory.js';
import type { NamedTaskGroup } from './task-group.js';
import { assertDateInput, isValidTimeZone } from './timezone.js';
import { isTimetable } from './timetables.js';

/** What a branch returns: the id(s) of the direct downstream tasks to follow, or null for none. */
export type BranchChoice = string | readonly string[] | null;

const DAG_OPTION_KEYS: ReadonlySet<string> = new Set([
  'dagId',
  'schedule',
  'timetable',
  'startDate',
  'endDate',
  'catchup',
  'timezone',
  'tags',
  'owner',
  'description',
  'maxActiveRuns',
  'maxActiveTasks',
  'params',
  'paramSpecs',
  'isPausedUponCreation',
  'defaultArgs',
  'onDagRunSuccess',
  'onDagRunFailure',
  'deadline',
  'dagrunTimeout',
  'maxConsecutiveFailedDagRuns',
  'failFast',
]);
const PLAIN_KEYS = taskArgKeys([]);
const ROOT_SCOPE: TaskScope = Object.freeze({ group: null, idPrefix: '', defaultArgs: {} });

/**
 * A DAG: tasks and their dependencies plus when to run them. Create it with `dag(options, build?)`
 * and add tasks with its methods (`bash`, `fn`, `branch`, `shortCircuit`, `empty`, `taskGroup`).
 * Every Dag constructed while a DAG file is imported is collected by the registry (exporting it is
 * optional).
 */
export class Dag<P extends Params = Params> extends TaskFactory<P> {
  readonly [DAG_BRAND] = true;
  readonly dagId: string;
  readonly options: Readonly<DagOptions<P>>;
  private readonly taskMap = new Map<string, Task>();
  private readonly groupMap = new Map<string, NamedTaskGroup>();

  constructor(options: DagOptions<P>) {
    super();
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

  /** The named task groups (`taskGroup()`, nested ones included) in the order they were created. */
  get taskGroups(): readonly NamedTaskGroup[] {
    return [...this.groupMap.values()];
  }

  override toString(): string {
    return `Dag(${this.dagId})`;
  }

  /** @internal */
  protected override factoryDag(): Dag<P> {
    return this;
  }

  /** @internal */
  protected override factoryScope(): TaskScope {
    return ROOT_SCOPE;
  }

  /** @internal Registers a group created by taskGroup(); its id must be new among groups and tasks. */
  addGroup(group: NamedTaskGroup): void {
    if (this.groupMap.has(group.groupId) || this.taskMap.has(group.groupId)) {
      throw new DagDefinitionError('duplicate_task',
        `dag '${this.dagId}': task group id '${group.groupId}' is already used by a ${this.groupMap.has(group.groupId) ? 'group' : 'task'} (ids must be unique within a DAG)`,
        { dagId: this.dagId });
    }
    this.groupMap.set(group.groupId, group);
  }

  /** @internal Creates a task in `scope` (a group's prefix and defaults, or the top level). */
  addTaskIn(scope: TaskScope, localId: string, spec: TaskSpec): Task {
    assertValidId('task id', localId, this.dagId);
    const taskId = `${scope.idPrefix}${localId}`;
    assertValidId('task id', taskId, this.dagId);
    const where = `dag '${this.dagId}': task '${taskId}'`;
    if (this.taskMap.has(taskId) || this.groupMap.has(taskId)) {
      throw new DagDefinitionError(
        'duplicate_task',
        `dag '${this.dagId}': duplicate task id '${taskId}' (task ids must be unique within a DAG${this.groupMap.has(taskId) ? '; a task group has this id' : ''})`,
        { dagId: this.dagId },
      );
    }
    if (typeof spec.args !== 'object' || spec.args === null) {
      throw new DagDefinitionError('invalid', `${where}: options must be an object`, { dagId: this.dagId });
    }
    if (spec.kind !== 'bash') assertKnownKeys(spec.args, PLAIN_KEYS, where);
    const args = { ...scope.defaultArgs, ...spec.args };
    validateTaskSettings(args, where);
    const task = new Task(this as unknown as Dag, taskId, { ...spec, args });
    this.taskMap.set(taskId, task);
    scope.group?.ownTasks.push(task);
    if (scope.group !== null) task.groupId = scope.group.groupId;
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
  if (Array.isArray(schedule)) {
    if (schedule.length === 0) fail('a schedule of assets needs at least one asset');
    listSchedule(schedule, `${where}: schedule`);
  } else if (isAssetCondition(schedule)) {
    // Checked when made (anyOf / allOf).
  } else if (schedule !== undefined && schedule !== null) {
    if (typeof schedule !== 'string') fail(`schedule must be a cron string, a preset, a list of assets (or asset aliases), anyOf/allOf of assets, or null; got ${typeof schedule}`);
    else if (schedule.startsWith('@')) {
      if (!(SCHEDULE_PRESETS as readonly string[]).includes(schedule)) {
        fail(`unknown schedule preset '${schedule}' (one of: ${SCHEDULE_PRESETS.join(', ')})`);
      }
    } else if (!CRON_FIELDS.test(schedule.trim())) {
      fail(`schedule '${schedule}' is not a cron expression (5 fields: minute hour day-of-month month day-of-week)`);
    }
    if (o.startDate === undefined) fail(`schedule '${schedule}' needs a startDate (the first logical date)`);
  }
  if (o.timetable !== undefined) {
    if (schedule !== undefined && schedule !== null) fail('give either schedule or timetable, not both (timetable replaces schedule)');
    if (!isTimetable(o.timetable)) fail("timetable must be made by timetables.every('6h'), timetables.cronTrigger('0 2 * * *', ...) or timetables.assetOrTime(...)");
    if (o.startDate === undefined) fail('timetable needs a startDate (the first logical date)');
  }
  if (o.startDate !== undefined) assertDateInput(o.startDate, `${where}: startDate`);
  if (o.endDate !== undefined) assertDateInput(o.endDate, `${where}: endDate`);
  if (o.catchup !== undefined && typeof o.catchup !== 'boolean') fail('catchup must be true or false');
  if (o.failFast !== undefined && typeof o.failFast !== 'boolean') fail('failFast must be true or false');
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
  for (const key of ['maxActiveRuns', 'maxActiveTasks', 'maxConsecutiveFailedDagRuns'] as const) {
    if (o[key] !== undefined && (!Number.isInteger(o[key]) || o[key] < 1)) fail(`${key} must be an integer >= 1, got ${String(o[key])}`);
  }
  if (o.params !== undefined && (typeof o.params !== 'object' || o.params === null || Array.isArray(o.params) || !isJson(o.params))) {
    fail('params must be an object of JSON values (strings, numbers, booleans, null, arrays, plain objects)');
  }
  if (o.paramSpecs !== undefined) {
    const scheduled = (o.schedule !== undefined && o.schedule !== null) || o.timetable !== undefined;
    checkParamSpecs(o.paramSpecs, (o.params ?? {}) as Record<string, unknown>, where, scheduled);
  }
  if (o.defaultArgs !== undefined) {
    if (typeof o.defaultArgs !== 'object' || o.defaultArgs === null) fail('defaultArgs must be an object');
    assertKnownKeys(o.defaultArgs, DEFAULT_ARG_KEYS, `${where}: defaultArgs`);
    validateTaskSettings(o.defaultArgs, `${where}: defaultArgs`);
  }
  validateCallbacks(o, DAG_CALLBACK_EVENTS, where);
  if (o.deadline !== undefined) deadlineSettings(o.deadline, where);
  if (o.dagrunTimeout !== undefined) dagrunTimeoutMs(o.dagrunTimeout, where);
}
