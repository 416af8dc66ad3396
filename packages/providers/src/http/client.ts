/**
 * HTTP requests on a connection with the global fetch: the base URL, basic auth and headers of
 * the connection (connection.ts), a body read once as text, and errors by kind: a network error
 * or a 5xx status is an HttpRetryableError, a 4xx an HttpResponseError. Request headers are never
 * logged (they carry the credentials).
 */
import type { TaskConnection } from '@updraft/sdk';
import { HttpResponseError, HttpRetryableError } from '../errors.js';
import { excerpt } from '../task-builder.js';
import { connectionHeaders, httpBaseUrl, joinUrl } from './connection.js';

/** A response with its body already read (what responseCheck and responseFilter get). */
export interface HttpResponse {
  url: string;
  status: number;
  statusText: string;
  ok: boolean;
  headers: Headers;
  /** The body as text. */
  text: string;
  /** The body parsed as JSON (throws when it is not JSON). */
  json<T = unknown>(): T;
}

export interface HttpRequest {
  method: string;
  endpoint: string;
  /** A string is sent as is; any other value as JSON, or for GET/HEAD as query parameters. */
  data?: unknown;
  headers?: Record<string, string>;
}

/** fetch bound to a connection: relative endpoints under its base URL, its auth and headers. */
export interface BoundFetch {
  (endpoint: string, init?: RequestInit): Promise<Response>;
  readonly baseUrl: string;
}

export function boundFetch(conn: TaskConnection, signal?: AbortSignal): BoundFetch {
  const baseUrl = httpBaseUrl(conn);
  const defaults = connectionHeaders(conn);
  const f = (endpoint: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(defaults);
    new Headers(init.headers).forEach((v, k) => headers.set(k, v));
    const signals = [signal, init.signal].filter((s): s is AbortSignal => s instanceof AbortSignal);
    return fetch(joinUrl(baseUrl, endpoint), { ...init, headers, ...(signals.length > 0 ? { signal: AbortSignal.any(signals) } : {}) });
  };
  return Object.assign(f, { baseUrl });
}

function withQuery(endpoint: string, data: unknown): string {
  if (data === undefined || data === null) return endpoint;
  const query = new URLSearchParams(Object.entries(data as Record<string, unknown>).map(([k, v]): [string, string] => [k, String(v)])).toString();
  return query === '' ? endpoint : `${endpoint}${endpoint.includes('?') ? '&' : '?'}${query}`;
}

/** One line of a body for the log: whitespace collapsed, bounded. */
export const bodyExcerpt = (text: string): string => excerpt(text.replace(/\s+/g, ' ').trim(), 500);

/** Sends `req` and reads the response; throws the errors of the module comment. */
export async function sendRequest(f: BoundFetch, req: HttpRequest, log: (line: string) => void): Promise<HttpResponse> {
  const method = req.method.toUpperCase();
  const bodyless = method === 'GET' || method === 'HEAD';
  const headers: Record<string, string> = { ...req.headers };
  let body: string | undefined;
  let endpoint = req.endpoint;
  if (bodyless && req.data !== undefined && typeof req.data !== 'string') endpoint = withQuery(endpoint, req.data);
  else if (typeof req.data === 'string') body = req.data;
  else if (req.data !== undefined) {
    body = JSON.stringify(req.data);
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
  }
  const url = joinUrl(f.baseUrl, endpoint);
  log(`${method} ${url}`);
  let res: Response;
  let text: string;
  try {
    res = await f(endpoint, { method, headers, ...(body === undefined ? {} : { body }) });
    text = await res.text();
  } catch (err) {
    const reason = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
    throw new HttpRetryableError(`${method} ${url} failed: ${reason}`, { cause: err });
  }
  log(`HTTP ${res.status} ${res.statusText} (${Buffer.byteLength(text)} bytes)${text === '' ? '' : `: ${bodyExcerpt(text)}`}`);
  const what = `${method} ${url} answered ${res.status} ${res.statusText}`;
  if (res.status >= 500) throw new HttpRetryableError(`${what}: ${bodyExcerpt(text)}`, { status: res.status });
  if (res.status >= 400) throw new HttpResponseError(`${what}: ${bodyExcerpt(text)}`, res.status);
  return {
    url,
    status: res.status,
    statusText: res.statusText,
    ok: res.ok,
    headers: res.headers,
    text,
    json: <T>() => JSON.parse(text) as T,
  };
}
