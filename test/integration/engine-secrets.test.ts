/**
 * The scheduler side of connections and variables for running tasks, against a real PostgreSQL:
 * GetConnection / GetVariable answer only the running attempt (its try and token), decrypt what
 * is stored with security.fernet_key, prefer UPDRAFT_CONN_* / UPDRAFT_VAR_*, and say what to mask;
 * templates naming conn.* / var.* are rendered at claim time with only those names read.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  fernetFromConfig,
  generateFernetKey,
  isUpdraftError,
  storeConnections,
  storeVariables,
  DEFAULT_SENSITIVE_NAMES,
  type SecretsContext,
} from '@updraft/core';
import { SchedulerEngine, type TaskScopedRead } from '@updraft/scheduler';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';
import { attemptOf, claim, makeDag, RecordingPublisher, report, silentLogger, storeDag } from './engine-support.js';

let db: TestDatabase;
let publisher: RecordingPublisher;
let engine: SchedulerEngine;
let secrets: SecretsContext;

beforeEach(async () => {
  db = await createTestDatabase();
  publisher = new RecordingPublisher();
  secrets = {
    fernet: fernetFromConfig(generateFernetKey()),
    env: { UPDRAFT_CONN_FROM_ENV: 'http://user:envpass123@env.example.com', UPDRAFT_VAR_REGION: 'ap-northeast-2' },
    sensitiveNames: DEFAULT_SENSITIVE_NAMES,
  };
  engine = new SchedulerEngine({ pool: db.pool, publisher, logger: silentLogger, tickIntervalMs: 60_000, secrets });
  await storeConnections(db.pool, secrets, [{
    connId: 'slack', connType: 'slack', description: null, host: 'slack.com', schema: null, login: 'bot', password: 'xoxb-stored-secret',
    port: null, extra: '{"channel":"#ops","webhook_token":"wh-secret-1"}',
  }], false);
  await storeVariables(db.pool, secrets, [
    { key: 'cfg', value: '{"bucket":"b1","nested":{"api_key":"k-987654"}}', description: null },
    { key: 'github_token', value: 'ghp-abcdef', description: null },
  ], false);
});

afterEach(async () => {
  await engine.stop();
  await db.drop();
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return isUpdraftError(err) ? err.code : String(err);
  }
  return 'OK';
}

const dag = makeDag({
  dagId: 'uses_secrets',
  tasks: [
    { taskId: 'fn', kind: 'function' },
    {
      taskId: 'curl',
      bashCommand: 'curl -u {{ conn.slack.login }}:{{ conn.slack.password }} https://{{ conn.slack.host }}/{{ conn.slack.extra_dejson.channel }} --region {{ var.value.region }} --bucket {{ var.json.cfg.bucket }}',
      env: { TOKEN: '{{ var.value.github_token }}' },
    },
    { taskId: 'broken', bashCommand: 'echo {{ conn.nowhere.host }}' },
  ],
});

describe('GetConnection / GetVariable', () => {
  it('answer the running attempt only, with decrypted values and what to mask', async () => {
    await storeDag(db.pool, dag);
    const run = await engine.triggerDagRun({ dagId: 'uses_secrets' });
    const m = publisher.forTask('fn', run.runId)[0]!;
    const read = (name: string, attempt = attemptOf(m)): TaskScopedRead => ({ workerId: 'w1', attempt, name });

    expect(await codeOf(engine.getConnection(read('slack')))).toBe('STALE_ATTEMPT'); // queued, not running yet
    await claim(engine, m);
    const slack = await engine.getConnection(read('slack'));
    expect(slack.connection).toMatchObject({ connId: 'slack', password: 'xoxb-stored-secret', host: 'slack.com' });
    expect(slack.mask.sort()).toEqual(['wh-secret-1', 'xoxb-stored-secret']);
    const fromEnv = await engine.getConnection(read('from_env'));
    expect(fromEnv).toMatchObject({ connection: { connType: 'http', login: 'user', password: 'envpass123' }, mask: ['envpass123'] });
    expect(await codeOf(engine.getConnection(read('nowhere')))).toBe('CONNECTION_NOT_FOUND');

    expect(await engine.getVariable(read('cfg'))).toEqual({ value: '{"bucket":"b1","nested":{"api_key":"k-987654"}}', mask: ['k-987654'] });
    expect(await engine.getVariable(read('github_token'))).toEqual({ value: 'ghp-abcdef', mask: ['ghp-abcdef'] });
    expect(await engine.getVariable(read('region'))).toEqual({ value: 'ap-northeast-2', mask: [] });
    expect(await codeOf(engine.getVariable(read('nope')))).toBe('VARIABLE_NOT_FOUND');

    expect(await codeOf(engine.getConnection(read('slack', { ...attemptOf(m), attemptToken: '00000000-0000-4000-8000-000000000000' })))).toBe('STALE_ATTEMPT');
    expect(await codeOf(engine.getConnection(read('slack', { ...attemptOf(m), tryNumber: 2 })))).toBe('STALE_ATTEMPT');
    await report(engine, m, true);
    expect(await codeOf(engine.getConnection(read('slack')))).toBe('STALE_ATTEMPT'); // finished
  });
});

describe('templates with conn.* and var.*', () => {
  it('render at claim time and tell the worker what to mask', async () => {
    await storeDag(db.pool, dag);
    const run = await engine.triggerDagRun({ dagId: 'uses_secrets' });
    const claimed = await claim(engine, publisher.forTask('curl', run.runId)[0]!);
    expect(claimed.spec.bashCommand).toBe('curl -u bot:xoxb-stored-secret https://slack.com/#ops --region ap-northeast-2 --bucket b1');
    expect(claimed.spec.env).toEqual({ TOKEN: 'ghp-abcdef' });
    expect(claimed.mask.sort()).toEqual(['ghp-abcdef', 'k-987654', 'wh-secret-1', 'xoxb-stored-secret']);
  });

  it('a template naming an undefined connection fails the try with the reason', async () => {
    await storeDag(db.pool, dag);
    const run = await engine.triggerDagRun({ dagId: 'uses_secrets' });
    expect(await codeOf(claim(engine, publisher.forTask('broken', run.runId)[0]!))).toBe('STALE_ATTEMPT');
    const { rows } = await db.pool.query("SELECT state, error FROM task_instance WHERE task_id = 'broken'");
    expect(rows[0].state).toBe('failed');
    expect(rows[0].error).toContain("connection 'nowhere' is not defined");
  });
});
