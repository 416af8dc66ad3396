/**
 * The monitor's HTTP API under bad input, over real HTTP and a migrated database: a worker name
 * in the path follows the identifier rule (docs/identifiers.md), search parameters refuse NUL,
 * over-long values are cut short in messages, and nothing of it is a 5xx or carries database
 * text. Bounded: a fixed list of requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMonitor, type RunningMonitor } from '@updraft/monitor';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';
import { basicAuth, createRoleUsers } from './api-support.js';

const DATABASE_TEXT = /SQLSTATE|invalid byte sequence|violates|syntax error at|unsupported Unicode|invalid input syntax|relation "/i;
let db: TestDatabase;
let monitor: RunningMonitor;

beforeAll(async () => {
  db = await createTestDatabase();
  await createRoleUsers(db.pool);
  monitor = await startMonitor({ db: db.pool, listen: '127.0.0.1:0' });
}, 120_000);

afterAll(async () => {
  await monitor?.close();
  await db?.drop();
});

async function get(path: string): Promise<{ status: number; contentType: string; json: { field?: string; detail?: string }; text: string }> {
  const res = await fetch(`${monitor.url}${path}`, { headers: { authorization: basicAuth('Viewer') } });
  const text = await res.text();
  let json = {};
  try {
    json = JSON.parse(text) as object;
  } catch {
    // not JSON
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', json, text };
}

describe('monitor appearance (webserver.instance_name, navbar_color)', () => {
  it('names the instance in every page\'s header and title, escaped, on its colour; a colour that is not one is refused', async () => {
    const page = async (m: RunningMonitor, path: string): Promise<string> =>
      (await fetch(`${m.url}${path}`, { headers: { authorization: basicAuth('Viewer') } })).text();
    // None by default.
    const plain = await page(monitor, '/workers');
    expect(plain).toContain('<title>Workers · Updraft monitor</title>');
    expect(plain).not.toContain('class="instance"');
    expect(plain).toContain('<header><a class="brand"');

    await expect(startMonitor({ db: db.pool, listen: '127.0.0.1:0', navbarColor: '#12345' })).rejects.toThrow(/navbarColor must be empty or a hex colour such as #c92a2a or #fa5, not "#12345"/);
    await expect(startMonitor({ db: db.pool, listen: '127.0.0.1:0', instanceName: 'two\nlines' })).rejects.toThrow(/instanceName must be at most 64 characters on one line/);

    const named = await startMonitor({ db: db.pool, listen: '127.0.0.1:0', instanceName: 'prod <eu>', navbarColor: '#c92a2a' });
    try {
      for (const [path, title] of [['/workers', 'Workers'], ['/queues', 'Queues'], ['/tasks', 'Tasks'], ['/worker/w1', 'w1']] as const) {
        const html = await page(named, path);
        expect(html).toContain(`<title>${title} · prod &lt;eu&gt; · Updraft monitor</title>`);
        expect(html).toContain('<header class="tint-dark" style="background:#c92a2a">');
        expect(html).toContain('Updraft monitor<span class="instance">prod &lt;eu&gt;</span></a>');
      }
    } finally {
      await named.close();
    }
    const light = await startMonitor({ db: db.pool, listen: '127.0.0.1:0', navbarColor: '#fa5' });
    try {
      expect(await page(light, '/workers')).toContain('<header class="tint-light" style="background:#fa5">');
    } finally {
      await light.close();
    }
  });
});

describe('monitor OpenAPI document', () => {
  it('is served without credentials at /api/openapi.json', async () => {
    const res = await fetch(`${monitor.url}/api/openapi.json`);
    expect(res.status).toBe(200);
    const doc = await res.json() as { info: { title: string }; paths: Record<string, unknown> };
    expect(doc.info.title).toBe('Updraft monitor API');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/workers', '/api/task/terminate/{dag}/{run}/{task}']));
  });
});

describe('monitor metrics without a scheduler', () => {
  it('says no scheduler leads (updraft_scheduler_leader 0) where the loop series are absent', async () => {
    const text = await (await fetch(`${monitor.url}/metrics`)).text();
    expect(text).toMatch(/^updraft_scheduler_leader 0$/m);
    expect(text).not.toMatch(/^updraft_scheduler_loop_age_seconds/m);
  });
});

describe('monitor input checks', () => {
  it('refuses a bad worker name in the path with a 400 naming the rule', async () => {
    for (const [name, what] of [['a%00b', '"\\u0000" (U+0000)'], ['a%2Fb', "'/' (U+002F)"], ['a%09b', '"\\t" (U+0009)'], ['.hidden', "starts with '.'"], ['w'.repeat(5000), '5000 characters long (at most 250)']] as const) {
      const r = await get(`/api/worker/${name}`);
      expect({ name: name.slice(0, 20), status: r.status, field: r.json.field }).toEqual({ name: name.slice(0, 20), status: 400, field: 'path.name' });
      expect(r.json.detail).toContain(what);
      expect(r.json.detail).toContain('a worker name is 1-250 characters');
      expect(r.text.length).toBeLessThan(600);
    }
    expect((await get('/api/worker/no-such-worker')).status).toBe(404);
    // The remote control checks the same rule before it touches anything.
    for (const name of ['a%00b', 'a%2F..%2Fb', 'w'.repeat(5000)]) {
      const res = await fetch(`${monitor.url}/api/worker/drain/${name}`, { method: 'POST', headers: { authorization: basicAuth('Op') } });
      const body = await res.json() as { field?: string; detail?: string };
      expect({ status: res.status, field: body.field }).toEqual({ status: 400, field: 'path.name' });
      expect(body.detail).toContain('a worker name is 1-250 characters');
    }
  });

  it('answers bad search parameters with a 4xx problem, never a 5xx or database text', async () => {
    const bad = ['a%00b', '%00', encodeURIComponent('x'.repeat(5000)), '%E0%A4%A', encodeURIComponent("'; DROP TABLE worker; --"), encodeURIComponent('%_\\')];
    const answers: Array<{ path: string; status: number; contentType: string; text: string }> = [];
    for (const param of ['q', 'dag_id', 'task_id', 'worker', 'queue', 'state', 'since', 'limit']) {
      for (const value of bad) {
        const path = `/api/tasks?${param}=${value}`;
        answers.push({ path, ...(await get(path)) });
      }
    }
    for (const path of ['/api/workers?all=maybe', '/api/tasks?limit=1e309', '/api/tasks?limit=0', `/api/${'x'.repeat(5000)}`, '/api/worker/']) {
      answers.push({ path, ...(await get(path)) });
    }
    expect(answers.filter((a) => a.status >= 500 || DATABASE_TEXT.test(a.text)).map((a) => `${a.path.slice(0, 80)} -> ${a.status} ${a.text.slice(0, 200)}`)).toEqual([]);
    expect(answers.filter((a) => a.status >= 400 && (!a.contentType.startsWith('application/problem+json') || a.text.length > 1000))
      .map((a) => `${a.path.slice(0, 80)} -> ${a.status} ${a.contentType} ${a.text.length}`)).toEqual([]);
    const nul = answers.find((a) => a.path === '/api/tasks?q=a%00b')!;
    expect(nul.status).toBe(400);
    expect(nul.text).toContain('query.q');
  });
});
