/**
 * IPC messages between the worker and a runner process (runner-child.ts).
 *
 *   runner -> worker  { type: 'ready' }                      tsx and the SDK are loaded
 *   worker -> runner  RunTaskMessage                         run one function task
 *   runner -> worker  ImportedMessage                        the runner's first task imported its DAG file
 *   runner -> worker  RequestMessage                         the task asks for something (ctx.connection(), ...)
 *   worker -> runner  ResponseMessage                        its answer (same id)
 *   runner -> worker  `<endMarker>\n` on stderr, then `<endMarker><TaskDoneMessage JSON>\n` on stdout
 *
 * After a task the runner writes its end marker to stderr, then the marker followed by the task's
 * TaskDoneMessage to stdout (not over IPC: one write and one pipe fewer per task for both
 * processes). The worker closes the task's log only when it has both markers, so no output of
 * the task is lost or attributed to the next task.
 */
import type { TaskRunContext } from './types.js';

export interface RunTaskMessage {
  type: 'run';
  seq: number;
  /** Absolute path of the DAG file (imported once per runner; a runner serves one DAG file). */
  modulePath: string;
  dagId: string;
  taskId: string;
  context: TaskRunContext;
  /** Complete environment of the task (replaces process.env of the runner). */
  env: Record<string, string>;
  cwd: string;
  umask: number;
  /** core.max_xcom_size: a larger return value or pushed value fails the task (0 = no limit here). */
  maxXcomSize: number;
  /** Text the runner writes to stdout and stderr when the task is over. */
  endMarker: string;
}

export interface ReadyMessage {
  type: 'ready';
}

/** Sent once per runner, when its first task has imported the DAG file (its function now runs). */
export interface ImportedMessage {
  type: 'imported';
  seq: number;
}

export interface TaskDoneMessage {
  type: 'done';
  seq: number;
  ok: boolean;
  /** JSON of the return value ('' for undefined) when ok. */
  returnValueJson: string;
  /** One-line reason when not ok. */
  error: string;
  /** With ok: the task skipped itself, or a sensor asks to be rescheduled (absent: it returned). */
  outcome?: 'skipped' | 'reschedule';
  /** Without ok: the task fails on this try, whatever retries it has left (a sensor that timed out). */
  noRetry?: boolean;
  /** With ok (a return): what it attached to its outlets' asset events, JSON of URI -> object; absent: nothing. */
  outletExtrasJson?: string;
  /** With ok (a return): the asset events it added through its outlet aliases, JSON of [{ alias, uri, extra }]; absent: none. */
  aliasEventsJson?: string;
  /**
   * True when the task left work behind in the runner (timers, sockets, child processes...):
   * the runner is then not reused for another task.
   */
  dirty: boolean;
  /** How long the task took in the runner (ms), from its message or, in a first task, from the DAG file's import. */
  runMs: number;
}

/** A request of the running task (seq) to the worker; methods: see executor/task-requests.ts. */
export interface RequestMessage {
  type: 'request';
  seq: number;
  id: number;
  method: string;
  params: Record<string, unknown>;
}

export interface ResponseMessage {
  type: 'response';
  id: number;
  ok: boolean;
  value?: unknown;
  /** When not ok: what went wrong, and the error code when there is one (e.g. VARIABLE_NOT_FOUND). */
  error?: string;
  code?: string;
}

/** Over IPC (a task's TaskDoneMessage comes on stdout, after its marker). */
export type RunnerToWorker = ReadyMessage | ImportedMessage | RequestMessage;
export type WorkerToRunner = RunTaskMessage | ResponseMessage;
