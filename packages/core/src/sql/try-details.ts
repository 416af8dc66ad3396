/**
 * What a try records besides its transitions: the fields the scheduler rendered for it (written
 * right after the claim) and the pid of its process as the worker's heartbeats report it. Both
 * come in batches, one statement each; a try that is no longer the current attempt is left alone.
 */
import type { Queryable } from '../db/types.js';
import { isAttemptToken, type AttemptRef } from '../state/keys.js';
import { attemptOrder } from './attempt-parts.js';
import { CHANGES_CHANNEL } from './grid.js';
import { query } from './query.js';

/**
 * Stores the rendered fields of these tries (JSON objects, null: none; for a trigger task, the run
 * it triggered) and a mapped instance's rendered name (renderedMapIndex, on its task instance while
 * that try is its current one). Mostly writes try rows without their task instances: it sends their
 * change notification itself (migration 0034).
 */
export async function recordRenderedFields(
  db: Queryable,
  batch: ReadonlyArray<Omit<AttemptRef, 'attemptToken'> & { attemptToken?: string; fields: object | null; renderedMapIndex?: string }>,
): Promise<void> {
  if (batch.length === 0) return;
  const tries = [...batch].sort(attemptOrder);
  await query(db, 'recordRenderedFields',
    `WITH a AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::text[], $8::text[])
         AS a(dag_id, run_id, task_id, map_index, try_number, fields, map_name)),
     u AS (
       UPDATE task_instance_try tt SET rendered_fields = a.fields::jsonb
         FROM a
        WHERE tt.dag_id = a.dag_id AND tt.run_id = a.run_id AND tt.task_id = a.task_id AND tt.map_index = a.map_index
          AND tt.try_number = a.try_number AND a.fields IS NOT NULL
        RETURNING tt.dag_id),
     n AS (
       UPDATE task_instance ti SET rendered_map_index = a.map_name
         FROM a
        WHERE ti.dag_id = a.dag_id AND ti.run_id = a.run_id AND ti.task_id = a.task_id AND ti.map_index = a.map_index
          AND ti.try_number = a.try_number AND a.map_name IS NOT NULL AND ti.rendered_map_index IS DISTINCT FROM a.map_name
        RETURNING ti.dag_id),
     -- n before u: task instances locked before their tries, in the order the finish statement
     -- locks them (its update of task_instance feeds its update of the tries), so the two never
     -- wait for each other in a cycle.
     ids AS (SELECT array_agg(DISTINCT dag_id) AS d FROM (SELECT dag_id FROM n UNION ALL SELECT dag_id FROM u) x)
     SELECT pg_notify($7, json_build_object('k', 'try', 'd', CASE WHEN cardinality(d) <= 50 THEN to_json(d) END)::text)
     FROM ids WHERE d IS NOT NULL`,
    [tries.map((t) => t.dagId), tries.map((t) => t.runId), tries.map((t) => t.taskId), tries.map((t) => t.mapIndex),
      tries.map((t) => t.tryNumber), tries.map((t) => (t.fields === null ? null : JSON.stringify(t.fields))), CHANGES_CHANNEL,
      tries.map((t) => t.renderedMapIndex ?? null)]);
}

/**
 * Records the pid a worker reports for each running attempt (0 = not started yet: skipped) on the
 * task instance and its try, where it changed and the attempt is still running with that token.
 * Best effort, and it never waits for a lock: rows another statement holds (an attempt being
 * finished, whose pid the report carries anyway) are skipped, so a heartbeat can never be part of
 * a deadlock with the batched finish of attempts.
 */
export async function recordRunningPids(db: Queryable, attempts: ReadonlyArray<AttemptRef & { pid: number }>): Promise<void> {
  const a = attempts.filter((x) => x.pid > 0 && isAttemptToken(x.attemptToken));
  if (a.length === 0) return;
  await query(db, 'recordRunningPids',
    `WITH a AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::uuid[], $7::int[])
         AS a(dag_id, run_id, task_id, map_index, try_number, token, pid)),
     lk AS (
       SELECT ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number, a.pid
         FROM a JOIN task_instance ti ON ti.dag_id = a.dag_id AND ti.run_id = a.run_id AND ti.task_id = a.task_id
            AND ti.map_index = a.map_index AND ti.state = 'running' AND ti.try_number = a.try_number
            AND ti.attempt_token = a.token AND ti.pid IS DISTINCT FROM a.pid
          JOIN task_instance_try tt ON tt.dag_id = ti.dag_id AND tt.run_id = ti.run_id AND tt.task_id = ti.task_id
            AND tt.map_index = ti.map_index AND tt.try_number = ti.try_number
         FOR UPDATE OF ti, tt SKIP LOCKED),
     ti AS (
       UPDATE task_instance ti SET pid = lk.pid
         FROM lk WHERE ti.dag_id = lk.dag_id AND ti.run_id = lk.run_id AND ti.task_id = lk.task_id AND ti.map_index = lk.map_index)
     UPDATE task_instance_try tt SET pid = lk.pid
       FROM lk WHERE tt.dag_id = lk.dag_id AND tt.run_id = lk.run_id AND tt.task_id = lk.task_id AND tt.map_index = lk.map_index
        AND tt.try_number = lk.try_number`,
    [a.map((x) => x.dagId), a.map((x) => x.runId), a.map((x) => x.taskId), a.map((x) => x.mapIndex), a.map((x) => x.tryNumber),
      a.map((x) => x.attemptToken.toLowerCase()), a.map((x) => x.pid)]);
}
