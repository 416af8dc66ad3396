/**
 * The web UI's end-to-end setup: a real stack (PostgreSQL, NATS, `updraft scheduler`, a worker;
 * see stack.ts), the webserver in this process reading the worker's log folder, users made with
 * `updraft users create`, and Debian's Chromium. `api()` calls the REST API as the admin, to
 * arrange things and to check what the UI did.
 */
import { runCli, launchBrowser, logInBrowser, type TestBrowser, type TestBrowserOptions } from '../harness/index.js';
import { startWebserver, type RunningWebserver, type WebserverOptions } from '@updraft/webserver';
import { waitFor } from './db.js';
import { startStack, type Stack, type StackOptions } from './stack.js';

export const ADMIN = { username: 'admin', password: 'ui-Admin-pw-5521' };

export interface UiStack {
  stack: Stack;
  web: RunningWebserver;
  /** Chromium logged in as the admin (a session, as the login page makes). */
  browser: TestBrowser;
  /** Another browser, e.g. with another colour scheme, logged in as `as` (default the admin); closed by stop(). */
  openBrowser(options?: TestBrowserOptions & { as?: { username: string; password: string } }): Promise<TestBrowser>;
  createUser(username: string, password: string, role: 'Admin' | 'Op' | 'User' | 'Viewer'): Promise<void>;
  /** JSON from the REST API as the admin; throws on a non-2xx answer. */
  api<T = unknown>(path: string, init?: { method?: string; body?: unknown }): Promise<T>;
  /** Waits until the scheduler has parsed these DAGs. */
  waitForDags(dagIds: string[]): Promise<void>;
  stop(): Promise<void>;
}

/** `webOptions`: more options of the webserver (e.g. the monitor URL its links use). */
export async function startUiStack(o: StackOptions, webOptions: Pick<WebserverOptions, 'monitorUrl'> = {}): Promise<UiStack> {
  const stack = await startStack(o);
  const browsers: TestBrowser[] = [];
  let web: RunningWebserver | undefined;
  const stop = async () => {
    for (const b of browsers) await b.close().catch(() => undefined);
    await web?.close();
    await stack.stop();
  };
  try {
    web = await startWebserver({ listen: '127.0.0.1:0', db: stack.pool, logFolder: stack.logFolder, ...webOptions });
    const url = web.url;
    const createUser = async (username: string, password: string, role: string) => {
      const r = await runCli(['users', 'create', '--username', username, '--role', role, '--email', `${username}@example.com`, '--password-stdin'], {
        env: stack.env,
        input: `${password}\n`,
      });
      if (r.code !== 0) throw new Error(`users create ${username}: ${r.stderr}`);
    };
    await createUser(ADMIN.username, ADMIN.password, 'Admin');
    const openBrowser = async (options: TestBrowserOptions & { as?: { username: string; password: string } } = {}) => {
      const b = await launchBrowser(options);
      browsers.push(b);
      await logInBrowser(b, url, options.as ?? ADMIN);
      return b;
    };
    const browser = await openBrowser();
    const auth = `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64')}`;
    const api = async <T,>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> => {
      const res = await fetch(`${url}${path}`, {
        method: init.method ?? 'GET',
        headers: { authorization: auth, accept: 'application/json', ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${text}`);
      return (text ? JSON.parse(text) : undefined) as T;
    };
    const waitForDags = async (dagIds: string[]) => {
      await waitFor(`DAGs ${dagIds.join(', ')} parsed`, async () => {
        const { rows } = await stack.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM dag WHERE dag_id = ANY($1::text[])', [dagIds]);
        return rows[0]!.n === dagIds.length ? true : undefined;
      }, { diagnostics: () => stack.diagnostics() });
    };
    return { stack, web, browser, openBrowser, createUser, api, waitForDags, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
