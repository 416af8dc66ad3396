/**
 * Reading outcomes from the metadata database in end-to-end tests. Waits poll with a bound: that is
 * test synchronization (how long to wait at most), never an assertion about how fast things are.
 */
import type pg from 'pg';

export interface RunRow {
  dagId: string;
  runId: string;
  runType: string;
  state: string;
  logicalDate: Date;
  dataIntervalStart: Date;
  dataIntervalEnd: Date;
}

export interface TaskRow {
  taskId: string;
  state: string | null;
  tryNumber: number;
  maxTries: number;
}

export interface TryRow {
  taskId: string;
  tryNumber: number;
  state: string | null;
  startedAt: Date | null;
  endedAt: Date | null;
  workerId: string | null;
  logPath: string | null;
  exitCode: number | null;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns a value other than undefined; throws naming `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  o: { timeoutMs?: number; intervalMs?: number; diagnostics?: () => Promise<string> | string } = {},
): Promise<T> {
  const deadline = Date.now() + (o.timeoutMs ?? 60_000);
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const detail = o.diagnostics ? `\n${await o.diagnostics()}` : '';
      throw new Error(`timed out waiting for ${what}${detail}`);
    }
    await sleep(o.intervalMs ?? 200);
  }
}

export async function dagRuns(pool: pg.Pool, dagId: string): Promise<RunRow[]> {
  const { rows } = await pool.query<RunRow>(
    `SELECT dag_id AS "dagId", run_id AS "runId", run_type AS "runType", state, logical_date AS "logicalDate",
            data_interval_start AS "dataIntervalStart", data_interval_end AS "dataIntervalEnd"
       FROM dag_run WHERE dag_id = $1 ORDER BY logical_date`,
    [dagId],
  );
  return rows;
}

export async function dagRun(pool: pg.Pool, dagId: string, runId: string): Promise<RunRow | undefined> {
  return (await dagRuns(pool, dagId)).find((r) => r.runId === runId);
}

export async function taskInstances(pool: pg.Pool, dagId: string, runId: string): Promise<Map<string, TaskRow>> {
  const { rows } = await pool.query<TaskRow>(
    `SELECT task_id AS "taskId", state, try_number AS "tryNumber", max_tries AS "maxTries"
       FROM task_instance WHERE dag_id = $1 AND run_id = $2 ORDER BY task_id`,
    [dagId, runId],
  );
  return new Map(rows.map((r) => [r.taskId, r]));
}

export async function taskTries(pool: pg.Pool, dagId: string, runId: string): Promise<TryRow[]> {
  const { rows } = await pool.query<TryRow>(
    `SELECT task_id AS "taskId", try_number AS "tryNumber", state, started_at AS "startedAt", ended_at AS "endedAt",
            worker_id AS "workerId", log_path AS "logPath", exit_code AS "exitCode"
       FROM task_instance_try WHERE dag_id = $1 AND run_id = $2 ORDER BY task_id, try_number`,
    [dagId, runId],
  );
  return rows;
}

/** A readable dump of a run's task states, for failure messages. */
export async function describeRun(pool: pg.Pool, dagId: string, runId: string): Promise<string> {
  const run = await dagRun(pool, dagId, runId);
  const tasks = [...(await taskInstances(pool, dagId, runId)).values()];
  const counts = new Map<string, number>();
  for (const t of tasks) counts.set(String(t.state), (counts.get(String(t.state)) ?? 0) + 1);
  return `run ${dagId}/${runId}: ${run?.state ?? 'missing'}; tasks: ${[...counts].map(([s, n]) => `${s} ${n}`).join(', ')}`;
}

/** The tries of a run that did not succeed, with their errors: a failure message. */
export async function failedTries(pool: pg.Pool, dagId: string, runId: string): Promise<string> {
  const { rows } = await pool.query<{ task_id: string; try_number: number; state: string | null; error: string | null }>(
    `SELECT task_id, try_number, state, error FROM task_instance_try
      WHERE dag_id = $1 AND run_id = $2 AND state IS DISTINCT FROM 'success' ORDER BY task_id, try_number`,
    [dagId, runId],
  );
  return rows.map((r) => `${r.task_id} try ${r.try_number} ${r.state}: ${r.error ?? ''}`).join('\n');
}

/** Waits until the run has ended (success or failed) and returns it. */
export function waitForRunEnd(
  pool: pg.Pool,
  dagId: string,
  runId: string,
  o: { timeoutMs?: number; diagnostics?: () => string } = {},
): Promise<RunRow> {
  return waitFor(
    `run ${dagId}/${runId} to end`,
    async () => {
      const run = await dagRun(pool, dagId, runId);
      return run && (run.state === 'success' || run.state === 'failed') ? run : undefined;
    },
    { timeoutMs: o.timeoutMs ?? 90_000, diagnostics: async () => `${await describeRun(pool, dagId, runId)}\n${o.diagnostics?.() ?? ''}` },
  );
}
