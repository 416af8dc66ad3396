/**
 * Request validation for the WorkerService. proto3 has no required fields, so a missing field
 * arrives as its default ("" / 0 / undefined); each check names the field as the .proto spells it.
 */
import { UpdraftError, assertQueueName, proto } from '@updraft/core';

function invalid(method: string, message: string): never {
  throw new UpdraftError('INVALID_ARGUMENT', `${method}: ${message}`);
}

function requireString(method: string, field: string, value: string | undefined): void {
  if (typeof value !== 'string' || value.trim() === '') invalid(method, `${field} is required`);
}

function requireInt(method: string, field: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) invalid(method, `${field} must be an integer >= ${min}, got ${value}`);
}

function requireKey(method: string, prefix: string, key: proto.TaskInstanceKey | undefined): void {
  if (!key) invalid(method, `${prefix}key is required`);
  requireString(method, `${prefix}key.dag_id`, key.dagId);
  requireString(method, `${prefix}key.run_id`, key.runId);
  requireString(method, `${prefix}key.task_id`, key.taskId);
  requireInt(method, `${prefix}key.map_index`, key.mapIndex, -1);
}

function requireAttempt(
  method: string,
  prefix: string,
  a: { key?: proto.TaskInstanceKey | undefined; tryNumber: number; attemptToken: string },
): void {
  requireKey(method, prefix, a.key);
  requireInt(method, `${prefix}try_number`, a.tryNumber, 1);
  requireString(method, `${prefix}attempt_token`, a.attemptToken);
}

export function validateRegisterWorker(r: proto.RegisterWorkerRequest): void {
  const m = 'RegisterWorker';
  requireString(m, 'worker_name', r.workerName);
  requireString(m, 'hostname', r.hostname);
  if (r.queues.length === 0) invalid(m, 'queues must name at least one queue');
  r.queues.forEach((q, i) => {
    try {
      assertQueueName(q, `queues[${i}]`);
    } catch (err) {
      invalid(m, (err as Error).message);
    }
  });
  requireInt(m, 'concurrency', r.concurrency, 1);
  if (r.umask !== '' && !/^0?[0-7]{3}$/.test(r.umask)) invalid(m, `umask must be an octal string like "0022", got ${JSON.stringify(r.umask)}`);
}

export function validateHeartbeat(r: proto.HeartbeatRequest): void {
  const m = 'Heartbeat';
  requireString(m, 'worker_id', r.workerId);
  requireInt(m, 'free_slots', r.freeSlots, 0);
  r.running.forEach((a, i) => requireAttempt(m, `running[${i}].`, a));
}

export function validateClaimTask(r: proto.ClaimTaskRequest): void {
  const m = 'ClaimTask';
  requireString(m, 'worker_id', r.workerId);
  requireAttempt(m, '', r);
}

export function validateReportTaskResult(r: proto.ReportTaskResultRequest): void {
  const m = 'ReportTaskResult';
  requireString(m, 'worker_id', r.workerId);
  requireAttempt(m, '', r);
  if (r.outcome !== proto.TaskOutcome.TASK_OUTCOME_SUCCESS && r.outcome !== proto.TaskOutcome.TASK_OUTCOME_FAILED) {
    invalid(m, `outcome must be TASK_OUTCOME_SUCCESS or TASK_OUTCOME_FAILED, got ${r.outcome}`);
  }
  if (!Number.isFinite(r.durationMs) || r.durationMs < 0) invalid(m, `duration_ms must be >= 0, got ${r.durationMs}`);
  if (r.returnValueJson !== '') {
    try {
      JSON.parse(r.returnValueJson);
    } catch (err) {
      invalid(m, `return_value_json is not valid JSON: ${(err as Error).message}`);
    }
  }
}

export function validateDeregisterWorker(r: proto.DeregisterWorkerRequest): void {
  requireString('DeregisterWorker', 'worker_id', r.workerId);
}

export function validateFetchDagFile(r: proto.FetchDagFileRequest): void {
  requireString('FetchDagFile', 'file_hash', r.fileHash);
}
