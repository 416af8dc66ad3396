/**
 * The common shape of a running task process (a bash command or a function in a runner), so the
 * executor handles timeouts, kills and logging the same way for both.
 */
import type { LogSource } from '../logs.js';

export interface ProcessEnd {
  /** Exit code; 0 for a function that returned; -1 when ended by a signal. */
  exitCode: number;
  /** Why it failed (empty when it succeeded). */
  error: string;
  /** Function tasks: the return value as JSON ('' for undefined). */
  returnValueJson: string;
  /** Function tasks: skipped itself, or a sensor to reschedule (exit code 0). */
  outcome?: 'skipped' | 'reschedule';
  /** Function tasks that failed: no retry (a sensor that timed out). */
  noRetry?: boolean;
  /** Function tasks that returned: the extra of their outlets' asset events (JSON of URI -> object). */
  outletExtrasJson?: string;
  /** Function tasks that returned: the asset events they added through aliases (JSON of [{ alias, uri, extra }]). */
  aliasEventsJson?: string;
}

export interface TaskProcess {
  /** Pid of the process group leader. */
  readonly pid: number;
  /** Resolves when the task ended and all of its output was delivered. Never rejects. */
  readonly done: Promise<ProcessEnd>;
  /** Kills the task's process tree: SIGTERM to its group, SIGKILL after graceMs. */
  terminate(graceMs: number): Promise<void>;
}

export type OutputSink = (source: Exclude<LogSource, 'updraft'>, line: string) => void;

/** A one-line description of how a process ended. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `killed by ${signal}`;
  return `exited with code ${code ?? -1}`;
}
