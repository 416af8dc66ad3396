/**
 * `updraft db clean` against a real PostgreSQL: --dry-run counts and deletes nothing; a real run
 * with a small --batch-size deletes the old finished runs with their task instances, tries and
 * XCom, old event log rows, done callbacks and alerts, old offline workers, in several batches;
 * it keeps new rows, queued or running runs, the latest run of each DAG and its latest scheduled
 * one, runs with a callback or an alert still to send or in an active backfill; bad input is named.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScheduledClean } from '@updraft/scheduler';
import { createTestDatabase, runCli, type CliResult, type TestDatabase } from '../harness/index.js';

let db: TestDatabase;
const CUTOFF = '2026-03-01';

const cli = (args: string[]): Promise<CliResult> => runCli(args, { env: { UPDRAFT__DATABASE__URL: db.url } });

async function ok(args: string[]): Promise<string> {
  const r = await cli(args);
  expect(r.code, `updraft ${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

/** `TABLE  N ...` lines of a table output as { table: [N, ...] }. */
function tableRows(stdout: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const line of stdout.trim().split('\n').slice(1)) {
    const [name, ...rest] = line.split(/\s{2,}/);
    if (name !== undefined && /^[a-z_]+$/.test(name)) out[name] = rest;
  }
  return out;
}

async function run(dagId: string, runId: string, runType: string, state: string, logical: string, end: string | null): Promise<void> {
  const { rows } = await db.pool.query<{ id: string }>(
    `INSERT INTO dag_run (dag_id, run_id, run_type, state, logical_date, start_date, end_date)
     VALUES ($1, $2, $3, $4, $5, $5, $6) RETURNING id`, [dagId, runId, runType, state, logical, end]);
  for (const taskId of ['extract', 'load']) {
    await db.pool.query(
      `INSERT INTO task_instance (dag_run_id, dag_id, run_id, task_id, state, try_number, operator)
       VALUES ($1, $2, $3, $4, $5, 1, 'bash')`, [rows[0]!.id, dagId, runId, taskId, state === 'running' ? 'running' : 'success']);
    await db.pool.query(`INSERT INTO task_instance_try (dag_id, run_id, task_id, try_number, state) VALUES ($1, $2, $3, 1, 'success')`, [dagId, runId, taskId]);
  }
  await db.pool.query(`INSERT INTO xcom (dag_id, run_id, task_id, key, value) VALUES ($1, $2, 'extract', 'return_value', '1')`, [dagId, runId]);
}

async function runIds(): Promise<string[]> {
  const { rows } = await db.pool.query<{ k: string }>(`SELECT dag_id || '/' || run_id AS k FROM dag_run ORDER BY 1`);
  return rows.map((r) => r.k);
}

async function count(table: string): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0]!.n;
}

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`INSERT INTO dag (dag_id, fileloc, schedule) VALUES ('etl', 'etl.ts', '@daily'), ('quiet', 'quiet.ts', '@daily'), ('held', 'held.ts', '@daily')`);
  // etl: old finished runs (scheduled and manual), an old run still running, a new one.
  await run('etl', 's1', 'scheduled', 'success', '2026-01-01T00:00:00Z', '2026-01-01T01:00:00Z');
  await run('etl', 's2', 'scheduled', 'failed', '2026-01-02T00:00:00Z', '2026-01-02T01:00:00Z');
  await run('etl', 's3', 'scheduled', 'running', '2026-01-03T00:00:00Z', null);
  await run('etl', 's4', 'scheduled', 'success', '2026-01-04T00:00:00Z', null); // no end: its logical date counts
  await run('etl', 'm1', 'manual', 'success', '2026-01-05T00:00:00Z', '2026-01-05T01:00:00Z');
  await run('etl', 's5', 'scheduled', 'success', '2026-04-01T00:00:00Z', '2026-04-01T01:00:00Z');
  // quiet: only old runs. Its latest (manual) run and its latest scheduled run stay.
  await run('quiet', 'q1', 'scheduled', 'success', '2026-01-01T00:00:00Z', '2026-01-01T01:00:00Z');
  await run('quiet', 'q2', 'scheduled', 'success', '2026-01-02T00:00:00Z', '2026-01-02T01:00:00Z');
  await run('quiet', 'q3', 'manual', 'success', '2026-01-03T00:00:00Z', '2026-01-03T01:00:00Z');
  // held: old finished runs something still needs: a callback or an alert to send, an active backfill.
  await run('held', 'h1', 'scheduled', 'success', '2026-01-01T00:00:00Z', '2026-01-01T01:00:00Z');
  await run('held', 'h2', 'scheduled', 'success', '2026-01-02T00:00:00Z', '2026-01-02T01:00:00Z');
  await run('held', 'h3', 'backfill', 'success', '2026-01-03T00:00:00Z', '2026-01-03T01:00:00Z');
  await run('held', 'h4', 'scheduled', 'success', '2026-04-01T00:00:00Z', '2026-04-01T01:00:00Z');
  await db.pool.query(`INSERT INTO callback_request (dag_id, run_id, event, state, created_at) VALUES ('held', 'h1', 'on_dag_run_success', 'running', '2026-01-01')`);
  await db.pool.query(`INSERT INTO alert_outbox (dag_id, run_id, event, notifier_index, target, state, created_at)
    VALUES ('held', 'h2', 'on_dag_run_success', 0, '{}', 'sending', '2026-01-01')`);
  const { rows: backfill } = await db.pool.query<{ id: string }>(`INSERT INTO backfill (dag_id, from_date, to_date, reprocess_behavior,
    max_active_runs, total_intervals, skipped_intervals, state) VALUES ('held', '2026-01-03', '2026-01-03', 'none', 1, 1, 0, 'paused') RETURNING id`);
  await db.pool.query(`UPDATE dag_run SET backfill_id = $1 WHERE run_id = 'h3'`, [backfill[0]!.id]);
  await db.pool.query(`INSERT INTO event_log (dttm, event, owner) VALUES
    ('2026-01-01', 'trigger', 'a'), ('2026-01-02', 'pause', 'a'), ('2026-02-01', 'unpause', 'a'), (now(), 'trigger', 'b'), ('2026-03-02', 'clear', 'b')`);
  await db.pool.query(`INSERT INTO callback_request (dag_id, run_id, event, state, created_at, ended_at) VALUES
    ('etl', 'old-done', 'on_success', 'success', '2026-01-01', '2026-01-01'),
    ('etl', 'old-pending', 'on_success', 'pending', '2026-01-01', NULL),
    ('etl', 'new-done', 'on_success', 'success', '2026-04-01', '2026-04-01')`);
  await db.pool.query(`INSERT INTO alert_outbox (dag_id, run_id, event, notifier_index, target, state, created_at, sent_at) VALUES
    ('etl', 'a1', 'on_failure', 0, '{}', 'sent', '2026-01-01', '2026-01-01'),
    ('etl', 'a2', 'on_failure', 0, '{}', 'failed', '2026-01-01', NULL),
    ('etl', 'a3', 'on_failure', 0, '{}', 'pending', '2026-01-01', NULL),
    ('etl', 'a4', 'on_failure', 0, '{}', 'sent', '2026-04-01', '2026-04-01')`);
  await db.pool.query(`INSERT INTO worker (worker_id, worker_name, hostname, queues, concurrency, state, state_since) VALUES
    ('w1', 'gone', 'h', '{default}', 1, 'offline', '2026-01-01'),
    ('w2', 'alive', 'h', '{default}', 1, 'online', '2026-01-01'),
    ('w3', 'recently-gone', 'h', '{default}', 1, 'offline', now())`);
});

afterAll(async () => {
  await db?.drop();
});

const ALL_RUNS = ['etl/m1', 'etl/s1', 'etl/s2', 'etl/s3', 'etl/s4', 'etl/s5', 'held/h1', 'held/h2', 'held/h3', 'held/h4', 'quiet/q1', 'quiet/q2', 'quiet/q3'].sort();

describe('updraft db clean', () => {
  it('--dry-run prints per table how many rows would go, and deletes nothing', async () => {
    const out = await ok(['db', 'clean', '--older-than', CUTOFF, '--dry-run']);
    expect(tableRows(out)).toEqual({
      xcom: ['5'], task_instance_try: ['10'], task_instance: ['10'], dag_run: ['5'], dag_bundle_version: ['0'],
      event_log: ['3'], callback_request: ['1'], alert_outbox: ['2'], worker: ['1'],
    });
    expect(out.trim().split('\n').at(-1)).toBe('dry run: would delete 37 row(s) before 2026-03-01T00:00:00Z');
    expect(await runIds()).toEqual(ALL_RUNS);
    expect(await count('event_log')).toBe(5);
  });

  it('names a bad date, an unknown table, a bad batch size; refuses without --yes and no terminal', async () => {
    const badDate = await cli(['db', 'clean', '--older-than', 'last tuesday', '--yes']);
    expect(badDate.code).not.toBe(0);
    expect(badDate.stderr).toContain('--older-than');
    const badTable = await cli(['db', 'clean', '--older-than', CUTOFF, '--tables', 'dag_run,dag_runs', '--yes']);
    expect(badTable.code).not.toBe(0);
    expect(badTable.stderr).toContain('unknown table "dag_runs"');
    const badBatch = await cli(['db', 'clean', '--older-than', CUTOFF, '--batch-size', '0', '--yes']);
    expect(badBatch.code).not.toBe(0);
    expect(badBatch.stderr).toContain('--batch-size');
    const noDate = await cli(['db', 'clean', '--yes']);
    expect(noDate.code).not.toBe(0);
    expect(noDate.stderr).toContain('--older-than');
    const unconfirmed = await cli(['db', 'clean', '--older-than', CUTOFF]);
    expect(unconfirmed.code).not.toBe(0);
    expect(unconfirmed.stderr).toContain('pass --yes');
    expect(await runIds()).toEqual(ALL_RUNS);
    expect(await count('worker')).toBe(3);
  });

  it('--tables limits the clean to those tables', async () => {
    const out = await ok(['db', 'clean', '--older-than', CUTOFF, '--tables', 'event_log', '--yes']);
    expect(Object.keys(tableRows(out))).toEqual(['event_log']);
    expect(tableRows(out).event_log?.[0]).toBe('3');
    // The two newer rows stay, and the clean records itself (who, when, what it deleted).
    expect(await count('event_log')).toBe(3);
    const { rows: [last] } = await db.pool.query('SELECT event, extra FROM event_log ORDER BY id DESC LIMIT 1');
    expect(last).toMatchObject({ event: 'cli.db.clean', extra: { rows: { event_log: 3 } } });
    expect(await runIds()).toEqual(ALL_RUNS);
  });

  it('deletes the old rows in batches and keeps new rows, running runs, the latest runs of each DAG and runs still needed', async () => {
    const out = await ok(['db', 'clean', '--older-than', CUTOFF, '--batch-size', '3', '--yes']);
    const t = tableRows(out);
    // 5 runs at 3 a statement: 3, 2, then an empty batch.
    expect(t.dag_run?.slice(0, 2)).toEqual(['5', '3']);
    expect(t.task_instance?.slice(0, 2)).toEqual(['10', '5']);
    expect(t.xcom?.[0]).toBe('5');
    expect(t.task_instance_try?.[0]).toBe('10');
    expect(t.event_log?.[0]).toBe('0');
    expect(out.trim().split('\n').at(-1)).toBe('deleted 34 row(s) before 2026-03-01T00:00:00Z');

    expect(await runIds()).toEqual(['etl/s3', 'etl/s5', 'held/h1', 'held/h2', 'held/h3', 'held/h4', 'quiet/q2', 'quiet/q3']);
    const { rows: left } = await db.pool.query<{ k: string }>(
      `SELECT run_id || ':' || count(*) AS k FROM task_instance GROUP BY run_id ORDER BY run_id`);
    expect(left.map((r) => r.k)).toEqual(['h1:2', 'h2:2', 'h3:2', 'h4:2', 'q2:2', 'q3:2', 's3:2', 's5:2']);
    expect(await count('task_instance_try')).toBe(16);
    expect(await count('xcom')).toBe(8);
    const names = async (sql: string): Promise<string[]> => (await db.pool.query<{ k: string }>(sql)).rows.map((r) => r.k);
    expect(await names(`SELECT run_id AS k FROM callback_request ORDER BY 1`)).toEqual(['h1', 'new-done', 'old-pending']);
    expect(await names(`SELECT run_id AS k FROM alert_outbox ORDER BY 1`)).toEqual(['a3', 'a4', 'h2']);
    expect(await names(`SELECT worker_name AS k FROM worker ORDER BY 1`)).toEqual(['alive', 'recently-gone']);

    // Nothing old is left: a second run deletes nothing.
    const again = await ok(['db', 'clean', '--older-than', CUTOFF, '--dry-run']);
    expect(again.trim().split('\n').at(-1)).toBe('dry run: would delete 0 row(s) before 2026-03-01T00:00:00Z');
  });

  it('the scheduler\'s daily clean (database.clean_older_than_days) deletes what `db clean` would, with the same rules', async () => {
    await db.pool.query(`INSERT INTO dag (dag_id, fileloc, schedule) VALUES ('daily', 'daily.ts', '@daily')`);
    await run('daily', 'd1', 'scheduled', 'success', '2026-01-05T00:00:00Z', '2026-01-05T01:00:00Z');
    await run('daily', 'd2', 'scheduled', 'success', '2026-01-06T00:00:00Z', '2026-01-06T01:00:00Z');
    // 30 days before 2026-03-31: the cutoff of the cases above.
    const r = await runScheduledClean({ db: db.pool, olderThanDays: 30 }, new Date('2026-03-31T00:00:00Z'));
    expect(r.cutoff.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(r.byTable).toMatchObject({ dag_run: 1, task_instance: 2, task_instance_try: 2, xcom: 1 });
    // d2 is the DAG's latest run: kept, whatever its age.
    expect((await runIds()).filter((k) => k.startsWith('daily/'))).toEqual(['daily/d2']);
  });
});
