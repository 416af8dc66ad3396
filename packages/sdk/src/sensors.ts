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
import type { DeferredWait } from './serialized.js';

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

export const sensors = { fileExists, http, timeDelta, dateTime };
