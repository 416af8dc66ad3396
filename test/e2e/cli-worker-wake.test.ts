/**
 * The CLI's remote controls wake the worker over NATS, as the monitor's do: with a worker that
 * heartbeats only every 60 s, `updraft workers pause|resume|pool|queue|terminate` are applied and
 * acknowledged long before its next heartbeat could have come. Each beat restarts the worker's
 * 60 s timer, so without the wake-up no acknowledgement could be recorded earlier than 60 s after
 * the heartbeat seen just before the command; the test waits 30 s at most for each.
 */
import { fleetSql, workerControlsSql } from '@updraft/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskInstances, waitFor } from './db.js';
import { startStack, type Stack } from './stack.js';

const HEARTBEAT_MS = 60_000;
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    dagFiles: ['test/fixtures/dags-e2e/monitor_long.ts'],
    workers: [{ name: 'wake-1', queues: ['default'], concurrency: 2, env: { UPDRAFT__WORKER__HEARTBEAT_INTERVAL: '60s' } }],
    // The worker stays online between its rare heartbeats.
    env: { UPDRAFT__SCHEDULER__WORKER_HEARTBEAT_TIMEOUT: '10m' },
  });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

const diagnostics = { diagnostics: () => stack.diagnostics() };
const wakeWorker = async (): Promise<fleetSql.FleetWorker | undefined> =>
  (await fleetSql.fleetWorkers(stack.pool)).find((w) => w.workerName === 'wake-1' && w.state !== 'offline');

/** Runs the command and returns the control it recorded once acknowledged, with the heartbeat seen before it. */
async function controlAcknowledged(args: string[], action: workerControlsSql.WorkerControlAction): Promise<{ stdout: string; beforeMs: number; ackMs: number }> {
  const before = await waitFor('wake-1 to have heartbeated', async () => (await wakeWorker())?.lastHeartbeat ?? undefined, diagnostics);
  const res = await stack.cli(args);
  expect(res.code, res.stderr).toBe(0);
  const control = await waitFor(`the ${action} control to be acknowledged`, async () => {
    const [c] = (await workerControlsSql.recentControls(stack.pool, ['wake-1'], 1)).get('wake-1') ?? [];
    return c?.action === action && c.acknowledgedAt !== null ? c : undefined;
  }, { ...diagnostics, timeoutMs: HEARTBEAT_MS / 2 });
  return { stdout: res.stdout, beforeMs: before.getTime(), ackMs: control.acknowledgedAt!.getTime() };
}

describe('CLI remote control wakes the worker', () => {
  it('pause and resume are applied before the next heartbeat', async () => {
    const paused = await controlAcknowledged(['workers', 'pause', 'wake-1'], 'drain');
    expect(paused.stdout).toContain('woken over NATS');
    expect(paused.ackMs).toBeLessThan(paused.beforeMs + HEARTBEAT_MS);
    expect((await wakeWorker())?.pausedReported).toBe(true);

    const resumed = await controlAcknowledged(['workers', 'resume', 'wake-1'], 'resume');
    expect(resumed.ackMs).toBeLessThan(resumed.beforeMs + HEARTBEAT_MS);
    expect((await wakeWorker())?.pausedReported).toBe(false);
  });

  it('a queue consumer and the pool size change before the next heartbeat', async () => {
    const added = await controlAcknowledged(['workers', 'queue', 'add', 'wake-1', 'extra'], 'queue.add');
    expect(added.ackMs).toBeLessThan(added.beforeMs + HEARTBEAT_MS);
    expect((await wakeWorker())?.queues).toEqual(expect.arrayContaining(['default', 'extra']));

    const grown = await controlAcknowledged(['workers', 'pool', 'grow', 'wake-1', '-n', '2'], 'pool.grow');
    expect(grown.ackMs).toBeLessThan(grown.beforeMs + HEARTBEAT_MS);
    expect((await wakeWorker())?.concurrency).toBe(4);
  });

  it('terminate kills the attempt before the next heartbeat', async () => {
    const trig = await stack.cli(['dags', 'trigger', 'e2e_monitor_long', '--run-id', 'wake_run']);
    expect(trig.code, trig.stderr).toBe(0);
    await waitFor('the long task to run', async () => {
      const ti = (await taskInstances(stack.pool, 'e2e_monitor_long', 'wake_run')).get('crunch');
      return ti?.state === 'running' ? ti : undefined;
    }, diagnostics);
    const ended = await controlAcknowledged(['workers', 'terminate', 'e2e_monitor_long', 'wake_run', 'crunch', '--state', 'failed'], 'terminate');
    expect(ended.stdout).toContain('woken over NATS');
    expect(ended.ackMs).toBeLessThan(ended.beforeMs + HEARTBEAT_MS);
  });
});
