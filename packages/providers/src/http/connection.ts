/**
 * What an HTTP connection means, after Airflow's HttpHook:
 *   - base URL: `host` as given when it has a scheme (`https://api.example.com/v2`); otherwise
 *     `<scheme>://<host>`, the scheme being `schema` when that is http or https (Airflow's use of
 *     the field), else https for conn_type https, else http. `port`, when set and the host names
 *     none, is added.
 *     A `schema` that is not a scheme is a path prefix (`v2` gives `http://host/v2`).
 *   - basic auth from login and password;
 *   - headers from the extra: every top-level string or number value (Airflow), or the
 *     object `extra.headers` when there is one.
 */
import type { TaskConnection } from '@updraft/sdk';

const SCHEMES = ['http', 'https'];

export function httpBaseUrl(conn: TaskConnection): string {
  const host = (conn.host ?? '').trim();
  const schema = (conn.schema ?? '').trim();
  const isScheme = SCHEMES.includes(schema.toLowerCase());
  if (host === '') throw new Error(`connection '${conn.connId}' has no host (the base URL of its HTTP requests)`);
  const scheme = isScheme ? schema.toLowerCase() : conn.connType.toLowerCase() === 'https' ? 'https' : 'http';
  const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(host) ? host : `${scheme}://${host}`);
  if (conn.port !== null && url.port === '') url.port = String(conn.port);
  let path = url.pathname.replace(/\/+$/, '');
  if (schema !== '' && !isScheme) path = `${path}/${schema.replace(/^\/+|\/+$/g, '')}`;
  return `${url.origin}${path}`;
}

/** `endpoint` (a path, with its query) under `base`. */
export function joinUrl(base: string, endpoint: string): string {
  if (endpoint === '') return base;
  return `${base.replace(/\/+$/, '')}/${endpoint.replace(/^\/+/, '')}`;
}

export function connectionHeaders(conn: TaskConnection): Record<string, string> {
  const headers: Record<string, string> = {};
  const x = conn.extraDejson;
  const source = typeof x.headers === 'object' && x.headers !== null && !Array.isArray(x.headers) ? (x.headers as Record<string, unknown>) : x;
  for (const [k, v] of Object.entries(source)) {
    if (typeof v === 'string' || typeof v === 'number') headers[k] = String(v);
  }
  if (conn.login !== null && conn.login !== '') {
    headers.Authorization = `Basic ${Buffer.from(`${conn.login}:${conn.password ?? ''}`).toString('base64')}`;
  }
  return headers;
}
