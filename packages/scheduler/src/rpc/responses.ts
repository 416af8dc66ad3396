/** WorkerService answers out: the engine's types converted into protocol messages. */
import { proto, type AttemptRef } from '@updraft/core';
import type { TaskKind } from '@updraft/sdk';
import type { ClaimedTask, ConnectionAnswer, HeartbeatAnswer, ReportAnswer } from '../worker-facing.js';

const KINDS: Record<TaskKind, proto.TaskKind> = {
  bash: proto.TaskKind.TASK_KIND_BASH,
  function: proto.TaskKind.TASK_KIND_FUNCTION,
  empty: proto.TaskKind.TASK_KIND_EMPTY,
};

const keyOf = (a: AttemptRef): proto.TaskInstanceKey => ({ dagId: a.dagId, runId: a.runId, taskId: a.taskId, mapIndex: a.mapIndex });

export function claimResponseOf(t: ClaimedTask): proto.ClaimTaskResponse {
  const { spec, context } = t;
  return {
    spec: {
      kind: KINDS[spec.kind] ?? proto.TaskKind.TASK_KIND_UNSPECIFIED,
      bashCommand: spec.bashCommand,
      env: spec.env,
      dagFile: { fileloc: spec.dagFile.fileloc, fileHash: spec.dagFile.fileHash, bundleVersion: spec.dagFile.bundleVersion ?? '' },
      executionTimeoutMs: spec.executionTimeoutMs,
      umask: spec.umask,
      runAsUser: spec.runAsUser,
      runAsGroup: spec.runAsGroup,
      maxTries: spec.maxTries,
      maxXcomSize: spec.maxXcomSize,
    },
    context: {
      logicalDate: context.logicalDate,
      dataIntervalStart: context.dataIntervalStart,
      dataIntervalEnd: context.dataIntervalEnd,
      ds: context.ds,
      dsNodash: context.dsNodash,
      ts: context.ts,
      runId: context.runId,
      confJson: JSON.stringify(context.conf),
      paramsJson: JSON.stringify(context.params),
      timezone: context.timezone,
      tsNodash: context.tsNodash,
      prevDataIntervalStartSuccess: context.prevDataIntervalStartSuccess,
      prevDataIntervalEndSuccess: context.prevDataIntervalEndSuccess,
      prevStartDateSuccess: context.prevStartDateSuccess,
      itemJson: context.itemJson,
      triggeringAssetEventsJson: context.triggeringAssetEventsJson ?? '',
    },
    logPath: t.logPath,
    mask: t.mask,
  };
}

export function reportResponseOf(a: ReportAnswer): proto.ReportTaskResultResponse {
  return {
    state: a.state,
    handoff: a.handoff === null ? undefined : { message: a.handoff.message, claim: claimResponseOf(a.handoff.claim) },
  };
}

/** Null fields of the connection are left unset (proto3 optional). */
export function connectionResponseOf(a: ConnectionAnswer): proto.GetConnectionResponse {
  const c = a.connection;
  const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);
  return {
    connection: {
      connId: c.connId, connType: c.connType, description: opt(c.description), host: opt(c.host), schema: opt(c.schema),
      login: opt(c.login), password: opt(c.password), port: opt(c.port), extra: opt(c.extra),
    },
    mask: a.mask,
  };
}

/** The kill list names the attempts as the request listed them (with their pids). */
export function heartbeatResponseOf(req: proto.HeartbeatRequest, answer: HeartbeatAnswer): proto.HeartbeatResponse {
  const byToken = new Map(req.running.map((a) => [a.attemptToken.toLowerCase(), a]));
  return {
    kill: answer.kill.map((a) => byToken.get(a.attemptToken.toLowerCase()) ?? { key: keyOf(a), tryNumber: a.tryNumber, attemptToken: a.attemptToken, pid: 0 }),
    drain: answer.drain,
    concurrency: answer.concurrency ?? 0,
    queues: answer.queues ?? [],
    pause: answer.pause ?? false,
    controls: answer.controls ?? [],
    killReasons: answer.killReasons ?? [],
  };
}
