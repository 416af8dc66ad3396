/**
 * Remote controls are acknowledged (real stack: scheduler, one `updraft worker` with the default
 * 2 s heartbeat, `updraft monitor`): each control the monitor records gets an acknowledgement time
 * once the worker has applied it, and by then its effect is visible (paused, resumed, the new pool
 * size, the new queues, the attempt killed). Prints how long each acknowledgement took (the
 * monitor wakes the worker over NATS instead of waiting for its next heartbeat); asserts only the
 * order of events, never a duration.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_USERS } from '../integration/api-support.js';
import { waitFor } from './db.js';
import { monitorCall, startMonitorStack, type MonitorStack } from './monitor-stack.js';

let ms: MonitorStack;

beforeAll(async () => {
  ms = await startMonitorStack({
    dagFiles: ['test/fixtures/dags-e2e/monitor_long.ts'],
    workers: [{ name: 'ack-1', queues: ['default'], concurrency: 2 }],
    env: { UPDRAFT__WORKER__HEARTBEAT_INTERVAL: '2s', UPDRAFT__SCHEDULER__WORKER_HEARTBEAT_TIMEOUT: '8s' },
  });
}, 180_000);

afterAll(async () => {
  await ms?.stop();
});

interface Control { id: number; action: string; detail: string | null; requested_by: string; requested_at: string; acknowledged_at: string | null }
interface Worker { state: string; state_reason: string | null; concurrency: number; queues: string[]; active: Array<{ dag_id: string; run_id: string; task_id: string; try_number: number }>; controls: Control[] }
const worker = async (): Promise<Worker> => (await monitorCall(ms, '/api/worker/ack-1')).json as Worker;
const diagnostics = { diagnostics: () => ms.stack.diagnostics() };

/** POSTs the control as Op, waits for its acknowledgement, prints the delay; returns the worker then. */
async function controlAcknowledged(path: string, action: string): Promise<{ control: Control; worker: Worker }> {
  const res = await monitorCall(ms, path, { method: 'POST', as: 'Op' });
  expect(res.status, res.text).toBe(200);
  const asked = res.json.control as Control;
  expect(asked).toMatchObject({ action, requested_by: ROLE_USERS.Op });
  const seen = await waitFor(`${action} to be acknowledged`, async () => {
    const w = await worker();
    const c = w.controls.find((x) => x.id === asked.id);
    return c?.acknowledged_at ? { control: c, worker: w } : undefined;
  }, diagnostics);
  const delay = Date.parse(seen.control.acknowledged_at!) - Date.parse(seen.control.requested_at);
  process.stdout.write(`control ${action}: acknowledged ${delay} ms after it was requested\n`);
  expect(delay).toBeGreaterThanOrEqual(0);
  return seen;
}

describe('remote controls are acknowledged by the worker', () => {
  it('drain: acknowledged once the worker holds back; resume likewise', async () => {
    await waitFor('ack-1 online', async () => ((await worker()).state === 'online' ? true : undefined), diagnostics);
    const drained = await controlAcknowledged('/api/worker/drain/ack-1', 'drain');
    // The acknowledging heartbeat also reported the pause: no "(not acknowledged yet)".
    expect(drained.worker.state).toBe('paused');
    expect(drained.worker.state_reason).not.toContain('not acknowledged');
    const resumed = await controlAcknowledged('/api/worker/resume/ack-1', 'resume');
    expect(resumed.worker.state).toBe('online');
    expect(resumed.worker.controls.map((c) => c.action).slice(0, 2)).toEqual(['resume', 'drain']);
  });

  it('pool grow and queue add: the acknowledging heartbeat reports the new setting', async () => {
    const grown = await controlAcknowledged('/api/worker/pool/grow/ack-1?n=2', 'pool.grow');
    expect(grown.worker.concurrency).toBe(4);
    expect(grown.control.detail).toBe('+2 -> 4 slots');
    const added = await controlAcknowledged('/api/worker/queue/add-consumer/ack-1?queue=extra', 'queue.add');
    expect(added.worker.queues).toEqual(['default', 'extra']);
  });

  it('terminate: acknowledged once the worker killed the attempt; counted as retried, then failed', async () => {
    const runId = await ms.stack.trigger('e2e_monitor_long');
    const path = (state: string) => `/api/task/terminate/e2e_monitor_long/${encodeURIComponent(runId)}/crunch?state=${state}`;
    const running = (tryNumber: number) => waitFor(`try ${tryNumber} of the long task to run`, async () => {
      const w = await worker();
      return w.active.some((a) => a.run_id === runId && a.try_number === tryNumber) ? true : undefined;
    }, diagnostics);
    await running(1);
    const retried = await controlAcknowledged(path('up_for_retry'), 'terminate');
    expect(retried.control.detail).toContain('try 1 -> up_for_retry');
    await running(2);
    const done = await controlAcknowledged(path('failed'), 'terminate');
    expect(done.control.detail).toContain('try 2 -> failed');
    await waitFor('the attempt to leave the worker', async () => ((await worker()).active.length === 0 ? true : undefined), diagnostics);
    const { rows } = await ms.stack.pool.query<{ state: string }>(`SELECT state FROM task_instance WHERE dag_id = 'e2e_monitor_long' AND run_id = $1`, [runId]);
    expect(rows[0]!.state).toBe('failed');
    // Both tries ended failed on this worker; the first one's task went on to a retry.
    const outcomes = await waitFor('the outcome counts', async () => {
      const o = ((await monitorCall(ms, '/api/worker/ack-1')).json as { outcomes: { all: { failed: number } } }).outcomes;
      return o.all.failed === 2 ? o : undefined;
    }, diagnostics);
    expect(outcomes).toMatchObject({ all: { succeeded: 0, failed: 2, retried: 1 }, hour: { succeeded: 0, failed: 2, retried: 1 } });
  });
});
