/**
 * `d.latestOnly` tasks (Airflow's LatestOnlyOperator), run by the scheduler: in a scheduled or
 * backfill run that is not the latest, their direct downstream tasks are skipped (what follows
 * those goes by its trigger rules). The latest run is the one whose data interval ended before
 * now and whose next interval has not ended yet; manual and asset-triggered runs always proceed.
 * The task's success, its return value (the direct downstream tasks it follows, [] when none) and
 * the skips are written in one transaction.
 */
import type { SerializedDag, SerializedTask } from '@updraft/sdk';
import type pg from 'pg';
import { withTransaction } from '../db/transaction.js';
import { endReadyTasks, lockReadyTasks } from '../sql/scheduler-tasks.js';
import { endEffectsOf } from '../sql/task-end-effects.js';
import { markNotRun } from '../sql/task-instances.js';
import { pushXComs } from '../sql/xcom.js';
import type { RunKey } from '../state/keys.js';
import { nextDagRunInfo, timetableParamsOf } from '../time/timetable.js';

export interface LatestRunDecision {
  latest: boolean;
  /** Why, in words (for the scheduler's log). */
  reason: string;
}

/** Whether a run of `dag` (its type and data interval) is the latest at `now`. */
export function latestRunDecision(
  dag: Pick<SerializedDag, 'schedule' | 'timetable' | 'timezone' | 'startDate' | 'endDate' | 'catchup'>,
  run: { runType: string; logicalDate: Date; dataIntervalStart: Date; dataIntervalEnd: Date },
  now: Date,
): LatestRunDecision {
  if (run.runType !== 'scheduled' && run.runType !== 'backfill') return { latest: true, reason: `a ${run.runType} run always proceeds` };
  // The interval after this run's, whatever catchup and endDate say about creating it.
  const next = nextDagRunInfo({ ...timetableParamsOf(dag), catchup: true, endDate: null }, { ...run, runAfter: run.dataIntervalEnd }, now);
  if (next === null) return { latest: true, reason: 'the schedule has no interval after this run' };
  const end = run.dataIntervalEnd.toISOString();
  const nextEnd = next.dataIntervalEnd.toISOString();
  if (now > run.dataIntervalEnd && now <= next.dataIntervalEnd) {
    return { latest: true, reason: `now is between the end of this run's data interval (${end}) and the next one's (${nextEnd})` };
  }
  return { latest: false, reason: `not the latest run: now is not between the end of its data interval (${end}) and the next one's (${nextEnd})` };
}

export interface LatestOnlyOutcome {
  taskId: string;
  latest: boolean;
  reason: string;
  /** The direct downstream tasks it skipped. */
  skipped: string[];
}

/** Ends these ready latestOnly tasks of `run` success, skipping their direct downstream tasks where the run is not the latest. */
export async function runLatestOnlyTasks(
  pool: pg.Pool, input: { run: RunKey; dag: SerializedDag; tasks: readonly SerializedTask[]; now: Date },
): Promise<{ outcomes: LatestOnlyOutcome[]; dagHash: string | null }> {
  const byId = new Map(input.tasks.filter((t) => t.latestOnly === true).map((t) => [t.taskId, t]));
  return withTransaction(pool, async (db) => {
    const locked = await lockReadyTasks(db, input.run, [...byId.keys()]);
    const outcomes = locked.map((ti): LatestOnlyOutcome => {
      const decision = latestRunDecision(input.dag, ti, input.now);
      return { taskId: ti.taskId, ...decision, skipped: decision.latest ? [] : [...byId.get(ti.taskId)!.downstream] };
    });
    const tryOf = new Map(locked.map((ti) => [ti.taskId, ti.tryNumber]));
    await endReadyTasks(db, input.run, outcomes.map((o) => ({
      taskId: o.taskId, state: 'success', error: null, ...endEffectsOf(byId.get(o.taskId)!, tryOf.get(o.taskId)!),
    })));
    // Its return value, as Airflow's LatestOnlyOperator (a branch): the direct downstream tasks it
    // follows. A clear that leaves the gate alone reads it to keep skipped what it skipped.
    await pushXComs(db, outcomes.map((o) => ({
      dagId: input.run.dagId, runId: input.run.runId, taskId: o.taskId, mapIndex: -1, key: 'return_value',
      valueJson: JSON.stringify(o.latest ? byId.get(o.taskId)!.downstream : []),
    })));
    const skipped = await markNotRun(db, input.run, [...new Set(outcomes.flatMap((o) => o.skipped))], 'skipped');
    for (const o of outcomes) o.skipped = o.skipped.filter((t) => skipped.includes(t));
    return { outcomes, dagHash: locked[0]?.dagHash ?? null };
  });
}
