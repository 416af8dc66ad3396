/**
 * A claimed attempt: the ClaimTaskResponse (protocol) read back into core's RunnableTask, the
 * executor's ExecutionSpec made from a TaskSpec (claimed, or built locally for `tasks test`), and
 * a GetConnection answer as core's Connection.
 */
import { proto, UpdraftError, type Connection, type RunnableTask, type TaskMessage, type TaskSpec } from '@updraft/core';
import type { TaskKind } from '@updraft/sdk';
import type { ExecutionSpec } from './executor/types.js';

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

/** The task a claim answered for `message`. */
export function runnableTaskOfClaim(message: TaskMessage, claim: proto.ClaimTaskResponse): RunnableTask {
  const s = claim.spec;
  if (!s) throw new UpdraftError('INVALID_ARGUMENT', 'ClaimTaskResponse.spec is missing');
  const c = claim.context ?? proto.TaskContext.fromPartial({});
  const { key } = message;
  return {
    spec: {
      kind: taskKindOf(s.kind),
      bashCommand: s.bashCommand,
      env: s.env,
      dagFile: { fileloc: s.dagFile?.fileloc ?? '', fileHash: s.dagFile?.fileHash ?? '', bundleVersion: s.dagFile?.bundleVersion ?? '' },
      executionTimeoutMs: Number(s.executionTimeoutMs) || 0,
      umask: s.umask,
      runAsUser: s.runAsUser,
      runAsGroup: s.runAsGroup,
      maxTries: s.maxTries,
      maxXcomSize: Number(s.maxXcomSize) || 0,
    },
    context: {
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
      tsNodash: c.tsNodash,
      prevDataIntervalStartSuccess: c.prevDataIntervalStartSuccess,
      prevDataIntervalEndSuccess: c.prevDataIntervalEndSuccess,
      prevStartDateSuccess: c.prevStartDateSuccess,
      itemJson: c.itemJson,
      ...(c.triggeringAssetEventsJson ? { triggeringAssetEventsJson: c.triggeringAssetEventsJson } : {}),
      conf: parseObject(c.confJson, 'conf_json'),
      params: parseObject(c.paramsJson, 'params_json'),
      timezone: c.timezone,
    },
    mask: claim.mask,
  };
}

/** The spec to execute; `dagFilePath` is the DAG file to import for function tasks. */
export function executionSpecOf(spec: TaskSpec, queueOverride: QueueOverride | undefined, dagFilePath?: string): ExecutionSpec {
  return {
    kind: spec.kind,
    bashCommand: spec.bashCommand,
    env: spec.env,
    executionTimeoutMs: spec.executionTimeoutMs,
    umask: spec.umask || queueOverride?.umask || undefined,
    runAsUser: spec.runAsUser || queueOverride?.runAsUser || undefined,
    runAsGroup: spec.runAsGroup || queueOverride?.runAsGroup || undefined,
    dagFilePath,
    maxXcomSize: spec.maxXcomSize,
  };
}

/** A connection from GetConnectionResponse (unset optional fields are null). */
export function connectionOfProto(c: proto.Connection | undefined): Connection {
  if (!c) throw new UpdraftError('INVALID_ARGUMENT', 'GetConnectionResponse.connection is missing');
  const opt = <T>(v: T | undefined): T | null => (v === undefined ? null : v);
  return {
    connId: c.connId, connType: c.connType, description: opt(c.description), host: opt(c.host), schema: opt(c.schema),
    login: opt(c.login), password: opt(c.password), port: opt(c.port), extra: opt(c.extra),
  };
}
