/**
 * Remote control from the monitor against a real stack (scheduler, one `updraft worker` process
 * pulling from `default` and `etl`, `updraft monitor`): cancelling the worker's consumer of `etl`
 * makes tasks of `etl` wait, and the queue API says why in words, until the consumer is added
 * back; terminating a 300 s task ends its whole process tree and leaves the task up for retry or
 * failed as asked. A Viewer gets 403 for each; each action is in the event log with who did it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_USERS } from '../integration/api-support.js';
import { taskInstances, taskTries, waitFor, waitForRunEnd } from './db.js';
import { monitorCall, sample, scrape, startMonitorStack, type MonitorStack } from './monitor-stack.js';

let ms: MonitorStack;

beforeAll(async () => {
  ms = await startMonitorStack({
    dagFiles: ['test/fixtures/dags-e2e/monitor_etl.ts', 'test/fixtures/dags-e2e/monitor_long.ts'],
    workers: [{ name: 'mq-1', queues: ['default', 'etl'], concurrency: 3 }],
  });
}, 180_000);

afterAll(async () => {
  await ms?.stop();
});

interface Worker { state: string; queues: string[]; queues_pending: string[] | null; cpu_percent: number | null; rss_bytes: number | null; active: unknown[] }
const worker = async (): Promise<Worker> => (await monitorCall(ms, '/api/worker/mq-1')).json as Worker;
const diagnostics = { diagnostics: () => ms.stack.diagnostics() };

/** Pids of the task's `sleep 300.417` processes (read from /proc). */
function treePids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8') === ['sleep', '300.417', ''].join('\u0000')) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids.sort();
}
const alive = (pids: number[]): number[] => pids.filter((p) => {
  try {
    // A zombie (exited, not reaped) counts as gone.
    return !/\) Z /.test(readFileSync(`/proc/${p}/stat`, 'utf8'));
  } catch {
    return false;
  }
});

describe('monitor remote control: queue consumers', () => {
  it('reports the worker process\'s CPU and memory', async () => {
    const w = await waitFor('mq-1 to report its usage', async () => {
      const x = await worker();
      return x.rss_bytes !== null && x.cpu_percent !== null ? x : undefined;
    }, diagnostics);
    expect(w.rss_bytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(w.cpu_percent).toBeGreaterThanOrEqual(0);
  });

  it('/metrics carries the worker\'s CPU and memory and the scheduler\'s loop timings', async () => {
    const families = await waitFor('the scheduler loop timings on /metrics', async () => {
      const f = await scrape(ms);
      return (sample(f, 'updraft_scheduler_loop_seconds_count', { step: 'tick' }) ?? 0) > 0 ? f : undefined;
    }, diagnostics);
    expect(sample(families, 'updraft_worker_rss_bytes', { worker: 'mq-1' })).toBeGreaterThan(10 * 1024 * 1024);
    expect(sample(families, 'updraft_worker_cpu_percent', { worker: 'mq-1' })).toBeGreaterThanOrEqual(0);
    const loop = families.find((f) => f.name === 'updraft_scheduler_loop_seconds')!;
    expect(loop.type).toBe('histogram');
    const count = sample(families, 'updraft_scheduler_loop_seconds_count', { step: 'tick' })!;
    expect(sample(families, 'updraft_scheduler_loop_seconds_bucket', { step: 'tick', le: '+Inf' })).toBe(count);
    const buckets = loop.samples.filter((x) => x.name === 'updraft_scheduler_loop_seconds_bucket' && x.labels.step === 'tick').map((x) => x.value);
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
    expect(sample(families, 'updraft_scheduler_loop_seconds_sum', { step: 'tick' })).toBeGreaterThan(0);
    // Each step of the loop has its own series.
    expect(sample(families, 'updraft_scheduler_loop_seconds_count', { step: 'create due runs' })).toBe(count);
    expect(sample(families, 'updraft_scheduler_loop_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(families, 'updraft_scheduler_leader')).toBe(1);
  });

  it('refuses a Viewer and bad input', async () => {
    const viewer = await monitorCall(ms, '/api/worker/queue/cancel-consumer/mq-1?queue=etl', { method: 'POST', as: 'Viewer' });
    expect(viewer.status).toBe(403);
    expect((await worker()).queues).toEqual(['default', 'etl']);
    const bad = await monitorCall(ms, '/api/worker/queue/cancel-consumer/mq-1?queue=no%20spaces', { method: 'POST', as: 'Op' });
    expect(bad.status).toBe(400);
    expect(bad.json.field).toBe('query.queue');
    const notServed = await monitorCall(ms, '/api/worker/queue/cancel-consumer/mq-1?queue=nope', { method: 'POST', as: 'Op' });
    expect(notServed.status).toBe(409);
    expect(notServed.json.detail).toBe('worker mq-1 does not pull from queue nope');
    const missing = await monitorCall(ms, '/api/worker/queue/add-consumer/nobody-here?queue=etl', { method: 'POST', as: 'Op' });
    expect(missing.status).toBe(404);
  });

  it('stops serving etl: its tasks wait and the queue API says why, until the consumer is added back', async () => {
    const cancel = await monitorCall(ms, '/api/worker/queue/cancel-consumer/mq-1?queue=etl', { method: 'POST', as: 'Op' });
    expect(cancel.status, cancel.text).toBe(200);
    expect(cancel.json).toMatchObject({ worker: 'mq-1', queues_target: ['default'] });
    // The worker acknowledges in its next heartbeat: it reports the queues it pulls from.
    await waitFor('mq-1 to pull from default only', async () => {
      const w = await worker();
      return w.queues.join() === 'default' && w.queues_pending === null ? true : undefined;
    }, diagnostics);
    const last = await monitorCall(ms, '/api/worker/queue/cancel-consumer/mq-1?queue=default', { method: 'POST', as: 'Op' });
    expect(last.status).toBe(409);
    expect(last.json.detail).toContain('a worker keeps at least one queue');

    const runId = await ms.stack.trigger('e2e_monitor_etl');
    const report = await waitFor('the etl task to wait', async () => {
      const r = (await monitorCall(ms, '/api/queues/length')).json;
      const queued = r.waiting.some((t: { run_id: string; state: string }) => t.run_id === runId && t.state === 'queued');
      return queued && r.queues.some((q: { name: string; queued: number }) => q.name === 'etl' && q.queued === 1) ? r : undefined;
    }, diagnostics);
    expect(report.waiting.find((t: { run_id: string }) => t.run_id === runId)).toMatchObject({ task_id: 'extract', queue: 'etl', reason: 'no live worker serves queue etl' });
    expect(report.queues.find((q: { name: string }) => q.name === 'etl')).toMatchObject({ queued: 1, reason: 'no live worker serves queue etl', workers: [] });
    // It stays queued: nothing claimed it.
    expect((await taskInstances(ms.stack.pool, 'e2e_monitor_etl', runId)).get('extract')!.state).toBe('queued');

    const add = await monitorCall(ms, '/api/worker/queue/add-consumer/mq-1?queue=etl', { method: 'POST', as: 'Admin' });
    expect(add.status, add.text).toBe(200);
    expect(add.json.queues_target).toEqual(['default', 'etl']);
    const run = await waitForRunEnd(ms.stack.pool, 'e2e_monitor_etl', runId, diagnostics);
    expect(run.state).toBe('success');
    // Acknowledged at the heartbeat after the change (the task may run before that).
    await waitFor('mq-1 to report default and etl', async () => {
      const w = await worker();
      return w.queues.join() === 'default,etl' && w.queues_pending === null ? true : undefined;
    }, diagnostics);

    const { rows } = await ms.stack.pool.query<{ event: string; owner: string; extra: { queue: string } }>(
      `SELECT event, owner, extra FROM event_log WHERE event LIKE 'monitor.worker.queue.%' ORDER BY id`);
    expect(rows.map((r) => [r.event, r.owner, r.extra.queue])).toEqual([
      ['monitor.worker.queue.cancel', ROLE_USERS.Op, 'etl'], ['monitor.worker.queue.add', ROLE_USERS.Admin, 'etl']]);
  });
});

describe('monitor remote control: terminate a running attempt', () => {
  it('ends the 300 s task\'s whole process tree; up for retry, then failed, as asked', async () => {
    const runId = await ms.stack.trigger('e2e_monitor_long');
    const path = `/api/task/terminate/e2e_monitor_long/${encodeURIComponent(runId)}/crunch`;
    const first = await waitFor('the task\'s process tree', async () => (treePids().length === 2 ? treePids() : undefined), diagnostics);
    const startDate = async (): Promise<Date> => (await ms.stack.pool.query<{ start_date: Date }>(
      'SELECT start_date FROM dag_run WHERE dag_id = $1 AND run_id = $2', ['e2e_monitor_long', runId])).rows[0]!.start_date;
    const started = await startDate();

    const viewer = await monitorCall(ms, `${path}?state=failed`, { method: 'POST', as: 'Viewer' });
    expect(viewer.status).toBe(403);
    const badState = await monitorCall(ms, `${path}?state=success`, { method: 'POST', as: 'Op' });
    expect(badState.status).toBe(400);
    expect(alive(first)).toEqual(first);

    const retry = await monitorCall(ms, `${path}?state=up_for_retry`, { method: 'POST', as: 'Op' });
    expect(retry.status, retry.text).toBe(200);
    expect(retry.json).toMatchObject({ try_number: 1, state: 'up_for_retry', worker: 'mq-1' });
    await waitFor('try 1\'s process tree to be gone', async () => (alive(first).length === 0 ? true : undefined), diagnostics);
    // Up for retry although the task has no retries: the retry runs at once, a new tree.
    const second = await waitFor('try 2 to run', async () => {
      const ti = (await taskInstances(ms.stack.pool, 'e2e_monitor_long', runId)).get('crunch')!;
      const pids = treePids();
      return ti.state === 'running' && ti.tryNumber === 2 && pids.length === 2 ? pids : undefined;
    }, diagnostics);
    // The run was not queued again (it kept running, as after a mark): its start date stands.
    expect(await startDate()).toEqual(started);

    const fail = await monitorCall(ms, `${path}?state=failed`, { method: 'POST', as: 'Admin' });
    expect(fail.status, fail.text).toBe(200);
    expect(fail.json).toMatchObject({ try_number: 2, state: 'failed' });
    await waitFor('try 2\'s process tree to be gone', async () => (alive(second).length === 0 ? true : undefined), diagnostics);
    const run = await waitForRunEnd(ms.stack.pool, 'e2e_monitor_long', runId, diagnostics);
    expect(run.state).toBe('failed');
    expect((await taskInstances(ms.stack.pool, 'e2e_monitor_long', runId)).get('crunch')!.state).toBe('failed');
    const tries = await taskTries(ms.stack.pool, 'e2e_monitor_long', runId);
    expect(tries.map((t) => [t.tryNumber, t.state])).toEqual([[1, 'failed'], [2, 'failed']]);
    const { rows: errors } = await ms.stack.pool.query<{ error: string }>(
      'SELECT error FROM task_instance_try WHERE dag_id = $1 AND run_id = $2 ORDER BY try_number', ['e2e_monitor_long', runId]);
    expect(errors.map((e) => e.error)).toEqual([`terminated by ${ROLE_USERS.Op} from the monitor`, `terminated by ${ROLE_USERS.Admin} from the monitor`]);

    const again = await monitorCall(ms, `${path}?state=failed`, { method: 'POST', as: 'Op' });
    expect(again.status).toBe(409);
    expect(again.json.detail).toContain('is failed; only a running task can be terminated');
    const missing = await monitorCall(ms, `/api/task/terminate/e2e_monitor_long/${encodeURIComponent(runId)}/nope`, { method: 'POST', as: 'Op' });
    expect(missing.status).toBe(404);
    const { rows } = await ms.stack.pool.query<{ owner: string; try_number: number; extra: { state: string } }>(
      `SELECT owner, try_number, extra FROM event_log WHERE event = 'monitor.task.terminate' ORDER BY id`);
    expect(rows.map((r) => [r.owner, r.try_number, r.extra.state])).toEqual([[ROLE_USERS.Op, 1, 'up_for_retry'], [ROLE_USERS.Admin, 2, 'failed']]);
  });
});

describe('the same from the CLI', () => {
  it('updraft workers queue add|cancel, pause|resume and terminate', async () => {
    const cancel = await ms.stack.cli(['workers', 'queue', 'cancel', 'mq-1', 'etl']);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout).toContain('worker mq-1 pulls from default now (woken over NATS)');
    await waitFor('mq-1 to pull from default only', async () => ((await worker()).queues.join() === 'default' ? true : undefined), diagnostics);
    const add = await ms.stack.cli(['workers', 'queue', 'add', 'mq-1', 'etl']);
    expect(add.code, add.stderr).toBe(0);
    await waitFor('mq-1 to pull from default and etl', async () => ((await worker()).queues.join() === 'default,etl' ? true : undefined), diagnostics);
    const unknown = await ms.stack.cli(['workers', 'queue', 'add', 'nobody-here', 'etl']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no worker named 'nobody-here'");

    const pause = await ms.stack.cli(['workers', 'pause', 'mq-1']);
    expect(pause.code, pause.stderr).toBe(0);
    await waitFor('mq-1 to be paused', async () => {
      const w = (await monitorCall(ms, '/api/worker/mq-1')).json as { state: string; state_reason: string };
      return w.state === 'paused' && !w.state_reason.includes('not acknowledged') ? true : undefined;
    }, diagnostics);
    const twice = await ms.stack.cli(['workers', 'pause', 'mq-1']);
    expect(twice.code).toBe(1);
    const resume = await ms.stack.cli(['workers', 'resume', 'mq-1']);
    expect(resume.code, resume.stderr).toBe(0);
    await waitFor('mq-1 to be online', async () => ((await worker()).state === 'online' ? true : undefined), diagnostics);

    const notRunning = await ms.stack.cli(['workers', 'terminate', 'e2e_monitor_long', 'no-such-run', 'crunch']);
    expect(notRunning.code).toBe(1);
    expect(notRunning.stderr).toContain('no task instance');
    const { rows } = await ms.stack.pool.query<{ event: string }>(`SELECT event FROM event_log WHERE event LIKE 'cli.worker.%' ORDER BY id`);
    expect(rows.map((r) => r.event)).toEqual(['cli.worker.queue.cancel', 'cli.worker.queue.add', 'cli.worker.pause', 'cli.worker.resume']);
  });
});
