/**
 * Triggering a DAG run from any process (CLI, webserver) without the scheduler's engine: the run
 * and its task instances are inserted queued, then `NOTIFY updraft_dag_runs` tells a running
 * scheduler to start it at once (without one, it starts at the scheduler's next tick).
 */
import type { Queryable } from '../db/types.js';
import { UpdraftError } from '../errors.js';
import { insertDagRun, notifyDagRuns, type DagRunType, type NewDagRun } from '../sql/dag-runs.js';
import { currentDag } from '../sql/dags.js';
import { findCollidingRun } from '../sql/scheduler-tasks.js';
import { checkManualRunRequest, duplicateRunError, planManualRun, type DuplicateRunError, type ManualRunRequest } from './manual-run.js';

export interface TriggerDagRunOptions extends ManualRunRequest {
  /** The metadata database. */
  db: Queryable;
  /** Clock for a missing logical date. Default: () => new Date(). */
  clock?: () => Date;
  /** Send NOTIFY updraft_dag_runs after the insert. Default true. */
  notify?: boolean;
}

export interface TriggeredDagRun {
  dagRunId: string;
  dagId: string;
  runId: string;
  runType: DagRunType;
  /** Always queued: the scheduler starts it (within max_active_runs, when the DAG is not paused). */
  state: 'queued';
  logicalDate: Date;
  dataIntervalStart: Date;
  dataIntervalEnd: Date;
  conf: Record<string, unknown>;
  /** The DAG version the run is bound to. */
  dagHash: string;
  /** Task instances created with the run. */
  taskCount: number;
  /** The DAG is paused: the run waits until it is unpaused. */
  dagIsPaused: boolean;
}

/**
 * Creates a manual run of the DAG's latest serialized version. Errors: INVALID_ARGUMENT (conf not
 * an object, bad logical date or run id), ALREADY_EXISTS (a DuplicateRunError: a run with that run id or logical date exists),
 * DAG_NOT_FOUND (no such DAG, or its file is gone).
 */
export async function triggerDagRun(o: TriggerDagRunOptions): Promise<TriggeredDagRun> {
  checkManualRunRequest(o);
  const current = await currentDag(o.db, o.dagId, { withData: true });
  if (current === null || !current.isActive) {
    const why = current === null ? 'not found' : 'is inactive (its file is gone from the DAGs folder)';
    throw new UpdraftError('DAG_NOT_FOUND',
      `DAG '${o.dagId}' ${why}; see \`updraft dags list\` and \`updraft dags list-import-errors\``);
  }
  const run = planManualRun(current.dag, current.dagHash, o, (o.clock ?? (() => new Date()))());
  const dagRunId = await insertDagRun(o.db, run);
  if (dagRunId === null) throw await runTakenError(o.db, run);
  if (o.notify !== false) await notifyDagRuns(o.db, o.dagId);
  return {
    dagRunId, dagId: run.dagId, runId: run.runId, runType: run.runType, state: 'queued', logicalDate: run.logicalDate,
    dataIntervalStart: run.dataIntervalStart, dataIntervalEnd: run.dataIntervalEnd, conf: run.conf, dagHash: run.dagHash,
    taskCount: run.tasks.length, dagIsPaused: current.isPaused,
  };
}

/** The error for a run insertDagRun refused, naming what is taken (the run id or the logical date). */
export async function runTakenError(db: Queryable, run: NewDagRun): Promise<DuplicateRunError> {
  return duplicateRunError(run, await findCollidingRun(db, run.dagId, run.runId, run.logicalDate));
}
