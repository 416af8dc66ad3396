/**
 * The REST API and the UI's data routes under bad input, against a real `updraft webserver`
 * process over a migrated database holding the example DAGs. The routes come from the server's own
 * OpenAPI document, so a new route is fuzzed without touching this file. A seeded fuzzer sends valid
 * requests with one to three parts mutated: path ids (NUL, '/', '..', control characters, bad
 * percent-encoding, huge), query parameters (wrong types, out of range, repeated, unknown), JSON
 * bodies (wrong types, NUL, unknown fields, not JSON, wrong content type), methods and credentials.
 * Bad input must be a 4xx problem document, never a 5xx, never carry database text, and never
 * crash the webserver.
 *
 * Prints: requests sent, answers by status, 5xx from bad input (must be 0), crashes (must be 0).
 * Bounded: HTTP_FUZZ_CALLS requests (default 600), seed HTTP_FUZZ_SEED (default fixed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DagProcessor, type Role } from '@updraft/core';
import { createTestDatabase, freePort, type TestDatabase } from '../harness/index.js';
import { spawnUpdraft, type UpdraftProcess } from '../e2e/processes.js';
import { basicAuth, createRoleUsers } from './api-support.js';
import { BAD_QUERY_VALUES, BAD_STRINGS, bodyMutations, pathValue, prng, type Random } from './api-fuzz-inputs.js';

const CALLS = Number(process.env.HTTP_FUZZ_CALLS ?? 600);
const SEED = Number(process.env.HTTP_FUZZ_SEED ?? 20240602);
const EXAMPLES = fileURLToPath(new URL('../../dags', import.meta.url));
/** Database text that must never reach an answer. */
const DATABASE_TEXT = /SQLSTATE|invalid byte sequence|violates|syntax error at|unsupported Unicode|invalid input syntax|relation "|pg_|postgres/i;

interface Operation {
  method: string;
  path: string;
  pathParams: string[];
  query: Array<{ name: string; schema: Record<string, unknown> }>;
  hasBody: boolean;
}

interface Answer {
  status: number;
  contentType: string;
  text: string;
  request: string;
}

let db: TestDatabase;
let dir: string;
let web: UpdraftProcess;
let url: string;
let operations: Operation[];
const random: Random = prng(SEED);
const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** Valid values of the path parameters: a real DAG, run, task and try. */
const VALID: Record<string, string> = {
  dag_id: 'hello_world', dag_run_id: 'fuzz_run', task_id: 'print_hello', task_try_number: '1', variable_key: 'fuzz_var', connection_id: 'fuzz_conn',
  pool_name: 'fuzz_pool', event_log_id: '1', import_error_id: '1', xcom_key: 'return_value', section: 'core', option: 'dags_folder',
};

beforeAll(async () => {
  db = await createTestDatabase();
  const processor = new DagProcessor(db.pool, { dagsFolder: EXAMPLES });
  try {
    await processor.processDagsFolder();
  } finally {
    await processor.close();
  }
  await createRoleUsers(db.pool);
  dir = mkdtempSync(join(tmpdir(), 'updraft-api-fuzz-'));
  const port = await freePort();
  web = spawnUpdraft('webserver', ['webserver', '--listen', `127.0.0.1:${port}`], {
    env: { UPDRAFT__DATABASE__URL: db.url, UPDRAFT__LOGGING__BASE_LOG_FOLDER: join(dir, 'logs') },
    logFile: join(dir, 'webserver.log'),
  });
  await web.waitForOutput(/webserver ready/);
  url = `http://127.0.0.1:${port}`;
  const trigger = await fetch(`${url}/api/v1/dags/hello_world/dagRuns`, {
    method: 'POST', headers: { authorization: basicAuth('Admin'), 'content-type': 'application/json' }, body: JSON.stringify({ dag_run_id: 'fuzz_run' }),
  });
  expect(trigger.status, await trigger.text()).toBe(200);
  const admin = { authorization: basicAuth('Admin'), 'content-type': 'application/json' };
  for (const [path, body] of [['/api/v1/variables', { key: 'fuzz_var', value: 'v' }], ['/api/v1/connections', { connection_id: 'fuzz_conn', conn_type: 'http', host: 'h' }], ['/api/v1/pools', { name: 'fuzz_pool', slots: 3 }]] as const) {
    const made = await fetch(`${url}${path}`, { method: 'POST', headers: admin, body: JSON.stringify(body) });
    expect(made.status, await made.text()).toBe(200);
  }
  VALID.file_token = ((await (await fetch(`${url}/api/v1/dags/hello_world`, { headers: admin })).json()) as { file_token: string }).file_token;
  const doc = (await (await fetch(`${url}/api/docs/json`)).json()) as { paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string; schema: Record<string, unknown> }>; requestBody?: unknown }>> };
  operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({
    method: method.toUpperCase(),
    path,
    pathParams: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
    query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema })),
    hasBody: op.requestBody !== undefined,
  })));
}, 120_000);

afterAll(async () => {
  await web?.stop();
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** One request over node:http, which sends the path as given (fetch would resolve '%2E%2E'). */
function send(method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  const request = `${method} ${path.slice(0, 160)}${path.length > 160 ? `...(${path.length})` : ''}${init.body !== undefined ? ` body ${init.body.slice(0, 80)}` : ''}`;
  const body = method === 'GET' || method === 'HEAD' ? undefined : init.body;
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { method, headers: { ...init.headers, ...(body !== undefined ? { 'content-length': Buffer.byteLength(body) } : {}) } }, (res) => {
      // A stream of server-sent events never ends: its status is the answer.
      if (String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), text: '', request });
        req.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8'), request }));
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`${request}: no answer within 30 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** One request to `op` with one to three mutations. */
function mutated(op: Operation): { method: string; path: string; headers: Record<string, string>; body?: string } {
  const params: Record<string, string> = {};
  for (const name of op.pathParams) params[name] = encodeURIComponent(VALID[name] ?? 'x');
  const query: string[] = [];
  const roles: Array<Role | null> = ['Admin', 'Op', 'User', 'Viewer'];
  let role: Role | null = 'Admin';
  const headers: Record<string, string> = {};
  let method = op.method;
  let body: string | undefined = op.hasBody ? '{}' : undefined;
  const count = 1 + Math.floor(random() * 3);
  for (let i = 0; i < count; i++) {
    const kinds = [...(op.pathParams.length ? ['path', 'path'] : []), ...(op.query.length ? ['query', 'query'] : []), ...(op.hasBody ? ['body', 'body'] : []), 'extra-query', 'method', 'auth'];
    const kind = pick(kinds);
    if (kind === 'path') params[pick(op.pathParams)] = pathValue(random, pick(BAD_STRINGS)());
    else if (kind === 'query') {
      const q = pick(op.query);
      const value = pick(BAD_QUERY_VALUES)();
      const times = random() < 0.1 ? 200 : 1;
      for (let t = 0; t < times; t++) query.push(`${encodeURIComponent(q.name)}=${encodeURIComponent(value)}`);
    } else if (kind === 'extra-query') query.push(`${encodeURIComponent(pick(BAD_STRINGS)().slice(0, 100))}=${encodeURIComponent(pick(BAD_QUERY_VALUES)())}`);
    else if (kind === 'body') {
      const m = pick(bodyMutations(random));
      body = m.body;
      if (m.contentType !== undefined) headers['content-type'] = m.contentType;
    } else if (kind === 'method') method = pick(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
    else role = pick(roles) ?? null;
  }
  if (role !== null) headers.authorization = basicAuth(role);
  else if (random() < 0.5) headers.authorization = pick(['Basic ', 'Basic ###', `Basic ${Buffer.from('a\0b:pw').toString('base64')}`, `Basic ${Buffer.from(`${'u'.repeat(5000)}:p`).toString('base64')}`, 'Bearer \u0001']);
  if (body !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
  const path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => params[name] ?? 'x') + (query.length ? `?${query.join('&')}` : '');
  return { method, path, headers, ...(body !== undefined ? { body } : {}) };
}

describe('REST API fuzzing', () => {
  it('answers bad input with a 4xx problem document, never a 5xx or database text, and keeps serving', async () => {
    expect(operations.length).toBeGreaterThan(10);
    const answers: Answer[] = [];
    const started = Date.now();
    for (let i = 0; i < CALLS; i += 10) {
      const batch = Array.from({ length: Math.min(10, CALLS - i) }, () => {
        const r = mutated(pick(operations));
        return send(r.method, r.path, { headers: r.headers, ...(r.body !== undefined ? { body: r.body } : {}) });
      });
      answers.push(...(await Promise.all(batch)));
    }
    const elapsedMs = Date.now() - started;

    const byStatus = new Map<number, number>();
    for (const a of answers) byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
    const serverErrors = answers.filter((a) => a.status >= 500);
    const crashes = web.hasExited() ? 1 : 0;
    const longest = answers.filter((a) => a.status >= 400).reduce((max, a) => Math.max(max, a.text.length), 0);
    process.stdout.write(
      `HTTP fuzz (seed ${SEED}): ${answers.length} requests sent over ${operations.length} operations in ${(elapsedMs / 1000).toFixed(1)} s\n` +
        `  answers by status: ${[...byStatus].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s} ${n}`).join(', ')}\n` +
        `  5xx from bad input: ${serverErrors.length}\n` +
        `  webserver crashes: ${crashes}\n` +
        `  longest error answer: ${longest} characters\n`,
    );

    expect(serverErrors.map((a) => `${a.request} -> ${a.status}: ${a.text.slice(0, 300)}`)).toEqual([]);
    expect(crashes, web.tail()).toBe(0);
    expect(answers.filter((a) => a.status >= 400 && DATABASE_TEXT.test(a.text)).map((a) => `${a.request} -> ${a.text.slice(0, 300)}`)).toEqual([]);
    // Refusals of the API are problem documents with a short detail (a huge value is cut short).
    const apiRefusals = answers.filter((a) => a.status >= 400 && a.text !== '' && a.request.includes(' /api/'));
    expect(apiRefusals.filter((a) => !a.contentType.startsWith('application/problem+json')).map((a) => `${a.request} -> ${a.status} ${a.contentType}`)).toEqual([]);
    expect(apiRefusals.filter((a) => a.text.length > 2000).map((a) => `${a.request} -> ${a.text.length} characters`)).toEqual([]);
    // Still serving, and still reaching its database.
    const health = await send('GET', '/health');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.text)).toMatchObject({ metadatabase: { status: 'healthy' } });
  });

  it('answers HEAD of the event stream with its headers at once', async () => {
    const head = await send('HEAD', '/ui/events', { headers: { authorization: basicAuth('Viewer') } });
    expect({ status: head.status, contentType: head.contentType.split(';')[0] }).toEqual({ status: 200, contentType: 'text/event-stream' });
  });

  it('never serves a file from outside the UI build, whatever the path', async () => {
    const probes = ['/assets/..%2F..%2Fpackage.json', '/assets/%2E%2E/%2E%2E/package.json', '/..%2F..%2F..%2Fetc%2Fpasswd', '/dags/%00', '/dags/a%2F..%2F..%2Fx',
      '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', `/dags/${'d'.repeat(5000)}`, '/assets/%E0%A4%A', '/index.html%00.js'];
    for (const path of probes) {
      const a = await send('GET', path, { headers: { authorization: basicAuth('Viewer') } });
      expect({ path, status: a.status < 500 }).toEqual({ path, status: true });
      expect(a.text).not.toMatch(/root:x:0:0|"workspaces"/);
    }
  });

  it('refuses a bad run id in a trigger body with a 400 naming the field and the rule', async () => {
    for (const [runId, what] of [['..', "starts with '.' (U+002E)"], ['a/../b', "'/' (U+002F)"], ['a\0b', '"\\u0000" (U+0000)'], ['r'.repeat(5000), '5000 characters long']] as const) {
      const a = await send('POST', '/api/v1/dags/hello_world/dagRuns', {
        headers: { authorization: basicAuth('Op'), 'content-type': 'application/json' }, body: JSON.stringify({ dag_run_id: runId }),
      });
      const json = JSON.parse(a.text) as { field?: string; detail?: string };
      expect({ status: a.status, field: json.field }).toEqual({ status: 400, field: 'body.dag_run_id' });
      expect(json.detail).toContain(what);
      expect(json.detail).toContain('a run id is 1-250 characters');
    }
    // '..' as a whole path segment is resolved by the router like any URL's: it names no DAG.
    const dots = await send('GET', '/api/v1/dags/..', { headers: { authorization: basicAuth('Viewer') } });
    expect(dots.status).toBe(404);
  });

  it('refuses each forbidden id in each path parameter with a 400 naming the parameter and the rule', async () => {
    const forbidden: Array<[string, string]> = [
      ['%00', '"\\u0000" (U+0000)'], ['a%2Fb', "'/' (U+002F)"], ['.hidden', "starts with '.' (U+002E)"], ['a%09b', '"\\t" (U+0009)'],
      ['a%0Ab', '"\\n" (U+000A)'], ['a%20b', '" " (U+0020)'], ['r'.repeat(5000), '5000 characters long (at most 250)'],
    ];
    const rules: Record<string, string> = { dag_id: 'a dag id is 1-250 characters', dag_run_id: 'a run id is 1-250 characters', task_id: 'a task id is 1-250 characters' };
    const withIds = operations.filter((op) => op.method === 'GET' && op.pathParams.some((p) => p in rules));
    expect(withIds.length).toBeGreaterThan(5);
    for (const op of withIds) {
      for (const param of op.pathParams.filter((p) => p in rules)) {
        for (const [raw, what] of forbidden) {
          const path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => (name === param ? raw : VALID[name] ?? 'x'));
          const a = await send('GET', path, { headers: { authorization: basicAuth('Viewer') } });
          const json = a.contentType.startsWith('application/problem+json') ? JSON.parse(a.text) as { field?: string; detail?: string } : {};
          expect({ path: path.slice(0, 120), status: a.status, field: json.field }).toEqual({ path: path.slice(0, 120), status: 400, field: `path.${param}` });
          expect(json.detail).toContain(what);
          expect(json.detail).toContain(rules[param]);
          expect(json.detail!.length).toBeLessThan(600);
        }
      }
    }
  });
});
