/**
 * Deadlines (a DAG's `deadline` option, in its serialized form): an unfinished run whose deadline
 * passed is marked once (dag_run.deadline_missed_at), and its onDeadlineMiss callback request and
 * alert outbox rows are written in the same statement. One statement finds them for every DAG:
 * the DAGs that have a deadline (its dag row's deadline columns), their active runs; a serialized
 * DAG document is read only for a run that missed it.
 */
import type { Queryable } from '../db/types.js';
import { rows } from './query.js';

export interface MissedDeadlines {
  runs: Array<{ dagId: string; runId: string }>;
  callbacks: boolean;
  alerts: boolean;
}

/** Marks the unfinished runs past their deadline (each once) and requests their callbacks and alerts. */
export async function fireMissedDeadlines(db: Queryable): Promise<MissedDeadlines> {
  const result = await rows<{ dag_id: string; run_id: string; callbacks: number; alerts: number }>(db, 'fireMissedDeadlines',
    `WITH due AS (
       SELECT r.id, CASE d.deadline_from WHEN 'logicalDate' THEN r.logical_date ELSE r.queued_at END
           + d.deadline_after_ms * interval '1 millisecond' AS deadline
       FROM dag d JOIN dag_run r ON r.dag_id = d.dag_id
       WHERE d.deadline_after_ms IS NOT NULL AND r.state IN ('queued', 'running') AND r.deadline_missed_at IS NULL),
     missed AS (
       UPDATE dag_run r SET deadline_missed_at = now() FROM due
       WHERE r.id = due.id AND due.deadline <= now() AND r.deadline_missed_at IS NULL AND r.state IN ('queued', 'running')
       RETURNING r.dag_id, r.run_id, due.deadline),
     -- The serialized document, only for the runs that missed their deadline: their notifiers and callback.
     m AS (
       SELECT missed.*, sd.data -> 'alerts' -> 'onDeadlineMiss' AS targets,
         COALESCE(sd.data -> 'callbacks' ? 'onDeadlineMiss', false) AS has_callback
       FROM missed JOIN serialized_dag sd ON sd.dag_id = missed.dag_id),
     cb AS (
       INSERT INTO callback_request (dag_id, run_id, event, exception)
       SELECT dag_id, run_id, 'onDeadlineMiss', 'not finished by its deadline, ' || to_char(deadline AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
       FROM m WHERE has_callback
       ON CONFLICT DO NOTHING
       RETURNING 1),
     al AS (
       INSERT INTO alert_outbox (dag_id, run_id, event, notifier_index, target, exception)
       SELECT m.dag_id, m.run_id, 'onDeadlineMiss', (t.idx - 1)::int, t.target,
         'not finished by its deadline, ' || to_char(m.deadline AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
       FROM m, jsonb_array_elements(CASE WHEN jsonb_typeof(m.targets) = 'array' THEN m.targets ELSE '[]'::jsonb END) WITH ORDINALITY AS t(target, idx)
       ON CONFLICT DO NOTHING
       RETURNING 1)
     SELECT m.dag_id, m.run_id, (SELECT count(*) FROM cb)::int AS callbacks, (SELECT count(*) FROM al)::int AS alerts FROM m`,
    []);
  return {
    runs: result.map((r) => ({ dagId: r.dag_id, runId: r.run_id })),
    callbacks: result.some((r) => r.callbacks > 0),
    alerts: result.some((r) => r.alerts > 0),
  };
}
