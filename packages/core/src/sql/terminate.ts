/**
 * Terminating one running attempt by hand (the monitor's remote control): running -> failed, or
 * -> up_for_retry when the caller chose a retry, in one statement guarded by the state it leaves.
 * The attempt loses its token, so its worker's report is refused and the answer to the worker's
 * next heartbeat lists it to kill (its whole process tree). The try row records who ended it.
 * A retry asked for a try that has no tries left gives that try back (max_tries + 1), so the
 * retry happens as chosen; it is due at once. The run stays running (as after a mark) and is
 * flagged, and a scheduler notified, so the run is evaluated whole at once.
 */
import type { Queryable } from '../db/types.js';
import type { TaskInstanceKey } from '../state/keys.js';
import { DAG_RUNS_CHANNEL } from './dag-runs.js';
import { rows } from './query.js';
import { taskTransition } from './transitions.js';

const TERMINATE_FAILED = taskTransition(['running'], ['failed']);
const TERMINATE_RETRY = taskTransition(['running'], ['up_for_retry']);

export interface TerminatedAttempt {
  state: 'failed' | 'up_for_retry';
  tryNumber: number;
  /** The worker that ran it (its name when still registered), null when unknown. */
  workerId: string | null;
  hostname: string | null;
}

const SQL = (retry: boolean, T = retry ? TERMINATE_RETRY : TERMINATE_FAILED): string => `
  WITH m AS (
    UPDATE task_instance ti SET state = $5::text, attempt_token = NULL, ended_at = now(), wait_reason = NULL, updated_at = now(),
      next_retry_at = ${retry ? 'now()' : 'NULL'},
      max_tries = ${retry ? 'greatest(ti.max_tries, ti.try_number + 1)' : 'ti.max_tries'},
      duration_ms = CASE WHEN ti.started_at IS NULL THEN ti.duration_ms ELSE EXTRACT(EPOCH FROM now() - ti.started_at) * 1000 END,
      error = $6::text
    WHERE ti.dag_id = $1 AND ti.run_id = $2 AND ti.task_id = $3 AND ti.map_index = $4
      AND ${T.guard('ti')}
    RETURNING ti.dag_run_id, ti.try_number, ti.duration_ms),
  t AS (
    UPDATE task_instance_try tt SET state = 'failed', ended_at = now(), duration_ms = m.duration_ms, error = $6::text
    FROM m WHERE tt.dag_id = $1 AND tt.run_id = $2 AND tt.task_id = $3 AND tt.map_index = $4
      AND tt.try_number = m.try_number AND tt.state IN ('queued', 'running')
    RETURNING tt.worker_id, tt.hostname),
  r AS (UPDATE dag_run SET evaluate_requested_at = now() WHERE id IN (SELECT dag_run_id FROM m)),
  n AS (SELECT pg_notify($7, $1) WHERE EXISTS (SELECT 1 FROM m))
  SELECT m.try_number, t.worker_id, t.hostname FROM m LEFT JOIN t ON true LEFT JOIN n ON true`;

const SQL_FAILED = SQL(false);
const SQL_RETRY = SQL(true);

/**
 * Ends the running attempt of a task instance: failed, or up for retry. Returns null when the task
 * instance is not running (not found, not started yet, already finished).
 */
export async function terminateAttempt(
  db: Queryable, key: TaskInstanceKey, state: 'failed' | 'up_for_retry', reason: string,
): Promise<TerminatedAttempt | null> {
  const result = await rows<{ try_number: number; worker_id: string | null; hostname: string | null }>(db, `terminateAttempt_${state}`,
    state === 'failed' ? SQL_FAILED : SQL_RETRY,
    [key.dagId, key.runId, key.taskId, key.mapIndex, state, reason, DAG_RUNS_CHANNEL]);
  const r = result[0];
  return r === undefined ? null : { state, tryNumber: r.try_number, workerId: r.worker_id, hostname: r.hostname };
}

/** The state of a task instance (null: none yet), or undefined when it does not exist. */
export async function taskInstanceState(db: Queryable, key: TaskInstanceKey): Promise<string | null | undefined> {
  const result = await rows<{ state: string | null }>(db, 'taskInstanceState',
    'SELECT state FROM task_instance WHERE dag_id = $1 AND run_id = $2 AND task_id = $3 AND map_index = $4',
    [key.dagId, key.runId, key.taskId, key.mapIndex]);
  return result.length === 0 ? undefined : result[0]!.state;
}
