/**
 * Size limits of the WorkerService protocol (docs/protocol.md, "Limits"). The scheduler refuses a
 * request over any of them with INVALID_ARGUMENT naming the field; the worker keeps what it sends
 * within them (it truncates an error text, and fails a task whose return value is too large).
 */
export const RPC_LIMITS = {
  /** Largest message the scheduler accepts, in bytes; a bigger one is RESOURCE_EXHAUSTED from the transport. */
  maxRequestBytes: 8 * 1024 * 1024,
  /** worker_id, attempt_token, file_hash: opaque strings the scheduler handed out. */
  opaqueIdLength: 128,
  /** hostname (RegisterWorker, ClaimTask). */
  hostnameLength: 255,
  /** version (RegisterWorker). */
  versionLength: 100,
  /** queues per worker (RegisterWorker). */
  queuesPerWorker: 100,
  /** concurrency (RegisterWorker). */
  maxConcurrency: 10_000,
  /** running attempts listed in one heartbeat. */
  runningPerHeartbeat: 10_000,
  /** control ids acknowledged in one heartbeat. */
  controlsPerHeartbeat: 10_000,
  /** error text of a result (ReportTaskResult), in characters. */
  errorLength: 64 * 1024,
  /** return_value_json of a result and value_json of PushXCom, in characters (core.max_xcom_size is at most this). */
  returnValueJsonLength: 4 * 1024 * 1024,
  /** outlet_extras_json of a result: the extra of its asset events, in characters. */
  outletExtrasJsonLength: 64 * 1024,
  /** Asset events a result adds through its outlet aliases (outlet_alias_events_json, at most outletExtrasJsonLength characters). */
  aliasEventsPerResult: 1000,
  /** xcom_key of GetXCom / PushXCom. */
  xcomKeyLength: 250,
} as const;

/** True when JSON text holds a NUL character (an unescaped `\u0000`), which PostgreSQL's jsonb cannot store. */
export function jsonHasNul(json: string): boolean {
  return /(^|[^\\])(\\\\)*\\u0000/i.test(json);
}

/**
 * True when valid JSON text holds a string with an unpaired UTF-16 surrogate (`"\ud800"`), which
 * PostgreSQL's jsonb refuses. Re-serialised, a well-formed string has no surrogate escapes left,
 * so any `\udXXX` escape in `JSON.stringify(JSON.parse(json))` is an unpaired one.
 */
export function jsonHasLoneSurrogate(json: string): boolean {
  if (!/\\u[dD][89a-fA-F]|[\ud800-\udfff]/.test(json)) return false;
  return /(^|[^\\])(\\\\)*\\ud[89a-f][0-9a-f]{2}/i.test(JSON.stringify(JSON.parse(json)));
}
