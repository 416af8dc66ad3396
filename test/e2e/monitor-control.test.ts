/**
 * Remote control from the monitor against a real stack (scheduler, one `updraft worker` process,
 * `updraft monitor`): growing a worker's pool from 1 to 4 makes four tasks run at the same moment
 * (judged from the try rows); shrinking it back while they run kills none of them; a Viewer gets
 * 403; each action is in the event log with who did it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_USERS } from '../integration/api-support.js';
import { taskTries, waitFor, waitForRunEnd } from './db.js';
import { monitorCall, startMonitorStack, type MonitorStack } from './monitor-stack.js';

let ms: MonitorStack;

beforeAll(async () => {
  ms = await startMonitorStack({ dagFiles: ['test/fixtures/dags-e2e/monitor_four.ts'], workers: [{ name: 'ctl-1', queues: ['default'], concurrency: 1 }] });
}, 180_000);

afterAll(async () => {
  await ms?.stop();
});

interface Worker { state: string; concurrency: number; concurrency_pending: number | null; slots_used: number }
const worker = async (): Promise<Worker> => (await monitorCall(ms, '/api/worker/ctl-1')).json as Worker;

/** How many of the tries ran at the same moment at most. */
function maxOverlap(tries: Array<{ startedAt: Date | null; endedAt: Date | null }>): number {
  const edges = tries.flatMap((t) => [[t.startedAt!.getTime(), 1], [t.endedAt!.getTime(), -1]] as Array<[number, number]>).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let max = 0;
  for (const [, d] of edges) max = Math.max(max, (now += d));
  return max;
}

describe('monitor remote control: pool grow and shrink', () => {
  it('refuses a Viewer', async () => {
    const res = await monitorCall(ms, '/api/worker/pool/grow/ctl-1?n=3', { method: 'POST', as: 'Viewer' });
    expect(res.status).toBe(403);
    expect((await worker()).concurrency).toBe(1);
    const bad = await monitorCall(ms, '/api/worker/pool/grow/ctl-1?n=0', { method: 'POST', as: 'Op' });
    expect(bad.status).toBe(400);
    expect(bad.json.field).toBe('query.n');
  });

  it('grows from 1 to 4: four tasks run at the same moment', async () => {
    const res = await monitorCall(ms, '/api/worker/pool/grow/ctl-1?n=3', { method: 'POST', as: 'Op' });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ worker: 'ctl-1', concurrency_target: 4 });
    // The worker acknowledges in its next heartbeat: it reports the new concurrency.
    await waitFor('ctl-1 to run with 4 slots', async () => ((await worker()).concurrency === 4 ? true : undefined), { diagnostics: () => ms.stack.diagnostics() });
    expect((await worker()).concurrency_pending).toBeNull();
    const runId = await ms.stack.trigger('e2e_monitor_four');
    const run = await waitForRunEnd(ms.stack.pool, 'e2e_monitor_four', runId, { diagnostics: () => ms.stack.diagnostics() });
    expect(run.state).toBe('success');
    expect(maxOverlap(await taskTries(ms.stack.pool, 'e2e_monitor_four', runId))).toBe(4);
  });

  it('shrinks back to 1 while four tasks run: none is killed, and then one runs at a time', async () => {
    const runId = await ms.stack.trigger('e2e_monitor_four');
    await waitFor('four tasks running', async () => ((await worker()).slots_used === 4 ? true : undefined), { diagnostics: () => ms.stack.diagnostics() });
    const res = await monitorCall(ms, '/api/worker/pool/shrink/ctl-1?n=3', { method: 'POST', as: 'Admin' });
    expect(res.status, res.text).toBe(200);
    expect(res.json.concurrency_target).toBe(1);
    const run = await waitForRunEnd(ms.stack.pool, 'e2e_monitor_four', runId, { diagnostics: () => ms.stack.diagnostics() });
    expect(run.state).toBe('success');
    const tries = await taskTries(ms.stack.pool, 'e2e_monitor_four', runId);
    expect(tries.map((t) => [t.tryNumber, t.state])).toEqual([[1, 'success'], [1, 'success'], [1, 'success'], [1, 'success']]);
    await waitFor('ctl-1 to run with 1 slot', async () => ((await worker()).concurrency === 1 ? true : undefined));

    const next = await ms.stack.trigger('e2e_monitor_four');
    expect((await waitForRunEnd(ms.stack.pool, 'e2e_monitor_four', next, { diagnostics: () => ms.stack.diagnostics() })).state).toBe('success');
    expect(maxOverlap(await taskTries(ms.stack.pool, 'e2e_monitor_four', next))).toBe(1);

    const { rows } = await ms.stack.pool.query<{ event: string; owner: string }>(`SELECT event, owner FROM event_log WHERE event LIKE 'monitor.worker.pool.%' ORDER BY id`);
    expect(rows).toEqual([{ event: 'monitor.worker.pool.grow', owner: ROLE_USERS.Op }, { event: 'monitor.worker.pool.shrink', owner: ROLE_USERS.Admin }]);
  });

  it('the same from the CLI: updraft workers pool grow|shrink NAME -n N', async () => {
    const grown = await ms.stack.cli(['workers', 'pool', 'grow', 'ctl-1', '-n', '2']);
    expect(grown.code, grown.stderr).toBe(0);
    expect(grown.stdout).toContain('worker ctl-1 runs 3 task(s) at once now (woken over NATS)');
    await waitFor('ctl-1 to run with 3 slots', async () => ((await worker()).concurrency === 3 ? true : undefined));
    // Recorded as a control of the worker, which acknowledges it (woken over NATS by the CLI, as by the monitor).
    const control = await waitFor('the CLI\'s control to be acknowledged', async () => {
      const c = ((await monitorCall(ms, '/api/worker/ctl-1')).json as { controls: Array<{ action: string; requested_by: string; detail: string; acknowledged_at: string | null }> }).controls[0];
      return c?.acknowledged_at ? c : undefined;
    });
    expect(control).toMatchObject({ action: 'pool.grow', detail: '+2 -> 3 slots' });
    expect(control.requested_by).toMatch(/ \(cli\)$/);
    const unknown = await ms.stack.cli(['workers', 'pool', 'shrink', 'nobody-here']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no worker named 'nobody-here'");
    const bad = await ms.stack.cli(['workers', 'pool', 'grow', 'ctl-1', '-n', '0']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('-n must be a whole number from 1 to 1000');
  });
});

