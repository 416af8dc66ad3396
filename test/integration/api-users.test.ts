/**
 * /api/v1/users over real HTTP against a real database: Admin only; Airflow 2's User shape with
 * the password write-only (never answered, never in the event log, stored as argon2id); a new
 * password or a deactivation ends the user's sessions; an admin cannot remove its own way in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword, usersSql, type Role } from '@updraft/core';
import type { RunningWebserver } from '@updraft/webserver';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';
import { call, createRoleUsers, startApi, type CallResult } from './api-support.js';

const SECRET = 'new-user-pw-that-must-not-leak-41';
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

function expectProblem(r: CallResult, status: number, field?: string): void {
  expect(r.status, r.text).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  if (field !== undefined) expect(r.json.field).toBe(field);
}

async function login(username: string, password: string): Promise<{ status: number; cookie: string }> {
  const r = await call(web, '/api/v1/auth/login', { as: null, method: 'POST', body: { username, password } });
  const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { status: r.status, cookie };
}

describe('users API', () => {
  it('creates, lists, gets, changes and deletes users; the password is write-only', async () => {
    for (const role of ['Viewer', 'User', 'Op'] as Role[]) expectProblem(await call(web, '/api/v1/users', { as: role }), 403);
    const body = { username: 'lin', password: SECRET, roles: [{ name: 'User' }], email: 'lin@example.com', first_name: 'Lin', last_name: 'Ma' };
    const made = await call(web, '/api/v1/users', { method: 'POST', body });
    expect(made.status, made.text).toBe(200);
    expect(made.json).toEqual({
      username: 'lin', email: 'lin@example.com', first_name: 'Lin', last_name: 'Ma', roles: [{ name: 'User' }], active: true,
      created_on: expect.any(String), last_login: null,
    });
    expectProblem(await call(web, '/api/v1/users', { method: 'POST', body }), 409, 'body.username');
    const stored = await usersSql.findUserCredentials(db.pool, 'lin');
    expect(stored!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(stored!.passwordHash, SECRET)).toBe(true);

    const list = await call(web, '/api/v1/users?limit=2&offset=1');
    expect(list.json.total_entries).toBe(5);
    expect(list.json.users.map((u: { username: string }) => u.username)).toEqual(['lin', 'otto']);
    expect((await call(web, '/api/v1/users/lin')).json.roles).toEqual([{ name: 'User' }]);
    expectProblem(await call(web, '/api/v1/users/nobody'), 404, 'path.username');

    const session = await login('lin', SECRET);
    expect(session.status).toBe(200);
    expect((await call(web, '/api/v1/auth/me', { as: null, headers: { cookie: session.cookie } })).status).toBe(200);
    const promoted = await call(web, '/api/v1/users/lin?update_mask=roles', { method: 'PATCH', body: { roles: [{ name: 'Op' }], email: 'ignored@example.com' } });
    expect(promoted.json).toMatchObject({ roles: [{ name: 'Op' }], email: 'lin@example.com' });
    // A role change keeps the session; the new role counts at once.
    expect((await call(web, '/api/v1/auth/me', { as: null, headers: { cookie: session.cookie } })).json.role).toBe('Op');
    const newPassword = await call(web, '/api/v1/users/lin', { method: 'PATCH', body: { password: `${SECRET}-2`, last_name: 'Mao' } });
    expect(newPassword.json).toMatchObject({ last_name: 'Mao' });
    expect((await call(web, '/api/v1/auth/me', { as: null, headers: { cookie: session.cookie } })).status).toBe(401);
    expect((await login('lin', SECRET)).status).toBe(401);
    const again = await login('lin', `${SECRET}-2`);
    expect(again.status).toBe(200);
    expect((await call(web, '/api/v1/users/lin', { method: 'PATCH', body: { active: false } })).json.active).toBe(false);
    expect((await call(web, '/api/v1/auth/me', { as: null, headers: { cookie: again.cookie } })).status).toBe(401);
    expect((await login('lin', `${SECRET}-2`)).status).toBe(401);

    expectProblem(await call(web, '/api/v1/users/lin', { method: 'PATCH', body: { username: 'other' } }), 400, 'body.username');
    expectProblem(await call(web, '/api/v1/users/lin?update_mask=email', { method: 'PATCH', body: {} }), 400, 'body.email');
    expectProblem(await call(web, '/api/v1/users/lin', { method: 'PATCH', body: { roles: [{ name: 'Root' }] } }), 400);
    expectProblem(await call(web, '/api/v1/users', { method: 'POST', body: { ...body, username: 'a b' } }), 400, 'body.username');
    expectProblem(await call(web, '/api/v1/users', { method: 'POST', body: { username: 'x', roles: [{ name: 'User' }] } }), 400, 'body.password');
    expectProblem(await call(web, '/api/v1/users', { method: 'POST', body: { username: 'x', password: 'p', roles: [] } }), 400, 'body.roles');
    expectProblem(await call(web, '/api/v1/users/nobody', { method: 'PATCH', body: { active: true } }), 404, 'path.username');

    expect((await call(web, '/api/v1/users/lin', { method: 'DELETE' })).status).toBe(204);
    expectProblem(await call(web, '/api/v1/users/lin', { method: 'DELETE' }), 404, 'path.username');
    expect(await usersSql.findUser(db.pool, 'lin')).toBeNull();

    const events = await db.pool.query("SELECT event, owner, extra FROM event_log WHERE event LIKE 'user.%' ORDER BY id");
    expect(events.rows).toEqual([
      { event: 'user.create', owner: 'ada', extra: { username: 'lin', role: 'User' } },
      { event: 'user.edit', owner: 'ada', extra: { username: 'lin', fields: ['roles'], role: 'Op' } },
      { event: 'user.edit', owner: 'ada', extra: { username: 'lin', fields: ['password', 'last_name'] } },
      { event: 'user.edit', owner: 'ada', extra: { username: 'lin', fields: ['active'] } },
      { event: 'user.delete', owner: 'ada', extra: { username: 'lin' } },
    ]);
    const everything = JSON.stringify((await db.pool.query('SELECT * FROM event_log')).rows);
    expect(everything).not.toContain(SECRET);
    for (const r of [made, list, promoted, newPassword]) expect(r.text).not.toMatch(/password|argon2/);
  });

  it('an admin cannot delete, deactivate or demote the account it is using', async () => {
    expectProblem(await call(web, '/api/v1/users/ada', { method: 'DELETE' }), 409, 'path.username');
    expectProblem(await call(web, '/api/v1/users/ada', { method: 'PATCH', body: { active: false } }), 409, 'body.active');
    expectProblem(await call(web, '/api/v1/users/ada', { method: 'PATCH', body: { roles: [{ name: 'Op' }] } }), 409, 'body.roles');
    expect((await call(web, '/api/v1/users/ada', { method: 'PATCH', body: { first_name: 'Ada' } })).json.first_name).toBe('Ada');
  });
});
