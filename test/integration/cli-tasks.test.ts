/**
 * `updraft tasks states | logs | test` through the real CLI process: states against a real
 * PostgreSQL (a run created by `dags trigger`, advanced with the engine's own state statements),
 * logs from per-try files, test running tasks of the fixture DAGs here.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DagProcessor, taskInstancesSql } from '@updraft/core';
import { taskLogRelativePath } from '@updraft/core';
import { createTestDatabase, REPO_ROOT, runCli } from '../harness/index.js';
import type { TestDatabase } from '../harness/index.js';

const DAGS = join(REPO_ROOT, 'test/fixtures/dags-cli');
const RUN_ID = 'manual__2024-03-01T00:00:00+00:00';

let db: TestDatabase;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'updraft-cli-tasks-'));
  env = { UPDRAFT__DATABASE__URL: db.url, UPDRAFT__CORE__DAGS_FOLDER: DAGS, UPDRAFT__LOGGING__BASE_LOG_FOLDER: join(dir, 'logs') };
  const processor = new DagProcessor(db.pool, { dagsFolder: DAGS });
  try {
    expect((await processor.processDagsFolder()).dags).toBe(2);
  } finally {
    await processor.close();
  }
});

afterAll(async () => {
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('updraft tasks states', () => {
  it('lists every task instance of a run with try, worker, times and requeues', async () => {
    const trigger = await runCli(['dags', 'trigger', 'cli_fails', '--logical-date', '2024-03-01T00:00:00Z'], { env });
    expect(trigger.code).toBe(0);
    const { rows } = await db.pool.query(`SELECT id FROM dag_run WHERE dag_id = 'cli_fails' AND run_id = $1`, [RUN_ID]);
    const run = { dagRunId: String(rows[0].id), dagId: 'cli_fails', runId: RUN_ID };
    // compute: queued by the engine's statement, then requeued once (as supervision does) and run by a worker.
    expect(await taskInstancesSql.queueTasks(db.pool, run, ['compute'])).toHaveLength(1);
    await db.pool.query(
      `UPDATE task_instance SET state = 'success', requeue_count = 1, last_requeue_reason = 'message lost: queued 60s without a claim',
         worker_id = 'w-1', hostname = 'worker-a', started_at = '2024-03-01T00:01:00Z', ended_at = '2024-03-01T00:01:02Z', duration_ms = 2000
       WHERE dag_id = 'cli_fails' AND run_id = $1 AND task_id = 'compute'`,
      [RUN_ID],
    );

    const r = await runCli(['tasks', 'states', 'cli_fails', RUN_ID], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^TASK_ID\s+STATE\s+TRY\s+QUEUE\s+WORKER\s+HOSTNAME\s+START\s+END\s+DURATION\s+REQUEUES\s+LAST_REQUEUE_REASON$/);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(
      /^compute\s+success\s+1\/1\s+default\s+w-1\s+worker-a\s+2024-03-01T00:01:00Z\s+2024-03-01T00:01:02Z\s+2\.0 s\s+1\s+message lost: queued 60s without a claim$/,
    );
    expect(lines.slice(2).map((l) => l.split(/\s+/).slice(0, 4))).toEqual([
      ['after', 'none', '0/1', 'default'],
      ['bad', 'none', '0/1', 'default'],
    ]);

    const json = JSON.parse((await runCli(['tasks', 'states', 'cli_fails', RUN_ID, '--output', 'json'], { env })).stdout) as taskInstancesSql.TaskInstanceView[];
    expect(json.map((t) => t.taskId).sort()).toEqual(['after', 'bad', 'compute']);
    expect(json.find((t) => t.taskId === 'compute')).toMatchObject({
      state: 'success', tryNumber: 1, maxTries: 1, requeueCount: 1, lastRequeueReason: 'message lost: queued 60s without a claim', hostname: 'worker-a',
    });

    const missing = await runCli(['tasks', 'states', 'cli_fails', 'nope'], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("DAG 'cli_fails' has no run 'nope'");
  });
});

describe('updraft tasks test', () => {
  it('runs a bash task here, prints its log, exit code 0', async () => {
    const r = await runCli(['tasks', 'test', 'cli_hello', 'say_hello', '2024-02-10'], { env });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('[stdout] hello from cli_hello for 2024-02-10');
    expect(r.stdout).toMatch(/task say_hello: success \(exit code 0, .*; log .*attempt=1\.log\)/);
    expect(r.code).toBe(0);
    // Nothing in the database: tasks test changes no state.
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM dag_run WHERE dag_id = 'cli_hello'`)).rows[0].n).toBe(0);
  });

  it('runs a function task of a DAG file, and exits with a failing task\'s exit code', async () => {
    const fn = await runCli(['tasks', 'test', 'cli_fails', 'compute', '2024-02-10'], { env });
    expect(fn.stdout).toContain('computed for 2024-02-10');
    expect(fn.code).toBe(0);
    const bad = await runCli(['tasks', 'test', 'cli_fails', 'bad'], { env });
    expect(bad.stdout).toContain('[stdout] about to fail');
    expect(bad.stdout).toContain('task bad: failed (exit code 3');
    expect(bad.code).toBe(3);
  });

  it('names what is missing: an unknown DAG or task', async () => {
    const dag = await runCli(['tasks', 'test', 'nope', 'x'], { env });
    expect(dag.code).toBe(1);
    expect(dag.stderr).toContain("no DAG 'nope' in");
    expect(dag.stderr).toContain('DAGs there: cli_fails, cli_hello');
    const task = await runCli(['tasks', 'test', 'cli_hello', 'nope'], { env });
    expect(task.code).toBe(1);
    expect(task.stderr).toContain("DAG 'cli_hello' has no task 'nope' (tasks: say_hello, say_goodbye)");
  });
});

describe('updraft tasks logs', () => {
  it('prints the latest try by default, a given try with --try, and says when there is none', async () => {
    const key = { dagId: 'cli_hello', runId: 'manual__2024-06-01T00:00:00+00:00', taskId: 'say_hello' };
    for (const n of [1, 2]) {
      const file = join(dir, 'logs', taskLogRelativePath(key, n));
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, `2024-06-01T00:00:0${n}.000Z [stdout] output of try ${n}\n`);
    }
    const latest = await runCli(['tasks', 'logs', key.dagId, key.runId, key.taskId], { env });
    expect(latest.code).toBe(0);
    expect(latest.stdout).toBe('2024-06-01T00:00:02.000Z [stdout] output of try 2\n');
    const first = await runCli(['tasks', 'logs', key.dagId, key.runId, key.taskId, '--try', '1'], { env });
    expect(first.stdout).toBe('2024-06-01T00:00:01.000Z [stdout] output of try 1\n');

    const none = await runCli(['tasks', 'logs', key.dagId, key.runId, 'say_goodbye'], { env });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`no task log for dag cli_hello run ${key.runId} task say_goodbye in ${join(dir, 'logs')}`);
    const noTry = await runCli(['tasks', 'logs', key.dagId, key.runId, key.taskId, '--try', '3'], { env });
    expect(noTry.code).toBe(1);
    expect(noTry.stderr).toContain('try 3');
    const badTry = await runCli(['tasks', 'logs', key.dagId, key.runId, key.taskId, '--try', '0'], { env });
    expect(badTry.code).toBe(1);
    expect(badTry.stderr).toContain('expected an integer >= 1, got "0"');
  });

  it('prints the log `tasks test` wrote', async () => {
    const ran = await runCli(['tasks', 'test', 'cli_hello', 'say_goodbye', '2024-07-01'], { env });
    expect(ran.code).toBe(0);
    const r = await runCli(['tasks', 'logs', 'cli_hello', 'manual__2024-07-01T00:00:00+00:00', 'say_goodbye'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[stdout] goodbye from cli_hello for 2024-07-01');
  });
});
