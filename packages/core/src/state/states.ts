/**
 * The task-instance and DAG-run state machines (DESIGN.md). In the database a task instance in
 * state `none` has state NULL; everything else is the state's name.
 */
import { UpdraftError } from '../errors.js';

export const TASK_INSTANCE_STATES = [
  'none', 'scheduled', 'queued', 'running', 'success', 'failed', 'up_for_retry', 'up_for_reschedule',
  'skipped', 'upstream_failed', 'removed', 'deferred',
] as const;
export type TaskInstanceState = (typeof TASK_INSTANCE_STATES)[number];

export const DAG_RUN_STATES = ['queued', 'running', 'success', 'failed'] as const;
export type DagRunState = (typeof DAG_RUN_STATES)[number];

/** States a task instance does not leave by itself (only a user's clear moves it back to none). */
export const FINISHED_STATES: ReadonlySet<TaskInstanceState> = new Set(['success', 'failed', 'skipped', 'upstream_failed', 'removed']);

/** States that hold active work (the partial indexes of 0001 cover exactly these). */
export const ACTIVE_STATES: ReadonlySet<TaskInstanceState> = new Set(['scheduled', 'queued', 'running', 'up_for_retry', 'up_for_reschedule', 'deferred']);

export function isFinished(state: TaskInstanceState): boolean {
  return FINISHED_STATES.has(state);
}

/**
 * Allowed task-instance transitions. Every SQL transition in ./task-instance-sql.ts moves along one
 * of these edges (the queueing statement passes none -> scheduled -> queued in one statement).
 * `-> none` from any state is a user's clear; `-> success` / `-> failed` from any other state but
 * removed is a user's mark (REST API), and `-> skipped` of an unfinished instance is a user marking
 * its run failed. Workers' reports move only running instances (their statements' guards).
 */
export const TASK_INSTANCE_TRANSITIONS: Readonly<Record<TaskInstanceState, readonly TaskInstanceState[]>> = {
  // -> deferred: a ready deferred sensor (its wait decided by the scheduler). -> up_for_retry: a
  // try the scheduler made itself (a trigger task) failed with tries left.
  none: ['scheduled', 'skipped', 'upstream_failed', 'removed', 'success', 'failed', 'deferred', 'up_for_retry'],
  scheduled: ['queued', 'skipped', 'upstream_failed', 'removed', 'none', 'success', 'failed', 'deferred', 'up_for_retry'],
  // queued -> queued is a requeue of a lost attempt with a new token; -> failed when requeues run out.
  queued: ['running', 'queued', 'failed', 'removed', 'none', 'success', 'skipped'],
  // -> skipped: the task skipped itself (or a sensor's timeout with softFail).
  running: ['success', 'failed', 'up_for_retry', 'up_for_reschedule', 'deferred', 'none', 'skipped'],
  up_for_retry: ['scheduled', 'failed', 'none', 'success', 'skipped'],
  up_for_reschedule: ['scheduled', 'none', 'success', 'failed', 'skipped'],
  deferred: ['scheduled', 'failed', 'none', 'success', 'skipped', 'up_for_retry'],
  success: ['none', 'failed'],
  failed: ['none', 'success'],
  skipped: ['none', 'success', 'failed'],
  upstream_failed: ['none', 'success', 'failed'],
  removed: ['none'],
};

export function canTransition(from: TaskInstanceState, to: TaskInstanceState): boolean {
  return TASK_INSTANCE_TRANSITIONS[from].includes(to);
}

export const DAG_RUN_TRANSITIONS: Readonly<Record<DagRunState, readonly DagRunState[]>> = {
  // -> success / failed: a user marks the run (REST API); -> failed also: the backfill it belongs to
  // was cancelled before it started.
  queued: ['running', 'success', 'failed'],
  // -> queued: task instances of it were cleared or marked (the scheduler starts it again and evaluates it whole).
  running: ['success', 'failed', 'queued'],
  // A user may clear a finished run back to queued/running, or mark it the other way.
  success: ['queued', 'running', 'failed'],
  failed: ['queued', 'running', 'success'],
};

/** Reads a task-instance state column (NULL = none), refusing anything unknown. */
export function taskInstanceStateOf(column: string | null): TaskInstanceState {
  if (column === null) return 'none';
  if ((TASK_INSTANCE_STATES as readonly string[]).includes(column) && column !== 'none') return column as TaskInstanceState;
  throw new UpdraftError('DB_ERROR', `unknown task instance state '${column}' in the database`);
}
