/** What timetables compute (DagRunInfo) and what they need to know about a DAG (TimetableParams). */
import type { SerializedTimetable } from '@updraft/sdk';

export interface DagRunInfo {
  /** Logical date of the run: the start of its data interval, except for a cron trigger timetable (the tick). */
  logicalDate: Date;
  dataIntervalStart: Date;
  dataIntervalEnd: Date;
  /** The earliest instant the run may be created (end of the data interval; the tick for a cron trigger). */
  runAfter: Date;
}

/** What a timetable needs to know about a DAG. */
export interface TimetableParams {
  /** Cron expression, preset, '@once' or null (manual only, unless `timetable` is set). */
  schedule: string | null;
  /** The DAG's timetable; when set it decides instead of `schedule`. */
  timetable?: SerializedTimetable | null;
  /** IANA timezone the schedule is evaluated in. */
  timezone: string;
  /** First instant a scheduled interval may start at; null = never scheduled. */
  startDate: Date | null;
  /** No scheduled interval starts after this instant; null = open-ended. */
  endDate: Date | null;
  /** true: every interval since startDate in order; false: only the latest complete one. */
  catchup: boolean;
}
