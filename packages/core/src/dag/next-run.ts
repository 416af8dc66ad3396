import { nextDagRunInfo, timetableParamsOf } from '../time/timetable.js';
import type { DagRunInfo } from '../time/timetable.js';
import type { DagSummary } from '../sql/dags.js';

/** What the next run of a DAG is computed from (a DagSummary, a DagView). */
export type NextRunFacts = Pick<DagSummary, 'schedule' | 'timetable' | 'timezone' | 'startDate' | 'endDate' | 'catchup' | 'nextDagrun'
  | 'nextDagrunIntervalStart' | 'nextDagrunIntervalEnd' | 'nextDagrunCreateAfter' | 'lastScheduledRun'>;

const paramsOf = (dag: NextRunFacts) => timetableParamsOf({
  schedule: dag.schedule, timetable: dag.timetable ?? undefined, timezone: dag.timezone,
  startDate: dag.startDate, endDate: dag.endDate, catchup: dag.catchup,
});

/**
 * The next scheduled run of a DAG as of `now`, as the scheduler will create it: the one it planned
 * (dag.next_dagrun*) while that is still ahead, else computed by the timetable from the schedule
 * and the latest automated run, as the scheduler does when the plan comes due. The stored plan only
 * says when the scheduler looks next: without catchup, a plan that came due while the DAG was
 * paused (weeks ago) is not what runs on unpause, only the latest complete interval is (as Airflow
 * shows it). With catchup the due plan is what runs. Null for a manual-only DAG or one past its
 * end date.
 */
export function nextRunOf(dag: NextRunFacts, now: Date = new Date()): DagRunInfo | null {
  const planned: DagRunInfo | null = dag.nextDagrun === null || dag.nextDagrunCreateAfter === null ? null : {
    logicalDate: dag.nextDagrun,
    dataIntervalStart: dag.nextDagrunIntervalStart ?? dag.nextDagrun,
    dataIntervalEnd: dag.nextDagrunIntervalEnd ?? dag.nextDagrun,
    runAfter: dag.nextDagrunCreateAfter,
  };
  if (planned !== null && (dag.catchup || planned.runAfter > now)) return planned;
  if (dag.schedule === null && dag.timetable === null) return planned;
  const params = paramsOf(dag);
  const last = dag.lastScheduledRun === null ? null : { ...dag.lastScheduledRun, runAfter: dag.lastScheduledRun.dataIntervalEnd };
  return nextDagRunInfo(params, last, now);
}

/**
 * The next `count` scheduled runs of a DAG as of `now` (Airflow's `dags next-execution -n`): the
 * next one, then each following interval of its timetable. Fewer when the schedule ends.
 */
export function nextRunsOf(dag: NextRunFacts, count: number, now: Date = new Date()): DagRunInfo[] {
  const out: DagRunInfo[] = [];
  let info = nextRunOf(dag, now);
  const params = paramsOf(dag);
  while (info !== null && out.length < count) {
    out.push(info);
    // "Now" = this run's creation time, so the no-catchup rule never skips the following interval.
    info = nextDagRunInfo(params, info, info.runAfter);
  }
  return out;
}
