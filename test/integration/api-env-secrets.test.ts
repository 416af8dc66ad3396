/**
 * Variables and connections the webserver's environment defines (UPDRAFT_VAR_<KEY>,
 * UPDRAFT_CONN_<ID>) in the REST API over real HTTP: listed first and got by name, marked
 * read_only, secrets masked as usual, hiding stored ones of the same name; writing one is a 409
 * naming the environment variable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFernetKey, loadConfig, secretsContext } from '@updraft/core';
import type { RunningWebserver } from '@updraft/webserver';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';
import { call, createRoleUsers, startApi } from './api-support.js';

const ENV_PASSWORD = 'env-conn-pw-never-shown-93';
let db: TestDatabase;
let web: RunningWebserver;

beforeAll(async () => {
  db = await createTestDatabase();
  await createRoleUsers(db.pool);
  const cfg = loadConfig({ env: { UPDRAFT__SECURITY__FERNET_KEY: generateFernetKey() }, cwd: '/nonexistent-updraft-cwd' });
  const env = {
    UPDRAFT_VAR_REGION: 'eu-west',
    UPDRAFT_VAR_API_TOKEN: 'env-token-value-77',
    UPDRAFT_CONN_WAREHOUSE: `postgres://etl:${ENV_PASSWORD}@db.example:5432/dw?api_key=extra-secret-55&sslmode=require`,
    UPDRAFT_CONN_BROKEN: 'not a uri',
    PATH: '/usr/bin',
  };
  web = await startApi({ db: db.pool, secrets: secretsContext(cfg, env), config: cfg });
  // Stored ones: "zeta" is listed after the environment's; "region" is hidden by UPDRAFT_VAR_REGION.
  for (const body of [{ key: 'zeta', value: 'z' }, { key: 'alpha', value: 'a' }]) expect((await call(web, '/api/v1/variables', { method: 'POST', body, as: 'Op' })).status).toBe(200);
  await db.pool.query("INSERT INTO variable (key, value, is_encrypted) VALUES ('region', 'stored-region', false)");
  expect((await call(web, '/api/v1/connections', { method: 'POST', body: { connection_id: 'api', conn_type: 'http', host: 'api.example' }, as: 'Op' })).status).toBe(200);
});

afterAll(async () => {
  await web?.close();
  await db?.drop();
});

describe('environment-defined variables', () => {
  it('are listed first, marked read-only, masked when secret, and hide stored ones of the same key', async () => {
    const list = await call(web, '/api/v1/variables', { as: 'Op' });
    expect(list.status, list.text).toBe(200);
    expect(list.json).toEqual({
      variables: [
        { key: 'api_token', value: '***', description: 'Defined by the environment variable UPDRAFT_VAR_API_TOKEN (read-only)', read_only: true },
        { key: 'region', value: 'eu-west', description: 'Defined by the environment variable UPDRAFT_VAR_REGION (read-only)', read_only: true },
        { key: 'alpha', value: 'a', description: null },
        { key: 'zeta', value: 'z', description: null },
      ],
      total_entries: 4,
    });
    expect(list.text).not.toContain('env-token-value-77');
    // Pages run across the two sources.
    const page = await call(web, '/api/v1/variables?limit=2&offset=1', { as: 'Op' });
    expect(page.json.variables.map((v: { key: string }) => v.key)).toEqual(['region', 'alpha']);
    expect(page.json.total_entries).toBe(4);
    const one = await call(web, '/api/v1/variables/region', { as: 'Op' });
    expect(one.json).toEqual({ key: 'region', value: 'eu-west', description: 'Defined by the environment variable UPDRAFT_VAR_REGION (read-only)', read_only: true });
  });

  it('cannot be changed, deleted or created through the API: 409 naming the environment variable', async () => {
    const patch = await call(web, '/api/v1/variables/region', { method: 'PATCH', body: { key: 'region', value: 'us' }, as: 'Op' });
    expect(patch.status).toBe(409);
    expect(patch.json).toMatchObject({ field: 'path.variable_key', detail: expect.stringContaining('defined by the environment (UPDRAFT_VAR_REGION)') });
    const del = await call(web, '/api/v1/variables/region', { method: 'DELETE', as: 'Op' });
    expect(del.status).toBe(409);
    const create = await call(web, '/api/v1/variables', { method: 'POST', body: { key: 'api_token', value: 'x' }, as: 'Op' });
    expect(create.status).toBe(409);
    expect(create.json.field).toBe('body.key');
    expect((await call(web, '/api/v1/variables/zeta', { method: 'DELETE', as: 'Op' })).status).toBe(204);
    expect((await db.pool.query("SELECT value FROM variable WHERE key = 'region'")).rows).toEqual([{ value: 'stored-region' }]);
  });
});

describe('environment-defined connections', () => {
  it('are listed first and got by id, marked read-only, never with their password; an unparseable one is left out', async () => {
    const list = await call(web, '/api/v1/connections', { as: 'Op' });
    expect(list.status, list.text).toBe(200);
    expect(list.json).toEqual({
      connections: [
        { connection_id: 'warehouse', conn_type: 'postgres', description: 'Defined by the environment variable UPDRAFT_CONN_WAREHOUSE (read-only)', host: 'db.example', login: 'etl', schema: 'dw', port: 5432, read_only: true },
        { connection_id: 'api', conn_type: 'http', description: null, host: 'api.example', login: null, schema: null, port: null },
      ],
      total_entries: 2,
    });
    const one = await call(web, '/api/v1/connections/warehouse', { as: 'Op' });
    expect(one.status, one.text).toBe(200);
    expect(one.json).toMatchObject({ connection_id: 'warehouse', read_only: true, host: 'db.example' });
    expect(JSON.parse(one.json.extra)).toEqual({ api_key: '***', sslmode: 'require' });
    for (const r of [list, one]) {
      expect(r.text).not.toContain(ENV_PASSWORD);
      expect(r.text).not.toContain('extra-secret-55');
    }
  });

  it('cannot be changed, deleted or created through the API: 409 naming the environment variable', async () => {
    const patch = await call(web, '/api/v1/connections/warehouse', { method: 'PATCH', body: { connection_id: 'warehouse', conn_type: 'postgres', host: 'other' }, as: 'Op' });
    expect(patch.status).toBe(409);
    expect(patch.json.detail).toContain('defined by the environment (UPDRAFT_CONN_WAREHOUSE)');
    expect((await call(web, '/api/v1/connections/warehouse', { method: 'DELETE', as: 'Op' })).status).toBe(409);
    const create = await call(web, '/api/v1/connections', { method: 'POST', body: { connection_id: 'warehouse', conn_type: 'http' }, as: 'Op' });
    expect(create.status).toBe(409);
    expect(create.json.field).toBe('body.connection_id');
  });
});
