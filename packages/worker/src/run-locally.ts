/**
 * Run one task here, without scheduler, queue or database (`updraft tasks test`): the same
 * executor the worker uses, so the task runs exactly as on a worker (umask, user, clean env,
 * timeout, log file), and its log lines are printed as they come.
 */
import { resolve } from 'node:path';
import {
  formatDs,
  renderTaskTemplate,
  taskTemplateValues,
  UpdraftError,
  type SerializedDag,
} from '@updraft/core';
import { TaskExecutor } from './executor/executor.js';
import { RunnerPool } from './executor/runner-pool.js';
import type { ExecutionResult, ExecutionSpec, TaskRunContext } from './executor/types.js';
import { assertCanSwitchTo, parseUmask, resolveIdentity } from './identity.js';
import { resolveLogFile, taskLogRelativePath } from './logs.js';

export interface LocalTask {
  spec: ExecutionSpec;
  context: TaskRunContext;
}

export interface PrepareLocalTaskOptions {
  dag: SerializedDag;
  taskId: string;
  /** Absolute path of the DAG file. Default: `<dagsFolder>/<dag.fileloc>`. */
  dagFilePath?: string;
  /** Default './dags'. */
  dagsFolder?: string;
  /** Default: now. */
  logicalDate?: Date;
  /** Default: the logical date (start) and the logical date (end). */
  dataIntervalStart?: Date;
  dataIntervalEnd?: Date;
  /** Default `manual__<logical date>`. */
  runId?: string;
  conf?: Record<string, unknown>;
  /** Default 1. */
  tryNumber?: number;
}

/** A serialized task as the executor's spec and context, templates rendered as the scheduler would. */
export function prepareLocalTask(o: PrepareLocalTaskOptions): LocalTask {
  const task = o.dag.tasks.find((t) => t.taskId === o.taskId);
  if (!task) {
    throw new UpdraftError('TASK_NOT_FOUND', `DAG '${o.dag.dagId}' has no task '${o.taskId}' (tasks: ${o.dag.tasks.map((t) => t.taskId).join(', ')})`);
  }
  const logicalDate = o.logicalDate ?? new Date();
  const dataIntervalStart = o.dataIntervalStart ?? logicalDate;
  const dataIntervalEnd = o.dataIntervalEnd ?? logicalDate;
  const runId = o.runId ?? `manual__${logicalDate.toISOString()}`;
  const conf = o.conf ?? {};
  const tryNumber = o.tryNumber ?? 1;
  const params = { ...o.dag.params, ...conf };
  const values = taskTemplateValues({
    dagId: o.dag.dagId, taskId: task.taskId, runId, logicalDate, dataIntervalStart, dataIntervalEnd,
    timezone: o.dag.timezone, tryNumber, params, conf,
  });
  const where = `dag '${o.dag.dagId}' task '${task.taskId}'`;
  const env = Object.fromEntries(
    Object.entries(task.env ?? {}).map(([k, v]) => [k, renderTaskTemplate(v, values, `${where} env ${k}`)]),
  );
  const ds = formatDs(logicalDate, o.dag.timezone);
  return {
    spec: {
      kind: task.kind,
      bashCommand: task.bashCommand === undefined ? undefined : renderTaskTemplate(task.bashCommand, values, `${where} command`),
      env,
      executionTimeoutMs: task.executionTimeoutMs ?? 0,
      umask: task.umask ?? undefined,
      runAsUser: task.runAsUser ?? undefined,
      runAsGroup: task.runAsGroup ?? undefined,
      dagFilePath: task.kind === 'function' ? (o.dagFilePath ?? resolve(o.dagsFolder ?? './dags', o.dag.fileloc)) : undefined,
    },
    context: {
      dagId: o.dag.dagId,
      taskId: task.taskId,
      runId,
      mapIndex: -1,
      tryNumber,
      logicalDate: logicalDate.toISOString(),
      dataIntervalStart: dataIntervalStart.toISOString(),
      dataIntervalEnd: dataIntervalEnd.toISOString(),
      ds,
      dsNodash: ds.replaceAll('-', ''),
      ts: logicalDate.toISOString(),
      conf,
      params,
      timezone: o.dag.timezone,
    },
  };
}

export interface RunTaskLocallyOptions extends LocalTask {
  /** Root of task logs. Default './logs'. */
  logFolder?: string;
  /** Log file; default the per-try path below logFolder. */
  logFile?: string;
  /** Defaults of the task process, as `worker.umask` / `run_as_user` / `run_as_group`. Default 0022 / own user. */
  umask?: string;
  runAsUser?: string | number;
  runAsGroup?: string | number;
  /** Receives every log line as it is written. Default: printed on stdout. */
  output?: (line: string) => void;
  /**
   * Runner processes to use (e.g. one pool for every task of `updraft dags test`, so tasks of one
   * DAG file share a warm runner); the caller closes it. Default: a pool for this one task.
   */
  pool?: RunnerPool;
}

export interface LocalRunResult extends ExecutionResult {
  logFile: string;
}

export async function runTaskLocally(o: RunTaskLocallyOptions): Promise<LocalRunResult> {
  const identity = resolveIdentity({ runAsUser: o.runAsUser, runAsGroup: o.runAsGroup });
  assertCanSwitchTo(identity);
  const logFile = o.logFile
    ? resolve(o.logFile)
    : resolveLogFile(o.logFolder ?? './logs', taskLogRelativePath({ ...o.context }, o.context.tryNumber));
  const pool = o.pool ?? new RunnerPool({ spares: 0, maxIdle: 0 });
  try {
    const executor = new TaskExecutor({ pool, identity, umask: parseUmask(o.umask ?? '0022'), workerName: 'local' });
    const output = o.output ?? ((line: string) => process.stdout.write(`${line}\n`));
    const result = await executor.start({ spec: o.spec, context: o.context, logFile, onLine: output }).result;
    await executor.close();
    return { ...result, logFile };
  } finally {
    if (!o.pool) await pool.close();
  }
}
