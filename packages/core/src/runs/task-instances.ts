/** Reading the task instances of a run for people (CLI `tasks states`, the API). */
import type { Queryable } from '../db/types.js';
import { taskInstanceStateOf, type TaskInstanceState } from '../state/states.js';
import { queryRows } from './sql.js';

export interface TaskInstanceView {
  taskId: string;
  mapIndex: number;
  state: TaskInstanceState;
  /** The current (or last) try; 0 before the first one is queued. */
  tryNumber: number;
  maxTries: number;
  queue: string;
  operator: string;
  /** The worker that runs (ran) the current try: its name when it is registered, else its id. */
  worker: string | null;
  hostname: string | null;
  queuedAt: Date | null;
  startedAt: Date | null;
  endedAt: Date | null;
  durationMs: number | null;
  exitCode: number | null;
  error: string | null;
  /** Requeues of a lost queued attempt (their own budget, separate from retries) and the last reason. */
  requeueCount: number;
  lastRequeueReason: string | null;
  nextRetryAt: Date | null;
}

interface Row {
  task_id: string; map_index: number; state: string | null; try_number: number; max_tries: number; queue: string;
  operator: string; worker: string | null; hostname: string | null; queued_at: Date | null; started_at: Date | null;
  ended_at: Date | null; duration_ms: number | null; exit_code: number | null; error: string | null;
  requeue_count: number; last_requeue_reason: string | null; next_retry_at: Date | null;
}

/** The task instances of one run, in the order they started (not started last, then by task id). */
export async function listRunTaskInstances(db: Queryable, dagId: string, runId: string): Promise<TaskInstanceView[]> {
  const rows = await queryRows<Row>(
    db, `listing the task instances of run '${runId}' of DAG '${dagId}'`,
    `SELECT ti.task_id, ti.map_index, ti.state, ti.try_number, ti.max_tries, ti.queue, ti.operator,
            COALESCE(w.worker_name, ti.worker_id) AS worker, ti.hostname, ti.queued_at, ti.started_at, ti.ended_at,
            ti.duration_ms, ti.exit_code, ti.error, ti.requeue_count, ti.last_requeue_reason, ti.next_retry_at
       FROM task_instance ti LEFT JOIN worker w ON w.worker_id = ti.worker_id
      WHERE ti.dag_id = $1 AND ti.run_id = $2
      ORDER BY ti.started_at NULLS LAST, ti.task_id, ti.map_index`,
    [dagId, runId],
  );
  return rows.map((r) => ({
    taskId: r.task_id, mapIndex: r.map_index, state: taskInstanceStateOf(r.state), tryNumber: r.try_number, maxTries: r.max_tries,
    queue: r.queue, operator: r.operator, worker: r.worker, hostname: r.hostname, queuedAt: r.queued_at, startedAt: r.started_at,
    endedAt: r.ended_at, durationMs: r.duration_ms, exitCode: r.exit_code, error: r.error, requeueCount: r.requeue_count,
    lastRequeueReason: r.last_requeue_reason, nextRetryAt: r.next_retry_at,
  }));
}
