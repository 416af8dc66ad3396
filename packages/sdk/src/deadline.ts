/**
 * Time limits of a DAG's runs.
 * - Deadlines (Airflow 3.1's deadline alerts; what Airflow 2's SLA misses were for): a DAG option
 *   `deadline: { after: '2h', from: 'queuedAt' | 'logicalDate', onMiss }`. A run still not finished
 *   `after` its reference time fires `onMiss` once (a callback run in an isolated process, or a
 *   declarative notifier); a run that ends in time fires nothing.
 * - `dagrunTimeout` (Airflow's dagrun_timeout): a run still running that long after it started
 *   fails (the scheduler ends it, see core's sql/run-timeouts.ts).
 */
import { isCallbacks, type Callbacks } from './callbacks.js';
import { parseDuration, type Duration } from './duration.js';
import { DagDefinitionError } from './errors.js';
import type { DeadlineSettings } from './serialized.js';

export interface DeadlineOptions {
  /** How long after `from` the run must have ended. */
  after: Duration;
  /** The reference: when the run was queued (default) or its logical date. */
  from?: 'queuedAt' | 'logicalDate';
  /** Called (or notified) once when a run misses the deadline; its context's event is 'onDeadlineMiss'. */
  onMiss: Callbacks;
}

const KEYS = new Set(['after', 'from', 'onMiss']);

/** The serialized settings of a DAG's deadline option (checked); `where` names the DAG in errors. */
export function deadlineSettings(value: unknown, where: string): DeadlineSettings {
  const fail = (message: string): never => {
    throw new DagDefinitionError('invalid', `${where}: deadline: ${message}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail("must be an object { after, from?, onMiss }");
  const o = value as Partial<DeadlineOptions>;
  for (const key of Object.keys(o)) if (!KEYS.has(key)) fail(`unknown option '${key}' (known: after, from, onMiss)`);
  if (o.after === undefined) fail("'after' is required (a duration such as '2h')");
  const afterMs = parseDuration(o.after!, `${where}: deadline.after`);
  const from = o.from ?? 'queuedAt';
  if (from !== 'queuedAt' && from !== 'logicalDate') fail(`from must be 'queuedAt' or 'logicalDate', got ${String(from)}`);
  if (!isCallbacks(o.onMiss)) fail('onMiss must be a function, a notifier (an object with notify(ctx), or slack()/email()/webhook()) or an array of them');
  return { afterMs, from };
}

/** The milliseconds of a DAG's `dagrunTimeout` option (checked: a duration > 0); `where` names the DAG in errors. */
export function dagrunTimeoutMs(value: unknown, where: string): number {
  const ms = parseDuration(value as Duration, `${where}: dagrunTimeout`);
  if (ms <= 0) throw new DagDefinitionError('invalid', `${where}: dagrunTimeout must be > 0 (a duration such as '2h')`);
  return ms;
}
