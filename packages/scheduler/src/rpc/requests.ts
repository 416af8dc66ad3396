/**
 * WorkerService requests in: each is validated once and converted into the engine's own types
 * (worker-facing.ts). proto3 has no required fields, so a missing field arrives as its default
 * ("" / 0 / undefined); each check names the field as the .proto spells it.
 */
import { UpdraftError, assertQueueName, messageOf, proto, type AttemptRef, type TaskInstanceKey } from '@updraft/core';
import type { ClaimRequest, ResultReport, WorkerHeartbeat, WorkerRegistration } from '../worker-facing.js';

function invalid(method: string, message: string): never {
  throw new UpdraftError('INVALID_ARGUMENT', `${method}: ${message}`);
}

function requireString(method: string, field: string, value: string | undefined): string {
  if (typeof value !== 'string' || value.trim() === '') invalid(method, `${field} is required`);
  return value;
}

function requireInt(method: string, field: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) invalid(method, `${field} must be an integer >= ${min}, got ${value}`);
  return value;
}

function keyOf(method: string, prefix: string, key: proto.TaskInstanceKey | undefined): TaskInstanceKey {
  if (!key) invalid(method, `${prefix}key is required`);
  return {
    dagId: requireString(method, `${prefix}key.dag_id`, key.dagId),
    runId: requireString(method, `${prefix}key.run_id`, key.runId),
    taskId: requireString(method, `${prefix}key.task_id`, key.taskId),
    mapIndex: requireInt(method, `${prefix}key.map_index`, key.mapIndex, -1),
  };
}

function attemptOf(
  method: string,
  prefix: string,
  a: { key?: proto.TaskInstanceKey | undefined; tryNumber: number; attemptToken: string },
): AttemptRef {
  return {
    ...keyOf(method, prefix, a.key),
    tryNumber: requireInt(method, `${prefix}try_number`, a.tryNumber, 1),
    attemptToken: requireString(method, `${prefix}attempt_token`, a.attemptToken),
  };
}

export function registrationOf(r: proto.RegisterWorkerRequest): WorkerRegistration {
  const m = 'RegisterWorker';
  if (r.queues.length === 0) invalid(m, 'queues must name at least one queue');
  r.queues.forEach((q, i) => {
    try {
      assertQueueName(q, `queues[${i}]`);
    } catch (err) {
      invalid(m, messageOf(err));
    }
  });
  if (r.umask !== '' && !/^0?[0-7]{3}$/.test(r.umask)) invalid(m, `umask must be an octal string like "0022", got ${JSON.stringify(r.umask)}`);
  return {
    workerName: requireString(m, 'worker_name', r.workerName),
    hostname: requireString(m, 'hostname', r.hostname),
    queues: r.queues,
    concurrency: requireInt(m, 'concurrency', r.concurrency, 1),
    version: r.version,
    umask: r.umask,
    uid: r.uid,
    gid: r.gid,
    pid: r.pid,
  };
}

export function heartbeatOf(r: proto.HeartbeatRequest): WorkerHeartbeat {
  const m = 'Heartbeat';
  return {
    workerId: requireString(m, 'worker_id', r.workerId),
    running: r.running.map((a, i) => ({ ...attemptOf(m, `running[${i}].`, a), pid: a.pid })),
    freeSlots: requireInt(m, 'free_slots', r.freeSlots, 0),
    load1: r.load1,
    load5: r.load5,
    load15: r.load15,
    processed: r.processed,
  };
}

export function claimOf(r: proto.ClaimTaskRequest): ClaimRequest {
  const m = 'ClaimTask';
  return {
    workerId: requireString(m, 'worker_id', r.workerId),
    attempt: attemptOf(m, '', r),
    hostname: r.hostname,
  };
}

export function reportOf(r: proto.ReportTaskResultRequest): ResultReport {
  const m = 'ReportTaskResult';
  const workerId = requireString(m, 'worker_id', r.workerId);
  const attempt = attemptOf(m, '', r);
  const success = r.outcome === proto.TaskOutcome.TASK_OUTCOME_SUCCESS;
  if (!success && r.outcome !== proto.TaskOutcome.TASK_OUTCOME_FAILED) {
    invalid(m, `outcome must be TASK_OUTCOME_SUCCESS or TASK_OUTCOME_FAILED, got ${r.outcome}`);
  }
  if (!Number.isFinite(r.durationMs) || r.durationMs < 0) invalid(m, `duration_ms must be >= 0, got ${r.durationMs}`);
  const returnValueJson = success && r.returnValueJson !== '' ? r.returnValueJson : null;
  if (returnValueJson !== null) {
    try {
      JSON.parse(returnValueJson);
    } catch (err) {
      invalid(m, `return_value_json is not valid JSON: ${messageOf(err)}`);
    }
  }
  const error = r.timedOut ? `execution timeout exceeded${r.error ? `: ${r.error}` : ''}` : r.error || null;
  return {
    workerId,
    attempt,
    timedOut: r.timedOut,
    outcome: { success, exitCode: r.exitCode, error: success ? null : error, durationMs: r.durationMs, returnValueJson },
  };
}

export function workerIdOf(r: proto.DeregisterWorkerRequest): string {
  return requireString('DeregisterWorker', 'worker_id', r.workerId);
}

export function fileHashOf(r: proto.FetchDagFileRequest): string {
  return requireString('FetchDagFile', 'file_hash', r.fileHash);
}
