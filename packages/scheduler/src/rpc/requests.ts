/**
 * WorkerService requests in: each is validated once and converted into the engine's own types
 * (worker-facing.ts). proto3 has no required fields, so a missing field arrives as its default
 * ("" / 0 / undefined); each check names the field as the .proto spells it. Ids follow the
 * identifier grammar (docs/identifiers.md) and every field has a size limit (RPC_LIMITS,
 * docs/protocol.md): bad input is INVALID_ARGUMENT before anything reaches the engine or the
 * database, with the value cut short in the message.
 */
import {
  RPC_LIMITS,
  UpdraftError,
  assertIdentifier,
  assertText,
  isUpdraftError,
  jsonHasLoneSurrogate,
  jsonHasNul,
  proto,
  type AttemptRef,
  type attemptsSql,
  type IdentifierKind,
  type TaskInstanceKey,
} from '@updraft/core';
import { aliasNameProblem, assetUriProblem } from '@updraft/sdk';
import type { BundleRequest, ClaimRequest, HandoffOffer, ResultReport, TaskScopedRead, WorkerHeartbeat, WorkerRegistration, XComRead, XComWrite } from '../worker-facing.js';

function invalid(method: string, message: string): never {
  throw new UpdraftError('INVALID_ARGUMENT', `${method}: ${message}`);
}

/** Runs a check of core (assertIdentifier, assertText) with the method named in its refusal. */
function check<T>(method: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (isUpdraftError(err, 'INVALID_ARGUMENT')) invalid(method, err.message);
    throw err;
  }
}

function requireString(method: string, field: string, value: string | undefined): string {
  if (typeof value !== 'string' || value.trim() === '') invalid(method, `${field} is required`);
  return check(method, () => assertText(value, field, { maxLength: RPC_LIMITS.opaqueIdLength }));
}

function identifier(method: string, kind: IdentifierKind, field: string, value: string | undefined): string {
  if (typeof value !== 'string' || value === '') invalid(method, `${field} is required`);
  return check(method, () => assertIdentifier(kind, value, field));
}

function text(method: string, field: string, value: string, maxLength: number, singleLine = false): string {
  return check(method, () => assertText(value, field, { maxLength, allowEmpty: true, singleLine }));
}

function requireInt(method: string, field: string, value: number, min: number, max = 2 ** 31 - 1): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    invalid(method, `${field} must be an integer ${max === 2 ** 31 - 1 ? `>= ${min}` : `from ${min} to ${max}`}, got ${value}`);
  }
  return value;
}

function keyOf(method: string, prefix: string, key: proto.TaskInstanceKey | undefined): TaskInstanceKey {
  if (!key) invalid(method, `${prefix}key is required`);
  return {
    dagId: identifier(method, 'dag id', `${prefix}key.dag_id`, key.dagId),
    runId: identifier(method, 'run id', `${prefix}key.run_id`, key.runId),
    taskId: identifier(method, 'task id', `${prefix}key.task_id`, key.taskId),
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
  if (r.queues.length > RPC_LIMITS.queuesPerWorker) invalid(m, `queues names ${r.queues.length} queues (at most ${RPC_LIMITS.queuesPerWorker})`);
  r.queues.forEach((q, i) => identifier(m, 'queue', `queues[${i}]`, q));
  if (r.umask !== '' && !/^0?[0-7]{3}$/.test(r.umask)) invalid(m, `umask must be an octal string like "0022", got ${JSON.stringify(r.umask.slice(0, 20))}`);
  const hostname = text(m, 'hostname', r.hostname, RPC_LIMITS.hostnameLength, true);
  if (hostname.trim() === '') invalid(m, 'hostname is required');
  return {
    workerName: identifier(m, 'worker name', 'worker_name', r.workerName),
    hostname,
    queues: r.queues,
    concurrency: requireInt(m, 'concurrency', r.concurrency, 1, RPC_LIMITS.maxConcurrency),
    version: text(m, 'version', r.version, RPC_LIMITS.versionLength, true),
    umask: r.umask,
    uid: r.uid,
    gid: r.gid,
    pid: r.pid,
  };
}

export function heartbeatOf(r: proto.HeartbeatRequest): WorkerHeartbeat {
  const m = 'Heartbeat';
  const workerId = requireString(m, 'worker_id', r.workerId);
  if (r.running.length > RPC_LIMITS.runningPerHeartbeat) {
    invalid(m, `running lists ${r.running.length} attempts (at most ${RPC_LIMITS.runningPerHeartbeat})`);
  }
  const finite = (field: string, v: number): number => (Number.isFinite(v) ? v : invalid(m, `${field} must be a finite number, got ${v}`));
  const queues = r.queues ?? [];
  if (queues.length > RPC_LIMITS.queuesPerWorker) invalid(m, `queues names ${queues.length} queues (at most ${RPC_LIMITS.queuesPerWorker})`);
  queues.forEach((q, i) => identifier(m, 'queue', `queues[${i}]`, q));
  const cpuPercent = finite('cpu_percent', r.cpuPercent ?? 0);
  if (cpuPercent < 0) invalid(m, `cpu_percent must not be negative, got ${cpuPercent}`);
  return {
    workerId,
    running: r.running.map((a, i) => ({ ...attemptOf(m, `running[${i}].`, a), pid: a.pid })),
    freeSlots: requireInt(m, 'free_slots', r.freeSlots, 0),
    load1: finite('load1', r.load1),
    load5: finite('load5', r.load5),
    load15: finite('load15', r.load15),
    processed: requireInt(m, 'processed', r.processed, 0, Number.MAX_SAFE_INTEGER),
    concurrency: requireInt(m, 'concurrency', r.concurrency ?? 0, 0, 1_000_000),
    queues,
    cpuPercent,
    rssBytes: requireInt(m, 'rss_bytes', r.rssBytes ?? 0, 0, Number.MAX_SAFE_INTEGER),
    paused: r.paused ?? false,
    acknowledgedControls: controlIds(m, r.acknowledgedControls ?? []),
  };
}

/** Control ids a heartbeat acknowledges: positive integers, at most one heartbeat's worth. */
function controlIds(m: string, ids: number[]): number[] {
  if (ids.length > RPC_LIMITS.controlsPerHeartbeat) invalid(m, `acknowledged_controls lists ${ids.length} ids (at most ${RPC_LIMITS.controlsPerHeartbeat})`);
  ids.forEach((id, i) => requireInt(m, `acknowledged_controls[${i}]`, id, 1, Number.MAX_SAFE_INTEGER));
  return ids;
}

export function claimOf(r: proto.ClaimTaskRequest): ClaimRequest {
  const m = 'ClaimTask';
  return {
    workerId: requireString(m, 'worker_id', r.workerId),
    attempt: attemptOf(m, '', r),
    hostname: text(m, 'hostname', r.hostname, RPC_LIMITS.hostnameLength, true),
  };
}

/**
 * The error of a try killed for its execution timeout, which users read in the UI, callbacks and
 * alerts. The Updraft worker already says why ("execution timeout: the task ran longer than 1s and
 * was killed"), so its words are kept as they are; another worker's text that does not name the
 * timeout gets a prefix that does, so the reason reads once whatever the worker sent.
 */
function timeoutError(workerText: string): string {
  if (/execution[ _-]?timeout/i.test(workerText)) return workerText;
  return workerText === '' ? 'execution timeout exceeded' : `execution timeout exceeded: ${workerText}`;
}

export function reportOf(r: proto.ReportTaskResultRequest): ResultReport {
  const m = 'ReportTaskResult';
  const workerId = requireString(m, 'worker_id', r.workerId);
  const attempt = attemptOf(m, '', r);
  const success = r.outcome === proto.TaskOutcome.TASK_OUTCOME_SUCCESS;
  const kind = r.outcome === proto.TaskOutcome.TASK_OUTCOME_SKIPPED ? 'skipped' as const
    : r.outcome === proto.TaskOutcome.TASK_OUTCOME_RESCHEDULE ? 'reschedule' as const : undefined;
  if (!success && kind === undefined && r.outcome !== proto.TaskOutcome.TASK_OUTCOME_FAILED) {
    invalid(m, `outcome must be TASK_OUTCOME_SUCCESS, TASK_OUTCOME_FAILED, TASK_OUTCOME_SKIPPED or TASK_OUTCOME_RESCHEDULE, got ${r.outcome}`);
  }
  if (!Number.isFinite(r.durationMs) || r.durationMs < 0) invalid(m, `duration_ms must be >= 0, got ${r.durationMs}`);
  const errorText = text(m, 'error', r.error, RPC_LIMITS.errorLength);
  text(m, 'return_value_json', r.returnValueJson, RPC_LIMITS.returnValueJsonLength);
  const returnValueJson = success && r.returnValueJson !== '' ? r.returnValueJson : null;
  if (returnValueJson !== null) {
    try {
      JSON.parse(returnValueJson);
    } catch (err) {
      invalid(m, `return_value_json is not valid JSON: ${(err as Error).message.slice(0, 200)}`);
    }
    // PostgreSQL's jsonb cannot hold the NUL character.
    if (jsonHasNul(returnValueJson)) invalid(m, 'return_value_json contains a NUL character (\\u0000), which cannot be stored');
    if (jsonHasLoneSurrogate(returnValueJson)) invalid(m, 'return_value_json contains an unpaired UTF-16 surrogate (such as \\ud800), which cannot be stored');
  }
  const error = r.timedOut ? timeoutError(errorText) : errorText || null;
  const outletExtras = success ? outletExtrasOf(m, r.outletExtrasJson) : undefined;
  const aliasEvents = success && kind === undefined ? aliasEventsOf(m, r.outletAliasEventsJson) : undefined;
  let handoff: HandoffOffer | undefined;
  if (r.handoff !== undefined) {
    const queues = r.handoff.queues;
    if (queues.length > RPC_LIMITS.queuesPerWorker) invalid(m, `handoff.queues names ${queues.length} queues (at most ${RPC_LIMITS.queuesPerWorker})`);
    queues.forEach((q, i) => identifier(m, 'queue', `handoff.queues[${i}]`, q));
    handoff = { queues, hostname: text(m, 'handoff.hostname', r.handoff.hostname, RPC_LIMITS.hostnameLength, true) };
  }
  return {
    workerId,
    attempt,
    timedOut: r.timedOut,
    ...(handoff === undefined ? {} : { handoff }),
    outcome: {
      success, exitCode: r.exitCode, error: success || kind !== undefined ? null : error, durationMs: r.durationMs, returnValueJson,
      pid: r.pid > 0 ? r.pid : null,
      ...(kind === undefined ? {} : { kind }),
      ...(!success && kind === undefined && r.noRetry ? { noRetry: true } : {}),
      ...(outletExtras === undefined ? {} : { outletExtras }),
      ...(aliasEvents === undefined ? {} : { aliasEvents }),
    },
  };
}

/**
 * Field `field` of a report, JSON text of at most RPC_LIMITS.outletExtrasJsonLength characters
 * that PostgreSQL's jsonb can hold, parsed; undefined when empty.
 */
function storableJson(m: string, field: string, json: string): unknown {
  text(m, field, json, RPC_LIMITS.outletExtrasJsonLength);
  if (json === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    invalid(m, `${field} is not valid JSON: ${(err as Error).message.slice(0, 200)}`);
  }
  if (jsonHasNul(json) || jsonHasLoneSurrogate(json)) invalid(m, `${field} contains a NUL character or an unpaired UTF-16 surrogate, which cannot be stored`);
  return value;
}

/**
 * outlet_alias_events_json: a JSON list of { alias, uri, extra } (extra an object, kept as JSON
 * text); undefined when empty. The names and URIs follow the SDK's rules (assetAlias, asset).
 */
function aliasEventsOf(m: string, json: string): attemptsSql.AliasEvent[] | undefined {
  const field = 'outlet_alias_events_json';
  const value = storableJson(m, field, json);
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) invalid(m, `${field} must be a JSON list of {"alias", "uri", "extra"}`);
  if (value.length > RPC_LIMITS.aliasEventsPerResult) invalid(m, `${field} holds ${value.length} events (at most ${RPC_LIMITS.aliasEventsPerResult})`);
  return value.map((e: unknown, i: number) => {
    const { alias, uri, extra } = (e ?? {}) as { alias?: unknown; uri?: unknown; extra?: unknown };
    const aliasProblem = aliasNameProblem(alias);
    if (aliasProblem !== null) invalid(m, `${field}[${i}].alias: ${aliasProblem}`);
    const uriProblem = assetUriProblem(uri);
    if (uriProblem !== null) invalid(m, `${field}[${i}].uri: ${uriProblem}`);
    if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) invalid(m, `${field}[${i}].extra must be a JSON object`);
    return { alias: alias as string, uri: uri as string, extra: JSON.stringify(extra) };
  });
}

/** outlet_extras_json: a JSON object of asset URI -> object, each kept as JSON text; undefined when empty. */
function outletExtrasOf(m: string, json: string): Record<string, string> | undefined {
  const value = storableJson(m, 'outlet_extras_json', json);
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(m, 'outlet_extras_json must be a JSON object: asset URI -> object');
  const out: Record<string, string> = {};
  for (const [uri, extra] of Object.entries(value as Record<string, unknown>)) {
    if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) invalid(m, `outlet_extras_json: the extra of '${uri.slice(0, 200)}' must be a JSON object`);
    out[uri] = JSON.stringify(extra);
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

export function workerIdOf(r: proto.DeregisterWorkerRequest): string {
  return requireString('DeregisterWorker', 'worker_id', r.workerId);
}

export function fileHashOf(r: proto.FetchDagFileRequest): string {
  return requireString('FetchDagFile', 'file_hash', r.fileHash);
}

const HEX64 = /^[0-9a-f]{64}$/;

export function bundleRequestOf(r: proto.FetchBundleRequest): BundleRequest {
  const version = requireString('FetchBundle', 'version', r.version);
  if (!HEX64.test(version)) throw new UpdraftError('INVALID_ARGUMENT', 'FetchBundle.version must be a sha256 hex digest');
  if (r.fileHashes.length > 10_000) throw new UpdraftError('INVALID_ARGUMENT', 'FetchBundle.file_hashes names more than 10000 files');
  r.fileHashes.forEach((h, i) => {
    if (!HEX64.test(h)) throw new UpdraftError('INVALID_ARGUMENT', `FetchBundle.file_hashes[${i}] is not a sha256 hex digest`);
  });
  return { version, fileHashes: r.fileHashes };
}

export function connectionReadOf(r: proto.GetConnectionRequest): TaskScopedRead {
  const m = 'GetConnection';
  return { workerId: requireString(m, 'worker_id', r.workerId), attempt: attemptOf(m, '', r), name: identifier(m, 'connection id', 'conn_id', r.connId) };
}

export function variableReadOf(r: proto.GetVariableRequest): TaskScopedRead {
  const m = 'GetVariable';
  return { workerId: requireString(m, 'worker_id', r.workerId), attempt: attemptOf(m, '', r), name: identifier(m, 'variable key', 'variable_key', r.variableKey) };
}

function xcomKey(method: string, value: string, required: boolean): string {
  if (value === '' && !required) return 'return_value';
  if (value === '') invalid(method, 'xcom_key is required');
  return text(method, 'xcom_key', value, RPC_LIMITS.xcomKeyLength);
}

export function xcomReadOf(r: proto.GetXComRequest): XComRead {
  const m = 'GetXCom';
  const mapIndex = r.mapIndex === undefined ? null : requireInt(m, 'map_index', r.mapIndex, 0);
  return {
    workerId: requireString(m, 'worker_id', r.workerId),
    attempt: attemptOf(m, '', r),
    taskId: identifier(m, 'task id', 'task_id', r.taskId),
    key: xcomKey(m, r.xcomKey, false),
    mapIndex,
  };
}

export function xcomWriteOf(r: proto.PushXComRequest): XComWrite {
  const m = 'PushXCom';
  const valueJson = text(m, 'value_json', r.valueJson, RPC_LIMITS.returnValueJsonLength);
  if (valueJson === '') invalid(m, 'value_json is required');
  try {
    JSON.parse(valueJson);
  } catch (err) {
    invalid(m, `value_json is not valid JSON: ${(err as Error).message.slice(0, 200)}`);
  }
  if (jsonHasNul(valueJson)) invalid(m, 'value_json contains a NUL character (\\u0000), which cannot be stored');
  if (jsonHasLoneSurrogate(valueJson)) invalid(m, 'value_json contains an unpaired UTF-16 surrogate (such as \\ud800), which cannot be stored');
  return {
    workerId: requireString(m, 'worker_id', r.workerId),
    attempt: attemptOf(m, '', r),
    key: xcomKey(m, r.xcomKey, true),
    valueJson,
  };
}
