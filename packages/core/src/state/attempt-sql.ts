/**
 * The two transitions workers drive, in bulk: many claims (or many results) arriving together are
 * applied by ONE compare-and-set statement each way, with their try rows (and XCom) written in the
 * same statement. Per input the result is the new row, or null when the attempt is not current.
 */
import type { Queryable } from '../db/types.js';
import { isAttemptToken, type TaskInstanceKey } from './task-instance-sql.js';

export interface ClaimInput extends TaskInstanceKey {
  tryNumber: number;
  attemptToken: string;
  workerId: string;
  hostname: string;
  /** Relative path of this try's log file, stored on the try row. */
  logPath: string;
}

/** The run a claim refers to, returned by the claim so the task can be rendered without a read. */
export interface ClaimedAttempt {
  dagRunId: string;
  maxTries: number;
  runType: string;
  logicalDate: Date;
  dataIntervalStart: Date | null;
  dataIntervalEnd: Date | null;
  conf: Record<string, unknown>;
  dagHash: string | null;
}

// Guards read `IS NOT DISTINCT FROM` to keep the planner on the primary key (see task-instance-sql.ts).
const KEY_JOIN = 'ti.dag_id = a.dag_id AND ti.run_id = a.run_id AND ti.task_id = a.task_id AND ti.map_index = a.map_index';

/** Keeps the inputs with a well-formed token (others can never be current) with their positions. */
function current<T extends { attemptToken: string }>(inputs: readonly T[]): Array<{ input: T; at: number }> {
  return inputs.flatMap((input, at) => (isAttemptToken(input.attemptToken) ? [{ input, at }] : []));
}

/**
 * queued -> running for exactly these tries and tokens (claims), updating their try rows.
 * Two claims of one attempt in a batch: one wins, the other gets null.
 */
export async function claimAttempts(db: Queryable, claims: readonly ClaimInput[]): Promise<Array<ClaimedAttempt | null>> {
  const out: Array<ClaimedAttempt | null> = claims.map(() => null);
  const valid = current(claims);
  if (valid.length === 0) return out;
  const c = valid.map((v) => v.input);
  const { rows } = await db.query<{
    i: string; dag_run_id: string; max_tries: number; run_type: string; logical_date: Date;
    data_interval_start: Date | null; data_interval_end: Date | null; conf: Record<string, unknown>; dag_hash: string | null;
  }>({
    name: 'updraft_claim_attempts',
    text: `WITH a AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::uuid[], $7::text[], $8::text[], $9::text[])
         WITH ORDINALITY AS a(dag_id, run_id, task_id, map_index, try_number, token, worker_id, hostname, log_path, i)),
     c AS (
       UPDATE task_instance ti SET state = 'running', started_at = now(), worker_id = a.worker_id, hostname = a.hostname, updated_at = now()
       FROM a, dag_run r
       WHERE ${KEY_JOIN} AND ti.state IS NOT DISTINCT FROM 'queued' AND ti.try_number = a.try_number AND ti.attempt_token = a.token
         AND r.id = ti.dag_run_id
       RETURNING a.i, a.log_path, ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number, ti.worker_id, ti.hostname,
         ti.started_at, ti.dag_run_id, ti.max_tries, r.run_type, r.logical_date, r.data_interval_start, r.data_interval_end,
         r.conf, r.dag_hash),
     t AS (
       UPDATE task_instance_try tt SET state = 'running', started_at = c.started_at, worker_id = c.worker_id,
         hostname = c.hostname, log_path = c.log_path
       FROM c WHERE tt.dag_id = c.dag_id AND tt.run_id = c.run_id AND tt.task_id = c.task_id
         AND tt.map_index = c.map_index AND tt.try_number = c.try_number)
     SELECT i, dag_run_id, max_tries, run_type, logical_date, data_interval_start, data_interval_end, conf, dag_hash FROM c`,
    values: [c.map((x) => x.dagId), c.map((x) => x.runId), c.map((x) => x.taskId), c.map((x) => x.mapIndex),
      c.map((x) => x.tryNumber), c.map((x) => x.attemptToken), c.map((x) => x.workerId), c.map((x) => x.hostname),
      c.map((x) => x.logPath)],
  });
  for (const r of rows) {
    out[valid[Number(r.i) - 1]!.at] = {
      dagRunId: String(r.dag_run_id), maxTries: r.max_tries, runType: r.run_type, logicalDate: r.logical_date,
      dataIntervalStart: r.data_interval_start, dataIntervalEnd: r.data_interval_end, conf: r.conf, dagHash: r.dag_hash,
    };
  }
  return out;
}

export interface FinishInput extends TaskInstanceKey {
  tryNumber: number;
  attemptToken: string;
  success: boolean;
  exitCode: number | null;
  error: string | null;
  durationMs: number | null;
  /** JSON text stored as XCom `return_value` on success; null = none. Must be valid JSON. */
  returnValueJson: string | null;
  /** Delay before the next try when this one failed and tries are left. */
  retryDelayMs: number;
}

export interface FinishedAttempt {
  dagRunId: string;
  state: 'success' | 'failed' | 'up_for_retry';
  /** Milliseconds (database clock) until the retry may be queued; null unless up_for_retry. */
  retryInMs: number | null;
}

/**
 * running -> success | up_for_retry (failed, tries left) | failed, for exactly these tries and
 * tokens; updates their try rows (success or failed: the outcome of that try) and stores return
 * values as XCom `return_value`.
 */
export async function finishAttempts(db: Queryable, finishes: readonly FinishInput[]): Promise<Array<FinishedAttempt | null>> {
  const out: Array<FinishedAttempt | null> = finishes.map(() => null);
  const valid = current(finishes);
  if (valid.length === 0) return out;
  const f = valid.map((v) => v.input);
  const { rows } = await db.query<{ i: string; dag_run_id: string; state: FinishedAttempt['state']; retry_in_ms: number | null }>({
    name: 'updraft_finish_attempts',
    text: `WITH a AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::uuid[], $7::bool[], $8::int[],
         $9::text[], $10::float8[], $11::text[], $12::float8[])
         WITH ORDINALITY AS a(dag_id, run_id, task_id, map_index, try_number, token, success, exit_code, error, duration_ms,
           return_value, retry_delay_ms, i)),
     f AS (
       UPDATE task_instance ti SET
         state = CASE WHEN a.success THEN 'success' WHEN ti.try_number < ti.max_tries THEN 'up_for_retry' ELSE 'failed' END,
         next_retry_at = CASE WHEN NOT a.success AND ti.try_number < ti.max_tries
           THEN now() + a.retry_delay_ms * interval '1 millisecond' END,
         ended_at = now(), duration_ms = a.duration_ms, exit_code = a.exit_code, error = a.error, updated_at = now()
       FROM a
       WHERE ${KEY_JOIN} AND ti.state IS NOT DISTINCT FROM 'running' AND ti.try_number = a.try_number AND ti.attempt_token = a.token
       RETURNING a.i, ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number, ti.dag_run_id, ti.state, ti.ended_at,
         a.duration_ms, a.exit_code, a.error, a.return_value,
         (EXTRACT(EPOCH FROM (ti.next_retry_at - now())) * 1000)::float8 AS retry_in_ms),
     t AS (
       UPDATE task_instance_try tt SET state = CASE WHEN f.state = 'up_for_retry' THEN 'failed' ELSE f.state END,
         ended_at = f.ended_at, duration_ms = f.duration_ms, exit_code = f.exit_code, error = f.error
       FROM f WHERE tt.dag_id = f.dag_id AND tt.run_id = f.run_id AND tt.task_id = f.task_id
         AND tt.map_index = f.map_index AND tt.try_number = f.try_number),
     x AS (
       INSERT INTO xcom (dag_id, run_id, task_id, map_index, key, value)
       SELECT f.dag_id, f.run_id, f.task_id, f.map_index, 'return_value', f.return_value::jsonb
       FROM f WHERE f.state = 'success' AND f.return_value IS NOT NULL
       ON CONFLICT (dag_id, run_id, task_id, map_index, key) DO UPDATE SET value = EXCLUDED.value, created_at = now())
     SELECT i, dag_run_id, state, retry_in_ms FROM f`,
    values: [f.map((x) => x.dagId), f.map((x) => x.runId), f.map((x) => x.taskId), f.map((x) => x.mapIndex),
      f.map((x) => x.tryNumber), f.map((x) => x.attemptToken), f.map((x) => x.success), f.map((x) => x.exitCode),
      f.map((x) => x.error), f.map((x) => x.durationMs), f.map((x) => x.returnValueJson), f.map((x) => x.retryDelayMs)],
  });
  for (const r of rows) {
    out[valid[Number(r.i) - 1]!.at] = { dagRunId: String(r.dag_run_id), state: r.state, retryInMs: r.retry_in_ms };
  }
  return out;
}
