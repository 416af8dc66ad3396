// CONTRACT STUB (implemented by the timetable work): see the signatures below.
export interface DagRunInfo {
  /** Logical date of the run = start of its data interval for cron schedules. */
  logicalDate: Date;
  dataIntervalStart: Date;
  dataIntervalEnd: Date;
  /** The earliest instant the run may be created (end of the data interval). */
  runAfter: Date;
}
