/**
 * Sensors: a task that waits for something by calling `poke(ctx)` until it returns a truthy value
 * (Airflow's BaseSensorOperator). Two modes:
 * - `reschedule` (default): each poke is one short try; between pokes the task instance is
 *   `up_for_reschedule` and holds no worker slot and no pool slot; the scheduler wakes it after
 *   `pokeInterval` and fails it (or skips it, `softFail`) once `timeout` has passed since the
 *   first poke. Pokes do not use up the task's retries.
 * - `poke`: one try keeps its slot and pokes in the same process until true or `timeout`.
 * A sensor whose timeout passed is not retried (Airflow's AirflowSensorTimeout), in either mode.
 * A truthy value other than `true` that poke returns becomes the task's XCom return value.
 */
import { parseDuration, type Duration } from './duration.js';
import type { Params, TaskArgs, TaskContext } from './options.js';
import type { DeferredWait, SensorMode, SensorSettings } from './serialized.js';

export interface SensorOptions<P extends Params = Params> extends TaskArgs {
  /** True (or any truthy value) when what the sensor waits for is there. Required unless `waitUntil`. */
  poke?: (ctx: TaskContext<P>) => unknown;
  /**
   * A deferred wait instead of a poke (sensors.timeDelta, sensors.dateTime, sensors.externalTask):
   * the scheduler itself ends the task when the time comes or the other DAG's task ended (state
   * `deferred` until then); no worker is involved.
   */
  waitUntil?: DeferredWait;
  /** Between pokes. Default '60s'. */
  pokeInterval?: Duration;
  /** Longest wait, from the first poke (across reschedules). Default '7d'. */
  timeout?: Duration;
  /** Default 'reschedule'. */
  mode?: SensorMode;
  /** On timeout the task is skipped (downstream follows trigger rules) instead of failed. Default false. */
  softFail?: boolean;
  /** Doubles the interval after each false poke (from pokeInterval). Default false. */
  exponentialBackoff?: boolean;
}

/** Longest interval between two pokes with exponential backoff. */
const MAX_BACKOFF_MS = 24 * 3_600_000;

/** The wait after the `pokes`-th false poke. */
export function pokeDelayMs(s: Pick<SensorSettings, 'pokeIntervalMs' | 'exponentialBackoff'>, pokes: number): number {
  if (!s.exponentialBackoff) return s.pokeIntervalMs;
  return Math.min(MAX_BACKOFF_MS, s.pokeIntervalMs * 2 ** Math.min(30, Math.max(0, pokes - 1)));
}

/**
 * Thrown by a task to end its try as skipped (Airflow's AirflowSkipException): downstream tasks
 * follow their trigger rules. Recognised by `updraftOutcome` (a DAG file may load its own SDK copy).
 */
export class TaskSkipped extends Error {
  readonly updraftOutcome = 'skipped';
  constructor(message = 'skipped by the task') {
    super(message);
    this.name = 'TaskSkipped';
  }
}

/** Thrown by a reschedule-mode sensor whose poke was false: the try ends up_for_reschedule. */
class SensorNotReady extends Error {
  readonly updraftOutcome = 'reschedule';
  constructor(message: string) {
    super(message);
    this.name = 'SensorNotReady';
  }
}

/**
 * Thrown by a poke-mode sensor whose timeout passed: the task fails on this try, whatever retries
 * it has left (Airflow's AirflowSensorTimeout). Recognised by `updraftNoRetry`.
 */
class SensorTimedOut extends Error {
  readonly updraftNoRetry = true;
  constructor(message: string) {
    super(message);
    this.name = 'SensorTimedOut';
  }
}

/** Reads and checks a sensor's options; `where` names the task in errors. */
export function sensorSettings(o: SensorOptions, where: string, invalid: (message: string) => Error): SensorSettings {
  if (o.waitUntil !== undefined) {
    if (o.poke !== undefined || o.mode !== undefined) throw invalid(`${where}: waitUntil is a wait of its own: give no poke and no mode with it`);
    const w = o.waitUntil as Partial<{ deltaMs: unknown; at: unknown; externalTask: unknown }>;
    const ok = (typeof w.deltaMs === 'number' && Number.isFinite(w.deltaMs) && w.deltaMs >= 0)
      || (typeof w.at === 'string' && !Number.isNaN(Date.parse(w.at)))
      || (typeof w.externalTask === 'object' && w.externalTask !== null && typeof (w.externalTask as { dagId?: unknown }).dagId === 'string');
    if (!ok) throw invalid(`${where}: waitUntil must come from sensors.timeDelta(), sensors.dateTime() or sensors.externalTask()`);
    return {
      mode: 'deferred', waitUntil: { ...o.waitUntil }, pokeIntervalMs: 0, timeoutMs: parseDuration(o.timeout ?? '7d', `${where}: timeout`),
      softFail: o.softFail ?? false, exponentialBackoff: false,
    };
  }
  if (typeof o.poke !== 'function') throw invalid(`${where}: poke must be a function (or give waitUntil)`);
  const mode = o.mode ?? 'reschedule';
  if (mode !== 'poke' && mode !== 'reschedule') throw invalid(`${where}: mode must be 'poke' or 'reschedule', got ${String(mode)}`);
  for (const key of ['softFail', 'exponentialBackoff'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'boolean') throw invalid(`${where}: ${key} must be true or false`);
  }
  const pokeIntervalMs = parseDuration(o.pokeInterval ?? '60s', `${where}: pokeInterval`);
  if (pokeIntervalMs < 1) throw invalid(`${where}: pokeInterval must be at least 1ms`);
  return {
    mode, pokeIntervalMs, timeoutMs: parseDuration(o.timeout ?? '7d', `${where}: timeout`),
    softFail: o.softFail ?? false, exponentialBackoff: o.exponentialBackoff ?? false,
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const shown = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

/** The function the worker runs for a sensor task. */
export function sensorCallable(poke: (ctx: TaskContext) => unknown, s: SensorSettings): (ctx: TaskContext) => Promise<unknown> {
  const done = (value: unknown): unknown => (value === true ? undefined : value);
  if (s.mode === 'reschedule') {
    return async (ctx) => {
      const value = await poke(ctx);
      if (value) {
        ctx.log(`poke: ${value === true ? 'true' : 'a value'}: the sensor succeeded`);
        return done(value);
      }
      // The try number counts failed tries and the tries before a clear too: the scheduler counts the pokes.
      const next = `${shown(s.pokeIntervalMs)}${s.exponentialBackoff ? ', doubled for each false poke before this one' : ''}`;
      ctx.log(`poke: false: rescheduled (the next poke after ${next}; timeout ${shown(s.timeoutMs)} from the first poke)`);
      throw new SensorNotReady('poke returned false');
    };
  }
  return async (ctx) => {
    const started = Date.now();
    for (let n = 1; ; n++) {
      const value = await poke(ctx);
      if (value) {
        ctx.log(`poke ${n}: ${value === true ? 'true' : 'a value'}: the sensor succeeded`);
        return done(value);
      }
      const waited = Date.now() - started;
      if (waited >= s.timeoutMs) {
        const message = `sensor timed out: poke still false after ${shown(s.timeoutMs)} (${n} pokes)`;
        ctx.log(`poke ${n}: false: ${message}`);
        if (s.softFail) throw new TaskSkipped(message);
        throw new SensorTimedOut(message);
      }
      const delay = Math.min(pokeDelayMs(s, n), s.timeoutMs - waited);
      ctx.log(`poke ${n}: false: next poke in ${shown(delay)}`);
      await sleep(delay);
    }
  };
}
