/**
 * `d.triggerDagRun`: a task that starts a run of another DAG (Airflow's TriggerDagRunOperator).
 * It runs no code and never reaches a worker: the scheduler creates the run in the same
 * transaction that ends the task (or defers it, with waitForCompletion, until the triggered run
 * ends), so a run is triggered once per try, whatever the scheduler's restarts.
 */
import { parseDuration, type Duration } from './duration.js';
import { identifierProblem, quoteIdentifier } from './ids.js';
import type { TaskArgs } from './options.js';
import type { TriggerDagRunSettings } from './serialized.js';
import { assertKnownKeys, taskArgKeys } from './settings.js';

export interface TriggerDagRunTaskOptions extends TaskArgs {
  /** The DAG to start a run of. */
  triggerDagId: string;
  /** The run's conf: string values, at any depth, are templates (`{{ ds }}`, `{{ params.x }}`). Default {}. */
  conf?: Record<string, unknown>;
  /** The run's id, a template. Default `manual__<its logical date>`. */
  triggerRunId?: string;
  /**
   * The run's logical date: a Date, or a template that renders to an ISO 8601 date, such as
   * `'{{ logical_date }}'` (this run's). Default: the moment the task triggers.
   */
  logicalDate?: Date | string;
  /** A run with that run id or logical date exists: clear it, so it runs again (Airflow's reset_dag_run). Default false. */
  resetDagRun?: boolean;
  /** A run with that run id or logical date exists (and is not reset): the task is skipped, not failed. Default false. */
  skipWhenAlreadyExists?: boolean;
  /**
   * The task waits, in state deferred and without a worker, until the triggered run ends in one
   * of `allowedStates` (success) or `failedStates` (failed). Default false: it succeeds once the
   * run is created.
   */
  waitForCompletion?: boolean;
  /** Run states that end the wait success. Default ['success']. */
  allowedStates?: string[];
  /** Run states that fail the task. Default ['failed']. */
  failedStates?: string[];
  /** Longest wait for completion; then the task fails. Default '7d'. */
  timeout?: Duration;
}

const OWN_KEYS = ['triggerDagId', 'conf', 'triggerRunId', 'logicalDate', 'resetDagRun', 'skipWhenAlreadyExists', 'waitForCompletion', 'allowedStates', 'failedStates', 'timeout'] as const;
const KEYS = taskArgKeys(OWN_KEYS);
const RUN_STATES = ['success', 'failed', 'running', 'queued'];

/** Splits and checks the options: the trigger's settings and the task's own arguments. */
export function triggerDagRunSettings(
  o: TriggerDagRunTaskOptions, where: string, invalid: (message: string) => Error,
): { settings: TriggerDagRunSettings; args: TaskArgs } {
  if (typeof o !== 'object' || o === null) throw invalid(`${where}: options with a triggerDagId are required`);
  assertKnownKeys(o, KEYS, where);
  const { triggerDagId, conf, triggerRunId, logicalDate, resetDagRun, skipWhenAlreadyExists, waitForCompletion, allowedStates, failedStates, timeout, ...args } = o;
  const idProblem = identifierProblem('dag id', triggerDagId);
  if (idProblem !== undefined) throw invalid(`${where}: triggerDagId ${quoteIdentifier(triggerDagId)} is not a dag id: ${idProblem}`);
  if (conf !== undefined && (conf === null || typeof conf !== 'object' || Array.isArray(conf))) {
    throw invalid(`${where}: conf must be an object (the triggered run's conf)`);
  }
  let confJson: string;
  try {
    confJson = JSON.stringify(conf ?? {});
  } catch (err) {
    throw invalid(`${where}: conf must be JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (triggerRunId !== undefined && (typeof triggerRunId !== 'string' || triggerRunId.trim() === '')) {
    throw invalid(`${where}: triggerRunId must be a non-empty string (a template)`);
  }
  let date: string | null = null;
  if (logicalDate instanceof Date) {
    if (Number.isNaN(logicalDate.getTime())) throw invalid(`${where}: logicalDate is an invalid Date`);
    date = logicalDate.toISOString();
  } else if (logicalDate !== undefined) {
    if (typeof logicalDate !== 'string' || logicalDate.trim() === '') throw invalid(`${where}: logicalDate must be a Date or a non-empty string (a template or an ISO 8601 date)`);
    if (!logicalDate.includes('{{') && Number.isNaN(Date.parse(logicalDate))) throw invalid(`${where}: logicalDate is not a date: ${logicalDate}`);
    date = logicalDate;
  }
  for (const [key, value] of [['resetDagRun', resetDagRun], ['skipWhenAlreadyExists', skipWhenAlreadyExists], ['waitForCompletion', waitForCompletion]] as const) {
    if (value !== undefined && typeof value !== 'boolean') throw invalid(`${where}: ${key} must be true or false`);
  }
  const states = (key: 'allowedStates' | 'failedStates', list: unknown, fallback: string[]): string[] => {
    const value = list ?? fallback;
    if (!Array.isArray(value) || value.length === 0 || value.some((x) => !RUN_STATES.includes(x as string))) {
      throw invalid(`${where}: ${key} must be a non-empty list of DAG run states (${RUN_STATES.join(', ')}), got ${JSON.stringify(value)}`);
    }
    return [...new Set(value as string[])];
  };
  const allowed = states('allowedStates', allowedStates, ['success']);
  const failed = states('failedStates', failedStates, ['failed']);
  const both = allowed.filter((s) => failed.includes(s));
  if (both.length > 0) throw invalid(`${where}: ${both.join(', ')} is both allowed and failed`);
  const timeoutMs = parseDuration(timeout ?? '7d', `${where}: timeout`);
  if (timeoutMs < 1) throw invalid(`${where}: timeout must be at least 1ms`);
  return {
    settings: {
      dagId: triggerDagId, conf: JSON.parse(confJson) as Record<string, unknown>, runId: triggerRunId ?? null, logicalDate: date,
      resetDagRun: resetDagRun ?? false, skipWhenAlreadyExists: skipWhenAlreadyExists ?? false, waitForCompletion: waitForCompletion ?? false,
      allowedStates: allowed, failedStates: failed, timeoutMs,
    },
    args,
  };
}
