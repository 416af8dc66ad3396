/**
 * A try's log read from its end (`tail_bytes`), over real HTTP from a real log file: the last
 * lines with the first one's number, earlier pages with `before` down to the first line (together
 * the file, byte for byte), following appended lines with the continuation token, and a 400
 * naming the parameter for combinations that mean nothing.
 */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskLogRelativePath } from '@updraft/core';
import type { RunningWebserver } from '@updraft/webserver';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';
import { call, createRoleUsers, startApi } from './api-support.js';

let db: TestDatabase;
let web: RunningWebserver;
let logFolder: string;
let file: string;
let text: string;
const LINES = 3000;
const LOG = '/api/v1/dags/tail_dag/dagRuns/r1/taskInstances/t1/logs/1';

interface Page { content: string; continuation_token: string | null; previous_token?: string | null; first_line?: number | null }

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`INSERT INTO dag (dag_id, fileloc) VALUES ('tail_dag', 'dags/tail_dag.ts')`);
  await db.pool.query(`INSERT INTO dag_run (dag_id, run_id, run_type, state, logical_date, start_date, end_date)
    VALUES ('tail_dag', 'r1', 'manual', 'success', now(), now(), now())`);
  await db.pool.query(`INSERT INTO task_instance (dag_run_id, dag_id, run_id, task_id, state, try_number, operator, started_at, ended_at)
    SELECT id, dag_id, run_id, 't1', 'success', 1, 'bash', now(), now() FROM dag_run WHERE dag_id = 'tail_dag'`);
  await db.pool.query(`INSERT INTO task_instance_try (dag_id, run_id, task_id, try_number, state, started_at, ended_at)
    VALUES ('tail_dag', 'r1', 't1', 1, 'success', now(), now())`);
  await createRoleUsers(db.pool);
  logFolder = mkdtempSync(join(tmpdir(), 'updraft-log-tail-'));
  file = join(logFolder, taskLogRelativePath({ dagId: 'tail_dag', runId: 'r1', taskId: 't1' }, 1));
  mkdirSync(dirname(file), { recursive: true });
  // Lines of varying length, some with multi-byte characters.
  text = Array.from({ length: LINES }, (_, i) => `line ${i + 1} ${'é€x'.repeat(i % 17)}`).join('\n') + '\n';
  writeFileSync(file, text);
  web = await startApi({ db: db.pool, logFolder });
});

afterAll(async () => {
  await web?.close();
  await db?.drop();
  if (logFolder) rmSync(logFolder, { recursive: true, force: true });
});

const read = async (query: string): Promise<Page> => {
  const r = await call(web, `${LOG}?${query}`, { headers: { accept: 'application/json' } });
  expect(r.status, r.text).toBe(200);
  return r.json as unknown as Page;
};

describe('log read from its end', () => {
  it('gives the last lines from a line start, numbered, and pages back with before to the first line', async () => {
    const last = await read('tail_bytes=4096');
    expect(Buffer.byteLength(last.content)).toBeLessThanOrEqual(4096);
    expect(text.endsWith(last.content)).toBe(true);
    const shown = last.content.split('\n').slice(0, -1);
    expect(shown.at(-1)).toMatch(new RegExp(`^line ${LINES} `));
    expect(last.first_line).toBe(LINES - shown.length + 1);
    expect(shown[0]).toMatch(new RegExp(`^line ${last.first_line} `));
    expect(last.previous_token).toEqual(expect.any(String));

    let all = last.content;
    let before = last.previous_token;
    let pages = 1;
    while (before) {
      const page = await read(`tail_bytes=4096&before=${before}`);
      expect(page.content.endsWith('\n')).toBe(true);
      all = page.content + all;
      before = page.previous_token ?? null;
      pages += 1;
    }
    expect(pages).toBeGreaterThan(10);
    expect(all).toBe(text);
  });

  it('follows lines appended after the end with the continuation token', async () => {
    const last = await read('tail_bytes=1024');
    appendFileSync(file, 'appended one\nappended two\n');
    const next = await read(`token=${last.continuation_token}`);
    expect(next.content).toBe('appended one\nappended two\n');
  });

  it('a 400 naming the parameter: tail_bytes with token or full_content, before without tail_bytes, tail_bytes out of range', async () => {
    const token = (await read('tail_bytes=100')).continuation_token!;
    for (const [query, field] of [
      [`tail_bytes=100&token=${token}`, 'query.token'],
      ['tail_bytes=100&full_content=true', 'query.full_content'],
      [`before=${token}`, 'query.before'],
      ['tail_bytes=0', 'query.tail_bytes'],
      ['tail_bytes=100&before=not_a_token', 'query.token'],
    ] as const) {
      const r = await call(web, `${LOG}?${query}`, { headers: { accept: 'application/json' } });
      expect(r.status, query).toBe(400);
      expect(r.json.field, query).toBe(field);
    }
  });
});
