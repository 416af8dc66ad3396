/**
 * Run timeouts (a DAG's `dagrunTimeout`, Airflow's dagrun_timeout, in its serialized form
 * `dagrunTimeoutMs`, copied to its dag row): a run still running that long after it started fails, in one statement for
 * every DAG that has one. Its running task instances fail and lose their attempt (a report of
 * theirs is refused; their workers are told to kill them at their next heartbeat), its other
 * unfinished ones are skipped, their current tries say why, and the DAG's onDagRunFailure callback
 * request and alert outbox rows are written with the reason, as a run that failed on its own
 * would have them. A run still queued (waiting for a place) has not started: it does not time out.
 */
import type { Queryable } from '../db/types.js';
import { DAG_RUNS_CHANNEL } from './dag-runs.js';
import { RUN_FAILED_OTHERS, RUN_FAILED_RUNNING, TASK_SET } from './mark-state.js';
import { rows } from './query.js';
import { runTransition } from './transitions.js';

const RUN_TIMED_OUT = runTransition(['running'], ['failed']);

/** What a timed-out run's tries and failure callback say (`r` is the run, with its timeout_ms). */
const REASON = `'the DAG run timed out: still running ' || (r.timeout_ms / 1000)::text || ' s (dagrunTimeout) after it started at '
  || to_char(r.start_date AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

export interface TimedOutRun {
  dagId: string;
  runId: string;
  timeoutMs: number;
  /** Task instances that were running (now failed) and the other unfinished ones (now skipped). */
  failedTasks: number;
  skippedTasks: number;
}

export interface TimedOutRuns {
  runs: TimedOutRun[];
  /** Callback requests / alert outbox rows were written: wake their senders. */
  callbacks: boolean;
  alerts: boolean;
}

/** Fails every running run past its DAG's dagrunTimeout (see above); each run once. */
export async function timeOutDagRuns(db: Queryable): Promise<TimedOutRuns> {
  const result = await rows<{
    dag_id: string; run_id: string; timeout_ms: number; failed: number; skipped: number; callbacks: number; alerts: number;
  }>(db, 'timeOutDagRuns',
    // From the running runs (a partial index holds them) and their dag rows: this runs on every
    // pass of the scheduler; only a run that timed out reads its DAG's document (its notifiers).
    `WITH due AS (
       SELECT r.id, d.dagrun_timeout_ms AS timeout_ms FROM dag_run r JOIN dag d ON d.dag_id = r.dag_id
       WHERE r.state = 'running' AND d.dagrun_timeout_ms IS NOT NULL
         AND r.start_date + d.dagrun_timeout_ms * interval '1 millisecond' <= now()),
     r AS (
       UPDATE dag_run r SET state = 'failed', end_date = now() FROM due
       WHERE r.id = due.id AND ${RUN_TIMED_OUT.guard('r')}
       RETURNING r.id, r.dag_id, r.run_id, r.start_date, due.timeout_ms),
     rn AS (
       SELECT r.*, sd.data -> 'alerts' -> 'onDagRunFailure' AS targets, COALESCE(sd.data -> 'callbacks' ? 'onDagRunFailure', false) AS has_callback
       FROM r LEFT JOIN serialized_dag sd ON sd.dag_id = r.dag_id),
     f AS (
       UPDATE task_instance ti SET state = 'failed', error = ${REASON}, ${TASK_SET},
         duration_ms = CASE WHEN ti.started_at IS NULL THEN ti.duration_ms ELSE EXTRACT(EPOCH FROM now() - ti.started_at) * 1000 END
       FROM r WHERE ti.dag_run_id = r.id AND ${RUN_FAILED_RUNNING.guard('ti')}
       RETURNING ti.dag_run_id, ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number, ti.state, ${REASON} AS reason),
     s AS (
       UPDATE task_instance ti SET state = 'skipped', ${TASK_SET}
       FROM r WHERE ti.dag_run_id = r.id AND ${RUN_FAILED_OTHERS.guard('ti')}
       RETURNING ti.dag_run_id, ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number, ti.state, ${REASON} AS reason),
     x AS (SELECT * FROM f UNION ALL SELECT * FROM s),
     -- The current try of each (a queued or running one) ends with the instance, saying why.
     t AS (
       UPDATE task_instance_try tt SET state = x.state, ended_at = now(), error = x.reason
       FROM x WHERE tt.dag_id = x.dag_id AND tt.run_id = x.run_id AND tt.task_id = x.task_id AND tt.map_index = x.map_index
         AND tt.try_number = x.try_number AND tt.state IN ('queued', 'running')),
     cb AS (
       INSERT INTO callback_request (dag_id, run_id, event, exception)
       SELECT r.dag_id, r.run_id, 'onDagRunFailure', ${REASON} FROM rn r WHERE r.has_callback
       ON CONFLICT DO NOTHING
       RETURNING 1),
     al AS (
       INSERT INTO alert_outbox (dag_id, run_id, event, notifier_index, target, exception)
       SELECT r.dag_id, r.run_id, 'onDagRunFailure', (n.idx - 1)::int, n.target, ${REASON}
       FROM rn r, jsonb_array_elements(CASE WHEN jsonb_typeof(r.targets) = 'array' THEN r.targets ELSE '[]'::jsonb END) WITH ORDINALITY AS n(target, idx)
       ON CONFLICT DO NOTHING
       RETURNING 1),
     -- Schedulers start what waited for the run's place (max_active_runs) at once.
     n AS (SELECT pg_notify($1, d.dag_id) FROM (SELECT DISTINCT dag_id FROM r) d)
     SELECT r.dag_id, r.run_id, r.timeout_ms,
       (SELECT count(*) FROM f WHERE f.dag_run_id = r.id)::int AS failed,
       (SELECT count(*) FROM s WHERE s.dag_run_id = r.id)::int AS skipped,
       (SELECT count(*) FROM cb)::int AS callbacks, (SELECT count(*) FROM al)::int AS alerts
     FROM r LEFT JOIN (SELECT count(*) FROM n) nn ON true`,
    [DAG_RUNS_CHANNEL]);
  return {
    runs: result.map((r) => ({ dagId: r.dag_id, runId: r.run_id, timeoutMs: Number(r.timeout_ms), failedTasks: r.failed, skippedTasks: r.skipped })),
    callbacks: result.some((r) => r.callbacks > 0),
    alerts: result.some((r) => r.alerts > 0),
  };
}
