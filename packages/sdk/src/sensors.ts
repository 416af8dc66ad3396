/**
 * Ready-made poke functions for `d.sensor`, e.g.
 * `d.sensor('landed', { poke: sensors.fileExists('/data/in/{{ ds }}.csv'), pokeInterval: '5m' })`.
 * They run on the worker host, like any poke, and render the path or URL as a template
 * (`{{ ds }}`, `{{ ds_nodash }}`, `{{ run_id }}`, `{{ params.x }}`, macros and filters).
 */
import { parseDuration, type Duration } from './duration.js';
import { DagDefinitionError } from './errors.js';
import type { TaskContext } from './options.js';
import { renderTemplate, templateValues } from './template.js';
import { TEMPLATE_FILTERS } from './template-macros.js';
import type { DeferredWait, ExternalTaskWait } from './serialized.js';

/** `text` rendered as a template with the task's values (`{{ ds }}`, `{{ params.x }}`, macros, filters). */
function fill(text: string, ctx: TaskContext): string {
  const values = {
    // The DAG's timezone is not in ctx: ds and ds_nodash come from ctx as the worker computed them.
    ...templateValues({ ...ctx, timezone: 'UTC' }),
    ds: ctx.ds,
    ds_nodash: ctx.dsNodash,
  };
  return renderTemplate(text, values, `task '${ctx.taskId}' sensor`, TEMPLATE_FILTERS);
}

/** True when the path exists on the worker host (`{{ ds }}`, `{{ ds_nodash }}`, `{{ params.x }}` filled in). */
function fileExists(path: string): (ctx: TaskContext) => Promise<boolean> {
  return async (ctx) => {
    const filled = fill(path, ctx);
    // Loaded here: the rest of the SDK needs nothing of Node's.
    const { access } = await import('node:fs/promises');
    try {
      await access(filled);
      return true;
    } catch {
      ctx.log(`${filled} does not exist yet`);
      return false;
    }
  };
}

export interface HttpSensorOptions {
  /** Statuses that count as ready. Default [200]. */
  expectStatus?: number | number[];
  method?: string;
  headers?: Record<string, string>;
  /** Per request. Default 30 s. */
  timeoutMs?: number;
}

/** True when a request to the URL answers one of the expected statuses; network errors are a false poke. */
function http(url: string, o: HttpSensorOptions = {}): (ctx: TaskContext) => Promise<boolean> {
  const expected = Array.isArray(o.expectStatus) ? o.expectStatus : [o.expectStatus ?? 200];
  return async (ctx) => {
    const filled = fill(url, ctx);
    try {
      const response = await fetch(filled, { method: o.method ?? 'GET', headers: o.headers ?? {}, signal: AbortSignal.timeout(o.timeoutMs ?? 30_000) });
      await response.body?.cancel();
      ctx.log(`${o.method ?? 'GET'} ${filled}: ${response.status}`);
      return expected.includes(response.status);
    } catch (err) {
      ctx.log(`${o.method ?? 'GET'} ${filled}: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
  };
}

/** A deferred wait until the run's data interval end plus `delta` (Airflow's TimeDeltaSensor): no worker, no polling. */
function timeDelta(delta: Duration): { waitUntil: DeferredWait } {
  return { waitUntil: { deltaMs: parseDuration(delta, 'sensors.timeDelta') } };
}

/** A deferred wait until an instant (Airflow's DateTimeSensor): no worker, no polling. */
function dateTime(at: Date | string): { waitUntil: DeferredWait } {
  const ms = at instanceof Date ? at.getTime() : Date.parse(at);
  if (Number.isNaN(ms)) throw new DagDefinitionError('invalid', `sensors.dateTime: not a date: ${String(at)}`);
  return { waitUntil: { at: new Date(ms).toISOString() } };
}

export interface ExternalTaskSensorOptions {
  dagId: string;
  /** The task waited for; absent: the whole DAG run. */
  taskId?: string;
  /** A fixed logical date of the run waited for. Default: this run's logical date (less `executionDelta`). */
  logicalDate?: Date | string;
  /** Waits for the run this much earlier than this run's logical date (Airflow's execution_delta). Default 0. */
  executionDelta?: Duration;
  /** States that end the wait success. Default ['success']. */
  allowedStates?: string[];
  /** States that fail the sensor at once. Default ['failed', 'upstream_failed'] for a task, ['failed'] for a run. */
  failedStates?: string[];
}

const TASK_STATES = ['success', 'failed', 'skipped', 'upstream_failed', 'removed', 'up_for_retry', 'up_for_reschedule', 'running', 'queued', 'scheduled', 'deferred'];
const RUN_STATES = ['success', 'failed', 'running', 'queued'];

/**
 * A deferred wait for another DAG's task (or whole run) for the same logical date (Airflow's
 * ExternalTaskSensor). The scheduler decides it from its own database when that task ends, so the
 * sensor holds no worker and needs no database access on a worker; it fails at once when the task
 * reaches a failed state and, like every sensor, after `timeout` (skipped with `softFail`).
 */
function externalTask(o: ExternalTaskSensorOptions): { waitUntil: DeferredWait } {
  const where = 'sensors.externalTask';
  if (o === null || typeof o !== 'object') throw new DagDefinitionError('invalid', `${where}: give an options object { dagId, taskId? }`);
  if (typeof o.dagId !== 'string' || o.dagId === '') throw new DagDefinitionError('invalid', `${where}: dagId must be a non-empty string`);
  if (o.taskId !== undefined && (typeof o.taskId !== 'string' || o.taskId === '')) throw new DagDefinitionError('invalid', `${where}: taskId must be a non-empty string`);
  if (o.logicalDate !== undefined && o.executionDelta !== undefined) throw new DagDefinitionError('invalid', `${where}: give logicalDate or executionDelta, not both`);
  let logicalDate: string | null = null;
  if (o.logicalDate !== undefined) {
    const ms = o.logicalDate instanceof Date ? o.logicalDate.getTime() : Date.parse(o.logicalDate);
    if (Number.isNaN(ms)) throw new DagDefinitionError('invalid', `${where}: logicalDate is not a date: ${String(o.logicalDate)}`);
    logicalDate = new Date(ms).toISOString();
  }
  const known = o.taskId === undefined ? RUN_STATES : TASK_STATES;
  const states = (key: 'allowedStates' | 'failedStates', fallback: string[]): string[] => {
    const list = o[key] ?? fallback;
    if (!Array.isArray(list) || list.some((x) => !known.includes(x))) {
      throw new DagDefinitionError('invalid', `${where}: ${key} must be a list of ${o.taskId === undefined ? 'DAG run' : 'task'} states (${known.join(', ')}), got ${JSON.stringify(list)}`);
    }
    return [...list];
  };
  const wait: ExternalTaskWait = {
    dagId: o.dagId, taskId: o.taskId ?? null, logicalDate,
    deltaMs: o.executionDelta === undefined ? 0 : parseDuration(o.executionDelta, `${where}: executionDelta`),
    allowedStates: states('allowedStates', ['success']),
    failedStates: states('failedStates', o.taskId === undefined ? ['failed'] : ['failed', 'upstream_failed']),
  };
  const both = wait.allowedStates.filter((x) => wait.failedStates.includes(x));
  if (both.length > 0) throw new DagDefinitionError('invalid', `${where}: ${both.join(', ')} is both allowed and failed`);
  return { waitUntil: { externalTask: wait } };
}

export const sensors = { fileExists, http, timeDelta, dateTime, externalTask };
