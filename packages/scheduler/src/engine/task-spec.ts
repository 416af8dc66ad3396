/**
 * What a worker receives for a claimed attempt: the task spec with templates rendered against the
 * run (bash command and env values), the run's context, and the try's log path.
 */
import { proto, renderTaskTemplate, taskTemplateValues, UpdraftError, type SerializedTask, type TaskKind } from '@updraft/core';
import type { CompiledDag } from './dag-cache.js';
import type { RunContext } from './run-cache.js';

const KINDS: Record<TaskKind, proto.TaskKind> = {
  bash: proto.TaskKind.TASK_KIND_BASH,
  function: proto.TaskKind.TASK_KIND_FUNCTION,
  empty: proto.TaskKind.TASK_KIND_EMPTY,
};

/** Throws UpdraftError('INVALID_ARGUMENT') naming the task and template when rendering fails. */
export function buildClaimResponse(
  run: RunContext, compiled: CompiledDag, task: SerializedTask, attempt: { tryNumber: number; maxTries: number; logPath: string },
): proto.ClaimTaskResponse {
  const { dag } = compiled;
  const params = { ...dag.params, ...run.conf };
  const values = taskTemplateValues({
    dagId: dag.dagId, taskId: task.taskId, runId: run.runId, logicalDate: run.logicalDate,
    dataIntervalStart: run.dataIntervalStart, dataIntervalEnd: run.dataIntervalEnd, timezone: dag.timezone,
    tryNumber: attempt.tryNumber, params, conf: run.conf,
  });
  const where = `DAG '${dag.dagId}' task '${task.taskId}'`;
  let bashCommand = '';
  if (task.kind === 'bash') {
    if (typeof task.bashCommand !== 'string' || task.bashCommand.trim() === '') {
      throw new UpdraftError('INVALID_ARGUMENT', `${where}: bash task without a command`);
    }
    bashCommand = renderTaskTemplate(task.bashCommand, values, `${where} bash_command`);
  }
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(task.env ?? {})) env[name] = renderTaskTemplate(value, values, `${where} env ${name}`);
  return {
    spec: {
      kind: KINDS[task.kind] ?? proto.TaskKind.TASK_KIND_UNSPECIFIED,
      bashCommand,
      env,
      dagFile: { fileloc: dag.fileloc, fileHash: dag.fileHash },
      executionTimeoutMs: task.executionTimeoutMs ?? 0,
      umask: task.umask ?? '',
      runAsUser: task.runAsUser ?? '',
      runAsGroup: task.runAsGroup ?? '',
      maxTries: attempt.maxTries,
    },
    context: {
      logicalDate: run.logicalDate.toISOString(),
      dataIntervalStart: run.dataIntervalStart.toISOString(),
      dataIntervalEnd: run.dataIntervalEnd.toISOString(),
      ds: String(values.ds),
      dsNodash: String(values.ds_nodash),
      ts: String(values.ts),
      runId: run.runId,
      confJson: JSON.stringify(run.conf),
      paramsJson: JSON.stringify(params),
      timezone: dag.timezone,
    },
    logPath: attempt.logPath,
  };
}
