/**
 * `updraft dags backfill` and `updraft backfills list|pause|resume|cancel` on a real stack
 * (PostgreSQL, nats-server, scheduler and worker processes): one run per interval with the right
 * logical dates and data intervals, the backfill's max_active_runs, no duplicate runs, reprocessing
 * failed runs, run order, cancel, and a job that goes on when the CLI that started it is killed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../e2e/db.js';
import { spawnUpdraft } from '../e2e/processes.js';
import { startStack, type Stack } from '../e2e/stack.js';
import type { RunningWebserver } from '@updraft/webserver';
import { call, createRoleUsers, startApi } from './api-support.js';

let stack: Stack;
let web: RunningWebserver;
const DAG = 'backfill_daily';

beforeAll(async () => {
  stack = await startStack({
    dagFiles: ['test/fixtures/dags-backfill/backfill_daily.ts', 'test/fixtures/dags-backfill/unscheduled.ts'],
    workers: [{ name: 'backfill-w1', concurrency: 4 }],
  });
  await createRoleUsers(stack.pool);
  web = await startApi({ db: stack.pool, logFolder: stack.logFolder });
});

afterAll(async () => {
  await web?.close();
  await stack?.stop();
});

interface RunRow { run_id: string; run_type: string; state: string; logical_date: Date; data_interval_start: Date; data_interval_end: Date; start_date: Date | null; end_date: Date | null; backfill_id: string | null }

async function runsBetween(from: string, to: string): Promise<RunRow[]> {
  const r = await stack.pool.query<RunRow>(
    `SELECT run_id, run_type, state, logical_date, data_interval_start, data_interval_end, start_date, end_date, backfill_id::text
     FROM dag_run WHERE dag_id = $1 AND logical_date BETWEEN $2 AND $3 ORDER BY logical_date`, [DAG, from, to]);
  return r.rows;
}

/** The most runs running at the same instant, from their start and end times. */
function maxOverlap(runs: readonly RunRow[]): number {
  const events = runs.filter((r) => r.start_date !== null)
    .flatMap((r) => [[r.start_date!.getTime(), 1], [(r.end_date ?? new Date(8.64e15)).getTime(), -1]] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let max = 0;
  for (const [, d] of events) max = Math.max(max, (now += d));
  return max;
}

const day = (n: number): string => `2026-01-${String(n).padStart(2, '0')}`;

describe('updraft dags backfill', () => {
  it('--dry-run prints each logical date and what would happen, and creates nothing', async () => {
    const r = await stack.cli(['dags', 'backfill', DAG, '--start-date', day(1), '--end-date', day(30), '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^LOGICAL_DATE\s+DATA_INTERVAL\s+ACTION$/);
    expect(lines[1]).toMatch(/^2026-01-01T00:00:00Z\s+2026-01-01T00:00:00Z \.\. 2026-01-02T00:00:00Z\s+create$/);
    expect(lines).toHaveLength(32);
    expect(lines.at(-1)).toBe('dry run: would create 30 run(s), rerun 0, skip 0 of 30 interval(s)');
    expect(await runsBetween(day(1), day(30))).toEqual([]);
  });

  it('creates 30 daily runs with their logical dates and data intervals, never more than 3 running at once, and follows them to the end', async () => {
    const r = await stack.cli(['dags', 'backfill', DAG, '--start-date', day(1), '--end-date', day(30), '--max-active-runs', '3'], { timeoutMs: 300_000 });
    // One day fails (the source is broken for 2026-01-05): the command says so by its exit code.
    expect(r.code, r.stderr + r.stdout).toBe(1);
    expect(r.stdout).toMatch(/^backfill \d+ of backfill_daily: 30 interval\(s\) from 2026-01-01T00:00:00Z to 2026-01-30T00:00:00Z; 30 run\(s\) created, 0 rerun, 0 skipped; at most 3 running at once$/m);
    // Not a terminal: plain progress lines, the last one the end.
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^backfill \d+ of backfill_daily: 30\/30 runs done, 1 failed, 0 running, completed$/);

    const runs = await runsBetween(day(1), day(30));
    expect(runs).toHaveLength(30);
    runs.forEach((run, i) => {
      expect(run.logical_date.toISOString()).toBe(`${day(i + 1)}T00:00:00.000Z`);
      expect(run.data_interval_start.toISOString()).toBe(run.logical_date.toISOString());
      expect(run.data_interval_end.getTime() - run.data_interval_start.getTime()).toBe(86_400_000);
      expect(run.run_type).toBe('backfill');
      expect(run.run_id).toBe(`backfill__${day(i + 1)}T00:00:00+00:00`);
      expect(run.state).toBe(i === 4 ? 'failed' : 'success');
    });
    expect(new Set(runs.map((x) => x.backfill_id)).size).toBe(1);
    // The first three start together (one statement), and never a fourth next to them.
    const when = async (): Promise<string> => (await stack.pool.query(
      `SELECT logical_date::date::text AS d, to_char(start_date, 'SS.US') s, to_char(end_date, 'SS.US') e FROM dag_run WHERE backfill_id IS NOT NULL ORDER BY start_date`,
    )).rows.map((x) => `${x.d} ${x.s} ${x.e}`).join('\n');
    const overlap = maxOverlap(runs);
    expect(overlap, overlap === 3 ? '' : `${await when()}\n${stack.diagnostics()}`).toBe(3);

    const list = await stack.cli(['backfills', 'list', '--dag-id', DAG]);
    expect(list.stdout.split('\n')[0]).toMatch(/^ID\s+DAG_ID\s+STATE\s+FROM\s+TO\s+RUNS\s+DONE\s+FAILED\s+RUNNING\s+QUEUED\s+MAX_ACTIVE\s+CREATED$/);
    expect(list.stdout.split('\n')[1]).toMatch(/^\d+\s+backfill_daily\s+completed\s+2026-01-01T00:00:00Z\s+2026-01-30T00:00:00Z\s+30\s+30\s+1\s+0\s+0\s+3\s/);
  });

  it('again with --reprocess-behavior none: no new run; with failed (after the fix): only the failed day runs again', async () => {
    const none = await stack.cli(['dags', 'backfill', DAG, '--start-date', day(1), '--end-date', day(30), '--reprocess-behavior', 'none']);
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).toContain('0 run(s) created, 0 rerun, 30 skipped');
    expect(await runsBetween(day(1), day(30))).toHaveLength(30);

    const dry = await stack.cli(['dags', 'backfill', DAG, '--start-date', day(4), '--end-date', day(6), '--reprocess-behavior', 'failed', '--dry-run']);
    expect(dry.stdout.trim().split('\n').slice(1, 4).map((l) => l.split(/\s{2,}/).at(-1))).toEqual(['skip: exists (success)', 'rerun (failed)', 'skip: exists (success)']);

    writeFileSync(join(stack.workDir, 'fixed'), '');
    const before = await runsBetween(day(1), day(30));
    const r = await stack.cli(['dags', 'backfill', DAG, '--start-date', day(1), '--end-date', day(30), '--reprocess-behavior', 'failed'], { timeoutMs: 120_000 });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain('0 run(s) created, 1 rerun, 29 skipped');
    const after = await runsBetween(day(1), day(30));
    expect(after.map((x) => x.state)).toEqual(after.map(() => 'success'));
    const tries = await stack.pool.query<{ logical_date: Date; try_number: number }>(
      `SELECT r.logical_date, ti.try_number FROM task_instance ti JOIN dag_run r ON r.id = ti.dag_run_id
       WHERE r.dag_id = $1 AND ti.try_number > 1`, [DAG]);
    expect(tries.rows.map((t) => [t.logical_date.toISOString(), t.try_number])).toEqual([['2026-01-05T00:00:00.000Z', 2]]);
    // The other days were not touched.
    expect(after.filter((x) => x.logical_date.getUTCDate() !== 5).map((x) => x.end_date?.getTime()))
      .toEqual(before.filter((x) => x.logical_date.getUTCDate() !== 5).map((x) => x.end_date?.getTime()));
  });

  it('goes on when the CLI that started it is killed; runs newest first with --run-backwards; cancel stops it; one active backfill per DAG', async () => {
    const cli = spawnUpdraft('backfill-cli', ['dags', 'backfill', DAG, '--start-date', '2025-06-01', '--end-date', '2025-06-12', '--max-active-runs', '1', '--run-backwards'], {
      env: stack.env, logFile: join(stack.dir, 'backfill-cli.log'), cwd: stack.dir,
    });
    await cli.waitForOutput(/following its progress/);
    cli.kill();
    await cli.exited;
    const done = async (): Promise<RunRow[]> => (await runsBetween('2025-06-01', '2025-06-12')).filter((x) => x.state === 'success');
    await waitFor('a run of the backfill done after its CLI was killed', async () => ((await done()).length >= 1 ? true : undefined), { timeoutMs: 120_000 });

    const id = (await stack.pool.query<{ id: string }>(`SELECT id::text FROM backfill WHERE dag_id = $1 AND state = 'running'`, [DAG])).rows[0]!.id;
    const paused = await stack.cli(['backfills', 'pause', id]);
    expect(paused.stdout, paused.stderr).toBe(`backfill ${id} paused: no new run of it starts; running ones finish\n`);
    const busy = await stack.cli(['dags', 'backfill', DAG, '--start-date', '2025-03-01', '--end-date', '2025-03-02']);
    expect(busy.code).not.toBe(0);
    expect(busy.stderr).toContain("DAG 'backfill_daily' already has an active backfill");

    const cancelled = await stack.cli(['backfills', 'cancel', id]);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(cancelled.stdout).toMatch(new RegExp(`^backfill ${id} cancelled: \\d+ queued run\\(s\\) marked failed; running ones finish\\n$`));
    const b = (await stack.pool.query<{ state: string; completed_at: Date }>('SELECT state, completed_at FROM backfill WHERE id = $1', [id])).rows[0]!;
    expect(b.state).toBe('cancelled');
    await waitFor('the cancelled backfill\'s running run to finish', async () =>
      ((await runsBetween('2025-06-01', '2025-06-12')).some((x) => x.state === 'running') ? undefined : true), { timeoutMs: 60_000 });

    const runs = await runsBetween('2025-06-01', '2025-06-12');
    expect(runs).toHaveLength(12);
    const started = runs.filter((x) => x.start_date !== null);
    // Newest first, one at a time.
    expect(started.sort((a, c) => a.start_date!.getTime() - c.start_date!.getTime()).map((x) => x.logical_date.getUTCDate()))
      .toEqual(started.map((x) => x.logical_date.getUTCDate()).sort((a, c) => c - a));
    expect(started.map((x) => x.logical_date.getUTCDate())[0]).toBe(12);
    expect(maxOverlap(runs)).toBe(1);
    // Nothing started after the cancel; what never started ended failed.
    for (const x of started) expect(x.start_date!.getTime()).toBeLessThanOrEqual(b.completed_at.getTime());
    expect(runs.filter((x) => x.start_date === null).map((x) => x.state)).toEqual(runs.filter((x) => x.start_date === null).map(() => 'failed'));
    expect(runs.filter((x) => x.start_date === null).length).toBeGreaterThan(0);

    const again = await stack.cli(['backfills', 'resume', id]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain(`backfill ${id} is cancelled`);
  });

  it('names what is wrong: no schedule, an empty range, a bad option, an unknown backfill', async () => {
    const unscheduled = await stack.cli(['dags', 'backfill', 'backfill_unscheduled', '--start-date', day(1), '--end-date', day(2)]);
    expect(unscheduled.code).not.toBe(0);
    expect(unscheduled.stderr).toContain('the DAG has no schedule');
    const empty = await stack.cli(['dags', 'backfill', DAG, '--start-date', day(3), '--end-date', day(2)]);
    expect(empty.stderr).toContain('backfill range is empty');
    const behavior = await stack.cli(['dags', 'backfill', DAG, '--start-date', day(1), '--end-date', day(2), '--reprocess-behavior', 'all']);
    expect(behavior.stderr).toContain('--reprocess-behavior must be one of none, failed, completed, got "all"');
    // A day past the month's end is refused, with an offset too (not read as 2 March).
    const feb30 = await stack.cli(['dags', 'backfill', DAG, '--start-date', '2026-02-30T00:00:00Z', '--end-date', '2026-03-03T00:00:00Z', '--dry-run']);
    expect(feb30.code).not.toBe(0);
    expect(feb30.stderr).toContain("--start-date: '2026-02-30T00:00:00Z' is not a valid date");
    const missing = await stack.cli(['dags', 'backfill', DAG, '--start-date', day(1)]);
    expect(missing.stderr).toContain("required option '-e, --end-date <date>' not specified");
    const unknown = await stack.cli(['backfills', 'cancel', '999999']);
    expect(unknown.stderr).toContain('no backfill 999999');
    const bad = await stack.cli(['backfills', 'pause', 'x1']);
    expect(bad.stderr).toContain('a backfill id is a positive integer');
  });
});

describe('/api/v1/backfills', () => {
  const body = { dag_id: DAG, from_date: '2025-09-01T00:00:00Z', to_date: '2025-09-03T00:00:00Z', max_active_runs: 2, dag_run_conf: { via: 'api' } };

  it('dry-runs, creates (User), refuses a second active one (409) and a Viewer (403), lists and follows it to completed', async () => {
    const dry = await call(web, '/api/v1/backfills/dry_run', { method: 'POST', body, as: 'Viewer' });
    expect(dry.status, dry.text).toBe(200);
    expect(dry.json).toMatchObject({ total_entries: 3, backfills: [{ logical_date: '2025-09-01T00:00:00.000Z', data_interval_end: '2025-09-02T00:00:00.000Z', action: 'create', reason: null }, {}, {}] });
    expect((await call(web, '/api/v1/backfills', { method: 'POST', body, as: 'Viewer' })).status).toBe(403);

    const made = await call(web, '/api/v1/backfills', { method: 'POST', body, as: 'User' });
    expect(made.status, made.text).toBe(200);
    const b = made.json as { id: number; state: string; is_paused: boolean; created_by: string; dag_run_conf: unknown; runs: { total: number } };
    expect(b).toMatchObject({ dag_id: DAG, state: 'running', is_paused: false, max_active_runs: 2, reprocess_behavior: 'none', created_by: 'ursula', dag_run_conf: { via: 'api' }, runs: { total: 3 } });
    const again = await call(web, '/api/v1/backfills', { method: 'POST', body, as: 'User' });
    expect(again.status).toBe(409);
    expect((again.json as { detail: string }).detail).toContain('already has an active backfill');

    const end = await waitFor('the API backfill to complete', async () => {
      const r = await call(web, `/api/v1/backfills/${b.id}`, { as: 'Viewer' });
      return (r.json as { state: string }).state === 'completed' ? r.json : undefined;
    }, { timeoutMs: 120_000 });
    expect(end).toMatchObject({ state: 'completed', runs: { total: 3, success: 3, failed: 0, queued: 0, running: 0 }, completed_at: expect.any(String) });
    const runs = await runsBetween('2025-09-01', '2025-09-03');
    expect(runs.map((x) => [x.run_type, x.state, x.backfill_id])).toEqual([0, 1, 2].map(() => ['backfill', 'success', String(b.id)]));

    const list = await call(web, `/api/v1/backfills?dag_id=${DAG}&limit=1`, { as: 'Viewer' });
    expect(list.json).toMatchObject({ backfills: [{ id: b.id }] });
    expect((list.json as { total_entries: number }).total_entries).toBeGreaterThan(1);
    const events = await stack.pool.query(`SELECT event, owner FROM event_log WHERE event LIKE 'backfill.%' ORDER BY id`);
    expect(events.rows).toEqual([{ event: 'backfill.create', owner: 'ursula' }]);
  });

  it('pauses, unpauses and cancels through PUT; a finished backfill is 409, an unknown one 404, bad input 400', async () => {
    const made = await call(web, '/api/v1/backfills', { method: 'POST', body: { ...body, from_date: '2025-06-20T00:00:00Z', to_date: '2025-06-25T00:00:00Z', max_active_runs: 1 } });
    const id = (made.json as { id: number }).id;
    const paused = await call(web, `/api/v1/backfills/${id}/pause`, { method: 'PUT', as: 'User' });
    expect(paused.json).toMatchObject({ state: 'paused', is_paused: true });
    expect((await call(web, `/api/v1/backfills/${id}/unpause`, { method: 'PUT' })).json).toMatchObject({ state: 'running', is_paused: false });
    const cancelled = await call(web, `/api/v1/backfills/${id}/cancel`, { method: 'PUT' });
    expect(cancelled.json).toMatchObject({ state: 'cancelled', completed_at: expect.any(String) });
    expect((await call(web, `/api/v1/backfills/${id}/pause`, { method: 'PUT' })).status).toBe(409);
    expect((await call(web, '/api/v1/backfills/999999')).status).toBe(404);
    const bad = await call(web, '/api/v1/backfills', { method: 'POST', body: { ...body, reprocess_behavior: 'all' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain('reprocess_behavior');
    const reversed = await call(web, '/api/v1/backfills', { method: 'POST', body: { ...body, from_date: '2025-09-03T00:00:00Z', to_date: '2025-09-01T00:00:00Z' } });
    expect(reversed.status).toBe(400);
    expect((reversed.json as { detail: string }).detail).toBe('from_date is after to_date');
  });
});
