/**
 * `updraft users create | list | delete | reset-password | set-role` against a real PostgreSQL:
 * Airflow's flags, passwords from --password or --password-stdin stored as argon2id hashes (never
 * in plain text, never printed), errors naming the flag at fault.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '@updraft/core';
import { createTestDatabase, runCli, type CliResult, type TestDatabase } from '../harness/index.js';

let db: TestDatabase;
const PASSWORD = 'Pw-users-8s!d';

const cli = (args: string[], input?: string): Promise<CliResult> => runCli(args, { env: { UPDRAFT__DATABASE__URL: db.url }, input });

async function ok(args: string[], input?: string): Promise<string> {
  const r = await cli(args, input);
  expect(r.code, `updraft ${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

async function hashOf(username: string): Promise<string> {
  const { rows } = await db.pool.query<{ password_hash: string }>('SELECT password_hash FROM ab_user WHERE username = $1', [username]);
  return rows[0]!.password_hash;
}

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

describe('updraft users', () => {
  it('creates users with Airflow\'s flags; the password is an argon2id hash, never shown', async () => {
    await ok(['users', 'create', '-u', 'alice', '-r', 'Op', '-e', 'alice@example.com', '-f', 'Alice', '-l', 'Liddell', '-p', PASSWORD]);
    await ok(['users', 'create', '--username', 'ci', '--role', 'User', '--password-stdin'], `${PASSWORD}-ci\n`);
    expect(await hashOf('alice')).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(await hashOf('alice'), PASSWORD)).toBe(true);
    expect(await verifyPassword(await hashOf('ci'), `${PASSWORD}-ci`)).toBe(true);
    const list = JSON.parse(await ok(['users', 'list', '-o', 'json'])) as Array<Record<string, unknown>>;
    expect(list.map((u) => [u.username, u.role, u.email, u.first_name, u.last_name])).toEqual([
      ['alice', 'Op', 'alice@example.com', 'Alice', 'Liddell'], ['ci', 'User', null, '', ''],
    ]);
    const table = await ok(['users', 'list']);
    expect(table).toContain('alice');
    for (const out of [JSON.stringify(list), table]) expect(out).not.toContain('argon2');
  });

  it('refuses a duplicate, a bad role, a missing password without a terminal, and an empty one', async () => {
    const dup = await cli(['users', 'create', '-u', 'alice', '-r', 'Op', '-p', 'x']);
    expect(dup.code).not.toBe(0);
    expect(dup.stderr).toContain("user 'alice' already exists");
    const role = await cli(['users', 'create', '-u', 'bob', '-r', 'Root', '-p', 'x']);
    expect(role.code).not.toBe(0);
    expect(role.stderr).toMatch(/--role/);
    const none = await cli(['users', 'create', '-u', 'bob', '-r', 'Viewer']);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/--password-stdin/);
    const empty = await cli(['users', 'create', '-u', 'bob', '-r', 'Viewer', '--password-stdin'], '\n');
    expect(empty.code).not.toBe(0);
    expect(empty.stderr).toMatch(/empty/);
    const { rows } = await db.pool.query("SELECT count(*)::int AS n FROM ab_user WHERE username = 'bob'");
    expect(rows[0].n).toBe(0);
  });

  it('changes a role and a password, and deletes a user', async () => {
    await ok(['users', 'set-role', '-u', 'alice', '-r', 'Admin']);
    await ok(['users', 'reset-password', '-u', 'alice', '--password-stdin'], 'New-pw-1\n');
    expect(await verifyPassword(await hashOf('alice'), 'New-pw-1')).toBe(true);
    expect(await verifyPassword(await hashOf('alice'), PASSWORD)).toBe(false);
    await ok(['users', 'delete', '-u', 'ci']);
    const list = JSON.parse(await ok(['users', 'list', '-o', 'json'])) as Array<Record<string, unknown>>;
    expect(list.map((u) => [u.username, u.role])).toEqual([['alice', 'Admin']]);
    const missing = await cli(['users', 'delete', '-u', 'ci']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("user 'ci' does not exist");
  });
});
