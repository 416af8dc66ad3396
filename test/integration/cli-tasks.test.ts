/**
 * `updraft tasks states | logs | test` through the real CLI process: states against a real
 * PostgreSQL (a run created by `dags trigger`, advanced with the engine's own state statements),
 * logs from per-try files, test running tasks of the fixture DAGs here.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DagProcessor, taskInstancesSql } from '@updraft/core';
import { taskLogRelativePath } from '@updraft/core';
import { CLI_ENTRY, createTestDatabase, REPO_ROOT, runCli } from '../harness/index.js';
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

    // bad: try 1 ended as a zombie, try 2 failed before it started (a template error): the reasons of both show.
    const zombie = 'zombie: worker w-9 on worker-b sent no heartbeat for 8.0s';
    const template = `template error in bash command: unknown name 'params.missing' ${'x'.repeat(200)}`;
    await db.pool.query(
      `UPDATE task_instance SET state = 'failed', try_number = 2, max_tries = 2, error = $2, ended_at = '2024-03-01T00:03:00Z'
        WHERE dag_id = 'cli_fails' AND run_id = $1 AND task_id = 'bad'`, [RUN_ID, template]);
    await db.pool.query(
      `INSERT INTO task_instance_try (dag_id, run_id, task_id, map_index, try_number, state, started_at, ended_at, worker_id, hostname, error)
       VALUES ('cli_fails', $1, 'bad', -1, 1, 'failed', '2024-03-01T00:02:00Z', '2024-03-01T00:02:30Z', 'w-9', 'worker-b', $2),
              ('cli_fails', $1, 'bad', -1, 2, 'failed', NULL, '2024-03-01T00:03:00Z', NULL, NULL, $3)`,
      [RUN_ID, zombie, template]);

    const r = await runCli(['tasks', 'states', 'cli_fails', RUN_ID], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [table, earlier] = r.stdout.split('\n\n');
    const lines = table!.trim().split('\n');
    expect(lines[0]).toMatch(/^TASK_ID\s+STATE\s+TRY\s+QUEUE\s+WORKER\s+HOSTNAME\s+START\s+END\s+DURATION\s+REQUEUES\s+REASON$/);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(
      /^compute\s+success\s+1\/1\s+default\s+w-1\s+worker-a\s+2024-03-01T00:01:00Z\s+2024-03-01T00:01:02Z\s+2\.0 s\s+1\s+message lost: queued 60s without a claim$/,
    );
    expect(lines[2]!.split(/\s+/).slice(0, 4)).toEqual(['after', 'none', '0/1', 'default']);
    // The current try's reason, truncated to one short line.
    expect(lines[3]).toMatch(/^bad\s+failed\s+2\/2\s+default\s.*template error in bash command: unknown name 'params\.missing' x+…$/);
    expect(lines[3]!.length).toBeLessThan(250);
    expect(earlier).toBe(`earlier tries:\n  bad try 1 failed: ${zombie}\n`);

    const json = JSON.parse((await runCli(['tasks', 'states', 'cli_fails', RUN_ID, '--output', 'json'], { env })).stdout) as taskInstancesSql.TaskInstanceView[];
    expect(json.map((t) => t.taskId).sort()).toEqual(['after', 'bad', 'compute']);
    expect((json.find((t) => t.taskId === 'bad') as unknown as { tryReasons: unknown[] }).tryReasons).toEqual([
      { tryNumber: 1, state: 'failed', reason: zombie },
      { tryNumber: 2, state: 'failed', reason: template },
    ]);
    expect(json.find((t) => t.taskId === 'compute')).toMatchObject({
      state: 'success', tryNumber: 1, maxTries: 1, requeueCount: 1, lastRequeueReason: 'message lost: queued 60s without a claim', hostname: 'worker-a',
    });

    const missing = await runCli(['tasks', 'states', 'cli_fails', 'nope'], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("DAG 'cli_fails' has no run 'nope'");
  });

  it('tasks logs says why there is no log here: no such DAG / run / task / try, not run yet, failed before start, or the host it is on', async () => {
    const logs = async (...args: string[]): Promise<string> => {
      const r = await runCli(['tasks', 'logs', ...args], { env });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      return r.stderr;
    };
    expect(await logs('nope', RUN_ID, 'bad')).toBe("updraft: no DAG 'nope' (see `updraft dags list`)\n");
    expect(await logs('cli_fails', 'nope', 'bad')).toBe("updraft: DAG 'cli_fails' has no run 'nope' (see `updraft dags list-runs cli_fails`)\n");
    expect(await logs('cli_fails', RUN_ID, 'nope')).toBe(`updraft: run '${RUN_ID}' of DAG 'cli_fails' has no task 'nope' (its tasks: after, bad, compute)\n`);
    expect(await logs('cli_fails', RUN_ID, 'after')).toBe(`updraft: task 'after' of run '${RUN_ID}' has not run yet (state none): there is no log\n`);
    expect(await logs('cli_fails', RUN_ID, 'bad', '--try', '3')).toBe(`updraft: task 'bad' of run '${RUN_ID}' has no try 3 (its tries: 1, 2)\n`);
    expect(await logs('cli_fails', RUN_ID, 'bad')).toMatch(
      new RegExp(`^updraft: try 2 of task 'bad' \\(run '${RUN_ID.replace(/[+]/g, '\\+')}'\\) failed before it started, so it has no log: template error in bash command`),
    );
    expect(await logs('cli_fails', RUN_ID, 'bad', '--try', '1')).toMatch(
      /^updraft: the log of try 1 of task 'bad' \(run '.*'\) is on worker-b \(worker w-9\), in its logging\.base_log_folder; it is not in .* on this host\. The try ended: zombie: worker w-9/,
    );
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

    // No log here, and the database knows no such run: it says so.
    const none = await runCli(['tasks', 'logs', key.dagId, key.runId, 'say_goodbye'], { env });
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(`updraft: DAG 'cli_hello' has no run '${key.runId}' (see \`updraft dags list-runs cli_hello\`)\n`);
    // Without a database to ask, the message names the folder it looked in.
    const noDb = await runCli(['tasks', 'logs', key.dagId, key.runId, key.taskId, '--try', '3'], {
      env: { ...env, UPDRAFT__DATABASE__URL: '', UPDRAFT__DATABASE__EMBEDDED_DATA_DIR: join(dir, 'no-db') },
    });
    expect(noDb.code).toBe(1);
    expect(noDb.stderr).toContain(`no log for dag cli_hello run ${key.runId} task say_hello try 3`);
    expect(noDb.stderr).toContain('task logs are written on the host of the worker that ran the try');
    const badTry = await runCli(['tasks', 'logs', key.dagId, key.runId, key.taskId, '--try', '0'], { env });
    expect(badTry.code).toBe(1);
    expect(badTry.stderr).toContain('expected an integer >= 1, got "0"');
  });

  it('`tasks test --run-id` of a real run writes its log apart, never into that run\'s try logs', async () => {
    const runId = 'manual__2024-07-01T00:00:00+00:00';
    const key = { dagId: 'cli_hello', runId, taskId: 'say_goodbye' };
    const real = join(dir, 'logs', taskLogRelativePath(key, 1));
    await mkdir(dirname(real), { recursive: true });
    await writeFile(real, '2024-07-01T00:00:01.000Z [stdout] the real try 1\n');
    const ran = await runCli(['tasks', 'test', 'cli_hello', 'say_goodbye', '2024-07-01', '--run-id', runId], { env });
    expect(ran.code).toBe(0);
    const testLog = join(dir, 'logs', 'local-runs', taskLogRelativePath(key, 1));
    expect(ran.stdout).toContain(`log ${testLog})`);
    expect(await readFile(testLog, 'utf8')).toContain('[stdout] goodbye from cli_hello for 2024-07-01');
    expect(await readFile(real, 'utf8')).toBe('2024-07-01T00:00:01.000Z [stdout] the real try 1\n');
    const r = await runCli(['tasks', 'logs', 'cli_hello', runId, 'say_goodbye'], { env });
    expect(r.stdout).toBe('2024-07-01T00:00:01.000Z [stdout] the real try 1\n');
  });

  it('piped into `head -1`, a long log ends quietly: exit 0, no EPIPE stack trace', async () => {
    const key = { dagId: 'cli_hello', runId: 'manual__2024-08-01T00:00:00+00:00', taskId: 'say_hello' };
    const file = join(dir, 'logs', taskLogRelativePath(key, 1));
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, Array.from({ length: 50_000 }, (_, i) => `2024-08-01T00:00:00.000Z [stdout] line ${i} ${'y'.repeat(60)}`).join('\n') + '\n');
    const script = `node ${JSON.stringify(CLI_ENTRY)} tasks logs ${key.dagId} ${key.runId} ${key.taskId} | head -1; echo "updraft exit code: \${PIPESTATUS[0]}" >&2`;
    const r = spawnSync('bash', ['-c', script], { env: { ...process.env, ...env }, encoding: 'utf8' });
    expect(r.stdout).toBe(`2024-08-01T00:00:00.000Z [stdout] line 0 ${'y'.repeat(60)}\n`);
    expect(r.stderr).toBe('updraft exit code: 0\n');
  });
});
