import { nextDagRunInfo, timetableParamsOf } from '../time/timetable.js';
import type { DagRunInfo } from '../time/timetable.js';
import type { DagSummary } from '../sql/dags.js';

/**
 * The next scheduled run of a DAG as of `now`: the one the scheduler planned (dag.next_dagrun*)
 * when set, else computed by the timetable from the schedule and the latest scheduled run.
 * Null for a manual-only DAG or one past its end date.
 */
export function nextRunOf(dag: DagSummary, now: Date = new Date()): DagRunInfo | null {
  if (dag.nextDagrun !== null && dag.nextDagrunCreateAfter !== null) {
    return {
      logicalDate: dag.nextDagrun,
      dataIntervalStart: dag.nextDagrunIntervalStart ?? dag.nextDagrun,
      dataIntervalEnd: dag.nextDagrunIntervalEnd ?? dag.nextDagrun,
      runAfter: dag.nextDagrunCreateAfter,
    };
  }
  if (dag.schedule === null) return null;
  const params = timetableParamsOf({
    schedule: dag.schedule,
    timezone: dag.timezone,
    startDate: dag.startDate,
    endDate: dag.endDate,
    catchup: dag.catchup,
  });
  const last = dag.lastScheduledRun === null ? null : { ...dag.lastScheduledRun, runAfter: dag.lastScheduledRun.dataIntervalEnd };
  return nextDagRunInfo(params, last, now);
}
