/**
 * Running tasks in this process, without scheduler, queue or database (`updraft tasks test`,
 * `updraft dags test`): each task through the worker's own executor (runTaskLocally), tasks of a
 * DAG in dependency order with the trigger rules the scheduler applies (core's planReadiness).
 * Nothing is written to the database; task logs go to per-try files below
 * <logging.base_log_folder>/local-runs, apart from the logs of the scheduler's tries. Connections and
 * variables come from UPDRAFT_CONN_<ID> / UPDRAFT_VAR_<KEY> of this process only.
 */
import { join } from 'node:path';
import {
  connectionMaskValues,
  connEnvName,
  controlDecision,
  RETURN_VALUE_KEY,
  findTask,
  finishedRunState,
  formatUmask,
  inferManualDataInterval,
  leafTaskIds,
  planReadiness,
  readConnections,
  readVariables,
  resolveTemplateSecrets,
  runIdFor,
  secretsContext,
  taskTemplatesOf,
  templateSecretRefs,
  UpdraftError,
  varEnvName,
  variableMaskValues,
  type SecretsContext,
  type TaskInstanceState,
  type UpdraftConfig,
} from '@updraft/core';
import { mappedElement, mapSourcesOf, overMaxMapLength, pokeDelayMs, productLength, type SerializedDag, type SerializedTask } from '@updraft/sdk';
import { LocalXCom } from './local-xcom.js';
import { prepareLocalTask, runTaskLocally, type LocalRunResult, type TaskSecretAccess } from '@updraft/worker';

export interface LocalRunOptions {
  dag: SerializedDag;
  /** Absolute path of the DAG file (function tasks import it). */
  dagFilePath: string;
  /** Default: now. The data interval is inferred from the schedule as for a manual run. */
  logicalDate?: Date;
  /** Default `manual__<logical date>`. */
  runId?: string;
  conf?: Record<string, unknown>;
  /** Task log root (logging.base_log_folder) and the task process defaults (worker.*). */
  logFolder: string;
  umask: string;
  runAsUser?: string;
  runAsGroup?: string;
  /** Every log line of the task, as it is written. */
  output: (taskId: string, line: string) => void;
  /** Connections and variables (read from the environment only). Default: none. */
  secrets?: SecretsContext;
  /** Most instances of one mapped task (core.max_map_length): more fail it, as under a scheduler. Default 1024. */
  maxMapLength?: number;
}

/**
 * Logs of tasks run here (`tasks test`, `dags test`) go below this folder of logging.base_log_folder,
 * apart from the logs of the tries the scheduler records: a test with the run id of a real run
 * never writes into that run's try logs.
 */
export const LOCAL_RUN_LOG_FOLDER = 'local-runs';

/** What the worker settings of the configuration give a locally run task. */
export function localRunDefaults(cfg: UpdraftConfig): Pick<LocalRunOptions, 'logFolder' | 'umask' | 'runAsUser' | 'runAsGroup' | 'secrets' | 'maxMapLength'> {
  return {
    secrets: secretsContext(cfg),
    maxMapLength: cfg.core.maxMapLength,
    logFolder: join(cfg.logging.baseLogFolder, LOCAL_RUN_LOG_FOLDER),
    umask: formatUmask(cfg.worker.umask),
    ...(cfg.worker.runAsUser ? { runAsUser: cfg.worker.runAsUser } : {}),
    ...(cfg.worker.runAsGroup ? { runAsGroup: cfg.worker.runAsGroup } : {}),
  };
}

/** Runs one task of the DAG once (try 1); with `xcom`, it reads and writes that run's XCom. */
export async function runTaskHere(o: LocalRunOptions & { taskId: string; xcom?: LocalXCom; mapIndex?: number; itemJson?: string }): Promise<LocalRunResult> {
  const logicalDate = o.logicalDate ?? new Date();
  const info = inferManualDataInterval(o.dag, logicalDate);
  const serialized = findTask(o.dag, o.taskId);
  const refs = templateSecretRefs(taskTemplatesOf(serialized));
  const mapIndex = o.mapIndex ?? -1;
  const secrets = o.secrets === undefined ? undefined : await resolveTemplateSecrets(null, o.secrets, refs);
  // A reschedule-mode sensor's pokes are tries 1, 2, ... as under the scheduler.
  const once = (tryNumber: number): Promise<LocalRunResult> => runTaskLocally({
    ...prepareLocalTask({
      dag: o.dag, taskId: o.taskId, dagFilePath: o.dagFilePath, logicalDate,
      dataIntervalStart: info.dataIntervalStart, dataIntervalEnd: info.dataIntervalEnd,
      runId: o.runId ?? runIdFor('manual', logicalDate), conf: o.conf ?? {}, tryNumber, secrets,
      xcom: o.xcom?.forTemplates(serialized, `DAG '${o.dag.dagId}' task '${o.taskId}'`),
      ...(o.mapIndex === undefined ? {} : { mapIndex, itemJson: o.itemJson ?? null }),
    }),
    logFolder: o.logFolder, umask: o.umask, runAsUser: o.runAsUser, runAsGroup: o.runAsGroup,
    secrets: o.secrets === undefined ? undefined : environmentSecrets(o.secrets),
    xcom: o.xcom?.access(o.taskId, mapIndex),
    output: (line) => o.output(mapIndex >= 0 ? `${o.taskId}[${mapIndex}]` : o.taskId, line),
  });
  await deferredWait(serialized, info.dataIntervalEnd, (line) => o.output(o.taskId, line));
  const result = await pokeUntilDone(serialized, once);
  if (result.outcome === 'success' && result.returnValueJson !== '') o.xcom?.set(o.taskId, mapIndex, RETURN_VALUE_KEY, result.returnValueJson);
  // A latest-only gate's value, as the scheduler stores it: a manual run follows every direct downstream task.
  if (result.outcome === 'success' && serialized.latestOnly === true) o.xcom?.set(o.taskId, -1, RETURN_VALUE_KEY, JSON.stringify(serialized.downstream));
  return result;
}

/** A deferred sensor run here waits for its time (the scheduler's part), then succeeds as an empty task; a trigger or latest-only task says what it would do. */
async function deferredWait(task: SerializedTask, dataIntervalEnd: Date, output: (line: string) => void): Promise<void> {
  if (task.triggerDagRun !== undefined) {
    // Another DAG's runs live in the scheduler's database: a local run creates none.
    output(`would trigger a run of DAG '${task.triggerDagRun.dagId}' under a scheduler; not triggered in a local run`);
    return;
  }
  if (task.latestOnly === true) {
    output('latest only: a local run is a manual run, which always proceeds: nothing is skipped');
    return;
  }
  const w = task.sensor?.mode === 'deferred' ? task.sensor.waitUntil : undefined;
  if (w === undefined) return;
  if ('externalTask' in w) {
    // Another DAG's runs live in the scheduler's database, which a local run does not look at.
    output(`deferred: waits for DAG '${w.externalTask.dagId}'${w.externalTask.taskId === null ? '' : ` task '${w.externalTask.taskId}'`} under a scheduler; not checked in a local run`);
    return;
  }
  const at = 'at' in w ? new Date(w.at) : new Date(dataIntervalEnd.getTime() + w.deltaMs);
  const ms = at.getTime() - Date.now();
  if (ms > 0) output(`deferred: waiting until ${at.toISOString()}`);
  if (ms > 0) await new Promise((r) => setTimeout(r, ms));
}

/**
 * A reschedule-mode sensor run here pokes again after its interval (the scheduler's part), until
 * it succeeds or its timeout has passed (then failed, or skipped with softFail).
 */
async function pokeUntilDone(task: SerializedTask, once: (tryNumber: number) => Promise<LocalRunResult>): Promise<LocalRunResult> {
  const started = Date.now();
  for (let pokes = 1; ; pokes++) {
    const result = await once(pokes);
    if (result.outcome !== 'reschedule' || task.sensor === undefined) return result;
    if (Date.now() - started >= task.sensor.timeoutMs) {
      const error = `sensor timed out: poke still false after ${task.sensor.timeoutMs} ms (${pokes} pokes)`;
      return { ...result, outcome: task.sensor.softFail ? 'skipped' : 'failed', error, exitCode: task.sensor.softFail ? 0 : 1 };
    }
    await new Promise((r) => setTimeout(r, pokeDelayMs(task.sensor!, pokes)));
  }
}

/** ctx.connection() / ctx.variable() of a task run here: UPDRAFT_CONN_* / UPDRAFT_VAR_* only. */
function environmentSecrets(s: SecretsContext): TaskSecretAccess {
  return {
    connection: async (connId) => {
      const found = (await readConnections(null, s, [connId])).get(connId);
      if (found === undefined) throw new UpdraftError('CONNECTION_NOT_FOUND', `connection '${connId}' is not defined (a task run here reads ${connEnvName(connId)} only)`);
      const { source: _source, ...connection } = found;
      return { connection, mask: connectionMaskValues(connection, s.sensitiveNames) };
    },
    variable: async (key) => {
      const found = (await readVariables(null, s, [key])).get(key);
      if (found === undefined) throw new UpdraftError('VARIABLE_NOT_FOUND', `variable '${key}' is not defined (a task run here reads ${varEnvName(key)} only)`);
      return { value: found.value, mask: variableMaskValues(key, found.value, s.sensitiveNames) };
    },
  };
}

/**
 * A mapped task here: one instance per element of its array (a literal, or what its source
 * returned; per combination of a cross product), run one after another; skipped for an empty
 * array, upstream_failed when a source gave no array or there are more than core.max_map_length,
 * failed when an instance failed.
 */
async function runMappedHere(o: LocalRunOptions & { logicalDate: Date; runId: string }, task: SerializedTask, xcom: LocalXCom): Promise<LocalTaskEnd> {
  const expand = task.expand!;
  const arrays: unknown[][] = [];
  for (const { name, source } of mapSourcesOf(expand)) {
    const json = 'literal' in source ? JSON.stringify(source.literal) : xcom.get(source.taskId, RETURN_VALUE_KEY, null);
    const value: unknown = json === null ? null : JSON.parse(json);
    if (!Array.isArray(value)) {
      const from = 'taskId' in source ? source.taskId : '';
      o.output(task.taskId, `cannot expand '${task.taskId}'${name === undefined ? '' : ` over '${name}'`}: task '${from}' returned ${value === null ? 'no value' : `a ${typeof value}`}, not an array`);
      return { taskId: task.taskId, state: 'upstream_failed' };
    }
    arrays.push(value);
  }
  const length = productLength(arrays.map((a) => a.length));
  const max = o.maxMapLength ?? 1024;
  if (length > max) {
    o.output(task.taskId, overMaxMapLength(task.taskId, expand, length, max));
    return { taskId: task.taskId, state: 'upstream_failed' };
  }
  const items = Array.from({ length }, (_, i) => mappedElement(expand, arrays, i));
  if (items.length === 0) return { taskId: task.taskId, state: 'skipped' };
  let failed: LocalRunResult | undefined;
  let last: LocalRunResult | undefined;
  for (let i = 0; i < items.length; i++) {
    last = await runTaskHere({ ...o, taskId: task.taskId, xcom, mapIndex: i, itemJson: JSON.stringify(items[i] ?? null) });
    if (last.outcome === 'failed') failed ??= last;
  }
  xcom.markMapped(task.taskId, items.length);
  return { taskId: task.taskId, state: failed === undefined ? 'success' : 'failed', result: failed ?? last };
}

export interface LocalTaskEnd {
  taskId: string;
  state: TaskInstanceState;
  /** Absent for tasks that never ran (skipped, upstream_failed). */
  result?: LocalRunResult;
}

export interface LocalDagRunResult {
  state: 'success' | 'failed';
  runId: string;
  logicalDate: Date;
  /** Every task in the order it ended. */
  tasks: LocalTaskEnd[];
}

/**
 * One whole run of the DAG here: tasks run one at a time in dependency order, each once (no
 * retries); a task whose upstreams failed ends upstream_failed (or skipped) as the trigger rules
 * say, without running. The run fails when a leaf task (one without downstream tasks) failed or was
 * upstream_failed, as in the scheduler (Airflow's rule), or when a task was left waiting.
 */
export async function runDagHere(o: LocalRunOptions & { onTaskStart?: (taskId: string) => void; onTaskEnd?: (end: LocalTaskEnd) => void }): Promise<LocalDagRunResult> {
  const logicalDate = o.logicalDate ?? new Date();
  const runId = o.runId ?? runIdFor('manual', logicalDate);
  const tasks = new Map(o.dag.tasks.map((t) => [t.taskId, t]));
  const states = new Map<string, TaskInstanceState>(o.dag.tasks.map((t) => [t.taskId, 'none']));
  const ended: LocalTaskEnd[] = [];
  const end = (e: LocalTaskEnd): void => {
    states.set(e.taskId, e.state);
    ended.push(e);
    o.onTaskEnd?.(e);
  };
  const xcom = new LocalXCom();
  for (;;) {
    const waiting = [...states].filter(([, s]) => s === 'none').map(([id]) => id);
    const plan = planReadiness({ tasks, states, candidates: waiting, complete: true });
    for (const taskId of plan.skip) end({ taskId, state: 'skipped' });
    for (const taskId of plan.upstreamFailed) end({ taskId, state: 'upstream_failed' });
    // The DAG's tasks are in topological order: take the first ready one, then plan again.
    const next = o.dag.tasks.find((t) => plan.queue.includes(t.taskId));
    if (next === undefined) break;
    o.onTaskStart?.(next.taskId);
    if (next.expand !== undefined) {
      end(await runMappedHere({ ...o, logicalDate, runId }, next, xcom));
      continue;
    }
    const result = await runTaskHere({ ...o, logicalDate, runId, taskId: next.taskId, xcom });
    if (result.outcome === 'success' && next.control !== undefined) {
      // A branch or short-circuit decides what is skipped, as the scheduler does.
      const decision = controlDecision(next, tasks, result.returnValueJson === '' ? null : result.returnValueJson, o.dag.taskGroups);
      if ('error' in decision) {
        end({ taskId: next.taskId, state: 'failed', result: { ...result, outcome: 'failed', error: decision.error } });
        continue;
      }
      end({ taskId: next.taskId, state: 'success', result });
      for (const taskId of decision.skip) if (states.get(taskId) === 'none') end({ taskId, state: 'skipped' });
      continue;
    }
    // 'reschedule' is only left by a sensor without settings (never, from d.sensor): not done.
    end({ taskId: next.taskId, state: result.outcome === 'reschedule' ? 'failed' : result.outcome, result });
  }
  // A task left waiting means the run could not finish; otherwise the leaves decide, as the scheduler does.
  const stuck = [...states.values()].some((s) => s === 'none');
  const state = stuck ? 'failed' : finishedRunState(leafTaskIds(o.dag.tasks).map((t) => states.get(t) ?? 'none'));
  return { state, runId, logicalDate, tasks: ended };
}
