/**
 * Callbacks and notifiers: functions (or objects with `notify`) a DAG file attaches to task and
 * DAG run events. They never run in the scheduler's process: the scheduler records each event once
 * and runs its callback in an isolated child process that imports the DAG file. Declarative
 * notifiers (slack(), email(), webhook(), see notifiers.ts) are delivered by the scheduler itself
 * through its alert outbox. An event may have several (an array), run in order.
 */
import { DagDefinitionError } from './errors.js';
import { isAlertNotifier, type AlertNotifier, type AlertTarget } from './notifiers.js';

export const TASK_CALLBACK_EVENTS = ['onExecute', 'onSuccess', 'onRetry', 'onFailure'] as const;
/** The DAG options that are run events. */
export const DAG_CALLBACK_EVENTS = ['onDagRunSuccess', 'onDagRunFailure'] as const;
/** Every DAG run event: the options' and a missed deadline (the DAG's `deadline.onMiss`). */
export const DAG_RUN_EVENTS = [...DAG_CALLBACK_EVENTS, 'onDeadlineMiss'] as const;
export type TaskCallbackEvent = (typeof TASK_CALLBACK_EVENTS)[number];
export type DagCallbackEvent = (typeof DAG_RUN_EVENTS)[number];
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

/** A reusable callback object (run in the callback process, like a function). */
export interface Notifier {
  notify(ctx: CallbackContext): void | Promise<void>;
}

/** A function, a notifier object, or a declarative notifier (slack(), email(), webhook()). */
export type Callback = ((ctx: CallbackContext) => void | Promise<void>) | Notifier | AlertNotifier;
/** What an event option takes: one callback or several (run and delivered in order). */
export type Callbacks = Callback | readonly Callback[];

export function isCallback(value: unknown): value is Callback {
  return typeof value === 'function' || isAlertNotifier(value)
    || (typeof value === 'object' && value !== null && typeof (value as Partial<Notifier>).notify === 'function');
}

export function isCallbacks(value: unknown): value is Callbacks {
  return Array.isArray(value) ? value.length > 0 && value.every(isCallback) : isCallback(value);
}

const listOf = (value: unknown): Callback[] => (value === undefined ? [] : Array.isArray(value) ? value as Callback[] : [value as Callback]);

/** Fails with a DagDefinitionError when a callback option is not a callback or a non-empty array of them. */
export function validateCallbacks(options: object, events: readonly string[], where: string): void {
  for (const event of events) {
    const value = (options as Record<string, unknown>)[event];
    if (value !== undefined && !isCallbacks(value)) {
      const got = value === null ? 'null' : Array.isArray(value) ? (value.length === 0 ? 'an empty array' : 'an array with something else') : typeof value;
      throw new DagDefinitionError('invalid', `${where}: ${event} must be a function, a notifier (an object with notify(ctx), or slack()/email()/webhook()) or an array of them, got ${got}`);
    }
  }
}

/** Whether a callback option holds code to run in the callback process (a function or a notify object). */
export function hasCodeCallback(value: unknown): boolean {
  return listOf(value).some((c) => !isAlertNotifier(c));
}

/** The declarative notifiers of a callback option, in order (the outbox's notifier index). */
export function alertTargetsOf(value: unknown): AlertTarget[] {
  return listOf(value).filter(isAlertNotifier).map((n) => n.alert);
}

/** The events of `events` that `options` has code callbacks for (for the serialized form). */
export function callbackEventsOf<E extends string>(options: object, events: readonly E[]): E[] {
  return events.filter((e) => hasCodeCallback((options as Record<string, unknown>)[e]));
}

/** Runs the code callbacks of an option in order (declarative notifiers are the scheduler's to deliver). */
export async function invokeCallback(callbacks: Callbacks, ctx: CallbackContext): Promise<void> {
  for (const callback of listOf(callbacks)) {
    if (isAlertNotifier(callback)) continue;
    if (typeof callback === 'function') await callback(ctx);
    else await (callback as Notifier).notify(ctx);
  }
}
