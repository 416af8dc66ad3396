/**
 * The semantics suite's way to run one case: trigger a DAG on the shared stack, wait for the run
 * to end, and read the final state of every task instance (`task` or `task[map_index]`) with the
 * errors of failed tries. Waiting is bounded polling (synchronization, never a timing assertion).
 */
import type pg from 'pg';
import { waitForRunEnd } from '../e2e/db.js';
import type { Stack } from '../e2e/stack.js';
import type { TriggerOptions } from '../e2e/trigger.js';

export interface CaseResult {
  runId: string;
  runState: string;
  /** Final state of each task instance: `task_id` or `task_id[map_index]` -> state (null: none). */
  states: Record<string, string | null>;
  /** The error of each task instance that has one (its last try). */
  errors: Record<string, string>;
  /** Tries of each task instance. */
  tries: Record<string, number>;
}

const nameOf = (taskId: string, mapIndex: number): string => (mapIndex >= 0 ? `${taskId}[${mapIndex}]` : taskId);

export async function taskStates(pool: pg.Pool, dagId: string, runId: string): Promise<Omit<CaseResult, 'runId' | 'runState'>> {
  const { rows } = await pool.query<{ task_id: string; map_index: number; state: string | null; error: string | null; try_number: number }>(
    `SELECT task_id, map_index, state, error, try_number FROM task_instance WHERE dag_id = $1 AND run_id = $2 ORDER BY task_id, map_index`,
    [dagId, runId],
  );
  const out: Omit<CaseResult, 'runId' | 'runState'> = { states: {}, errors: {}, tries: {} };
  for (const r of rows) {
    const name = nameOf(r.task_id, r.map_index);
    out.states[name] = r.state;
    out.tries[name] = r.try_number;
    if (r.error) out.errors[name] = r.error;
  }
  return out;
}

/** Triggers `dagId` and waits for the run to end; the outcome of every task instance. */
export async function runCase(stack: Stack, dagId: string, o: TriggerOptions = {}): Promise<CaseResult> {
  return caseResult(stack, dagId, await stack.trigger(dagId, o));
}

/** Waits for a triggered run to end; the outcome of every task instance. */
export async function caseResult(stack: Stack, dagId: string, runId: string): Promise<CaseResult> {
  const run = await waitForRunEnd(stack.pool, dagId, runId, { timeoutMs: 120_000, diagnostics: () => stack.diagnostics() });
  return { runId, runState: run.state, ...(await taskStates(stack.pool, dagId, runId)) };
}

/** The text of one try's log (read from the stack's log folder through the try's recorded path). */
export async function tryLog(stack: Stack, dagId: string, runId: string, taskId: string, tryNumber = 1, mapIndex = -1): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { rows } = await stack.pool.query<{ log_path: string | null }>(
    'SELECT log_path FROM task_instance_try WHERE dag_id = $1 AND run_id = $2 AND task_id = $3 AND map_index = $4 AND try_number = $5',
    [dagId, runId, taskId, mapIndex, tryNumber],
  );
  const path = rows[0]?.log_path;
  if (!path) throw new Error(`no log path for ${dagId}/${runId}/${taskId} try ${tryNumber}`);
  return readFile(join(stack.logFolder, path), 'utf8');
}

/** XCom values of a run as stored: `task[/map]:key` -> parsed value. */
export async function xcomValues(pool: pg.Pool, dagId: string, runId: string): Promise<Record<string, unknown>> {
  const { rows } = await pool.query<{ task_id: string; map_index: number; key: string; value: unknown }>(
    'SELECT task_id, map_index, key, value FROM xcom WHERE dag_id = $1 AND run_id = $2 ORDER BY task_id, map_index, key',
    [dagId, runId],
  );
  return Object.fromEntries(rows.map((r) => [`${nameOf(r.task_id, r.map_index)}:${r.key}`, r.value]));
}
