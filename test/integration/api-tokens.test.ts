/**
 * API tokens for scripts: `updraft users token create|list|revoke` against a real database, and
 * `Authorization: Bearer` on the webserver over real HTTP: the token acts with its user's role, a
 * revoked or expired one is refused at once, the database holds only its hash.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningWebserver } from '@updraft/webserver';
import { createTestDatabase, runCli, type TestDatabase } from '../harness/index.js';
import { call, createRoleUsers, startApi } from './api-support.js';

let db: TestDatabase;
let web: RunningWebserver;
let env: Record<string, string>;

beforeAll(async () => {
  db = await createTestDatabase();
  await createRoleUsers(db.pool);
  web = await startApi({ db: db.pool });
  env = { UPDRAFT__DATABASE__URL: db.url };
});

afterAll(async () => {
  await web?.close();
  await db?.drop();
});

const bearer = (token: string) => ({ as: null, headers: { authorization: `Bearer ${token}` } });

async function createToken(args: string[]): Promise<string> {
  const r = await runCli(['users', 'token', 'create', ...args], { env });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
}

describe('API tokens', () => {
  it('a token acts with its user\'s role, is stored only as a hash, and is listed without itself', async () => {
    const token = await createToken(['nightly-export', '--username', 'vic', '--expires', '30d']);
    expect(token).toMatch(/^updraft_[A-Za-z0-9_-]{43}$/);
    const read = await call(web, '/api/v1/dags', bearer(token));
    expect(read.status, read.text).toBe(200);
    // vic is a Viewer: reads yes, changes no.
    const change = await call(web, '/api/v1/pools', { ...bearer(token), method: 'POST', body: { name: 'p1', slots: 2 } });
    expect(change.status).toBe(403);
    expect((change.json as { detail: string }).detail).toContain('role Viewer may not');

    const stored = await db.pool.query('SELECT token_hash, last_used FROM api_token');
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0].token_hash).not.toContain(token.slice(8));
    expect(stored.rows[0].last_used).not.toBeNull();

    const list = await runCli(['users', 'token', 'list'], { env });
    expect(list.stdout.split('\n')[0]).toMatch(/^USERNAME\s+NAME\s+STATE\s+CREATED\s+EXPIRES\s+LAST_USED$/);
    expect(list.stdout.split('\n')[1]).toMatch(/^vic\s+nightly-export\s+active\s+\S+\s+\S+\s+\S+$/);
    expect(list.stdout).not.toContain(token);
  });

  it('a revoked token is refused at once; so are an expired one, a made-up one and a malformed one', async () => {
    const token = await createToken(['ci', '--username', 'ada']);
    expect((await call(web, '/api/v1/config', bearer(token))).status).not.toBe(401);
    const revoked = await runCli(['users', 'token', 'revoke', 'ci', '--username', 'ada'], { env });
    expect(revoked.stdout).toBe("API token 'ci' of 'ada' revoked: it is refused from now on\n");
    const after = await call(web, '/api/v1/dags', bearer(token));
    expect(after.status).toBe(401);
    expect((after.json as { detail: string }).detail).toBe('invalid, expired or revoked API token');

    const expiring = await createToken(['short', '--username', 'ada', '--expires', '1h']);
    await db.pool.query(`UPDATE api_token SET expires_at = now() - interval '1 second' WHERE name = 'short'`);
    expect((await call(web, '/api/v1/dags', bearer(expiring))).status).toBe(401);
    expect((await call(web, '/api/v1/dags', bearer(`updraft_${'A'.repeat(43)}`))).status).toBe(401);
    const malformed = await call(web, '/api/v1/dags', bearer('not-a-token'));
    expect(malformed.status).toBe(401);
    expect((malformed.json as { detail: string }).detail).toContain('malformed bearer token');

    // Deleting the user takes its tokens with it.
    const ursula = await createToken(['u1', '--username', 'ursula']);
    expect((await call(web, '/api/v1/dags', bearer(ursula))).status).toBe(200);
    expect((await runCli(['users', 'delete', '--username', 'ursula'], { env })).code).toBe(0);
    expect((await call(web, '/api/v1/dags', bearer(ursula))).status).toBe(401);
  });

  it('names what is wrong: an unknown user, a taken name, a bad expiry, an unknown token', async () => {
    const unknown = await runCli(['users', 'token', 'create', 't1', '--username', 'nobody'], { env });
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("user 'nobody' does not exist or already has a token named 't1'");
    await createToken(['dup', '--username', 'otto']);
    const taken = await runCli(['users', 'token', 'create', 'dup', '--username', 'otto'], { env });
    expect(taken.stderr).toContain("already has a token named 'dup'");
    const badExpiry = await runCli(['users', 'token', 'create', 't2', '--username', 'otto', '--expires', 'soon'], { env });
    expect(badExpiry.stderr).toContain("--expires must be a duration such as 30d, 12h or 90m, or never; got 'soon'");
    const missing = await runCli(['users', 'token', 'revoke', 'nope', '--username', 'otto'], { env });
    expect(missing.stderr).toContain("user 'otto' has no active token named 'nope'");
  });
});
