/**
 * Creating a backfill from any process (CLI, webserver): one run per schedule interval whose
 * logical date is in the range, never a second run for a logical date that has one (the reprocess
 * behaviour says which existing runs are cleared and rerun instead, as in Airflow 3), all written
 * in one transaction with the backfill row, then `NOTIFY updraft_dag_runs` so a running scheduler
 * starts the first runs at once. The scheduler owns the rest: it starts the runs within the
 * backfill's max_active_runs and completes the backfill when none is left.
 */
import type { SerializedDag } from '@updraft/sdk';
import { withTransaction } from '../db/transaction.js';
import { isPool, type Queryable } from '../db/types.js';
import { UpdraftError } from '../errors.js';
import { assertIdentifier } from '../ids.js';
import {
  attachRunsToBackfill,
  insertBackfill,
  insertBackfillRuns,
  REPROCESS_BEHAVIORS,
  runsAtLogicalDates,
  type ExistingRun,
  type ReprocessBehavior,
} from '../sql/backfills.js';
import { clearTaskInstances, instancesInRange } from '../sql/clear.js';
import { notifyDagRuns } from '../sql/dag-runs.js';
import { currentDag } from '../sql/dags.js';
import { intervalsBetween, timetableParamsOf, type DagRunInfo } from '../time/timetable.js';
import { checkManualRunRequest, runIdFor, taskInstancesOf } from './manual-run.js';

export interface BackfillRequest {
  dagId: string;
  /** Inclusive: intervals whose logical date is in [fromDate, toDate]. */
  fromDate: Date;
  toDate: Date;
  /** Which existing runs are rerun: none (default), failed, or completed (failed and successful). */
  reprocessBehavior?: ReprocessBehavior;
  /** Runs of this backfill running at once. Default: the DAG's max_active_runs. */
  maxActiveRuns?: number;
  /** Newest interval first. Default false. */
  runBackwards?: boolean;
  /** conf of the runs it creates (default {}) and of the runs it reruns (default: their own). */
  conf?: Record<string, unknown>;
  /** Who asked (recorded on the backfill). */
  createdBy?: string | null;
}

/** What a backfill does with one interval. */
export type IntervalAction = 'create' | 'reprocess' | 'skip';

export interface PlannedInterval {
  logicalDate: Date;
  dataIntervalStart: Date;
  dataIntervalEnd: Date;
  action: IntervalAction;
  /** The run there already, if any. */
  existing: ExistingRun | null;
  /** Why an interval is skipped: 'exists (success)', 'in flight (running)', ... */
  reason: string | null;
}

export interface BackfillPlan {
  dagId: string;
  dagHash: string;
  dagIsPaused: boolean;
  maxActiveRuns: number;
  intervals: PlannedInterval[];
}

/** What one existing run becomes under a reprocess behaviour (Airflow 3's rules). */
export function actionFor(existing: ExistingRun | null, behavior: ReprocessBehavior): { action: IntervalAction; reason: string | null } {
  if (existing === null) return { action: 'create', reason: null };
  if (existing.state === 'queued' || existing.state === 'running') return { action: 'skip', reason: `in flight (${existing.state})` };
  const rerun = (behavior === 'failed' && existing.state === 'failed') || behavior === 'completed';
  return rerun ? { action: 'reprocess', reason: null } : { action: 'skip', reason: `exists (${existing.state})` };
}

/** A pool gets its own transaction; a client is taken to be inside the caller's. */
function inTransaction<T>(db: Queryable, fn: (client: Queryable) => Promise<T>): Promise<T> {
  return isPool(db) ? withTransaction(db, fn) : fn(db);
}

function checkRequest(req: BackfillRequest): void {
  assertIdentifier('dag id', req.dagId, 'dag id');
  for (const [name, d] of [['start date', req.fromDate], ['end date', req.toDate]] as const) {
    if (Number.isNaN(d.getTime())) throw new UpdraftError('INVALID_ARGUMENT', `backfill ${name} is not a valid date`);
  }
  if (req.reprocessBehavior !== undefined && !REPROCESS_BEHAVIORS.includes(req.reprocessBehavior)) {
    throw new UpdraftError('INVALID_ARGUMENT', `reprocess behavior must be one of ${REPROCESS_BEHAVIORS.join(', ')}, got '${String(req.reprocessBehavior)}'`);
  }
  if (req.maxActiveRuns !== undefined && !(Number.isInteger(req.maxActiveRuns) && req.maxActiveRuns >= 1)) {
    throw new UpdraftError('INVALID_ARGUMENT', `max active runs must be an integer >= 1, got ${String(req.maxActiveRuns)}`);
  }
  checkManualRunRequest({ dagId: req.dagId, conf: req.conf });
}

/**
 * A DAG with a depends_on_past task, as in Airflow: never newest first (each run would wait for
 * the run before it, which the backfill starts only later), and only with a reprocess behaviour
 * (a failed run it skipped would hold every later run of the range forever).
 */
function checkPastDependence(dag: SerializedDag, req: BackfillRequest): void {
  const pastBound = dag.tasks.find((t) => t.dependsOnPast === true);
  if (pastBound === undefined) return;
  const why = `its task '${pastBound.taskId}' depends on past (dependsOnPast or waitForDownstream), so each run waits for the one before it`;
  if (req.runBackwards === true) {
    throw new UpdraftError('INVALID_ARGUMENT', `DAG '${dag.dagId}' cannot be backfilled newest first: ${why}; backfill it oldest first`);
  }
  if ((req.reprocessBehavior ?? 'none') === 'none') {
    throw new UpdraftError('INVALID_ARGUMENT',
      `DAG '${dag.dagId}' needs a reprocess behavior to be backfilled: ${why}, and a failed run left alone would hold the later ones forever; choose failed or completed`);
  }
}

/**
 * The intervals of the range that have ended at `now`: a backfill, like the scheduler, never runs
 * an interval whose data is not all there yet (Airflow 3 takes the same ones). A range with
 * intervals but none ended lies in the future: refused, naming the first.
 */
function endedIntervals(dagId: string, infos: DagRunInfo[], now: Date): DagRunInfo[] {
  const ended = infos.filter((i) => i.dataIntervalEnd.getTime() <= now.getTime());
  const first = infos[0];
  if (ended.length === 0 && first !== undefined) {
    throw new UpdraftError('INVALID_ARGUMENT',
      `no interval of DAG '${dagId}' in the backfill range has ended: the first, at ${first.logicalDate.toISOString()}, has not ended yet (it ends at ${first.dataIntervalEnd.toISOString()}); a backfill runs past intervals only, never the future`);
  }
  return ended;
}

/**
 * The intervals of the range that have ended at `now` and what a backfill would do with each (the
 * dry run).
 */
export async function planBackfill(db: Queryable, req: BackfillRequest, now: Date = new Date()): Promise<BackfillPlan> {
  checkRequest(req);
  const current = await currentDag(db, req.dagId, { withData: true });
  if (current === null || !current.isActive) {
    throw new UpdraftError('DAG_NOT_FOUND', `DAG '${req.dagId}' ${current === null ? 'not found' : 'is inactive (its file is gone from the DAGs folder)'}; see \`updraft dags list\``);
  }
  checkPastDependence(current.dag, req);
  const infos = endedIntervals(req.dagId, intervalsBetween(timetableParamsOf(current.dag), req.fromDate, req.toDate), now);
  if (req.runBackwards === true) infos.reverse();
  const existing = new Map((await runsAtLogicalDates(db, req.dagId, infos.map((i) => i.logicalDate))).map((r) => [r.logicalDate.getTime(), r]));
  const behavior = req.reprocessBehavior ?? 'none';
  return {
    dagId: req.dagId,
    dagHash: current.dagHash,
    dagIsPaused: current.isPaused,
    maxActiveRuns: req.maxActiveRuns ?? current.dag.maxActiveRuns,
    intervals: infos.map((i) => {
      const run = existing.get(i.logicalDate.getTime()) ?? null;
      return { logicalDate: i.logicalDate, dataIntervalStart: i.dataIntervalStart, dataIntervalEnd: i.dataIntervalEnd, existing: run, ...actionFor(run, behavior) };
    }),
  };
}

export interface CreatedBackfill {
  backfillId: string;
  plan: BackfillPlan;
  created: number;
  reprocessed: number;
  skipped: number;
}

/**
 * Creates the backfill and its runs. Errors: INVALID_ARGUMENT (bad dates, options, a DAG with no
 * schedule, a range with no ended interval or too many, depends_on_past without a reprocess
 * behaviour or newest first),
 * DAG_NOT_FOUND, ALREADY_EXISTS (the DAG has an active backfill: at most one at a time, as in
 * Airflow).
 */
export async function createBackfill(db: Queryable, req: BackfillRequest, now: Date = new Date()): Promise<CreatedBackfill> {
  return inTransaction(db, async (client) => {
    const plan = await planBackfill(client, req, now);
    if (plan.intervals.length === 0) {
      throw new UpdraftError('INVALID_ARGUMENT',
        `no interval of DAG '${req.dagId}' has its logical date in the range ${req.fromDate.toISOString()} to ${req.toDate.toISOString()}: nothing to backfill`);
    }
    const of = (a: IntervalAction): PlannedInterval[] => plan.intervals.filter((i) => i.action === a);
    const toCreate = of('create');
    const toReprocess = of('reprocess');
    const skipped = plan.intervals.length - toCreate.length - toReprocess.length;
    const backfillId = await insertBackfill(client, {
      dagId: plan.dagId, fromDate: req.fromDate, toDate: req.toDate, runBackwards: req.runBackwards === true,
      reprocessBehavior: req.reprocessBehavior ?? 'none', maxActiveRuns: plan.maxActiveRuns, conf: req.conf ?? {},
      totalIntervals: plan.intervals.length, skippedIntervals: skipped, createdBy: req.createdBy ?? null,
    });
    if (backfillId === null) {
      throw new UpdraftError('ALREADY_EXISTS', `DAG '${plan.dagId}' already has an active backfill; see \`updraft backfills list\` (pause, resume or cancel it)`);
    }
    const current = await currentDag(client, plan.dagId, { withData: true });
    const tasks = taskInstancesOf(current!.dag);
    const created = await insertBackfillRuns(client, { backfillId, dagId: plan.dagId, dagHash: plan.dagHash, conf: req.conf ?? {} },
      toCreate.map((i) => ({ runId: runIdFor('backfill', i.logicalDate), logicalDate: i.logicalDate, dataIntervalStart: i.dataIntervalStart, dataIntervalEnd: i.dataIntervalEnd })),
      tasks);
    if (toReprocess.length > 0) {
      const runIds = new Set(toReprocess.map((i) => i.existing!.runId));
      const retries = new Map(current!.dag.tasks.map((t) => [t.taskId, t.retries]));
      const instances = (await instancesInRange(client, plan.dagId, { from: req.fromDate, to: req.toDate })).filter((i) => runIds.has(i.runId));
      await clearTaskInstances(client, plan.dagId,
        instances.map((i) => ({ runId: i.runId, taskId: i.taskId, mapIndex: i.mapIndex, retries: retries.get(i.taskId) ?? 0 })));
      // As in Airflow, a rerun run takes the backfill's conf when one was given, else keeps its own.
      await attachRunsToBackfill(client, backfillId, plan.dagId, [...runIds], req.conf);
    }
    await notifyDagRuns(client, plan.dagId);
    return { backfillId, plan, created, reprocessed: toReprocess.length, skipped: skipped + toCreate.length - created };
  });
}
