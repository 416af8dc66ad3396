import { assetTargets } from './asset.js';
import { conditionAliases, conditionUris, isAssetCondition, listSchedule, serializeAssetCondition, type SerializedAssetCondition } from './asset-condition.js';
import { alertTargetsOf, callbackEventsOf, DAG_RUN_EVENTS, hasCodeCallback, TASK_CALLBACK_EVENTS } from './callbacks.js';
import { dagrunTimeoutMs, deadlineSettings } from './deadline.js';
import type { Dag } from './dag.js';
import { parseDuration } from './duration.js';
import { DagDefinitionError } from './errors.js';
import type { TaskSettings } from './options.js';
import type { AlertTarget } from './notifiers.js';
import type { SerializedDag, SerializedTask } from './serialized.js';
import { SERIALIZED_DAG_SCHEMA_VERSION } from './serialized.js';
import { checkParamSpecs } from './param-specs.js';
import { serializedRole } from './setup-teardown.js';
import type { Task } from './task.js';
import { isValidTimeZone, resolveDate } from './timezone.js';

export interface SerializeOptions {
  /** Path of the DAG file relative to the DAGs folder. */
  fileloc: string;
  /** sha256 hex of the file's content. */
  fileHash: string;
  /** Timezone for a DAG that names none (core.default_timezone). */
  defaultTimezone: string;
}

/** Built-in task defaults (Airflow's where it has one). */
export const TASK_DEFAULTS = {
  retries: 0,
  retryDelayMs: 300_000,
  retryExponentialBackoff: false,
  queue: 'default',
  pool: 'default_pool',
  priorityWeight: 1,
  triggerRule: 'all_success',
} as const;
export const DAG_DEFAULTS = { owner: 'updraft', maxActiveRuns: 16, maxActiveTasks: 16, catchup: false, isPausedUponCreation: false } as const;

/**
 * The tasks of `dag` in topological order (upstream before downstream; ties in creation order).
 * A cycle is a DagDefinitionError of kind 'cycle' naming the tasks on it.
 */
export function topologicalOrder(dag: Dag): Task[] {
  const tasks = dag.tasks;
  const indegree = new Map<string, number>(tasks.map((t) => [t.taskId, t.upstreamIds.size]));
  const queue = tasks.filter((t) => t.upstreamIds.size === 0);
  const order: Task[] = [];
  for (let i = 0; i < queue.length; i++) {
    const task = queue[i]!;
    order.push(task);
    for (const id of task.downstreamIds) {
      const left = indegree.get(id)! - 1;
      indegree.set(id, left);
      if (left === 0) queue.push(dag.getTask(id));
    }
  }
  if (order.length !== tasks.length) {
    const cycle = findCycle(dag, new Set(tasks.filter((t) => indegree.get(t.taskId)! > 0).map((t) => t.taskId)));
    throw new DagDefinitionError('cycle', `dag '${dag.dagId}': cycle between tasks ${cycle.join(' -> ')}`, { dagId: dag.dagId });
  }
  return order;
}

/** One cycle among `candidates` (tasks left over by the topological sort), as a closed path. */
function findCycle(dag: Dag, candidates: Set<string>): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | undefined => {
    state.set(id, 'open');
    path.push(id);
    for (const next of dag.getTask(id).downstreamIds) {
      if (!candidates.has(next)) continue;
      if (state.get(next) === 'open') return [...path.slice(path.indexOf(next)), next];
      if (state.get(next) === undefined) {
        const found = visit(next);
        if (found) return found;
      }
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of candidates) {
    if (state.get(id) === undefined) {
      const found = visit(id);
      if (found) return found;
    }
  }
  return [...candidates];
}

function optionalMs(value: TaskSettings['retryDelay'], what: string): number | null {
  return value === undefined ? null : parseDuration(value, what);
}

function idOrNull(value: string | number | undefined): string | null {
  return value === undefined ? null : String(value);
}

/**
 * The declarative notifiers of each event that has some, each with a timezone (the DAG's when the
 * notifier names none), so an outbox row can be rendered without the DAG. Undefined when none.
 */
function alertsOf<E extends string>(value: (e: E) => unknown, events: readonly E[], timezone: string): Partial<Record<E, AlertTarget[]>> | undefined {
  const out: Partial<Record<E, AlertTarget[]>> = {};
  for (const e of events) {
    const targets = alertTargetsOf(value(e));
    if (targets.length > 0) out[e] = targets.map((t) => ({ ...t, timezone: t.timezone ?? timezone }));
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

function serializeTask(task: Task, dag: Dag, dagOwner: string, timezone: string): SerializedTask {
  const d: TaskSettings = dag.options.defaultArgs ?? {};
  const a = task.args;
  const where = `dag '${dag.dagId}': task '${task.taskId}'`;
  const pick = <K extends keyof TaskSettings>(key: K): TaskSettings[K] => (a[key] !== undefined ? a[key] : d[key]);
  const out: SerializedTask = {
    taskId: task.taskId,
    kind: task.kind,
    upstream: [...task.upstreamIds],
    downstream: [...task.downstreamIds],
    retries: pick('retries') ?? TASK_DEFAULTS.retries,
    retryDelayMs: optionalMs(pick('retryDelay'), `${where}: retryDelay`) ?? TASK_DEFAULTS.retryDelayMs,
    retryExponentialBackoff: pick('retryExponentialBackoff') ?? TASK_DEFAULTS.retryExponentialBackoff,
    maxRetryDelayMs: optionalMs(pick('maxRetryDelay'), `${where}: maxRetryDelay`),
    executionTimeoutMs: optionalMs(pick('executionTimeout'), `${where}: executionTimeout`),
    queue: pick('queue') ?? TASK_DEFAULTS.queue,
    pool: pick('pool') ?? TASK_DEFAULTS.pool,
    priorityWeight: pick('priorityWeight') ?? TASK_DEFAULTS.priorityWeight,
    triggerRule: pick('triggerRule') ?? TASK_DEFAULTS.triggerRule,
    owner: pick('owner') ?? dagOwner,
    umask: pick('umask') ?? null,
    runAsUser: idOrNull(pick('runAsUser')),
    runAsGroup: idOrNull(pick('runAsGroup')),
    doc: a.doc ?? null,
  };
  const role = serializedRole(task, task.role === undefined ? pick('triggerRule') : a.triggerRule, where);
  if (role !== undefined) Object.assign(out, role);
  if (task.command !== undefined) out.bashCommand = task.command;
  if (task.env !== undefined) out.env = { ...task.env };
  if (task.control !== undefined) out.control = { ...task.control };
  if (task.sensor !== undefined) out.sensor = { ...task.sensor };
  if (task.latestOnly === true) {
    if (task.mapping !== undefined) throw new DagDefinitionError('invalid', `${where}: a latestOnly task cannot be mapped (expand)`, { dagId: dag.dagId });
    out.latestOnly = true;
  }
  if (task.triggerDagRun !== undefined) {
    if (task.mapping !== undefined) throw new DagDefinitionError('invalid', `${where}: a triggerDagRun task cannot be mapped (expand)`, { dagId: dag.dagId });
    out.triggerDagRun = structuredClone(task.triggerDagRun);
  }
  if (a.outlets !== undefined && a.outlets.length > 0) {
    const { uris, aliases } = assetTargets(a.outlets, `${where}: outlets`);
    if (uris.length > 0) out.outlets = uris;
    if (aliases.length > 0) {
      // Only a function task has the context to add events through an alias.
      if (task.kind !== 'function') throw new DagDefinitionError('invalid', `${where}: only a function task can add asset events through an alias (outlets: assetAlias('${aliases[0]}'))`, { dagId: dag.dagId });
      out.outletAliases = aliases;
    }
  }
  // Only when set: DAGs without them serialize (and hash) as before.
  const waitForDownstream = pick('waitForDownstream') === true;
  if (waitForDownstream || pick('dependsOnPast') === true) out.dependsOnPast = true;
  if (waitForDownstream) out.waitForDownstream = true;
  const poolSlots = pick('poolSlots');
  if (poolSlots !== undefined && poolSlots !== 1) out.poolSlots = poolSlots;
  const maxActiveTisPerDag = pick('maxActiveTisPerDag');
  if (maxActiveTisPerDag !== undefined) out.maxActiveTisPerDag = maxActiveTisPerDag;
  const maxActiveTisPerDagrun = pick('maxActiveTisPerDagrun');
  if (maxActiveTisPerDagrun !== undefined) out.maxActiveTisPerDagrun = maxActiveTisPerDagrun;
  const weightRule = pick('weightRule');
  if (weightRule !== undefined && weightRule !== 'downstream') out.weightRule = weightRule;
  const callbacks = TASK_CALLBACK_EVENTS.filter((e) => hasCodeCallback(pick(e)));
  if (callbacks.length > 0) out.callbacks = callbacks;
  const alerts = alertsOf((e) => pick(e), TASK_CALLBACK_EVENTS, timezone);
  if (alerts !== undefined) out.alerts = alerts;
  if (task.groupId !== undefined) out.groupId = task.groupId;
  if (task.mapping !== undefined) out.expand = structuredClone(task.mapping);
  if (a.mapIndexTemplate !== undefined) {
    if (task.mapping === undefined) throw new DagDefinitionError('invalid', `${where}: mapIndexTemplate names the instances of a mapped task (expand), and this task is not mapped`, { dagId: dag.dagId });
    out.mapIndexTemplate = a.mapIndexTemplate;
  }
  return out;
}

/** A condition over assets: the URIs and aliases it names (the events that concern the DAG) and the condition. */
function assetScheduleOf(assetCondition: SerializedAssetCondition): Pick<SerializedDag, 'assetSchedule' | 'assetCondition' | 'aliasSchedule'> {
  const aliases = conditionAliases(assetCondition);
  return { assetSchedule: conditionUris(assetCondition), assetCondition, ...(aliases.length === 0 ? {} : { aliasSchedule: aliases }) };
}

/** `schedule: [a, b]`: the URIs (a list of assets alone, as before), or a condition when it names an alias. */
function listScheduleOf(value: unknown, what: string): Pick<SerializedDag, 'assetSchedule' | 'assetCondition' | 'aliasSchedule'> {
  const list = listSchedule(value, what);
  return list.condition === undefined ? { assetSchedule: list.uris } : assetScheduleOf(list.condition);
}

const withAlerts = <T>(alerts: T | undefined): { alerts?: T } => (alerts === undefined ? {} : { alerts });

/**
 * A failFast DAG stops a run on a task's final failure, which only makes sense where every task
 * waits for its upstreams' success (Airflow refuses such a DAG the same way).
 */
function failFastChecked(dag: Dag, tasks: SerializedTask[]): SerializedTask[] {
  if (dag.options.failFast !== true) return tasks;
  const bad = tasks.find((t) => t.triggerRule !== 'all_success' && !(t.teardown !== undefined && t.triggerRule === 'all_done_setup_success'));
  if (bad !== undefined) {
    throw new DagDefinitionError('invalid',
      `dag '${dag.dagId}': with failFast every task keeps the trigger rule all_success (a teardown all_done_setup_success); task '${bad.taskId}' has '${bad.triggerRule}'`,
      { dagId: dag.dagId });
  }
  return tasks;
}

/**
 * The stored form of `dag` (see SerializedDag): defaults applied, dates resolved to UTC in the
 * DAG's timezone, tasks in topological order. Throws DagDefinitionError for a cycle or a bad value.
 */
export function serializeDag(dag: Dag, options: SerializeOptions): SerializedDag {
  const o = dag.options;
  const timezone = o.timezone ?? options.defaultTimezone;
  if (!isValidTimeZone(timezone)) {
    throw new DagDefinitionError('invalid', `dag '${dag.dagId}': unknown timezone '${timezone}'`, { dagId: dag.dagId });
  }
  const startDate = o.startDate === undefined ? null : resolveDate(o.startDate, timezone, `dag '${dag.dagId}': startDate`);
  const endDate = o.endDate === undefined ? null : resolveDate(o.endDate, timezone, `dag '${dag.dagId}': endDate`);
  if (startDate !== null && endDate !== null && endDate.getTime() < startDate.getTime()) {
    throw new DagDefinitionError(
      'invalid',
      `dag '${dag.dagId}': endDate ${endDate.toISOString()} is before startDate ${startDate.toISOString()}`,
      { dagId: dag.dagId },
    );
  }
  const owner = o.owner ?? o.defaultArgs?.owner ?? DAG_DEFAULTS.owner;
  const events = { onDagRunSuccess: o.onDagRunSuccess, onDagRunFailure: o.onDagRunFailure, onDeadlineMiss: o.deadline?.onMiss };
  return {
    schemaVersion: SERIALIZED_DAG_SCHEMA_VERSION,
    dagId: dag.dagId,
    fileloc: options.fileloc,
    fileHash: options.fileHash,
    schedule: typeof o.schedule === 'string' ? o.schedule : null,
    ...(o.timetable === undefined ? {} : { timetable: { ...o.timetable.serialized } }),
    ...(Array.isArray(o.schedule) ? listScheduleOf(o.schedule, `dag '${dag.dagId}': schedule`) : {}),
    ...(isAssetCondition(o.schedule) ? assetScheduleOf(serializeAssetCondition(o.schedule)) : {}),
    ...(o.timetable?.assets !== undefined ? assetScheduleOf(o.timetable.assets) : {}),
    timezone,
    startDate: startDate === null ? null : startDate.toISOString(),
    endDate: endDate === null ? null : endDate.toISOString(),
    catchup: o.catchup ?? DAG_DEFAULTS.catchup,
    maxActiveRuns: o.maxActiveRuns ?? DAG_DEFAULTS.maxActiveRuns,
    ...(o.maxActiveTasks === undefined || o.maxActiveTasks === DAG_DEFAULTS.maxActiveTasks ? {} : { maxActiveTasks: o.maxActiveTasks }),
    tags: [...(o.tags ?? [])],
    owner,
    description: o.description ?? null,
    params: JSON.parse(JSON.stringify(o.params ?? {})) as Record<string, unknown>,
    ...(Object.keys(o.params ?? {}).length < 2 ? {} : { paramOrder: Object.keys(o.params ?? {}) }),
    ...(o.paramSpecs === undefined ? {} : { paramSpecs: checkParamSpecs(o.paramSpecs, o.params ?? {}, `dag '${dag.dagId}'`) }),
    isPausedUponCreation: o.isPausedUponCreation ?? DAG_DEFAULTS.isPausedUponCreation,
    tasks: failFastChecked(dag, topologicalOrder(dag).map((t) => serializeTask(t, dag, owner, timezone))),
    ...(dag.taskGroups.length === 0 ? {} : {
      taskGroups: dag.taskGroups.map((g) => ({
        groupId: g.groupId, label: g.label, parentId: g.parent?.groupId ?? null, prefixGroupId: g.prefixGroupId, tooltip: g.tooltip,
        taskIds: g.ownTasks.map((t) => t.taskId), childGroupIds: g.childGroups.map((c) => c.groupId),
      })),
    }),
    ...(o.deadline === undefined ? {} : { deadline: deadlineSettings(o.deadline, `dag '${dag.dagId}'`) }),
    ...(o.dagrunTimeout === undefined ? {} : { dagrunTimeoutMs: dagrunTimeoutMs(o.dagrunTimeout, `dag '${dag.dagId}'`) }),
    ...(o.maxConsecutiveFailedDagRuns === undefined ? {} : { maxConsecutiveFailedDagRuns: o.maxConsecutiveFailedDagRuns }),
    ...(o.failFast === true ? { failFast: true as const } : {}),
    ...(callbackEventsOf(events, DAG_RUN_EVENTS).length === 0 ? {} : { callbacks: callbackEventsOf(events, DAG_RUN_EVENTS) }),
    ...withAlerts(alertsOf((e) => events[e], DAG_RUN_EVENTS, timezone)),
  };
}
