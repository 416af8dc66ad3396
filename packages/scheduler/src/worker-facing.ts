/**
 * CONTRACT between the gRPC WorkerService adapter (src/rpc/) and the scheduling engine (src/engine/).
 * The engine speaks its own types (below); the adapter authenticates, validates each request once,
 * converts protocol messages to and from these types (rpc/convert.ts), and maps errors to gRPC
 * status codes:
 *   UpdraftError 'STALE_ATTEMPT'    -> FAILED_PRECONDITION
 *   UpdraftError 'TASK_NOT_FOUND' / 'DAG_NOT_FOUND' / 'RUN_NOT_FOUND' / 'CONNECTION_NOT_FOUND' /
 *     'VARIABLE_NOT_FOUND' -> NOT_FOUND
 *   UpdraftError 'INVALID_ARGUMENT' -> INVALID_ARGUMENT
 *   database unreachable ('DB_ERROR') -> UNAVAILABLE
 * The engine owns every state change (compare-and-set SQL) and the event-driven follow-up
 * (a reported success queues and publishes ready downstream tasks before the call returns).
 */
import type { AttemptRef, attemptsSql, Connection, RunnableTask, TaskMessage, workersSql } from '@updraft/core';

/** What a worker says about itself when it registers (empty strings / 0: unknown). */
export type WorkerRegistration = workersSql.WorkerRegistration;

export interface Registered {
  workerId: string;
  heartbeatIntervalMs: number;
}

/** An attempt a worker holds, with the pid of its task process (0 until it started). */
export interface HeldAttempt extends AttemptRef {
  pid: number;
}

export interface WorkerHeartbeat {
  workerId: string;
  /** Attempts the worker holds, from the moment it pulled them. */
  running: HeldAttempt[];
  freeSlots: number;
  load1: number;
  load5: number;
  load15: number;
  processed: number;
  /** The concurrency the worker runs with now; 0 or absent: not reported. */
  concurrency?: number;
  /** The queues the worker pulls from now; empty or absent: not reported. */
  queues?: string[];
  /** CPU of the worker process since its previous heartbeat (percent of one core). */
  cpuPercent?: number;
  /** Resident memory of the worker process in bytes; 0 or absent: unknown. */
  rssBytes?: number;
  /** It holds back from new tasks as asked (the acknowledgement of a pause). */
  paused?: boolean;
  /** Ids of the remote controls the worker applied since its previous heartbeat. */
  acknowledgedControls?: number[];
}

export interface HeartbeatAnswer {
  /** Attempts the worker runs that are no longer current: kill them. */
  kill: AttemptRef[];
  /** Why each of `kill` was ended, same order (its try's error: "cleared while running", ...). */
  killReasons?: string[];
  /** The worker was asked to drain: take nothing new, finish, deregister. */
  drain: boolean;
  /** The concurrency the worker should run with (set live from the monitor); 0 or absent: its own. */
  concurrency?: number;
  /** The queues the worker should pull from (set live from the monitor); empty or absent: its own. */
  queues?: string[];
  /** Take no new task but stay registered (drained from the monitor); false or absent: take tasks. */
  pause?: boolean;
  /** Ids of the remote controls not acknowledged yet; this answer carries their effect. */
  controls?: number[];
}

export interface ClaimRequest {
  attempt: AttemptRef;
  workerId: string;
  hostname: string;
}

/** A claimed attempt: what to run, and where its log goes (relative to the log folder). */
export interface ClaimedTask extends RunnableTask {
  logPath: string;
}

/** How an attempt ended, as the worker (or supervision) reports it. */
export interface AttemptOutcome {
  success: boolean;
  /**
   * With success false: the task skipped itself ('skipped'), or a sensor's poke was false
   * ('reschedule'). Absent: success or failure as `success` says.
   */
  kind?: 'skipped' | 'reschedule';
  exitCode: number | null;
  error: string | null;
  durationMs: number | null;
  /** Process id of the task on its worker's host, when reported. */
  pid?: number | null;
  /** JSON text of the task's return value (stored as XCom on success), or null. */
  returnValueJson: string | null;
  /** A failure another try cannot change (a sensor that timed out): failed now, whatever retries are left. */
  noRetry?: boolean;
  /** A success: the extra of its outlets' asset events, by asset URI (JSON text of an object). */
  outletExtras?: Readonly<Record<string, string>>;
  /** A success: the asset events it added through its outlet aliases (extra: JSON text of an object). */
  aliasEvents?: readonly attemptsSql.AliasEvent[];
}

export interface ResultReport {
  attempt: AttemptRef;
  workerId: string;
  outcome: AttemptOutcome;
  /** The task was killed for exceeding its execution timeout. */
  timedOut: boolean;
  /** The worker offers the freed slot to a downstream task this result makes ready (chain fast path). */
  handoff?: HandoffOffer;
}

/** A worker's offer of a freed slot: queues it serves now, and its hostname (as a claim's). */
export interface HandoffOffer {
  queues: string[];
  hostname: string;
}

/** A ready downstream task claimed for the reporting worker: its message (never published) and what to run. */
export interface HandedOffTask {
  message: TaskMessage;
  claim: ClaimedTask;
}

export interface ReportAnswer {
  /** The state the reported attempt ended in. */
  state: string;
  handoff: HandedOffTask | null;
}

export interface DagFile {
  fileloc: string;
  fileHash: string;
  content: Buffer;
}

/** FetchBundle: a version's manifest (no hashes asked) or the contents of some of its files. */
export interface BundleRequest {
  version: string;
  fileHashes: string[];
}

export interface BundleAnswer {
  version: string;
  /** The manifest, sorted by path; empty when contents were asked. */
  files: Array<{ path: string; fileHash: string; size: number }>;
  /** A prefix of the asked hashes that fits in maxResponseBytes (at least one). */
  contents: Array<{ fileHash: string; content: Buffer }>;
  maxResponseBytes: number;
}

/** A running attempt asks for a connection or variable by name (task-scoped read). */
export interface TaskScopedRead {
  attempt: AttemptRef;
  workerId: string;
  /** Connection id or variable key. */
  name: string;
}

export interface ConnectionAnswer {
  connection: Connection;
  /** Values the worker masks in the attempt's log. */
  mask: string[];
}

export interface VariableAnswer {
  value: string;
  /** Values the worker masks in the attempt's log. */
  mask: string[];
}

/** A running attempt reads an XCom value of a task of its own run. */
export interface XComRead {
  attempt: AttemptRef;
  workerId: string;
  taskId: string;
  /** 'return_value' unless the task asked for another key. */
  key: string;
  /** One mapped instance, or null: the task's value (all instances' values, for a mapped task). */
  mapIndex: number | null;
}

/** A running attempt stores an XCom value of its own task instance. */
export interface XComWrite {
  attempt: AttemptRef;
  workerId: string;
  key: string;
  /** Valid JSON without NUL (checked by the adapter); the engine checks core.max_xcom_size. */
  valueJson: string;
}

export interface XComAnswer {
  found: boolean;
  /** JSON text; '' when not found. */
  valueJson: string;
}

export interface WorkerFacingEngine {
  registerWorker(req: WorkerRegistration): Promise<Registered>;
  heartbeat(req: WorkerHeartbeat): Promise<HeartbeatAnswer>;
  /** queued -> running for exactly this try and token, or throws STALE_ATTEMPT. */
  claimTask(req: ClaimRequest): Promise<ClaimedTask>;
  /** running -> success | failed | up_for_retry for exactly this try and token (the new state), or throws STALE_ATTEMPT. */
  reportTaskResult(req: ResultReport): Promise<ReportAnswer>;
  deregisterWorker(workerId: string): Promise<void>;
  fetchDagFile(fileHash: string): Promise<DagFile>;
  /** DAG_NOT_FOUND for an unknown version; INVALID_ARGUMENT for a hash not in the version's manifest. */
  fetchBundle(req: BundleRequest): Promise<BundleAnswer>;
  /** Only while the attempt runs (else STALE_ATTEMPT); CONNECTION_NOT_FOUND when it is not defined. */
  getConnection(req: TaskScopedRead): Promise<ConnectionAnswer>;
  /** Only while the attempt runs (else STALE_ATTEMPT); VARIABLE_NOT_FOUND when it is not defined. */
  getVariable(req: TaskScopedRead): Promise<VariableAnswer>;
  /** Only while the attempt runs (else STALE_ATTEMPT); TASK_NOT_FOUND when the DAG has no such task. */
  getXCom(req: XComRead): Promise<XComAnswer>;
  /** Only while the attempt runs (else STALE_ATTEMPT); INVALID_ARGUMENT when the value is over core.max_xcom_size. */
  pushXCom(req: XComWrite): Promise<void>;
}
