/**
 * Remote task logs in S3, end to end against an S3-compatible server (s3rver) and the real AWS SDK:
 *  - a worker with logging.remote_base_log_folder uploads a finished try's log under the documented
 *    key, with the `aws` connection it asked the scheduler for (the worker has no database and no
 *    connection of its own), and deletes its local copy (logging.delete_local_logs);
 *  - the webserver (no access to the worker's folder, no task-log stream) serves that log from S3;
 *  - the retention job deletes objects older than logging.retention_days and keeps newer ones
 *    (object dates set by the test), and old local files likewise.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFernetKey, secretsContext, loadConfig } from '@updraft/core';
import { startWebserver, type RunningWebserver } from '@updraft/webserver';
import { runLogRetention } from '@updraft/scheduler';
import { S3_ACCESS_KEY, S3_SECRET_KEY, startS3, type S3Server } from '../harness/index.js';
import { basicAuth, createRoleUsers } from '../integration/api-support.js';
import { waitFor, waitForRunEnd } from './db.js';
import { startStack, type Stack } from './stack.js';

const BUCKET = 'updraft-logs';
const BASE = `s3://${BUCKET}/task-logs`;
let s3: S3Server;
let client: S3Client;
let stack: Stack;
let web: RunningWebserver;
let workerLogs: string;
let webLogs: string;
const connEnv = (): Record<string, string> => ({ UPDRAFT_CONN_LOGS_S3: s3.connectionJson() });

beforeAll(async () => {
  s3 = await startS3({ buckets: [BUCKET] });
  client = new S3Client({ endpoint: s3.endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: S3_ACCESS_KEY, secretAccessKey: S3_SECRET_KEY } });
  workerLogs = mkdtempSync(join(tmpdir(), 'updraft-worker-logs-'));
  webLogs = mkdtempSync(join(tmpdir(), 'updraft-web-logs-'));
  stack = await startStack({
    dagFiles: ['test/fixtures/dags-e2e/remote_logs.ts'],
    env: { UPDRAFT__SECURITY__FERNET_KEY: generateFernetKey() },
    // Only the scheduler knows the connection; the worker asks it, as a task asks for its own.
    schedulerEnv: connEnv(),
    workers: [{
      name: 'remote-logs-w1',
      env: {
        UPDRAFT__DATABASE__URL: '', UPDRAFT__LOGGING__BASE_LOG_FOLDER: workerLogs,
        UPDRAFT__LOGGING__REMOTE_BASE_LOG_FOLDER: BASE, UPDRAFT__LOGGING__REMOTE_LOG_CONN_ID: 'logs_s3', UPDRAFT__LOGGING__DELETE_LOCAL_LOGS: 'true',
      },
    }],
  });
  await createRoleUsers(stack.pool);
  const cfg = loadConfig({ env: {} });
  web = await startWebserver({
    listen: '127.0.0.1:0', db: stack.pool, logFolder: webLogs,
    secrets: secretsContext(cfg, connEnv()), remoteLogs: { baseFolder: BASE, connId: 'logs_s3' },
  });
});

afterAll(async () => {
  await web?.close();
  await stack?.stop();
  client?.destroy();
  await s3?.stop();
  for (const dir of [workerLogs, webLogs]) if (dir) rmSync(dir, { recursive: true, force: true });
});

async function objectText(key: string): Promise<string | undefined> {
  try {
    const res = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return await res.Body!.transformToString();
  } catch (err) {
    if ((err as { name?: string }).name === 'NoSuchKey') return undefined;
    throw err;
  }
}

async function keys(prefix: string): Promise<string[]> {
  const res = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (res.Contents ?? []).map((o) => o.Key!).sort();
}

describe('task logs in S3', () => {
  it('a finished try is uploaded under the documented key, its local copy deleted, and the API serves it from S3', async () => {
    const runId = await stack.trigger('e2e_remote_logs');
    const run = await waitForRunEnd(stack.pool, 'e2e_remote_logs', runId, { diagnostics: () => stack.diagnostics() });
    expect(run.state).toBe('success');
    const key = `task-logs/dag_id=e2e_remote_logs/run_id=${runId}/task_id=speak/attempt=1.log`;
    const uploaded = await waitFor('the log object in S3', async () => objectText(key), { diagnostics: () => stack.diagnostics() });
    expect(uploaded).toMatch(/remote line 1 of speak\n[\s\S]*remote line 3 of speak/);
    const localFile = join(workerLogs, `dag_id=e2e_remote_logs/run_id=${runId}/task_id=speak/attempt=1.log`);
    await waitFor('the worker to delete its local copy', async () => (existsSync(localFile) ? undefined : true), { diagnostics: () => stack.diagnostics() });

    const path = `/api/v1/dags/e2e_remote_logs/dagRuns/${encodeURIComponent(runId)}/taskInstances/speak/logs/1`;
    const text = await fetch(`${web.url}${path}`, { headers: { authorization: basicAuth('Viewer') } });
    expect(text.status).toBe(200);
    expect(await text.text()).toBe(uploaded);
    // Paged: the continuation token goes on from where the page ended.
    const first = await fetch(`${web.url}${path}`, { headers: { authorization: basicAuth('Viewer'), accept: 'application/json' } });
    const page = (await first.json()) as { content: string; continuation_token: string };
    expect(page.content).toBe(uploaded);
    const next = await fetch(`${web.url}${path}?token=${page.continuation_token}`, { headers: { authorization: basicAuth('Viewer'), accept: 'application/json' } });
    expect(((await next.json()) as { content: string }).content).toBe('');
    // Nothing of the connection's secret in any process's output.
    expect(stack.diagnostics()).not.toContain(`"password":"${S3_SECRET_KEY}"`);
  });

  it('retention deletes objects and local files older than the limit and keeps newer ones', async () => {
    const old = new Date(Date.now() - 40 * 86_400_000);
    for (const name of ['old-a', 'old-b', 'new-c']) {
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `task-logs/dag_id=retention/run_id=r/task_id=${name}/attempt=1.log`, Body: `log of ${name}\n` }));
    }
    expect(s3.setObjectsDate(BUCKET, 'task-logs/dag_id=retention/run_id=r/task_id=old-', old)).toBe(2);
    // An object outside the prefix is never touched, however old.
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'elsewhere/old.log', Body: 'not ours\n' }));
    s3.setObjectsDate(BUCKET, 'elsewhere/', old);
    const folder = join(webLogs, 'dag_id=retention/run_id=r/task_id=t');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'attempt=1.log'), 'old\n');
    writeFileSync(join(folder, 'attempt=2.log'), 'new\n');
    utimesSync(join(folder, 'attempt=1.log'), old, old);

    const result = await runLogRetention({
      db: stack.pool, secrets: secretsContext(loadConfig({ env: {} }), connEnv()), logFolder: webLogs, retentionDays: 30,
      remoteLogs: { baseFolder: BASE, connId: 'logs_s3' },
    });
    expect(result).toMatchObject({ localFiles: 1, remoteObjects: 2 });
    expect(await keys('task-logs/dag_id=retention/')).toEqual(['task-logs/dag_id=retention/run_id=r/task_id=new-c/attempt=1.log']);
    expect(await keys('elsewhere/')).toEqual(['elsewhere/old.log']);
    expect(existsSync(join(folder, 'attempt=1.log'))).toBe(false);
    expect(existsSync(join(folder, 'attempt=2.log'))).toBe(true);
    // The log uploaded by the first case is recent: kept.
    expect((await keys('task-logs/dag_id=e2e_remote_logs/')).length).toBe(1);
  });
});
