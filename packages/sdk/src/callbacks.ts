/**
 * Callbacks and notifiers: functions (or objects with `notify`) a DAG file attaches to task and
 * DAG run events. They never run in the scheduler's process: the scheduler records each event once
 * and runs its callback in an isolated child process that imports the DAG file.
 */
import { DagDefinitionError } from './errors.js';

export const TASK_CALLBACK_EVENTS = ['onExecute', 'onSuccess', 'onRetry', 'onFailure'] as const;
export const DAG_CALLBACK_EVENTS = ['onDagRunSuccess', 'onDagRunFailure'] as const;
export type TaskCallbackEvent = (typeof TASK_CALLBACK_EVENTS)[number];
export type DagCallbackEvent = (typeof DAG_CALLBACK_EVENTS)[number];
export type CallbackEvent = TaskCallbackEvent | DagCallbackEvent;

/** What a callback receives. */
export interface CallbackContext {
  event: CallbackEvent;
  dagId: string;
  runId: string;
  /** ISO-8601 instant. */
  logicalDate: string;
  conf: Record<string, unknown>;
  /** The task instance and try; absent for DAG run callbacks. */
  taskInstance?: {
    taskId: string;
    mapIndex: number;
    tryNumber: number;
    maxTries: number;
    /** State when the event was recorded: running (onExecute), success, up_for_retry, failed. */
    state: string;
    hostname: string | null;
  };
  /** The try's error (onFailure, onRetry), or the first failed task's error (onDagRunFailure); null otherwise. */
  exception: string | null;
  /** The last lines of the try's log, when the scheduler's host can read it; [] otherwise. */
  logTail: string[];
  /** Link to the task instance's try (or to the run) in the web UI. */
  logUrl: string;
}

/** A reusable callback object (the alerts add Slack and e-mail notifiers). */
export interface Notifier {
  notify(ctx: CallbackContext): void | Promise<void>;
}

export type Callback = ((ctx: CallbackContext) => void | Promise<void>) | Notifier;

export function isCallback(value: unknown): value is Callback {
  return typeof value === 'function'
    || (typeof value === 'object' && value !== null && typeof (value as Partial<Notifier>).notify === 'function');
}

/** Fails with a DagDefinitionError when a callback option is neither a function nor a notifier. */
export function validateCallbacks(options: object, events: readonly string[], where: string): void {
  for (const event of events) {
    const value = (options as Record<string, unknown>)[event];
    if (value !== undefined && !isCallback(value)) {
      throw new DagDefinitionError('invalid', `${where}: ${event} must be a function or a notifier (an object with notify(ctx)), got ${value === null ? 'null' : typeof value}`);
    }
  }
}

/** The events of `events` that `options` has a callback for (for the serialized form). */
export function callbackEventsOf<E extends string>(options: object, events: readonly E[]): E[] {
  return events.filter((e) => (options as Record<string, unknown>)[e] !== undefined);
}

/** Runs a callback (function or notifier). */
export async function invokeCallback(callback: Callback, ctx: CallbackContext): Promise<void> {
  if (typeof callback === 'function') await callback(ctx);
  else await callback.notify(ctx);
}
