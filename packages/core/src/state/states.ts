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
 * `-> none` from any state is a user's clear.
 */
export const TASK_INSTANCE_TRANSITIONS: Readonly<Record<TaskInstanceState, readonly TaskInstanceState[]>> = {
  none: ['scheduled', 'skipped', 'upstream_failed', 'removed'],
  scheduled: ['queued', 'skipped', 'upstream_failed', 'removed', 'none'],
  // queued -> queued is a requeue of a lost attempt with a new token; -> failed when requeues run out.
  queued: ['running', 'queued', 'failed', 'removed', 'none'],
  running: ['success', 'failed', 'up_for_retry', 'up_for_reschedule', 'deferred', 'none'],
  up_for_retry: ['scheduled', 'failed', 'none'],
  up_for_reschedule: ['scheduled', 'none'],
  deferred: ['scheduled', 'failed', 'none'],
  success: ['none'],
  failed: ['none'],
  skipped: ['none'],
  upstream_failed: ['none'],
  removed: ['none'],
};

export function canTransition(from: TaskInstanceState, to: TaskInstanceState): boolean {
  return TASK_INSTANCE_TRANSITIONS[from].includes(to);
}

export const DAG_RUN_TRANSITIONS: Readonly<Record<DagRunState, readonly DagRunState[]>> = {
  queued: ['running'],
  // -> queued: task instances of it were cleared (the scheduler starts it again and evaluates it whole).
  running: ['success', 'failed', 'queued'],
  // A user may clear a finished run back to queued/running.
  success: ['queued', 'running'],
  failed: ['queued', 'running'],
};

/** Reads a task-instance state column (NULL = none), refusing anything unknown. */
export function taskInstanceStateOf(column: string | null): TaskInstanceState {
  if (column === null) return 'none';
  if ((TASK_INSTANCE_STATES as readonly string[]).includes(column) && column !== 'none') return column as TaskInstanceState;
  throw new UpdraftError('DB_ERROR', `unknown task instance state '${column}' in the database`);
}
