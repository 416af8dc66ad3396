/**
 * What the executor runs and what it returns. Transport-free: the worker builds these from a
 * ClaimTaskResponse, `runTaskLocally` (updraft tasks test) from a serialized task.
 */
import type { Connection, TaskRunContext } from '@updraft/core';
import type { SecretsMasker } from './secrets-masker.js';
import type { TaskLogSink } from '../logs.js';
import type { TaskKind } from '@updraft/sdk';

export type { TaskRunContext };

/** What to run. Overrides left empty/undefined fall back to the executor's defaults. */
export interface ExecutionSpec {
  kind: TaskKind;
  /** bash: the command, templates already rendered. */
  bashCommand?: string;
  /** Extra environment of the task process (already rendered). */
  env?: Record<string, string>;
  /** Kill the task's process tree after this long; 0 or undefined = no timeout. */
  executionTimeoutMs?: number;
  /** Per-task (or per-queue) overrides of the umask and run-as user/group. */
  umask?: string;
  runAsUser?: string;
  runAsGroup?: string;
  /** function: absolute path of the DAG file to import in the runner process. */
  dagFilePath?: string;
  /** core.max_xcom_size: a larger return value or pushed value fails the task. 0 or undefined = no limit here. */
  maxXcomSize?: number;
}

/**
 * Connections and variables for a running task (a worker asks the scheduler, authorised by the
 * attempt token), each with the values to mask in the task's log. Errors carry `code`
 * CONNECTION_NOT_FOUND / VARIABLE_NOT_FOUND when it is not defined.
 */
export interface TaskSecretAccess {
  connection(connId: string): Promise<{ connection: Connection; mask: string[] }>;
  variable(key: string): Promise<{ value: string; mask: string[] }>;
}

/**
 * XCom for a running function task (`ctx.xcom.pull` / `ctx.xcom.push`): asked of the scheduler,
 * authorised by the attempt token. `pull` gives found=false when the task stored no such value.
 */
export interface TaskXComAccess {
  pull(taskId: string, key: string, mapIndex: number | null): Promise<{ found: boolean; valueJson: string }>;
  push(key: string, valueJson: string): Promise<void>;
}

export interface ExecutionRequest {
  spec: ExecutionSpec;
  context: TaskRunContext;
  /** Masks secrets in every line of the try's log. Default: a masker with nothing to mask. */
  masker?: SecretsMasker;
  /** What ctx.connection() / ctx.variable() read. Default: none (they fail with a clear error). */
  secrets?: TaskSecretAccess;
  /** What ctx.xcom reads and writes. Default: none (it fails with a clear error). */
  xcom?: TaskXComAccess;
  /** Absolute path of this try's log file (appended to). */
  logFile: string;
  /** Hears every append to the log file and its end (the worker's log shipping). Default: none. */
  logSink?: TaskLogSink;
  /** Called once the task runs, with the pid of its process (the runner's for function tasks; 0 for empty tasks). */
  onStart?: (pid: number) => void;
  /** Called with every output line as it is logged (runTaskLocally prints them). */
  onLine?: (line: string) => void;
}

export interface ExecutionResult {
  /** skipped: the task skipped itself; reschedule: a sensor's poke was false (try again later). */
  outcome: 'success' | 'failed' | 'skipped' | 'reschedule';
  /** Exit code of the task process; 0 for a function that returned; -1 when killed or not run. */
  exitCode: number;
  /** Why it failed; empty on success. */
  error: string;
  durationMs: number;
  /** A function task's return value as JSON; empty when it returned undefined or is not a function task. */
  returnValueJson: string;
  /** Killed because it ran longer than executionTimeoutMs. */
  timedOut: boolean;
  /** A failure another try cannot change (a sensor that timed out): the task fails whatever retries it has left. */
  noRetry?: boolean;
  /** A success: the extra of its outlets' asset events (JSON of asset URI -> object); absent: none. */
  outletExtrasJson?: string;
  /** A success: the asset events it added through its outlet aliases (JSON of [{ alias, uri, extra }]); absent: none. */
  aliasEventsJson?: string;
  /** Set when the task was killed on request (scheduler fencing, shutdown): the reason given. */
  killedReason?: string;
}

/** A task that is running; `result` always resolves (failures are results, not rejections). */
export interface RunningExecution {
  readonly result: Promise<ExecutionResult>;
  /** Kills the task's process tree (SIGTERM, then SIGKILL after the grace period). */
  kill(reason: string): void;
  /** Pid of the task process once started (0 before, and for tasks without a process). */
  readonly pid: number;
}
