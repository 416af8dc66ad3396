import { isAsset, isAssetAlias } from './asset.js';
import { isDag } from './brands.js';
import type { Dag } from './dag.js';
import type { Params, TaskFunction } from './options.js';
import { isCallbacks, type CallbackEvent, type Callbacks } from './callbacks.js';

/**
 * The registry of DAGs constructed since the last reset. The DAG processor resets it, imports a
 * DAG file and collects what the file defined; a worker does the same to find a function task.
 * It lives on globalThis so that every copy of the SDK module in a process shares it.
 */
interface Registry {
  dags: Dag[];
}

const REGISTRY_KEY = Symbol.for('updraft.sdk.registry');

function registry(): Registry {
  const g = globalThis as unknown as Record<symbol, Registry | undefined>;
  let r = g[REGISTRY_KEY];
  if (r === undefined) {
    r = { dags: [] };
    g[REGISTRY_KEY] = r;
  }
  return r;
}

/** @internal Called by the Dag constructor. */
export function register(dag: Dag): void {
  registry().dags.push(dag);
}

/** Forgets every registered DAG (call before importing the next DAG file). */
export function resetRegistry(): void {
  registry().dags = [];
}

/**
 * The DAGs defined since the last reset, in the order they were constructed, plus any Dag found
 * among `moduleExports` (the namespace of the imported file, also arrays of Dags in it); each DAG
 * once.
 */
export function collectDags(moduleExports?: Record<string, unknown>): Dag[] {
  const seen = new Set<Dag>();
  const add = (value: unknown): void => {
    if (isDag(value)) seen.add(value);
  };
  for (const d of registry().dags) add(d);
  if (moduleExports !== undefined) {
    for (const value of Object.values(moduleExports)) {
      if (Array.isArray(value)) value.forEach(add);
      else add(value);
    }
  }
  return [...seen];
}

/** Raised by getTaskFunction when the DAG or task is not there. */
export class TaskLookupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TaskLookupError';
  }
}

/**
 * The function of function task `taskId` of DAG `dagId`, among the DAGs registered since the last
 * reset (import the DAG file first).
 */
export function getTaskFunction(dagId: string, taskId: string): TaskFunction<Params> {
  const dags = registry().dags.filter((d) => d.dagId === dagId);
  if (dags.length === 0) {
    const known = registry().dags.map((d) => d.dagId).join(', ') || 'none';
    throw new TaskLookupError(`no DAG '${dagId}' is registered (registered: ${known}); import its DAG file first`);
  }
  if (dags.length > 1) throw new TaskLookupError(`DAG '${dagId}' is defined ${dags.length} times`);
  const task = dags[0]!.getTaskOrUndefined(taskId);
  if (task === undefined) throw new TaskLookupError(`DAG '${dagId}' has no task '${taskId}'`);
  if (task.kind !== 'function' || task.callable === undefined) {
    throw new TaskLookupError(`task '${taskId}' of DAG '${dagId}' is not a function task (kind: ${task.kind})`);
  }
  return task.callable;
}

/** The outlets of task `taskId` of DAG `dagId` when exactly one such DAG is registered; [] otherwise. */
function taskOutletsOf(dagId: string, taskId: string): readonly unknown[] {
  const dags = registry().dags.filter((d) => d.dagId === dagId);
  const task = dags.length === 1 ? dags[0]!.getTaskOrUndefined(taskId) : undefined;
  return task?.args.outlets ?? [];
}

/** The URIs of the assets task `taskId` of DAG `dagId` updates (its outlets), among the DAGs registered; [] when none. */
export function getTaskOutlets(dagId: string, taskId: string): string[] {
  return taskOutletsOf(dagId, taskId).filter(isAsset).map((a) => a.uri);
}

/** The names of the asset aliases task `taskId` of DAG `dagId` adds events through (among its outlets); [] when none. */
export function getTaskOutletAliases(dagId: string, taskId: string): string[] {
  return taskOutletsOf(dagId, taskId).filter(isAssetAlias).map((a) => a.name);
}

/**
 * The callback for `event` of task `taskId` (or of the DAG itself when `taskId` is null) of DAG
 * `dagId`, among the DAGs registered since the last reset (import the DAG file first).
 */
export function getCallback(dagId: string, taskId: string | null, event: CallbackEvent): Callbacks {
  const dags = registry().dags.filter((d) => d.dagId === dagId);
  if (dags.length !== 1) {
    throw new TaskLookupError(dags.length === 0 ? `no DAG '${dagId}' is registered; import its DAG file first` : `DAG '${dagId}' is defined ${dags.length} times`);
  }
  const dag = dags[0]!;
  let callback: unknown;
  if (taskId === null) {
    callback = event === 'onDeadlineMiss' ? dag.options.deadline?.onMiss : (dag.options as Record<string, unknown>)[event];
  } else {
    const task = dag.getTaskOrUndefined(taskId);
    if (task === undefined) throw new TaskLookupError(`DAG '${dagId}' has no task '${taskId}'`);
    // The task's own setting, else the DAG's defaultArgs (as the serialized form resolves it).
    callback = (task.args as Record<string, unknown>)[event] ?? (dag.options.defaultArgs as Record<string, unknown> | undefined)?.[event];
  }
  if (!isCallbacks(callback)) {
    throw new TaskLookupError(`${taskId === null ? `DAG '${dagId}'` : `task '${taskId}' of DAG '${dagId}'`} has no ${event} callback`);
  }
  return callback;
}
