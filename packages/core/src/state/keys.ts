/** How task instances, their attempts and DAG runs are named across the system. */

/** A task instance: primary key of task_instance. `mapIndex` is -1 for an unmapped task. */
export interface TaskInstanceKey {
  dagId: string;
  runId: string;
  taskId: string;
  mapIndex: number;
}

/** One attempt of a task instance: its try and the token that makes it current. */
export interface AttemptRef extends TaskInstanceKey {
  tryNumber: number;
  attemptToken: string;
}

/** A DAG run; its task instances are looked up by (dag_id, run_id, task_id). */
export interface RunKey {
  dagRunId: string;
  dagId: string;
  runId: string;
}

/** An attempt that was just queued: what goes into its task message. */
export interface QueuedAttempt extends AttemptRef {
  dagRunId: string;
  queue: string;
  priorityWeight: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A token that is not a UUID can never be current; callers treat it as a refused attempt. */
export const isAttemptToken = (token: string): boolean => UUID.test(token);

/** `dag/run/task[map]` for messages. */
export const keyText = (k: TaskInstanceKey): string =>
  `${k.dagId}/${k.runId}/${k.taskId}${k.mapIndex >= 0 ? `[${k.mapIndex}]` : ''}`;
