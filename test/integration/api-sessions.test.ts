/**
 * Web UI sessions over real HTTP against a real database: POST /api/v1/auth/login sets an HttpOnly
 * session cookie (only its hash is stored) and a CSRF cookie; cookie-authenticated mutations need
 * the CSRF token in X-CSRF-Token and a same-origin Origin; sessions survive a webserver restart and
 * end at once on logout, expiry, a password reset, deactivation or deletion of the user; failed
 * logins are limited and logged without the password; 401s challenge scripts, not the UI.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, usersSql } from '@updraft/core';
import type { RunningWebserver } from '@updraft/webserver';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';
import { call, createRoleUsers, PASSWORD_SUFFIX, startApi } from './api-support.js';

let db: TestDatabase;
let web: RunningWebserver;

beforeAll(async () => {
  db = await createTestDatabase();
  await createRoleUsers(db.pool);
  web = await startApi({ db: db.pool });
});

afterAll(async () => {
  await web?.close();
  await db?.drop();
});

interface Login { cookie: string; csrf: string; setCookie: string[]; session: string }

async function login(server: RunningWebserver, username: string, password: string): Promise<Login> {
  const res = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  expect(res.status, await res.clone().text()).toBe(200);
  const setCookie = res.headers.getSetCookie();
  const value = (name: string) => setCookie.find((c) => c.startsWith(`${name}=`))!.split(';')[0]!.slice(name.length + 1);
  const session = value('updraft_session');
  const csrf = value('updraft_csrf');
  return { cookie: `updraft_session=${session}; updraft_csrf=${csrf}`, csrf, setCookie, session };
}

const withCookie = (l: Login, headers: Record<string, string> = {}) => ({ as: null, headers: { cookie: l.cookie, ...headers } });

describe('logging in', () => {
  it('sets an HttpOnly SameSite=Lax session cookie and a readable CSRF cookie; the row holds only a hash', async () => {
    const l = await login(web, 'otto', `Op${PASSWORD_SUFFIX}`);
    const session = l.setCookie.find((c) => c.startsWith('updraft_session='))!;
    expect(session).toMatch(/; Path=\/; Max-Age=43200; SameSite=Lax; HttpOnly$/);
    expect(l.setCookie.find((c) => c.startsWith('updraft_csrf='))).toMatch(/; Path=\/; Max-Age=43200; SameSite=Lax$/);
    const rows = await db.pool.query('SELECT s.id_hash, s.csrf_token, s.remote_addr FROM user_session s JOIN ab_user u ON u.id = s.user_id WHERE u.username = $1', ['otto']);
    expect(rows.rows).toEqual([{ id_hash: createHash('sha256').update(l.session).digest('hex'), csrf_token: l.csrf, remote_addr: '127.0.0.1' }]);
    expect(JSON.stringify(rows.rows)).not.toContain(l.session);

    const me = await call(web, '/api/v1/auth/me', withCookie(l));
    expect(me.status, me.text).toBe(200);
    expect(me.json).toMatchObject({ username: 'otto', role: 'Op', email: null, first_name: '', last_name: '', authenticated_by: 'session' });
    expect(new Date(me.json.session_expires_at).getTime()).toBeGreaterThan(Date.now() + 11 * 3600_000);
    expect((await call(web, '/api/v1/dags', withCookie(l))).status).toBe(200);
    const user = await usersSql.findUser(db.pool, 'otto');
    expect(user!.lastLogin).not.toBeNull();
    expect((await db.pool.query("SELECT owner, remote_addr FROM event_log WHERE event = 'login'")).rows).toContainEqual({ owner: 'otto', remote_addr: '127.0.0.1' });
  });

  it('marks the cookies Secure when webserver.base_url is https, and accepts that origin', async () => {
    const behindTls = await startApi({ db: db.pool, sessions: { baseUrl: 'https://updraft.example.com/', lifetimeMs: 3600_000 } });
    try {
      const res = await fetch(`${behindTls.url}/api/v1/auth/login`, {
        method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://updraft.example.com' }, body: JSON.stringify({ username: 'vic', password: `Viewer${PASSWORD_SUFFIX}` }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.getSetCookie()).toEqual([
        expect.stringMatching(/^updraft_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=3600; SameSite=Lax; HttpOnly; Secure$/),
        expect.stringMatching(/^updraft_csrf=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=3600; SameSite=Lax; Secure$/),
      ]);
    } finally {
      await behindTls.close();
    }
  });

  it('refuses a wrong password or an unknown user with 401 (no browser challenge) and logs who tried, never the password', async () => {
    const wrong = await call(web, '/api/v1/auth/login', { as: null, method: 'POST', body: { username: 'vic', password: 'not-it-Zq9' } });
    expect(wrong.status).toBe(401);
    expect(wrong.json.detail).toBe('invalid username or password');
    expect(wrong.headers.get('www-authenticate')).toBeNull();
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const unknown = await call(web, '/api/v1/auth/login', { as: null, method: 'POST', body: { username: 'nobody', password: 'not-it-Zq9' } });
    expect(unknown.json.detail).toBe('invalid username or password');
    const failed = await db.pool.query("SELECT owner, extra, remote_addr FROM event_log WHERE event = 'login.failed' ORDER BY id");
    expect(failed.rows).toEqual([
      { owner: 'vic', extra: { reason: 'invalid username or password' }, remote_addr: '127.0.0.1' },
      { owner: 'nobody', extra: { reason: 'invalid username or password' }, remote_addr: '127.0.0.1' },
    ]);
    expect(JSON.stringify((await db.pool.query('SELECT * FROM event_log')).rows)).not.toContain('not-it-Zq9');
    const bad = await call(web, '/api/v1/auth/login', { as: null, method: 'POST', body: { username: 'vic' } });
    expect(bad.status).toBe(400);
    expect(bad.json.field).toBe('body.password');
  });

  it('challenges scripts with WWW-Authenticate but not the web UI', async () => {
    const curl = await call(web, '/api/v1/dags', { as: null });
    expect(curl.status).toBe(401);
    expect(curl.headers.get('www-authenticate')).toBe('Basic realm="Updraft", charset="UTF-8"');
    const ui = await call(web, '/api/v1/dags', { as: null, headers: { 'x-requested-with': 'updraft-ui' } });
    expect(ui.status).toBe(401);
    expect(ui.headers.get('www-authenticate')).toBeNull();
    expect((await call(web, '/ui/events', { as: null })).headers.get('www-authenticate')).toBeNull();
  });
});

describe('CSRF', () => {
  it('a cookie-authenticated mutation needs the session\'s X-CSRF-Token and a same-origin Origin; basic auth needs neither', async () => {
    const l = await login(web, 'otto', `Op${PASSWORD_SUFFIX}`);
    const body = { name: 'csrf_pool', slots: 2 };
    const missing = await call(web, '/api/v1/pools', { ...withCookie(l), method: 'POST', body });
    expect(missing.status).toBe(403);
    expect(missing.json).toMatchObject({ field: 'header.x-csrf-token', detail: expect.stringContaining('CSRF token missing') });
    const other = await login(web, 'otto', `Op${PASSWORD_SUFFIX}`);
    const wrong = await call(web, '/api/v1/pools', { ...withCookie(l, { 'x-csrf-token': other.csrf }), method: 'POST', body });
    expect(wrong.status).toBe(403);
    expect(wrong.json.detail).toContain('CSRF token invalid');
    const foreign = await call(web, '/api/v1/pools', { ...withCookie(l, { 'x-csrf-token': l.csrf, origin: 'https://evil.example' }), method: 'POST', body });
    expect(foreign.status).toBe(403);
    expect(foreign.json).toMatchObject({ field: 'header.origin', detail: expect.stringContaining('cross-origin request refused') });
    expect((await call(web, '/api/v1/pools/csrf_pool', { as: 'Op' })).status).toBe(404);

    const ok = await call(web, '/api/v1/pools', { ...withCookie(l, { 'x-csrf-token': l.csrf, origin: web.url }), method: 'POST', body });
    expect(ok.status, ok.text).toBe(200);
    // Reads need no token; basic auth needs none for a mutation.
    expect((await call(web, '/api/v1/pools/csrf_pool', withCookie(l))).status).toBe(200);
    expect((await call(web, '/api/v1/pools/csrf_pool', { as: 'Op', method: 'DELETE' })).status).toBe(204);
    // A cross-site login attempt is refused too.
    const crossLogin = await call(web, '/api/v1/auth/login', { as: null, method: 'POST', body: { username: 'otto', password: `Op${PASSWORD_SUFFIX}` }, headers: { origin: 'https://evil.example' } });
    expect(crossLogin.status).toBe(403);
  });
});

describe('the life of a session', () => {
  it('survives a webserver restart, slides forward when used, and ends at expiry', async () => {
    const l = await login(web, 'ursula', `User${PASSWORD_SUFFIX}`);
    const second = await startApi({ db: db.pool });
    try {
      expect((await call(second, '/api/v1/auth/me', withCookie(l))).json.username).toBe('ursula');
    } finally {
      await second.close();
    }
    const idHash = createHash('sha256').update(l.session).digest('hex');
    await db.pool.query("UPDATE user_session SET last_seen = now() - interval '2 minutes', expires_at = now() + interval '1 minute' WHERE id_hash = $1", [idHash]);
    const used = await call(web, '/api/v1/dags', withCookie(l));
    expect(used.status).toBe(200);
    expect(used.headers.getSetCookie().find((c) => c.startsWith('updraft_session='))).toMatch(/Max-Age=43\d{3};/);
    const row = await db.pool.query('SELECT expires_at FROM user_session WHERE id_hash = $1', [idHash]);
    expect(row.rows[0].expires_at.getTime()).toBeGreaterThan(Date.now() + 11 * 3600_000);

    await db.pool.query("UPDATE user_session SET expires_at = now() - interval '1 second' WHERE id_hash = $1", [idHash]);
    const expired = await call(web, '/api/v1/dags', withCookie(l, { 'x-requested-with': 'updraft-ui' }));
    expect(expired.status).toBe(401);
  });

  it('ends on logout (which needs the CSRF token), clearing both cookies', async () => {
    const l = await login(web, 'ursula', `User${PASSWORD_SUFFIX}`);
    const noToken = await call(web, '/api/v1/auth/logout', { ...withCookie(l), method: 'POST' });
    expect(noToken.status).toBe(403);
    const out = await call(web, '/api/v1/auth/logout', { ...withCookie(l, { 'x-csrf-token': l.csrf }), method: 'POST' });
    expect(out.status).toBe(204);
    const cleared = out.headers.getSetCookie();
    expect(cleared).toEqual([expect.stringMatching(/^updraft_session=; Path=\/; Max-Age=0;/), expect.stringMatching(/^updraft_csrf=; Path=\/; Max-Age=0;/)]);
    expect((await call(web, '/api/v1/auth/me', withCookie(l))).status).toBe(401);
    expect((await db.pool.query("SELECT owner FROM event_log WHERE event = 'logout'")).rows).toEqual([{ owner: 'ursula' }]);
    // Logging out again (the session is gone) still answers 204 and clears the cookies.
    expect((await call(web, '/api/v1/auth/logout', { ...withCookie(l), method: 'POST' })).status).toBe(204);
  });

  it('ends at once when the password is reset, the user is deactivated or deleted; a role change counts at the next request', async () => {
    await usersSql.createUser(db.pool, { username: 'temp', role: 'Viewer', passwordHash: await hashPassword('temp-pw-1'), email: 'temp@example.com', firstName: 'Tem', lastName: 'Porary' });
    let l = await login(web, 'temp', 'temp-pw-1');
    await usersSql.setUserRole(db.pool, 'temp', 'Op');
    expect((await call(web, '/api/v1/auth/me', withCookie(l))).json).toMatchObject({ role: 'Op', email: 'temp@example.com', first_name: 'Tem', last_name: 'Porary' });
    await usersSql.setUserPassword(db.pool, 'temp', await hashPassword('temp-pw-2'));
    expect((await call(web, '/api/v1/auth/me', withCookie(l))).status).toBe(401);
    l = await login(web, 'temp', 'temp-pw-2');
    await usersSql.updateUser(db.pool, 'temp', { active: false });
    expect((await call(web, '/api/v1/auth/me', withCookie(l))).status).toBe(401);
    expect((await call(web, '/api/v1/auth/login', { as: null, method: 'POST', body: { username: 'temp', password: 'temp-pw-2' } })).status).toBe(401);
    await usersSql.updateUser(db.pool, 'temp', { active: true });
    l = await login(web, 'temp', 'temp-pw-2');
    await usersSql.deleteUser(db.pool, 'temp');
    expect((await call(web, '/api/v1/auth/me', withCookie(l))).status).toBe(401);
    expect(await usersSql.findUser(db.pool, 'temp')).toBeNull();
  });
});

describe('failed-login limit', () => {
  it('refuses a username after too many failures with 429 and Retry-After, even with the right password; and an address trying many names', async () => {
    const limited = await startApi({ db: db.pool, loginLimit: { maxFailures: 3 } });
    try {
      const attempt = (username: string, password: string) => call(limited, '/api/v1/auth/login', { as: null, method: 'POST', body: { username, password } });
      for (let i = 0; i < 3; i++) expect((await attempt('ada', 'wrong')).status).toBe(401);
      const refused = await attempt('ada', `Admin${PASSWORD_SUFFIX}`);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.json.detail).toContain('too many failed logins');
      // The address has failed three times too: another username from it is refused as well.
      expect((await attempt('vic', `Viewer${PASSWORD_SUFFIX}`)).status).toBe(429);
      // The limit is per process (in memory): the main webserver still lets ada in.
      expect((await login(web, 'ada', `Admin${PASSWORD_SUFFIX}`)).csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    } finally {
      await limited.close();
    }
  });
});
