/**
 * Translation of a ClaimTaskResponse (protocol) into the executor's ExecutionSpec / TaskRunContext.
 */
import { proto, UpdraftError, type TaskKind, type TaskMessage } from '@updraft/core';
import type { ExecutionSpec, TaskRunContext } from './executor/types.js';

/** Per-queue defaults of umask and run-as user/group (a task's own setting wins). */
export interface QueueOverride {
  umask?: string;
  runAsUser?: string;
  runAsGroup?: string;
}

export function taskKindOf(kind: proto.TaskKind): TaskKind {
  switch (kind) {
    case proto.TaskKind.TASK_KIND_BASH:
      return 'bash';
    case proto.TaskKind.TASK_KIND_FUNCTION:
      return 'function';
    case proto.TaskKind.TASK_KIND_EMPTY:
      return 'empty';
    default:
      throw new UpdraftError('INVALID_ARGUMENT', `ClaimTaskResponse.spec.kind: unknown task kind ${kind}`);
  }
}

function parseObject(json: string, field: string): Record<string, unknown> {
  if (json.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw new UpdraftError('INVALID_ARGUMENT', `ClaimTaskResponse.context.${field} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UpdraftError('INVALID_ARGUMENT', `ClaimTaskResponse.context.${field} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

export function runContextFromClaim(message: TaskMessage, claim: proto.ClaimTaskResponse): TaskRunContext {
  const key = message.key!;
  const c = claim.context ?? proto.TaskContext.fromPartial({});
  return {
    dagId: key.dagId,
    taskId: key.taskId,
    runId: key.runId,
    mapIndex: key.mapIndex,
    tryNumber: message.tryNumber,
    logicalDate: c.logicalDate,
    dataIntervalStart: c.dataIntervalStart,
    dataIntervalEnd: c.dataIntervalEnd,
    ds: c.ds,
    dsNodash: c.dsNodash,
    ts: c.ts,
    conf: parseObject(c.confJson, 'conf_json'),
    params: parseObject(c.paramsJson, 'params_json'),
    timezone: c.timezone,
  };
}

/** The spec to execute; `dagFilePath` is the cached DAG file for function tasks. */
export function executionSpecFromClaim(
  claim: proto.ClaimTaskResponse,
  queueOverride: QueueOverride | undefined,
  dagFilePath?: string,
): ExecutionSpec {
  const s = claim.spec;
  if (!s) throw new UpdraftError('INVALID_ARGUMENT', 'ClaimTaskResponse.spec is missing');
  return {
    kind: taskKindOf(s.kind),
    bashCommand: s.bashCommand,
    env: s.env,
    executionTimeoutMs: Number(s.executionTimeoutMs) || 0,
    umask: s.umask || queueOverride?.umask || undefined,
    runAsUser: s.runAsUser || queueOverride?.runAsUser || undefined,
    runAsGroup: s.runAsGroup || queueOverride?.runAsGroup || undefined,
    dagFilePath,
  };
}
