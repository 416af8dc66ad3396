/**
 * Timetables: schedules a cron string cannot say (Airflow's timetables), for `dag({ timetable })`.
 *
 *     timetable: timetables.every('6h')
 *       Runs cover [start + k·6h, start + (k+1)·6h), k = 0, 1, ... from startDate; each is created
 *       when its interval ends; logical date = interval start (Airflow's DeltaDataIntervalTimetable).
 *     timetable: timetables.cronTrigger('0 2 * * *', { dataInterval: 'previousDay' })
 *       A run at each cron tick (02:00 in the DAG's timezone); logical date = the tick (Airflow 3's
 *       CronTriggerTimetable); data interval = the previous calendar day, [00:00, 00:00) local.
 *     timetable: timetables.assetOrTime(timetables.cronTrigger('0 2 * * *'), anyOf(orders, refunds))
 *       The cron's runs, and an asset-triggered run whenever the assets were updated.
 *
 * A timetable is data (stored in the serialized DAG); the scheduler computes it without DAG code.
 */
import type { Asset, AssetAlias } from './asset.js';
import { isAssetCondition, listSchedule, serializeAssetCondition, type AssetCondition, type SerializedAssetCondition } from './asset-condition.js';
import { checkCronExpression } from './cron-check.js';
import { parseDuration, type Duration } from './duration.js';
import { DagDefinitionError } from './errors.js';
import type { SerializedTimetable } from './serialized.js';

const TIMETABLE_BRAND = Symbol.for('updraft.sdk.timetable');

/** A timetable for `dag({ timetable })`: made by `timetables.every()`, `cronTrigger()` or `assetOrTime()`. */
export interface Timetable {
  /** What the scheduler stores and computes from. */
  readonly serialized: SerializedTimetable;
  /** Set by assetOrTime(): the assets that also trigger runs (a list: each of them; or a condition). */
  readonly assets?: SerializedAssetCondition;
}

/**
 * The data interval of a cron-triggered run, ending at its trigger time:
 * - `'previousDay'`: the calendar day before the trigger's day in the DAG's timezone (23 or 25
 *   hours long on a DST day), e.g. a trigger at 2024-06-02 02:00 covers [06-01 00:00, 06-02 00:00);
 * - a Duration (`'1h'`, `'1d'`, ms): [trigger - duration, trigger), in real time;
 * - omitted: the empty interval [trigger, trigger] (Airflow's default interval of zero).
 */
export type CronTriggerDataInterval = 'previousDay' | Duration;

export interface CronTriggerOptions {
  /** Default: none (an empty interval at the trigger time). */
  dataInterval?: CronTriggerDataInterval;
}

/** Shortest delta: finer schedules are a mistake more often than not, and flood the database. */
const MIN_DELTA_MS = 1000;

function make(serialized: SerializedTimetable): Timetable {
  return Object.freeze({ serialized: Object.freeze(serialized), [TIMETABLE_BRAND]: true });
}

function every(delta: Duration): Timetable {
  const what = 'timetables.every(delta)';
  const everyMs = parseDuration(delta, what);
  if (everyMs < MIN_DELTA_MS) {
    throw new DagDefinitionError('invalid', `${what}: the delta must be at least 1s, got ${String(delta)} (e.g. '30m', '6h', '1d')`);
  }
  return make({ kind: 'delta', everyMs });
}

function cronTrigger(cron: string, options: CronTriggerOptions = {}): Timetable {
  const what = 'timetables.cronTrigger(cron)';
  if (typeof cron !== 'string') throw new DagDefinitionError('invalid', `${what}: the cron expression must be a string, got ${typeof cron}`);
  const problem = checkCronExpression(cron);
  if (problem !== null) throw new DagDefinitionError('invalid', `${what}: '${cron}' is not a valid cron expression: ${problem}`);
  if (typeof options !== 'object' || options === null) throw new DagDefinitionError('invalid', `${what}: options must be an object`);
  const unknown = Object.keys(options).filter((k) => k !== 'dataInterval');
  if (unknown.length > 0) throw new DagDefinitionError('invalid', `${what}: unknown option ${unknown.join(', ')} (known: dataInterval)`);
  const di = options.dataInterval;
  if (di === undefined) return make({ kind: 'cronTrigger', cron: cron.trim(), dataInterval: { ms: 0 } });
  if (di === 'previousDay') return make({ kind: 'cronTrigger', cron: cron.trim(), dataInterval: 'previousDay' });
  const ms = parseDuration(di, `${what}: dataInterval (a duration or 'previousDay')`);
  return make({ kind: 'cronTrigger', cron: cron.trim(), dataInterval: { ms } });
}

/**
 * Runs on `timetable` and also whenever `assets` were updated (Airflow's DatasetOrTimeSchedule):
 * the timed runs as the timetable makes them, plus an asset_triggered run once the assets (a
 * list: each of them; or an anyOf/allOf condition) had events since the last asset-triggered run.
 */
function assetOrTime(timetable: Timetable, assets: readonly (Asset | AssetAlias)[] | AssetCondition): Timetable {
  const what = 'timetables.assetOrTime(timetable, assets)';
  if (!isTimetable(timetable) || timetable.assets !== undefined) {
    throw new DagDefinitionError('invalid', `${what}: timetable must be made by timetables.every() or timetables.cronTrigger()`);
  }
  let condition: SerializedAssetCondition;
  if (isAssetCondition(assets)) condition = serializeAssetCondition(assets);
  else {
    if (!Array.isArray(assets) || assets.length === 0) throw new DagDefinitionError('invalid', `${what}: assets must be a non-empty list of asset(...) or assetAlias(...) values or anyOf/allOf`);
    const list = listSchedule(assets, `${what}: assets`);
    condition = list.condition ?? { all: list.uris.map((uri) => ({ uri })) };
  }
  return Object.freeze({ serialized: timetable.serialized, assets: condition, [TIMETABLE_BRAND]: true });
}

/** The timetables `dag({ timetable })` accepts. */
export const timetables = Object.freeze({
  /** Every `delta` from the DAG's startDate (real time: '6h' is six hours across a DST change too). */
  every,
  /** A run at each tick of `cron` in the DAG's timezone, logical date = the tick (see CronTriggerDataInterval). */
  cronTrigger,
  /** A timetable's runs, and runs triggered by assets too (Airflow's DatasetOrTimeSchedule). */
  assetOrTime,
});

/** True for a timetable of any copy of the SDK. */
export function isTimetable(value: unknown): value is Timetable {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[TIMETABLE_BRAND] === true
    && typeof (value as { serialized?: unknown }).serialized === 'object';
}
