/**
 * Connections as Airflow defines them (`conn_id`, `conn_type`, `description`, `host`, `schema`,
 * `login`, `password`, `port`, `extra`), in its two text forms:
 *  - URI: `postgres://user:pass@host:5432/db?sslmode=require` (query parameters become the extra,
 *    or `__extra__=<json>` carries it whole; `scheme://protocol://host` keeps a protocol in host);
 *  - JSON: `{"conn_type": "postgres", "host": "...", "port": 5432, "extra": {...}}`.
 * Both are accepted everywhere a connection is given (CLI, API, `UPDRAFT_CONN_<ID>` variables).
 * `extra` is kept as text (a JSON object when it is one), as Airflow stores it.
 */
import { UpdraftError } from '../errors.js';
import { assertIdentifier } from '../ids.js';
import { messageOf } from '../lib.js';

export interface Connection {
  connId: string;
  connType: string;
  description: string | null;
  host: string | null;
  schema: string | null;
  login: string | null;
  password: string | null;
  port: number | null;
  /** Text, usually a JSON object. */
  extra: string | null;
}

/** Fields of a connection other than its id (what a URI or a JSON document gives). */
export type ConnectionFields = Omit<Connection, 'connId'>;

const EXTRA_KEY = '__extra__';
const JSON_FIELDS = new Set(['conn_type', 'description', 'host', 'schema', 'login', 'password', 'port', 'extra', 'conn_id']);

function invalid(message: string, cause?: unknown): never {
  throw new UpdraftError('INVALID_ARGUMENT', message, cause === undefined ? undefined : { cause });
}

/** Checks a connection id (docs/identifiers.md); `field` names it in the refusal. */
export function assertConnId(connId: unknown, field = 'connection id'): string {
  return assertIdentifier('connection id', connId, field);
}

/** Airflow's spelling of a type taken from a URI scheme: `postgresql` is `postgres`, `-` is `_`. */
function normalizeType(scheme: string): string {
  const t = scheme.replaceAll('-', '_');
  return t === 'postgresql' ? 'postgres' : t;
}

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch (err) {
    return invalid(`connection URI: ${what} has a malformed %-escape`, err);
  }
}

function checkPort(port: unknown, where: string): number | null {
  if (port === null || port === undefined || port === '') return null;
  const n = typeof port === 'string' && /^\d+$/.test(port.trim()) ? Number(port) : port;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 65535) invalid(`${where}: port must be an integer 0-65535, got ${JSON.stringify(port)}`);
  return n;
}

/** Parses the URI form (Airflow's rules, including `__extra__` and a protocol inside the host). */
export function parseConnectionUri(uri: string): ConnectionFields {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([\s\S]*)$/.exec(uri.trim());
  if (!m) invalid(`connection URI must look like TYPE://[LOGIN[:PASSWORD]@]HOST[:PORT][/SCHEMA][?EXTRA], got ${JSON.stringify(uri.slice(0, 40))}`);
  const connType = normalizeType(m[1]!);
  let rest = m[2]!.split('#')[0]!;
  let protocol = '';
  const inner = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([\s\S]*)$/.exec(rest);
  if (inner) {
    protocol = inner[1]!;
    rest = inner[2]!;
  }
  if (rest.includes('://')) invalid('connection URI has more than two "://" (at most TYPE://PROTOCOL://HOST)');
  const q = rest.indexOf('?');
  const query = q === -1 ? '' : rest.slice(q + 1);
  const beforeQuery = q === -1 ? rest : rest.slice(0, q);
  const slash = beforeQuery.indexOf('/');
  const netloc = slash === -1 ? beforeQuery : beforeQuery.slice(0, slash);
  const path = slash === -1 ? '' : beforeQuery.slice(slash + 1);
  const at = netloc.lastIndexOf('@');
  const userinfo = at === -1 ? null : netloc.slice(0, at);
  const hostPort = at === -1 ? netloc : netloc.slice(at + 1);
  let login: string | null = null;
  let password: string | null = null;
  if (userinfo !== null) {
    const colon = userinfo.indexOf(':');
    const rawLogin = colon === -1 ? userinfo : userinfo.slice(0, colon);
    login = rawLogin === '' ? null : decode(rawLogin, 'login');
    if (colon !== -1 && userinfo.slice(colon + 1) !== '') password = decode(userinfo.slice(colon + 1), 'password');
  }
  let host = hostPort;
  let port: number | null = null;
  const portMatch = /^(.*):([^:\]]*)$/.exec(hostPort);
  if (portMatch && !(hostPort.startsWith('[') && !hostPort.includes(']:'))) {
    host = portMatch[1]!;
    port = checkPort(portMatch[2], 'connection URI');
  }
  host = decode(host.replace(/^\[(.*)\]$/, '$1'), 'host');
  let extra: string | null = null;
  if (query !== '') {
    const params = new URLSearchParams(query);
    const whole = params.get(EXTRA_KEY);
    extra = whole !== null ? whole : JSON.stringify(Object.fromEntries(params));
  }
  return {
    connType,
    description: null,
    host: host === '' ? null : protocol ? `${protocol}://${host}` : host,
    schema: path === '' ? null : decode(path, 'schema'),
    login,
    password,
    port,
    extra,
  };
}

function optionalString(doc: Record<string, unknown>, field: string): string | null {
  const v = doc[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') invalid(`connection JSON: ${field} must be a string, got ${typeof v}`);
  return v;
}

/** Parses the JSON form (a document or its text); `extra` may be an object or a string. */
export function parseConnectionJson(json: string | Record<string, unknown>): ConnectionFields {
  let doc: unknown = json;
  if (typeof json === 'string') {
    try {
      doc = JSON.parse(json);
    } catch (err) {
      invalid(`connection JSON is not valid JSON: ${messageOf(err)}`, err);
    }
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) invalid('connection JSON must be an object');
  const d = doc as Record<string, unknown>;
  for (const key of Object.keys(d)) {
    if (!JSON_FIELDS.has(key)) invalid(`connection JSON: unknown field '${key}' (known: ${[...JSON_FIELDS].join(', ')})`);
  }
  const connType = optionalString(d, 'conn_type');
  if (connType === null || connType.trim() === '') invalid('connection JSON: conn_type is required');
  const extra = d.extra;
  let extraText: string | null;
  if (extra === undefined || extra === null) extraText = null;
  else if (typeof extra === 'string') extraText = extra;
  else if (typeof extra === 'object' && !Array.isArray(extra)) extraText = JSON.stringify(extra);
  else extraText = invalid('connection JSON: extra must be an object or a string');
  return {
    connType,
    description: optionalString(d, 'description'),
    host: optionalString(d, 'host'),
    schema: optionalString(d, 'schema'),
    login: optionalString(d, 'login'),
    password: optionalString(d, 'password'),
    port: checkPort(d.port, 'connection JSON'),
    extra: extraText,
  };
}

/** Either form: JSON when the text starts with `{`, else a URI. */
export function parseConnection(text: string): ConnectionFields {
  return text.trimStart().startsWith('{') ? parseConnectionJson(text) : parseConnectionUri(text);
}

/** The extra as an object ({} when it is empty or not a JSON object), as Airflow's extra_dejson. */
export function extraDejson(extra: string | null): Record<string, unknown> {
  if (extra === null || extra.trim() === '') return {};
  try {
    const v: unknown = JSON.parse(extra);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The URI form of a connection (Airflow's get_uri): the extra as query parameters, or `__extra__`. */
export function connectionUri(c: ConnectionFields): string {
  let uri = c.connType ? `${c.connType.toLowerCase().replaceAll('_', '-')}://` : '//';
  let host = c.host ?? '';
  const proto = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/.exec(host);
  if (proto) {
    uri += `${proto[1]!}://`;
    host = proto[2]!;
  }
  let authority = '';
  if (c.login !== null) authority += encodeURIComponent(c.login);
  if (c.password !== null) authority += `:${encodeURIComponent(c.password)}`;
  if (authority !== '') uri += `${authority}@`;
  let hostBlock = host === '' ? '' : encodeURIComponent(host);
  if (c.port !== null) hostBlock += hostBlock === '' && authority === '' ? `@:${c.port}` : `:${c.port}`;
  if (c.schema) hostBlock += `/${encodeURIComponent(c.schema)}`;
  uri += hostBlock;
  if (c.extra) {
    const dejson = extraDejson(c.extra);
    const flat = Object.values(dejson).every((v) => typeof v === 'string') && Object.keys(dejson).length > 0;
    const query = flat ? new URLSearchParams(dejson as Record<string, string>).toString()
      : new URLSearchParams({ [EXTRA_KEY]: c.extra }).toString();
    uri += (c.schema ? '?' : '/?') + query;
  }
  return uri;
}

/** The JSON form (Airflow's field names; extra as an object when it is one). */
export function connectionJson(c: ConnectionFields): Record<string, unknown> {
  const dejson = extraDejson(c.extra);
  const extraIsObject = c.extra !== null && Object.keys(dejson).length > 0;
  return {
    conn_type: c.connType, description: c.description, host: c.host, schema: c.schema, login: c.login,
    password: c.password, port: c.port, extra: extraIsObject ? dejson : c.extra,
  };
}
