/**
 * What the REST API tests share: a webserver on a free port over a test database, one user per
 * role (password = role name + a fixed suffix), and `call()` for a request as one of them.
 */
import { startWebserver, type RunningWebserver, type WebserverOptions } from '@updraft/webserver';
import { hashPassword, usersSql, type Queryable, type Role } from '@updraft/core';

export const PASSWORD_SUFFIX = '-pw-0k2!';
export const ROLE_USERS: Record<Role, string> = { Admin: 'ada', Op: 'otto', User: 'ursula', Viewer: 'vic' };

export async function createRoleUsers(db: Queryable): Promise<void> {
  for (const [role, username] of Object.entries(ROLE_USERS) as Array<[Role, string]>) {
    await usersSql.createUser(db, { username, role, passwordHash: await hashPassword(`${role}${PASSWORD_SUFFIX}`), email: null, firstName: '', lastName: '' });
  }
}

export function basicAuth(role: Role): string {
  return `Basic ${Buffer.from(`${ROLE_USERS[role]}:${role}${PASSWORD_SUFFIX}`).toString('base64')}`;
}

export interface CallOptions {
  method?: string;
  /** Role to authenticate as (basic auth); null: no credentials. Default Admin. */
  as?: Role | null;
  body?: unknown;
  /** Sent as is (e.g. malformed JSON). */
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export async function call(web: RunningWebserver, path: string, o: CallOptions = {}): Promise<CallResult> {
  const headers: Record<string, string> = { ...o.headers };
  const as = o.as === undefined ? 'Admin' : o.as;
  if (as !== null) headers.authorization = basicAuth(as);
  let body: string | undefined;
  if (o.rawBody !== undefined) body = o.rawBody;
  else if (o.body !== undefined) body = JSON.stringify(o.body);
  if (body !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${web.url}${path}`, { method: o.method ?? 'GET', headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export async function startApi(o: WebserverOptions): Promise<RunningWebserver> {
  return startWebserver({ listen: '127.0.0.1:0', ...o });
}
