/** Schedules and timetables in words, for the API's timetable_description and the CLI. */
import { describeAssetCondition, type SerializedAssetCondition, type SerializedTimetable } from '@updraft/sdk';
import { UpdraftError } from '../errors.js';
import { cronTriggerTicks } from './cron-trigger-timetable.js';

const UNITS: Array<[number, string]> = [[86_400_000, 'day'], [3_600_000, 'hour'], [60_000, 'minute'], [1000, 'second'], [1, 'millisecond']];

/** 5400000 -> "1 hour 30 minutes". */
export function durationInWords(ms: number): string {
  const parts: string[] = [];
  let left = ms;
  for (const [size, name] of UNITS) {
    const n = Math.floor(left / size);
    if (n > 0) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
    left -= n * size;
  }
  return parts.length === 0 ? '0 seconds' : parts.join(' ');
}

/**
 * A timetable in words: "Every 6 hours from the start date" or "At each tick of cron '0 2 * * *'
 * (logical date = the tick), data interval: the previous day".
 */
export function describeTimetable(t: SerializedTimetable): string {
  if (t.kind === 'delta') return `Every ${durationInWords(t.everyMs).replace(/^1 (\w+)$/, '$1')} from the start date`;
  const interval = t.dataInterval === 'previousDay'
    ? 'the previous day'
    : t.dataInterval.ms === 0 ? 'none (the trigger time)' : `the ${durationInWords(t.dataInterval.ms)} before the trigger`;
  return `At each tick of cron '${t.cron}' (logical date = the tick), data interval: ${interval}`;
}

/** Checks a stored timetable (the SDK checked it too); UpdraftError('DAG_INVALID') naming what is wrong. */
export function validateTimetable(t: SerializedTimetable, timezone: string): void {
  if (t.kind === 'delta') {
    if (!Number.isInteger(t.everyMs) || t.everyMs < 1000) {
      throw new UpdraftError('DAG_INVALID', `timetable: the delta must be at least 1 second, got ${String(t.everyMs)} ms`);
    }
    return;
  }
  if (t.kind !== 'cronTrigger') throw new UpdraftError('DAG_INVALID', `timetable: unknown kind '${String((t as { kind?: unknown }).kind)}'`);
  cronTriggerTicks(t, timezone);
  const di = t.dataInterval;
  if (di !== 'previousDay' && !(typeof di === 'object' && Number.isInteger(di.ms) && di.ms >= 0)) {
    throw new UpdraftError('DAG_INVALID', "timetable: dataInterval must be 'previousDay' or a duration >= 0");
  }
}

/** A DAG's schedule for a listing: the timetable in words, else the cron expression or preset, else 'None (manual)'. */
export function scheduleSummary(dag: ScheduleFacts): string {
  return scheduleDescription(dag) ?? 'None (manual)';
}

/** What a DAG's schedule is made of (a DagSummary, a DagView, a SerializedDag). */
export interface ScheduleFacts {
  schedule: string | null;
  timetable?: SerializedTimetable | null;
  assetSchedule?: string[] | null;
  assetCondition?: SerializedAssetCondition | null;
}

/**
 * The schedule in words: a timetable's, an asset-driven DAG's ('Triggered by assets: a | (b & c)';
 * a list: 'a & b'), both for timetables.assetOrTime, else the cron string; null for a manual DAG.
 */
export function scheduleDescription(dag: ScheduleFacts): string | null {
  const uris = dag.assetSchedule ?? null;
  const assets = uris === null ? null : `assets: ${dag.assetCondition != null ? describeAssetCondition(dag.assetCondition) : uris.join(' & ')}`;
  if (dag.timetable != null) return assets === null ? describeTimetable(dag.timetable) : `${describeTimetable(dag.timetable)}, or when triggered by ${assets}`;
  if (assets !== null) return `Triggered by ${assets}`;
  return dag.schedule;
}
