/**
 * What a manual DAG run is made of, shared by every place that creates one (the scheduler engine,
 * `updraft dags trigger`, the webserver): its run id, its data interval inferred from the
 * schedule, its task instances. Pure: no database.
 */
import { paramsProblems, type SerializedDag } from '@updraft/sdk';
import { UpdraftError } from '../errors.js';
import { assertIdentifier } from '../ids.js';
import { jsonHasLoneSurrogate, jsonHasNul } from '../rpc/limits.js';
import type { DagRunType, NewDagRun, NewTaskInstance } from '../sql/dag-runs.js';
import { maxTriesOf } from '../state/retry.js';
import { priorityWeights } from './priority-weights.js';
import { formatInTimezone } from '../time/format.js';
import { inferManualDataInterval } from '../time/timetable.js';

/** Airflow's run ids: `scheduled__2024-01-01T00:00:00+00:00`. */
export const runIdFor = (type: DagRunType, logicalDate: Date): string => `${type}__${formatInTimezone(logicalDate, 'UTC')}`;

/** The task instance rows of a new run of `dag` (state none, one per task). */
export function taskInstancesOf(dag: Pick<SerializedDag, 'tasks'>): NewTaskInstance[] {
  const weights = priorityWeights(dag.tasks);
  return dag.tasks.map((t) => ({
    taskId: t.taskId, operator: t.kind, queue: t.queue, pool: t.pool, poolSlots: t.poolSlots ?? 1,
    maxActiveTisPerDag: t.maxActiveTisPerDag ?? null, maxActiveTisPerDagrun: t.maxActiveTisPerDagrun ?? null, priorityWeight: weights.get(t.taskId) ?? t.priorityWeight, maxTries: maxTriesOf(t),
  }));
}

export interface ManualRunRequest {
  dagId: string;
  /** The run's conf (a JSON object). Default {}. */
  conf?: Record<string, unknown>;
  /** Default: now. The data interval is inferred from the schedule (the latest complete interval). */
  logicalDate?: Date;
  /** Default `manual__<logical date ISO>`. */
  runId?: string;
}

/** Checks what a caller may get wrong before any database work: dag id, conf, logical date, run id. */
export function checkManualRunRequest(req: ManualRunRequest): void {
  assertIdentifier('dag id', req.dagId, 'dag id');
  const conf: unknown = req.conf ?? {};
  if (conf === null || typeof conf !== 'object' || Array.isArray(conf)) {
    throw new UpdraftError('INVALID_ARGUMENT', `conf of a DAG run must be a JSON object, got ${Array.isArray(conf) ? 'an array' : conf === null ? 'null' : typeof conf}`);
  }
  // PostgreSQL's jsonb cannot hold NUL: refused here, naming conf, not by the database.
  const confJson = JSON.stringify(conf);
  if (jsonHasNul(confJson)) throw new UpdraftError('INVALID_ARGUMENT', 'conf of a DAG run contains a NUL character (\\u0000), which cannot be stored');
  if (jsonHasLoneSurrogate(confJson)) {
    throw new UpdraftError('INVALID_ARGUMENT', 'conf of a DAG run contains an unpaired UTF-16 surrogate (such as \\ud800), which cannot be stored');
  }
  if (req.logicalDate !== undefined && Number.isNaN(req.logicalDate.getTime())) {
    throw new UpdraftError('INVALID_ARGUMENT', 'logical date is not a valid date');
  }
  if (req.runId !== undefined) assertIdentifier('run id', req.runId, 'run id');
}

/**
 * The row of a manual run of `dag` (version `dagHash`) as insertDagRun takes it. `now` stands in
 * for a missing logical date.
 */
export function planManualRun(dag: SerializedDag, dagHash: string, req: ManualRunRequest, now: Date): NewDagRun {
  checkManualRunRequest(req);
  // The run's params (the DAG's defaults, then its conf) must hold the DAG's paramSpecs.
  const problems = dag.paramSpecs === undefined ? [] : paramsProblems({ ...dag.params, ...(req.conf ?? {}) }, dag.paramSpecs);
  if (problems.length > 0) throw new UpdraftError('INVALID_ARGUMENT', `conf of a run of DAG '${dag.dagId}': ${problems.join('; ')}`);
  const logicalDate = req.logicalDate ?? now;
  const info = inferManualDataInterval(dag, logicalDate);
  return {
    dagId: dag.dagId,
    runId: req.runId ?? runIdFor('manual', logicalDate),
    runType: 'manual',
    logicalDate,
    dataIntervalStart: info.dataIntervalStart,
    dataIntervalEnd: info.dataIntervalEnd,
    conf: req.conf ?? {},
    dagHash,
    tasks: taskInstancesOf(dag),
  };
}

/** A run that insertDagRun refused: `field` names what is taken, as Airflow's 409 does. */
export class DuplicateRunError extends UpdraftError {
  /** The run id or the logical date is taken; null when the run it collided with is gone already. */
  readonly field: 'run_id' | 'logical_date' | null;
  constructor(message: string, field: 'run_id' | 'logical_date' | null) {
    super('ALREADY_EXISTS', message);
    this.field = field;
  }
}

/**
 * The error for a run that insertDagRun refused. `existing` is the run it collided with
 * (findCollidingRun): the message says whether the run id or the logical date is taken, and by
 * which run; null when that run was deleted meanwhile.
 */
export function duplicateRunError(
  run: Pick<NewDagRun, 'dagId' | 'runId' | 'logicalDate'>, existing: { runId: string; logicalDate: Date } | null,
): DuplicateRunError {
  const date = run.logicalDate.toISOString();
  if (existing?.runId === run.runId) return new DuplicateRunError(`DAG '${run.dagId}' already has a run with run id '${run.runId}'`, 'run_id');
  if (existing !== null) {
    return new DuplicateRunError(`DAG '${run.dagId}' already has a run for logical date ${date} (run id '${existing.runId}')`, 'logical_date');
  }
  return new DuplicateRunError(`DAG '${run.dagId}' already has a run with run id '${run.runId}' or logical date ${date}`, null);
}
