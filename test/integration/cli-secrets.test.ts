/**
 * `updraft connections | variables | pools | rotate-fernet-key` against a real PostgreSQL: secrets
 * are stored as Fernet tokens (no plain text in the row), shown masked, exported and imported in
 * Airflow's formats, read from UPDRAFT_CONN_* / UPDRAFT_VAR_*, and re-encrypted by key rotation.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fernetFromConfig, generateFernetKey } from '@updraft/core';
import { createTestDatabase, runCli, type CliResult, type TestDatabase } from '../harness/index.js';

let db: TestDatabase;
let dir: string;
const KEY = generateFernetKey();
const PASSWORD = 'pw-Wx7!q9@secret';

const cli = async (args: string[], env: Record<string, string> = {}): Promise<CliResult> =>
  runCli(args, { env: { UPDRAFT__DATABASE__URL: db.url, UPDRAFT__SECURITY__FERNET_KEY: KEY, ...env }, cwd: dir });

async function ok(args: string[], env?: Record<string, string>): Promise<string> {
  const r = await cli(args, env);
  expect(r.code, `updraft ${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'updraft-cli-secrets-'));
});

afterAll(async () => {
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('updraft connections', () => {
  it('adds a connection from a URI: the row holds Fernet tokens, the CLI shows *** for the password', async () => {
    const out = await ok(['connections', 'add', 'warehouse', '--conn-uri', `postgres://etl:${encodeURIComponent(PASSWORD)}@db.example.com:5432/dw?sslmode=require&client_secret=abc123`]);
    expect(out).toContain('Successfully added conn_id=warehouse');
    expect(out).not.toContain(PASSWORD);
    const { rows } = await db.pool.query('SELECT * FROM connection WHERE conn_id = $1', ['warehouse']);
    const text = JSON.stringify(rows[0]);
    // A part of the password with characters no Fernet token has (base64url): 'Wx7' alone was found in one.
    expect(text).not.toContain('Wx7!q9@');
    expect(text).not.toContain('sslmode');
    expect(rows[0].host).toBe('db.example.com');
    const fernet = fernetFromConfig(KEY)!;
    expect(fernet.decrypt(rows[0].password_encrypted as string).toString()).toBe(PASSWORD);

    const [gotText, listed] = await Promise.all([ok(['connections', 'get', 'warehouse', '-o', 'json']), ok(['connections', 'list'])]);
    const got = JSON.parse(gotText) as Record<string, unknown>;
    expect(got).toMatchObject({ conn_id: 'warehouse', conn_type: 'postgres', login: 'etl', password: '***', port: 5432, schema: 'dw', source: 'database' });
    expect(got.extra).toEqual({ sslmode: 'require', client_secret: '***' });
    expect(listed).toContain('warehouse');
    expect(listed).not.toContain(PASSWORD);
  });

  it('refuses a duplicate id and bad input with the reason', async () => {
    const [dup, bad, noKey, both] = await Promise.all([
      cli(['connections', 'add', 'warehouse', '--conn-uri', 'postgres://h']),
      cli(['connections', 'add', 'x', '--conn-json', '{"host":"h"}']),
      cli(['connections', 'add', 'nokey', '--conn-uri', 'a://u:p@h'], { UPDRAFT__SECURITY__FERNET_KEY: '' }),
      cli(['connections', 'add', 'x', '--conn-uri', 'a://b', '--conn-type', 'a']),
    ]);
    expect(both.stderr).toContain('exactly one of --conn-uri');
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain("a connection with conn_id 'warehouse' already exists");
    expect(bad.stderr).toContain('conn_type is required');
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain('security.fernet_key is empty');
  });

  it('reads UPDRAFT_CONN_<ID> (URI or JSON) before the database', async () => {
    const env = { UPDRAFT_CONN_SLACK: '{"conn_type": "slack", "password": "xoxb-from-env"}' };
    const got = JSON.parse(await ok(['connections', 'get', 'slack', '-o', 'json'], env)) as Record<string, unknown>;
    expect(got).toMatchObject({ conn_type: 'slack', password: '***', source: 'env' });
  });

  it('exports with passwords and imports into another database (JSON and env files), then deletes', async () => {
    const file = join(dir, 'conns.json');
    await ok(['connections', 'export', file]);
    const exported = JSON.parse(await readFile(file, 'utf8')) as Record<string, Record<string, unknown>>;
    expect(exported.warehouse).toMatchObject({ conn_type: 'postgres', password: PASSWORD, extra: { sslmode: 'require', client_secret: 'abc123' } });

    await writeFile(join(dir, 'more.env'), 'api_a=http://user:tok%40en@api.example.com:8443/v1\n# comment\napi_b={"conn_type":"http","host":"b"}\n');
    expect(await ok(['connections', 'import', join(dir, 'more.env')])).toContain('Imported connection api_a');
    const a = JSON.parse(await ok(['connections', 'get', 'api_a', '-o', 'json'])) as Record<string, unknown>;
    expect(a).toMatchObject({ conn_type: 'http', host: 'api.example.com', port: 8443, schema: 'v1', password: '***' });
    const again = await ok(['connections', 'import', join(dir, 'more.env')]);
    expect(again).toContain('Could not import connection api_a: it already exists');

    expect(await ok(['connections', 'delete', 'api_b'])).toContain('Successfully deleted');
  });
});

describe('updraft variables', () => {
  it('sets, gets, lists (sensitive keys masked) and deletes; values are encrypted at rest', async () => {
    await Promise.all([
      ok(['variables', 'set', 'region', 'eu-west-1']),
      ok(['variables', 'set', 'slack_token', 'xoxb-var-secret']),
      ok(['variables', 'set', 'settings', '{"retries": 3, "nested": {"a": 1}}', '--json', '--description', 'knobs']),
    ]);
    const [region, settings, fallback, missing, fromEnv, list] = await Promise.all([
      ok(['variables', 'get', 'region']),
      ok(['variables', 'get', 'settings']),
      ok(['variables', 'get', 'missing', '-d', 'fallback']),
      cli(['variables', 'get', 'missing']),
      ok(['variables', 'get', 'from_env'], { UPDRAFT_VAR_FROM_ENV: 'hello' }),
      ok(['variables', 'list', '-o', 'json']),
    ]);
    expect(region).toBe('eu-west-1\n');
    expect(settings).toBe('{"retries":3,"nested":{"a":1}}\n');
    expect(fallback).toBe('fallback\n');
    expect(missing.stderr).toContain("variable 'missing' does not exist");
    expect(fromEnv).toBe('hello\n');
    const listed = JSON.parse(list) as Array<{ key: string; value: string }>;
    expect(listed.find((v) => v.key === 'slack_token')?.value).toBe('***');
    expect(listed.find((v) => v.key === 'region')?.value).toBe('eu-west-1');
    const { rows } = await db.pool.query("SELECT value, is_encrypted FROM variable WHERE key = 'slack_token'");
    expect(rows[0]).toMatchObject({ is_encrypted: true });
    expect(rows[0].value).not.toContain('xoxb');
    expect(await ok(['variables', 'delete', 'region'])).toContain('deleted');
  });

  it('exports and imports Airflow variable files', async () => {
    const file = join(dir, 'vars.json');
    await ok(['variables', 'export', file]);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ slack_token: 'xoxb-var-secret', settings: { retries: 3 } });
    await writeFile(join(dir, 'in.json'), JSON.stringify({ n: 5, obj: { a: [1] }, d: { value: 'v', description: 'desc' }, slack_token: 'new' }));
    expect(await ok(['variables', 'import', join(dir, 'in.json'), '-a', 'skip'])).toContain('3 of 4 variable(s) successfully imported');
    const [obj, kept, fail] = await Promise.all([
      ok(['variables', 'get', 'obj']),
      ok(['variables', 'get', 'slack_token']),
      cli(['variables', 'import', join(dir, 'in.json'), '-a', 'fail']),
    ]);
    expect(obj).toBe('{"a":[1]}\n');
    expect(kept).toBe('xoxb-var-secret\n');
    expect(fail.stderr).toContain('variables already exist');
  });
});

describe('updraft pools', () => {
  it('sets, lists with slot counts, exports, imports and deletes pools; default_pool stays', async () => {
    await writeFile(join(dir, 'pools-in.json'), JSON.stringify({ big: { slots: 10, description: 'b' } }));
    const [set, , badSlots, keepDefault] = await Promise.all([
      ok(['pools', 'set', 'etl', '2', 'ETL jobs']),
      ok(['pools', 'import', join(dir, 'pools-in.json')]),
      cli(['pools', 'set', 'x', 'many', 'd']),
      cli(['pools', 'delete', 'default_pool']),
    ]);
    expect(set).toMatch(/POOL\s+SLOTS\s+RUNNING\s+QUEUED\s+OCCUPIED\s+OPEN\s+WAITING\s+DESCRIPTION/);
    expect(set).toMatch(/etl\s+2\s+0\s+0\s+0\s+2\s+0\s+ETL jobs/);
    expect(badSlots.code).not.toBe(0);
    expect(keepDefault.stderr).toContain('default_pool cannot be deleted');
    const file = join(dir, 'pools.json');
    const [list] = await Promise.all([ok(['pools', 'list', '-o', 'json']), ok(['pools', 'export', file])]);
    expect(JSON.parse(list)).toContainEqual(expect.objectContaining({ name: 'default_pool', slots: 128, open_slots: 128, occupied_slots: 0 }));
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ etl: { slots: 2, description: 'ETL jobs' }, big: { slots: 10 } });
    await ok(['pools', 'delete', 'big']);
    expect((await cli(['pools', 'get', 'big'])).stderr).toContain("pool 'big' does not exist");
  });
});

describe('updraft rotate-fernet-key', () => {
  it('writes each change to the event log with the user who made it, naming what changed and no secret', async () => {
    const as = { USER: 'audit-alice' };
    await ok(['variables', 'set', 'audit_api_key', 'value-never-logged-41'], as);
    await ok(['variables', 'delete', 'audit_api_key'], as);
    await ok(['pools', 'set', 'audit_pool', '3', 'for the audit'], as);
    await ok(['pools', 'delete', 'audit_pool'], as);
    await ok(['connections', 'add', 'audit_conn', '--conn-uri', `http://u:${encodeURIComponent(PASSWORD)}@h.example.com:1/`], as);
    await ok(['connections', 'delete', 'audit_conn'], as);
    const { rows } = await db.pool.query(`SELECT event, owner, extra FROM event_log WHERE owner = 'audit-alice' ORDER BY id`);
    expect(rows).toEqual([
      { event: 'cli.variable.set', owner: 'audit-alice', extra: { key: 'audit_api_key' } },
      { event: 'cli.variable.delete', owner: 'audit-alice', extra: { key: 'audit_api_key' } },
      { event: 'cli.pool.set', owner: 'audit-alice', extra: { pool: 'audit_pool', slots: 3 } },
      { event: 'cli.pool.delete', owner: 'audit-alice', extra: { pool: 'audit_pool' } },
      { event: 'cli.connection.create', owner: 'audit-alice', extra: { conn_id: 'audit_conn' } },
      { event: 'cli.connection.delete', owner: 'audit-alice', extra: { conn_id: 'audit_conn' } },
    ]);
    // Nothing secret in the whole log (the other tests' changes included).
    const all = JSON.stringify((await db.pool.query('SELECT * FROM event_log')).rows);
    for (const secret of [PASSWORD, encodeURIComponent(PASSWORD), 'value-never-logged-41', 'abc123']) expect(all).not.toContain(secret);
  });

  it('re-encrypts every secret under the first key; the old key alone no longer decrypts', async () => {
    const newKey = (await ok(['rotate-fernet-key', '--generate'])).trim();
    expect(newKey).toMatch(/^[A-Za-z0-9_-]{43}=$/);
    const out = await ok(['rotate-fernet-key'], { UPDRAFT__SECURITY__FERNET_KEY: `${newKey},${KEY}` });
    expect(out).toMatch(/re-encrypted 2 connection\(s\) and \d+ variable\(s\)/);
    const [exported, old] = await Promise.all([
      ok(['connections', 'export', '-'], { UPDRAFT__SECURITY__FERNET_KEY: newKey }),
      cli(['connections', 'export', '-']),
    ]);
    expect((JSON.parse(exported) as Record<string, Record<string, unknown>>).warehouse?.password).toBe(PASSWORD);
    expect(old.code).toBe(1);
    expect(old.stderr).toContain('cannot be decrypted with security.fernet_key');
  });
});
