/**
 * `updraft dags trigger | pause | unpause | state | test` and `updraft db migrate` on the embedded
 * database, through the real CLI process against a real PostgreSQL; the scheduler's LISTEN on
 * updraft_dag_runs starts a triggered run at once (its tick timer is set to an hour).
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, createMemoryQueue, DagProcessor, dagRunsSql, listen } from '@updraft/core';
import { startScheduler } from '@updraft/scheduler';
import { createTestDatabase, REPO_ROOT, runCli } from '../harness/index.js';
import type { TestDatabase } from '../harness/index.js';

// cli_hello (two bash tasks) and cli_fails (function -> bash exiting 3 -> bash). Inside the repository:
// function tasks import the DAG file, which resolves @updraft/sdk from its own location.
const DAGS = join(REPO_ROOT, 'test/fixtures/dags-cli');

let db: TestDatabase;
let dir: string;
let env: Record<string, string>;

async function runRow(dagId: string, runId: string): Promise<{ state: string; conf: unknown; logical_date: Date; data_interval_start: Date; data_interval_end: Date } | undefined> {
  const { rows } = await db.pool.query(
    'SELECT state, conf, logical_date, data_interval_start, data_interval_end FROM dag_run WHERE dag_id = $1 AND run_id = $2',
    [dagId, runId],
  );
  return rows[0];
}

async function waitFor(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting: ${what}`);
}

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'updraft-cli-runs-'));
  env = {
    UPDRAFT__DATABASE__URL: db.url,
    UPDRAFT__CORE__DAGS_FOLDER: DAGS,
    UPDRAFT__LOGGING__BASE_LOG_FOLDER: join(dir, 'logs'),
  };
  const processor = new DagProcessor(db.pool, { dagsFolder: DAGS });
  try {
    const summary = await processor.processDagsFolder();
    expect(summary.errors).toEqual([]);
    expect(summary.dags).toBe(2);
  } finally {
    await processor.close();
  }
});

afterAll(async () => {
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('updraft dags trigger', () => {
  it('creates a queued run with its task instances and notifies a LISTENing client', async () => {
    const notified: string[] = [];
    let gotOne!: () => void;
    const received = new Promise<void>((resolve) => (gotOne = resolve));
    const listener = listen({ channel: dagRunsSql.DAG_RUNS_CHANNEL, connection: { connectionString: db.url }, onNotify: (dagId) => { notified.push(dagId); gotOne(); } });
    try {
      await listener.ready;
      const r = await runCli(['dags', 'trigger', 'cli_hello', '--conf', '{"who":"ops"}', '--logical-date', '2024-03-01T12:00:00'], { env });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^run_id\s+manual__2024-03-01T12:00:00\+00:00$/m);
      expect(r.stdout).toMatch(/^state\s+queued$/m);
      // A manual run of a daily-at-02:00 DAG covers the latest interval complete at its logical date.
      expect(r.stdout).toMatch(/^data_interval\s+2024-02-29T02:00:00Z \.\. 2024-03-01T02:00:00Z$/m);
      await received;
      expect(notified).toEqual(['cli_hello']);
    } finally {
      await listener.close();
    }
    const run = await runRow('cli_hello', 'manual__2024-03-01T12:00:00+00:00');
    expect(run).toMatchObject({ state: 'queued', conf: { who: 'ops' } });
    expect(run!.logical_date.toISOString()).toBe('2024-03-01T12:00:00.000Z');
    expect(run!.data_interval_start.toISOString()).toBe('2024-02-29T02:00:00.000Z');
    const { rows } = await db.pool.query(
      `SELECT task_id, state, try_number, max_tries FROM task_instance WHERE dag_id = 'cli_hello' AND run_id = $1 ORDER BY task_id`,
      ['manual__2024-03-01T12:00:00+00:00'],
    );
    expect(rows).toEqual([
      { task_id: 'say_goodbye', state: null, try_number: 0, max_tries: 1 },
      { task_id: 'say_hello', state: null, try_number: 0, max_tries: 1 },
    ]);

    const state = await runCli(['dags', 'state', 'cli_hello', 'manual__2024-03-01T12:00:00+00:00'], { env });
    expect(state.stdout).toBe('queued\n');
    expect(state.code).toBe(0);
    // The event log says who triggered it from the command line (the OS user, as Airflow's CLI records).
    const { rows: events } = await db.pool.query(`SELECT event, owner FROM event_log WHERE dag_id = 'cli_hello' AND run_id = $1`, ['manual__2024-03-01T12:00:00+00:00']);
    expect(events).toEqual([{ event: 'cli.trigger', owner: process.env.USER || userInfo().username }]);
  });

  it('refuses bad conf, an unknown DAG and a taken logical date with a clear message, creating nothing', async () => {
    const before = (await db.pool.query('SELECT count(*)::int AS n FROM dag_run')).rows[0].n as number;
    const badJson = await runCli(['dags', 'trigger', 'cli_hello', '--conf', '{who: ops}'], { env });
    expect(badJson.code).toBe(1);
    expect(badJson.stderr).toContain('--conf is not valid JSON');
    const array = await runCli(['dags', 'trigger', 'cli_hello', '--conf', '[1, 2]'], { env });
    expect(array.code).toBe(1);
    expect(array.stderr).toContain('--conf must be a JSON object');
    const unknown = await runCli(['dags', 'trigger', 'no_such_dag'], { env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("DAG 'no_such_dag' not found");
    const badDate = await runCli(['dags', 'trigger', 'cli_hello', '--logical-date', 'yesterday'], { env });
    expect(badDate.code).toBe(1);
    expect(badDate.stderr).toContain("--logical-date: cannot read 'yesterday' as a date");
    expect((await db.pool.query('SELECT count(*)::int AS n FROM dag_run')).rows[0].n).toBe(before);

    const first = await runCli(['dags', 'trigger', 'cli_hello', '--logical-date', '2024-04-01T00:00:00Z', '--run-id', 'first'], { env });
    expect(first.code).toBe(0);
    const again = await runCli(['dags', 'trigger', 'cli_hello', '--logical-date', '2024-04-01T00:00:00Z'], { env });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("DAG 'cli_hello' already has a run for logical date 2024-04-01T00:00:00.000Z (run id 'first')");
    const sameId = await runCli(['dags', 'trigger', 'cli_hello', '--logical-date', '2024-04-02T00:00:00Z', '--run-id', 'first'], { env });
    expect(sameId.code).toBe(1);
    expect(sameId.stderr).toContain("DAG 'cli_hello' already has a run with run id 'first'");
    expect(sameId.stderr).not.toContain('logical date');
    const missing = await runCli(['dags', 'state', 'cli_hello', 'no_such_run'], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("DAG 'cli_hello' has no run 'no_such_run'");
  });
});

describe('updraft dags pause | unpause', () => {
  it('flips is_paused and says so; an unknown DAG is exit 1', async () => {
    const paused = async (): Promise<boolean> =>
      (await db.pool.query(`SELECT is_paused FROM dag WHERE dag_id = 'cli_fails'`)).rows[0].is_paused as boolean;
    expect(await paused()).toBe(false);
    const p = await runCli(['dags', 'pause', 'cli_fails'], { env });
    expect(p.stdout).toBe('DAG cli_fails paused\n');
    expect(await paused()).toBe(true);
    expect((await runCli(['dags', 'pause', 'cli_fails'], { env })).stdout).toBe('DAG cli_fails was already paused\n');
    const triggered = await runCli(['dags', 'trigger', 'cli_fails'], { env });
    expect(triggered.code).toBe(0);
    expect(triggered.stderr).toContain("DAG 'cli_fails' is paused: the run stays queued until `updraft dags unpause cli_fails`");
    const u = await runCli(['dags', 'unpause', 'cli_fails'], { env: { ...env, USER: 'ops-alice' } });
    expect(u.stdout).toBe('DAG cli_fails unpaused\n');
    expect(await paused()).toBe(false);
    // One event per change, none for the pause that changed nothing; the trigger's too.
    const { rows: events } = await db.pool.query(`SELECT event, owner FROM event_log WHERE dag_id = 'cli_fails' ORDER BY id`);
    expect(events.map((e: { event: string }) => e.event)).toEqual(['cli.pause', 'cli.trigger', 'cli.unpause']);
    expect(events.at(-1)).toEqual({ event: 'cli.unpause', owner: 'ops-alice' });
    const unknown = await runCli(['dags', 'pause', 'nope'], { env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no DAG 'nope'");
  });
});

describe('the scheduler LISTENs on updraft_dag_runs', () => {
  it('starts a run triggered from the CLI without waiting for a tick, also after its connection was cut', async () => {
    const queue = createMemoryQueue();
    const scheduler = await startScheduler({
      pool: db.pool, queue, listen: '127.0.0.1:0', token: 'test-token', watchDagsFolder: false,
      dagProcessor: { dagsFolder: DAGS }, dagDirListIntervalMs: 3_600_000,
      engine: { tickIntervalMs: 3_600_000 }, logger: createLogger({ name: 'test', level: 'silent' }),
    });
    try {
      const listenerPid = async (): Promise<number | undefined> =>
        (await db.pool.query(`SELECT pid FROM pg_stat_activity WHERE application_name = 'updraft-scheduler-listen' AND datname = current_database()`)).rows[0]?.pid as number | undefined;
      await waitFor('the scheduler listens', async () => (await listenerPid()) !== undefined);
      // The first tick (at start) has passed; the next timer tick is an hour away.
      const r = await runCli(['dags', 'trigger', 'cli_hello', '--run-id', 'listened'], { env });
      expect(r.code).toBe(0);
      await waitFor('the run starts', async () => (await runRow('cli_hello', 'listened'))?.state === 'running');

      const pid = await listenerPid();
      await db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
      await waitFor('the scheduler listens again', async () => ![undefined, pid].includes(await listenerPid()));
      const again = await runCli(['dags', 'trigger', 'cli_hello', '--run-id', 'after-reconnect', '--logical-date', '2024-05-01T00:00:00Z'], { env });
      expect(again.code).toBe(0);
      await waitFor('the second run starts', async () => (await runRow('cli_hello', 'after-reconnect'))?.state === 'running');
    } finally {
      await scheduler.stop();
      await queue.close();
    }
    // Stopped: its LISTEN connection is closed too (the server ends the backend just after the
    // client's Terminate message; other test files share this PostgreSQL server, so only this
    // database's sessions count).
    await waitFor('the LISTEN session is gone', async () => {
      const { rows } = await db.pool.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'updraft-scheduler-listen' AND datname = current_database()`,
      );
      return rows[0].n === 0;
    });
  });
});

describe('updraft dags test', () => {
  it('runs a whole DAG here in dependency order and prints each task\'s log', async () => {
    const r = await runCli(['dags', 'test', 'cli_hello', '2024-02-10'], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const hello = r.stdout.indexOf('[stdout] hello from cli_hello for 2024-02-10');
    const goodbye = r.stdout.indexOf('[stdout] goodbye from cli_hello for 2024-02-10');
    expect(hello).toBeGreaterThan(-1);
    expect(goodbye).toBeGreaterThan(hello);
    expect(r.stdout).toMatch(/^say_hello\s+success\s+0\s/m);
    expect(r.stdout).toMatch(/^say_goodbye\s+success\s+0\s/m);
    expect(r.stdout).toContain('run manual__2024-02-10T00:00:00+00:00 of DAG cli_hello: success');
    // No state changed: the database holds no run for that date.
    expect(await runRow('cli_hello', 'manual__2024-02-10T00:00:00+00:00')).toBeUndefined();
  });

  it('honours upstream failures and exits 1 when the run failed', async () => {
    const r = await runCli(['dags', 'test', 'cli_fails', '2024-02-10', '--file', join(DAGS, 'cli_fails.ts')], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('computed for 2024-02-10');
    expect(r.stdout).toContain('[stdout] about to fail');
    expect(r.stdout).not.toContain('[stdout] must not run');
    expect(r.stdout).toMatch(/^compute\s+success\s+0\s/m);
    expect(r.stdout).toMatch(/^bad\s+failed\s+3\s/m);
    expect(r.stdout).toMatch(/^after\s+upstream_failed\s*$/m);
    expect(r.stdout).toContain('of DAG cli_fails: failed');
  });
});

describe('updraft db migrate with an empty database.url', () => {
  it('starts the embedded PostgreSQL in database.embedded_data_dir, migrates it, and stops it', async () => {
    const root = await mkdtemp(join(tmpdir(), 'updraft-embedded-'));
    // As root, PostgreSQL runs as the postgres user: it must reach the data dir.
    await chmod(root, 0o755);
    try {
      const embeddedEnv = { UPDRAFT__DATABASE__URL: '', UPDRAFT__DATABASE__EMBEDDED_DATA_DIR: join(root, 'db') };
      const first = await runCli(['db', 'migrate'], { env: embeddedEnv, timeoutMs: 180_000 });
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(first.stdout).toContain('applied 0001_init');
      expect(first.stdout).toMatch(/\(embedded, data in .*updraft-embedded-.*\/db\) migrated: \d+ migration\(s\) applied/);
      const status = await runCli(['db', 'status'], { env: embeddedEnv, timeoutMs: 180_000 });
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/0001\s+init\s+applied/);
      expect(status.stdout).toContain('up to date');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
