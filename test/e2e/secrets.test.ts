/**
 * Connections and variables end to end: a connection with a password is created (stored as a
 * Fernet token: no plain text in its row, masked when read back), then a function task reads it
 * with ctx.connection() on a worker started WITHOUT a database URL (it asks the scheduler over
 * gRPC), and a bash task gets it through a template; both logs show *** where the password was
 * printed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFernetKey } from '@updraft/core';
import { taskInstances, waitForRunEnd } from './db.js';
import { startStack, type Stack } from './stack.js';

const PASSWORD = 'Pw-e2e-93kd!x';
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    dagFiles: ['test/fixtures/dags-e2e/uses_secrets.ts'],
    env: { UPDRAFT__SECURITY__FERNET_KEY: generateFernetKey() },
    // The worker knows the scheduler, NATS and the token; no database.
    workers: [{ name: 'e2e-secrets-w1', concurrency: 2, env: { UPDRAFT__DATABASE__URL: '' } }],
  });
});

afterAll(async () => {
  await stack?.stop();
});

async function cli(args: string[]): Promise<string> {
  const r = await stack.cli(args);
  expect(r.code, `updraft ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

describe('connections and variables in distributed tasks', () => {
  it('a task reads the connection through the scheduler; its password is never in plain text in the row or the logs', async () => {
    await cli(['connections', 'add', 'warehouse', '--conn-uri', `postgres://etl:${encodeURIComponent(PASSWORD)}@db.internal:5432/dw?sslmode=require`]);
    await cli(['variables', 'set', 'region', 'eu-central-1']);
    const { rows } = await stack.pool.query('SELECT * FROM connection WHERE conn_id = $1', ['warehouse']);
    expect(JSON.stringify(rows[0])).not.toContain(PASSWORD);
    expect(rows[0].password_encrypted).toMatch(/^gAAAAA/);
    expect(await cli(['connections', 'get', 'warehouse', '-o', 'json'])).toContain('"password": "***"');

    const runId = await stack.trigger('e2e_secrets');
    const run = await waitForRunEnd(stack.pool, 'e2e_secrets', runId, { diagnostics: () => stack.diagnostics() });
    const tis = await taskInstances(stack.pool, 'e2e_secrets', runId);
    expect(run.state, JSON.stringify([...tis.values()])).toBe('success');

    const { rows: xcom } = await stack.pool.query("SELECT value FROM xcom WHERE dag_id = 'e2e_secrets' AND task_id = 'read_connection'");
    expect(xcom[0].value).toEqual({ login: 'etl', host: 'db.internal', port: 5432, schema: 'dw', sslmode: 'require', passwordLength: PASSWORD.length, region: 'eu-central-1' });
    const fnLog = await cli(['tasks', 'logs', 'e2e_secrets', runId, 'read_connection']);
    expect(fnLog).toMatch(/\[stdout\] connecting as etl with password \*\*\*$/m);
    const bashLog = await cli(['tasks', 'logs', 'e2e_secrets', runId, 'templated']);
    expect(bashLog).toMatch(/\[stdout\] password=\*\*\* region=eu-central-1$/m);
    expect(bashLog).toContain('command: echo "password=*** region=');
    for (const log of [fnLog, bashLog]) expect(log).not.toContain(PASSWORD);
    // And nowhere in any process's output either.
    expect(stack.diagnostics()).not.toContain(PASSWORD);
  });
});
