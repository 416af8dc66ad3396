/**
 * The object-storage task types (@updraft/providers: sqlToS3, s3.list/copy/delete, ctx.s3) on a
 * real stack (scheduler, worker, NATS, PostgreSQL) against s3rver with the real AWS SDK, the
 * harness's PostgreSQL and the machine's MariaDB (127.0.0.1:3306, root). The DAG file is
 * test/fixtures/dags-e2e/providers_s3_it.ts; one run exports 1,000,000 generated rows.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, startS3, type S3Server, type TestDatabase } from '../harness/index.js';
import { taskInstances, waitForRunEnd, type TaskRow } from './db.js';
import { startStack, type Stack } from './stack.js';

const DAG = 'e2e_providers_s3';
const ROWS = 1_000_000;
const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };

let stack: Stack | undefined;
let s3: S3Server | undefined;
let pgDb: TestDatabase | undefined;
let mariaDbName: string | undefined;
let runId: string;
let tis: Map<string, TaskRow>;

beforeAll(async () => {
  pgDb = await createTestDatabase({ empty: true });
  mariaDbName = `updraft_it_${randomBytes(6).toString('hex')}`;
  const admin = await mysql.createConnection(MARIADB);
  await admin.query(`CREATE DATABASE ${mariaDbName}`);
  await admin.end();
  s3 = await startS3({ buckets: ['lake'] });
  const pgUrl = new URL(pgDb.url);
  const conn = (o: Record<string, unknown>): string => JSON.stringify(o);
  stack = await startStack({
    dagFiles: ['test/fixtures/dags-e2e/providers_s3_it.ts'],
    schedulerEnv: {
      UPDRAFT_CONN_IT_PG: conn({ conn_type: 'postgres', host: pgUrl.hostname, port: Number(pgUrl.port), login: decodeURIComponent(pgUrl.username), schema: pgUrl.pathname.slice(1) }),
      UPDRAFT_CONN_IT_MARIADB: conn({ conn_type: 'mysql', host: MARIADB.host, port: MARIADB.port, login: MARIADB.user, schema: mariaDbName }),
      UPDRAFT_CONN_IT_S3: s3.connectionJson(),
    },
    workers: [{ name: 'e2e-s3-w1', concurrency: 4 }],
  });
  const errors = await stack.cli(['dags', 'list-import-errors']);
  if (!/no import errors/i.test(errors.stdout)) throw new Error(`DAG files failed to load:\n${errors.stdout}${errors.stderr}`);
  runId = await stack.trigger(DAG, { logicalDate: new Date('2024-03-05T00:00:00Z'), conf: { rows: ROWS } });
  await waitForRunEnd(stack.pool, DAG, runId, { diagnostics: () => stack!.diagnostics(), timeoutMs: 600_000 });
  tis = await taskInstances(stack.pool, DAG, runId);
}, 900_000);

afterAll(async () => {
  await stack?.stop();
  await s3?.stop();
  await pgDb?.drop();
  if (mariaDbName !== undefined) {
    const admin = await mysql.createConnection(MARIADB);
    await admin.query(`DROP DATABASE IF EXISTS ${mariaDbName}`);
    await admin.end();
  }
});

async function xcom(taskId: string): Promise<unknown> {
  const { rows } = await stack!.pool.query("SELECT value FROM xcom WHERE dag_id = $1 AND run_id = $2 AND task_id = $3 AND key = 'return_value'", [DAG, runId, taskId]);
  return rows[0]?.value;
}

async function log(taskId: string): Promise<string> {
  const r = await stack!.cli(['tasks', 'logs', DAG, runId, taskId, '--try', '1']);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

async function tryError(taskId: string): Promise<string> {
  const { rows } = await stack!.pool.query('SELECT error FROM task_instance_try WHERE dag_id = $1 AND run_id = $2 AND task_id = $3 ORDER BY try_number DESC LIMIT 1', [DAG, runId, taskId]);
  return String(rows[0]?.error ?? '');
}

/** s3rver's file of an object (`<bucket>/<key>._S3rver_object`), or undefined. */
function objectFile(bucket: string, key: string): string | undefined {
  const file = join(s3!.directory, bucket, `${key}._S3rver_object`);
  try {
    return statSync(file).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

const state = (taskId: string): string | null | undefined => tis.get(taskId)?.state;

describe('sqlToS3', () => {
  it('streams 1,000,000 PostgreSQL rows into one CSV object: a header and every row, quoted where needed', async () => {
    expect(state('pg_export'), await tryError('pg_export')).toBe('success');
    expect(await xcom('pg_export')).toMatchObject({ bucket: 'lake', key: 'exports/2024-03-05/orders.csv', rows: ROWS });
    const text = await log('pg_export');
    const figures = /wrote 1000000 rows \(([\d.]+) MB, (\d+) part\(s\)\)[^\n]*peak memory growth of the task process (-?[\d.]+) MB/.exec(text);
    expect(figures, text.slice(-2000)).not.toBeNull();
    expect(Number(figures![2])).toBeGreaterThan(1);
    process.stdout.write(`sqlToS3 of ${ROWS} rows: ${figures![1]} MB in ${figures![2]} parts; peak RSS growth of the task process ${figures![3]} MB\n`);
  });

  it('MariaDB rows as JSON lines, with bound parameters, one row per batch', async () => {
    expect(state('my_export'), await tryError('my_export')).toBe('success');
    expect(await xcom('my_export')).toMatchObject({ rows: 2, key: 'exports/2024-03-05/tmp/small.jsonl' });
  });

  it('a bad query fails the task with the server\'s words, and a missing bucket with the service\'s', async () => {
    expect(state('bad_query')).toMatch(/failed|up_for_retry/);
    expect(await tryError('bad_query')).toMatch(/the query on connection 'it_pg' failed: syntax error at or near "SELEC"/);
    expect(state('no_bucket')).toMatch(/failed|up_for_retry/);
    expect(await tryError('no_bucket')).toMatch(/writing s3:\/\/missing-bucket\/x\.jsonl on connection 'it_s3' failed: NoSuchBucket/);
  });
});

describe('s3 task types and ctx.s3', () => {
  it('list gives the keys under the templated prefix as XCom', async () => {
    expect(state('list')).toBe('success');
    expect(await xcom('list')).toEqual(['exports/2024-03-05/orders.csv', 'exports/2024-03-05/tmp/small.jsonl']);
  });

  it('copy writes the object under the new key', async () => {
    expect(state('copy')).toBe('success');
    expect(objectFile('lake', 'archive/20240305.jsonl')).toBeDefined();
  });

  it('ctx.s3 gives a client configured from the connection', async () => {
    expect(state('s3_hook'), await tryError('s3_hook')).toBe('success');
    expect(await xcom('s3_hook')).toEqual({ host: new URL(s3!.endpoint).host, region: 'us-east-1', accessKeyId: 'S3RVER' });
  });

  it('delete removes every key under the prefix and nothing else', async () => {
    expect(state('delete')).toBe('success');
    expect(await xcom('delete')).toBe(1);
    expect(objectFile('lake', 'exports/2024-03-05/tmp/small.jsonl')).toBeUndefined();
    expect(objectFile('lake', 'exports/2024-03-05/orders.csv')).toBeDefined();
    expect(objectFile('lake', 'archive/20240305.jsonl')).toBeDefined();
  });

  it('a connection of another type is refused, naming the types S3 tasks take', async () => {
    expect(state('wrong_conn')).toMatch(/failed|up_for_retry/);
    expect(await tryError('wrong_conn')).toContain("connection 'it_pg' has conn_type 'postgres'; expected one of: aws, s3");
  });
});

describe('the CSV object', () => {
  it('holds the header and every row once, in order, with CSV quoting and empty NULLs', async () => {
    const file = objectFile('lake', 'exports/2024-03-05/orders.csv');
    expect(file).toBeDefined();
    let n = 0;
    let inOrder = true;
    const samples: string[] = [];
    for await (const line of createInterface({ input: createReadStream(file!) })) {
      if (n === 0) expect(line).toBe('id,name,note,day');
      else if (!line.startsWith(`${n},order ${n},`)) inOrder = false;
      if (n === 1 || n === 3 || n === ROWS) samples.push(line);
      n++;
    }
    expect(n).toBe(ROWS + 1);
    expect(inOrder).toBe(true);
    expect(samples).toEqual(['1,order 1,"a,""b""",2024-03-05', '3,order 3,,2024-03-05', `${ROWS},order ${ROWS},"a,""b""",2024-03-05`]);
  });
});
