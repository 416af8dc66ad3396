/**
 * Sensors on a real stack (PostgreSQL, nats-server, `updraft scheduler` and `updraft worker`
 * processes): in reschedule mode every poke is a short try and the task instance waits in
 * up_for_reschedule between pokes, holding no worker slot; the timeout counts from the first
 * poke; softFail skips instead of failing; poke mode pokes within one try; a sensor that timed out is
 * not retried; a task can skip itself.
 */
import { writeFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../e2e/stack.js';
import { caseResult, runCase, tryLog, xcomValues } from './cases.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    dagFiles: ['test/fixtures/dags-semantics/sensors.ts'],
    workers: [{ name: 'sem-sensor-w1', concurrency: 4 }, { name: 'sem-sensor-one-slot', concurrency: 1, queues: ['sem_sensor_q'] }],
  });
});

afterAll(async () => {
  await stack?.stop();
});

interface TryRow { try_number: number; state: string; started_at: Date; ended_at: Date }

async function tries(dagId: string, runId: string, taskId: string): Promise<TryRow[]> {
  const { rows } = await stack.pool.query<TryRow>(
    'SELECT try_number, state, started_at, ended_at FROM task_instance_try WHERE dag_id = $1 AND run_id = $2 AND task_id = $3 ORDER BY try_number',
    [dagId, runId, taskId]);
  return rows;
}

/** The task instance once it is in `state` (polled until then; it must get there before the run ends). */
async function whenState(dagId: string, runId: string, taskId: string, state: string): Promise<{ ended_at: Date; next_retry_at: Date }> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const { rows } = await stack.pool.query<{ state: string | null; ended_at: Date; next_retry_at: Date }>(
      'SELECT state, ended_at, next_retry_at FROM task_instance WHERE dag_id = $1 AND run_id = $2 AND task_id = $3', [dagId, runId, taskId]);
    if (rows[0]?.state === state) return rows[0];
    if (rows[0]?.state === 'success' || Date.now() > deadline) throw new Error(`${taskId} was never ${state}: ${JSON.stringify(rows[0])}\n${stack.diagnostics()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('sensors', () => {
  it('reschedule mode: true on the 4th poke, 4 short tries each with its poke in the log, then downstream runs', async () => {
    const result = await runCase(stack, 'sem_sensor_fourth');
    expect(result.runState).toBe('success');
    expect(result.states).toEqual({ wait: 'success', after: 'success' });
    const rows = await tries('sem_sensor_fourth', result.runId, 'wait');
    expect(rows.map((r) => r.state)).toEqual(['up_for_reschedule', 'up_for_reschedule', 'up_for_reschedule', 'success']);
    // Between pokes nothing runs: each poke starts after the previous one ended.
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.started_at.getTime()).toBeGreaterThanOrEqual(rows[i - 1]!.ended_at.getTime());
    expect(await tryLog(stack, 'sem_sensor_fourth', result.runId, 'wait', 1)).toContain('poke: false: rescheduled');
    expect(await tryLog(stack, 'sem_sensor_fourth', result.runId, 'wait', 4)).toContain('poke: true: the sensor succeeded');
  });

  it('reschedule mode holds no worker slot between pokes: a one-slot worker runs the task the sensor waits for', async () => {
    const result = await runCase(stack, 'sem_sensor_slot');
    expect(result.runState).toBe('success');
    expect(result.states).toEqual({ wait_file: 'success', writer: 'success' });
    const [writer] = await tries('sem_sensor_slot', result.runId, 'writer');
    const pokes = await tries('sem_sensor_slot', result.runId, 'wait_file');
    expect(pokes.length).toBeGreaterThanOrEqual(2);
    // The writer ran after a false poke ended and before the true one started, on the same slot.
    expect(pokes.some((p) => p.state === 'up_for_reschedule' && p.ended_at.getTime() <= writer!.started_at.getTime())).toBe(true);
    expect(pokes.at(-1)!.started_at.getTime()).toBeGreaterThanOrEqual(writer!.ended_at.getTime());
  });

  it('times out from the first poke: failed with the reason, downstream upstream_failed', async () => {
    const result = await runCase(stack, 'sem_sensor_timeout');
    expect(result.runState).toBe('failed');
    expect(result.states).toEqual({ never: 'failed', after: 'upstream_failed' });
    expect(result.errors.never).toMatch(/^sensor timed out: poke still false 2000 ms after the first poke$/);
    expect((await tries('sem_sensor_timeout', result.runId, 'never')).length).toBeGreaterThanOrEqual(3);
  });

  it('softFail: skipped on timeout; all_success downstream skipped, all_done downstream runs', async () => {
    const result = await runCase(stack, 'sem_sensor_soft');
    expect(result.runState).toBe('success');
    expect(result.states).toEqual({ never: 'skipped', after: 'skipped', cleanup: 'success' });
  });

  it('poke mode: one try pokes until a value comes back, which becomes the XCom return value', async () => {
    const result = await runCase(stack, 'sem_sensor_poke_mode');
    expect(result.runState).toBe('success');
    expect(result.tries.wait).toBe(1);
    const log = await tryLog(stack, 'sem_sensor_poke_mode', result.runId, 'wait', 1);
    expect(log).toContain('poke 1: false: next poke in 200ms');
    expect(log).toContain('poke 3: a value: the sensor succeeded');
    expect(await xcomValues(stack.pool, 'sem_sensor_poke_mode', result.runId)).toEqual({ 'wait:return_value': { found: 3 } });
  });

  it('reschedule mode: a poke that throws retries after the first retry delay; the false pokes before it do not grow the backoff', async () => {
    const runId = await stack.trigger('sem_sensor_retry_backoff');
    const failed = await whenState('sem_sensor_retry_backoff', runId, 'flaky', 'up_for_retry');
    // The retry is due 1 s (retryDelay, the first failed try) after the failure, not 2^11 s.
    expect(failed.next_retry_at.getTime() - failed.ended_at.getTime()).toBe(1000);
    const result = await caseResult(stack, 'sem_sensor_retry_backoff', runId);
    expect(result.states).toEqual({ flaky: 'success' });
    const rows = await tries('sem_sensor_retry_backoff', runId, 'flaky');
    expect(rows.map((r) => r.state)).toEqual([...Array(11).fill('up_for_reschedule'), 'failed', 'success']);
  });

  it('reschedule mode with exponentialBackoff: the first false poke after failed tries waits the poke interval, not one doubled per try', async () => {
    const runId = await stack.trigger('sem_sensor_poke_backoff');
    const poked = await whenState('sem_sensor_poke_backoff', runId, 'wait', 'up_for_reschedule');
    expect(poked.next_retry_at.getTime() - poked.ended_at.getTime()).toBe(1000);
    const result = await caseResult(stack, 'sem_sensor_poke_backoff', runId);
    expect(result.states).toEqual({ wait: 'success' });
    const rows = await tries('sem_sensor_poke_backoff', runId, 'wait');
    expect(rows.map((r) => r.state)).toEqual(['failed', 'failed', 'failed', 'up_for_reschedule', 'up_for_reschedule', 'success']);
    // The second false poke's wait doubled.
    expect(rows[5]!.started_at.getTime() - rows[4]!.ended_at.getTime()).toBeGreaterThanOrEqual(2000);
  });

  it('poke mode: a sensor that timed out fails on its first try, whatever its retries (not retried, as in Airflow)', async () => {
    const result = await runCase(stack, 'sem_sensor_poke_timeout');
    expect(result.runState).toBe('failed');
    expect(result.states).toEqual({ never: 'failed', after: 'upstream_failed' });
    expect(result.tries.never).toBe(1);
    expect(result.errors.never).toMatch(/sensor timed out: poke still false after 1s/);
    expect((await tries('sem_sensor_poke_timeout', result.runId, 'never')).map((t) => t.state)).toEqual(['failed']);
  });

  it('a function task that throws TaskSkipped is skipped, and so is its all_success downstream', async () => {
    const result = await runCase(stack, 'sem_task_skipped');
    expect(result.runState).toBe('success');
    expect(result.states).toEqual({ maybe: 'skipped', after: 'skipped' });
    expect(await tryLog(stack, 'sem_task_skipped', result.runId, 'maybe', 1)).toContain('TaskSkipped: no data today');
  });

  it('ready-made pokes: sensors.fileExists with the run\'s date, sensors.http with an expected status', async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.writeHead(requests < 3 ? 503 : 204).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ready`;
    const logicalDate = new Date('2026-04-05T00:00:00Z');
    const file = join(tmpdir(), 'updraft-sem-20260405-t1');
    rmSync(file, { force: true });
    try {
      const runId = await stack.trigger('sem_sensor_ready_made', { conf: { tag: 't1', url }, logicalDate });
      // The file appears only after a poke found it missing.
      const deadline = Date.now() + 60_000;
      for (;;) {
        const { rows } = await stack.pool.query("SELECT 1 FROM task_instance_try WHERE dag_id = 'sem_sensor_ready_made' AND run_id = $1 AND task_id = 'file' AND state = 'up_for_reschedule'", [runId]);
        if (rows.length > 0) break;
        if (Date.now() > deadline) throw new Error(`the file sensor never poked false\n${stack.diagnostics()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      writeFileSync(file, 'landed');
      const result = await caseResult(stack, 'sem_sensor_ready_made', runId);
      expect(result.states).toEqual({ file: 'success', endpoint: 'success' });
      expect(await tryLog(stack, 'sem_sensor_ready_made', runId, 'file', 1)).toContain(`${file} does not exist yet`);
      expect(await tryLog(stack, 'sem_sensor_ready_made', runId, 'endpoint', 1)).toContain(`GET ${url}: 503`);
      expect(requests).toBe(3);
    } finally {
      server.close();
      rmSync(file, { force: true });
    }
  });

  it('deferred waits: timeDelta and dateTime end success by the scheduler alone, no worker claims them', async () => {
    const logicalDate = new Date();
    const runId = await stack.trigger('sem_sensor_deferred', { logicalDate });
    const deadline = Date.now() + 60_000;
    let seen: { state: string | null; next_retry_at: Date | null } | undefined;
    for (;;) {
      const { rows } = await stack.pool.query<{ state: string | null; next_retry_at: Date | null }>(
        "SELECT state, next_retry_at FROM task_instance WHERE dag_id = 'sem_sensor_deferred' AND run_id = $1 AND task_id = 'two_seconds'", [runId]);
      seen = rows[0];
      if (seen?.state === 'deferred' || seen?.state === 'success') break;
      if (Date.now() > deadline) throw new Error(`two_seconds never deferred: ${JSON.stringify(seen)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const result = await caseResult(stack, 'sem_sensor_deferred', runId);
    expect(result.runState).toBe('success');
    expect(result.states).toEqual({ two_seconds: 'success', long_ago: 'success', after: 'success', after_past: 'success' });
    const { rows } = await stack.pool.query<{ task_id: string; state: string; worker_id: string | null; ended_at: Date }>(
      "SELECT task_id, state, worker_id, ended_at FROM task_instance_try WHERE dag_id = 'sem_sensor_deferred' AND run_id = $1 AND task_id IN ('two_seconds', 'long_ago') ORDER BY task_id",
      [runId]);
    expect(rows.map((r) => [r.task_id, r.state, r.worker_id])).toEqual([['long_ago', 'success', null], ['two_seconds', 'success', null]]);
    // It ended no earlier than 2 s after the data interval end (the run's logical date).
    expect(rows[1]!.ended_at.getTime()).toBeGreaterThanOrEqual(logicalDate.getTime() + 2000);
  });
});
