/**
 * The `http` task type: one HTTP request on a connection (base URL, basic auth and headers from
 * it; see connection.ts) as a function task. The log shows the method, URL, status and a bounded
 * excerpt of the body. A network error or 5xx is an HttpRetryableError, a 4xx or a false
 * `responseCheck` an HttpResponseError; each fails the try and the task's retries apply.
 * Nothing is stored as XCom unless `responseFilter` is given: its result is the return value.
 */
import type { MappedTaskContext, Params, Task, TaskArgs, TaskContext } from '@updraft/sdk';
import { HttpResponseError } from '../errors.js';
import { assertOptionsObject, invalidOption, splitOptions, type TaskBuilder } from '../task-builder.js';
import { assertTemplateParses, renderForTask } from '../templating.js';
import { boundFetch, bodyExcerpt, sendRequest, type HttpResponse } from './client.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
const METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

export interface HttpTaskOptions<P extends Params = Params, R = unknown> extends TaskArgs {
  /** A connection whose host (with scheme) is the base URL; conn_type is not checked. */
  connId: string;
  /** Default 'POST' (as Airflow's HttpOperator). */
  method?: HttpMethod;
  /** Path under the base URL, with its query; a template (`/reports/{{ ds }}`). */
  endpoint: string;
  /**
   * The request body: a string is sent as is; any other value as JSON; for GET and HEAD an object
   * becomes query parameters. Strings are templates, also inside objects and arrays.
   */
  data?: unknown;
  /** Request headers over the connection's; values are templates. */
  headers?: Record<string, string>;
  /** Called with the response; returning false fails the task. */
  responseCheck?: (response: HttpResponse, ctx: TaskContext<P>) => boolean | Promise<boolean>;
  /** Called with the response; what it returns is the task's XCom return value. */
  responseFilter?: (response: HttpResponse, ctx: TaskContext<P>) => R | Promise<R>;
}

const OWN_KEYS = ['connId', 'method', 'endpoint', 'data', 'headers', 'responseCheck', 'responseFilter'] as const;

function validate(taskId: string, o: Partial<HttpTaskOptions<Params>>): void {
  const bad = (message: string): never => {
    throw invalidOption('http', taskId, message);
  };
  if (typeof o.connId !== 'string' || o.connId.trim() === '') bad('connId must be a non-empty string');
  if (typeof o.endpoint !== 'string') bad('endpoint must be a string (a path under the connection\'s base URL)');
  assertTemplateParses(o.endpoint!, `http task '${taskId}' endpoint`);
  if (o.method !== undefined && (typeof o.method !== 'string' || !METHODS.includes(o.method.toUpperCase()))) {
    bad(`method must be one of ${METHODS.join(', ')}, got ${String(o.method)}`);
  }
  forEachString(o.data, (text) => assertTemplateParses(text, `http task '${taskId}' data`));
  if (o.headers !== undefined) {
    if (typeof o.headers !== 'object' || o.headers === null || Array.isArray(o.headers)) bad('headers must be an object of strings');
    for (const [k, v] of Object.entries(o.headers!)) {
      if (typeof v !== 'string') bad(`header ${k} must be a string, got ${typeof v}`);
      assertTemplateParses(v, `http task '${taskId}' header ${k}`);
    }
  }
  for (const key of ['responseCheck', 'responseFilter'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'function') bad(`${key} must be a function`);
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/** Every string of `value` (inside arrays and plain objects too), in order. */
function forEachString(value: unknown, visit: (text: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) value.forEach((v) => forEachString(v, visit));
  else if (isPlainObject(value)) Object.values(value).forEach((v) => forEachString(v, visit));
}

/** `value` with every string rendered (plain objects and arrays copied). */
function renderData(value: unknown, render: (text: string) => string): unknown {
  if (typeof value === 'string') return render(value);
  if (Array.isArray(value)) return value.map((v) => renderData(v, render));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderData(v, render)]));
  }
  return value;
}

async function runHttp<P extends Params, R>(ctx: TaskContext<P>, o: HttpTaskOptions<P, R>): Promise<R | undefined> {
  const c = ctx as TaskContext;
  const conn = await ctx.connection(o.connId);
  const templates: Record<string, string> = { endpoint: o.endpoint };
  for (const [k, v] of Object.entries(o.headers ?? {})) templates[`header ${k}`] = v;
  let n = 0;
  forEachString(o.data, (text) => (templates[`data string ${++n}`] = text));
  const rendered = await renderForTask(c, templates);
  n = 0;
  const response = await sendRequest(boundFetch(conn), {
    method: o.method ?? 'POST',
    endpoint: rendered.endpoint!,
    data: renderData(o.data, () => rendered[`data string ${++n}`]!),
    headers: Object.fromEntries(Object.keys(o.headers ?? {}).map((k) => [k, rendered[`header ${k}`]!])),
  }, (line) => ctx.log(line));
  if (o.responseCheck !== undefined && (await o.responseCheck(response, ctx)) !== true) {
    throw new HttpResponseError(`responseCheck refused the response (HTTP ${response.status}): ${bodyExcerpt(response.text)}`, response.status);
  }
  return o.responseFilter === undefined ? undefined : await o.responseFilter(response, ctx);
}

/**
 * Adds an HTTP task to `d` (a Dag or a task group's builder) and returns it:
 *
 *     http(d, 'notify', { connId: 'reports_api', method: 'POST', endpoint: '/runs/{{ ds }}', data: { ok: true } });
 *     const status = http(d, 'status', { connId: 'reports_api', method: 'GET', endpoint: '/status', responseFilter: (r) => r.json<{ state: string }>() });
 */
export function http<P extends Params, R = never>(d: TaskBuilder<P>, taskId: string, options: HttpTaskOptions<P, R>): Task<[R] extends [never] ? null : Awaited<R>> {
  assertOptionsObject('http', taskId, options);
  const { own, args } = splitOptions(options, OWN_KEYS);
  validate(taskId, own as Partial<HttpTaskOptions<Params>>);
  const o = own as HttpTaskOptions<P, R>;
  return d.fn(taskId, (ctx: MappedTaskContext<unknown, P>) => runHttp(ctx, o), args as TaskArgs) as unknown as Task<[R] extends [never] ? null : Awaited<R>>;
}
