/**
 * Run one task here, without scheduler, queue or database (`updraft tasks test`): the same
 * executor the worker uses, so the task runs exactly as on a worker (umask, user, clean env,
 * timeout, log file), and its log lines are printed as they come.
 */
import { resolve } from 'node:path';
import { buildRunnableTask, taskLogRelativePath, type RunnableTask, type TemplateSecrets } from '@updraft/core';
import type { SerializedDag } from '@updraft/sdk';
import { executionSpecOf } from './claim-spec.js';
import { TaskExecutor } from './executor/executor.js';
import { RunnerPool } from './executor/runner-pool.js';
import { SecretsMasker } from './executor/secrets-masker.js';
import type { ExecutionResult, ExecutionSpec, TaskRunContext, TaskSecretAccess, TaskXComAccess } from './executor/types.js';
import { assertCanSwitchTo, parseUmask, resolveIdentity } from './identity.js';
import { resolveLogFile } from './logs.js';

export interface LocalTask {
  spec: ExecutionSpec;
  context: TaskRunContext;
  /** Secret values the templates rendered (masked in the log). */
  mask: string[];
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
  /** `conn.*` / `var.*` for the templates (core's resolveTemplateSecrets). Default: none. */
  secrets?: TemplateSecrets;
  /** The XCom values the templates read (by xcomRefText). Default: none. */
  xcom?: ReadonlyMap<string, string | null>;
  /** A mapped instance: its index and element (JSON text). Default: unmapped. */
  mapIndex?: number;
  itemJson?: string | null;
}

/** A serialized task as the executor's spec and context, built as the scheduler builds a claimed one. */
export function prepareLocalTask(o: PrepareLocalTaskOptions): LocalTask {
  const logicalDate = o.logicalDate ?? new Date();
  const task: RunnableTask = buildRunnableTask({
    dag: o.dag,
    taskId: o.taskId,
    run: {
      runId: o.runId ?? `manual__${logicalDate.toISOString()}`,
      logicalDate,
      dataIntervalStart: o.dataIntervalStart ?? logicalDate,
      dataIntervalEnd: o.dataIntervalEnd ?? logicalDate,
      conf: o.conf ?? {},
    },
    tryNumber: o.tryNumber ?? 1,
    maxTries: 1,
    secrets: o.secrets,
    xcom: o.xcom,
    mapIndex: o.mapIndex,
    itemJson: o.itemJson,
  });
  const dagFilePath = task.spec.kind === 'function' ? (o.dagFilePath ?? resolve(o.dagsFolder ?? './dags', o.dag.fileloc)) : undefined;
  return { spec: executionSpecOf(task.spec, undefined, dagFilePath), context: task.context, mask: task.mask };
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
  /** What ctx.connection() / ctx.variable() read. Default: nothing (they fail with a clear error). */
  secrets?: TaskSecretAccess;
  /** What ctx.xcom reads and writes. Default: nothing (it fails with a clear error). */
  xcom?: TaskXComAccess;
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
    const masker = new SecretsMasker();
    masker.add(o.mask);
    const result = await executor.start({ spec: o.spec, context: o.context, logFile, onLine: output, masker, secrets: o.secrets, xcom: o.xcom }).result;
    await executor.close();
    return { ...result, logFile };
  } finally {
    if (!o.pool) await pool.close();
  }
}
