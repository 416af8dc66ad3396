/**
 * The monitor's API and /metrics against a real stack: PostgreSQL, nats-server, an `updraft
 * scheduler`, two `updraft worker` processes and an `updraft monitor` process. Both workers are
 * listed online with their queues and slots; task events of a run are searchable; a task on a
 * queue no worker serves is explained in words; `kill -9` of a worker shows it offline with the
 * reason; a worker stopped with SIGSTOP for a while shows a heartbeat gap at least that long;
 * /metrics parses and carries the scenario's values; a restarted monitor shows the same history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForRunEnd, waitFor } from './db.js';
import { ROLE_USERS } from '../integration/api-support.js';
import { monitorCall, sample, scrape, startMonitorStack, type MonitorStack } from './monitor-stack.js';

let ms: MonitorStack;

beforeAll(async () => {
  ms = await startMonitorStack({
    dagFiles: ['test/fixtures/dags-e2e/monitor_mix.ts', 'test/fixtures/dags-e2e/monitor_orphan.ts', 'test/fixtures/dags-e2e/slow_task.ts'],
    workers: [
      { name: 'mon-a', queues: ['default'], concurrency: 2 },
      { name: 'mon-b', queues: ['default', 'side'], concurrency: 3 },
    ],
  });
}, 180_000);

afterAll(async () => {
  await ms?.stop();
});

interface Worker { name: string; state: string; state_reason: string | null; queues: string[]; concurrency: number; slots_free: number; slots_used: number; pid: number }
const workersOf = async (): Promise<Map<string, Worker>> => {
  const res = await monitorCall(ms, '/api/workers');
  expect(res.status, res.text).toBe(200);
  return new Map((res.json.workers as Worker[]).map((w) => [w.name, w]));
};

describe('updraft monitor', () => {
  it('answers /healthcheck without credentials and the API only to users', async () => {
    const health = await fetch(`${ms.monitorUrl}/healthcheck`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('OK');
    const anonymous = await monitorCall(ms, '/api/workers', { as: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect(anonymous.json.title).toBe('Unauthorized');
  });

  it('lists both workers online with their queues, concurrency and free slots', async () => {
    const workers = await waitFor('both workers with all slots free', async () => {
      const ws = await workersOf();
      return ws.get('mon-a')?.slots_free === 2 && ws.get('mon-b')?.slots_free === 3 ? ws : undefined;
    });
    expect(workers.get('mon-a')).toMatchObject({ state: 'online', queues: ['default'], concurrency: 2, slots_used: 0 });
    expect(workers.get('mon-b')).toMatchObject({ state: 'online', queues: ['default', 'side'], concurrency: 3, slots_used: 0 });
    expect(workers.get('mon-b')!.pid).toBe(ms.stack.workers[1]!.pid);
    const one = await monitorCall(ms, '/api/worker/mon-a');
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({ name: 'mon-a', state: 'online', recent: [] });
    const missing = await monitorCall(ms, '/api/worker/nobody-here');
    expect(missing.status).toBe(404);
    expect(missing.json.detail).toContain('nobody-here');
  });

  it('shows a run\'s task events, searchable by state, DAG glob and worker, and counts them in /metrics', async () => {
    const runId = await ms.stack.trigger('e2e_monitor_mix');
    const run = await waitForRunEnd(ms.stack.pool, 'e2e_monitor_mix', runId, { diagnostics: () => ms.stack.diagnostics() });
    expect(run.state).toBe('failed');
    // Outcome counts are kept as tries end: two succeeded and one failed, on whichever worker ran them.
    type Counts = { succeeded: number; failed: number; retried: number };
    const totals = await waitFor('the outcome counts of the run', async () => {
      const ws = (await monitorCall(ms, '/api/workers')).json.workers as Array<{ outcomes: Record<'hour' | 'day' | 'all', Counts> }>;
      const sum = (k: 'hour' | 'day' | 'all'): Counts => ws.reduce((n, w) => ({
        succeeded: n.succeeded + w.outcomes[k].succeeded, failed: n.failed + w.outcomes[k].failed, retried: n.retried + w.outcomes[k].retried,
      }), { succeeded: 0, failed: 0, retried: 0 });
      return sum('all').succeeded + sum('all').failed === 3 ? { hour: sum('hour'), day: sum('day'), all: sum('all') } : undefined;
    });
    expect(totals).toEqual({ hour: { succeeded: 2, failed: 1, retried: 0 }, day: { succeeded: 2, failed: 1, retried: 0 }, all: { succeeded: 2, failed: 1, retried: 0 } });

    const failed = await monitorCall(ms, `/api/tasks?q=${encodeURIComponent('state:failed dag:e2e_monitor_*')}`);
    expect(failed.status, failed.text).toBe(200);
    expect(failed.json.events.map((e: { task_id: string; event: string }) => [e.task_id, e.event])).toEqual([['boom', 'failed']]);
    expect(failed.json.events[0].url).toContain(`/dags/e2e_monitor_mix/runs/${encodeURIComponent(runId)}/tasks/boom?try=1`);

    const succeeded = await monitorCall(ms, `/api/tasks?q=${encodeURIComponent('state:succeeded dag:e2e_monitor_mix')}`);
    expect(succeeded.json.events.map((e: { task_id: string }) => e.task_id).sort()).toEqual(['ok1', 'ok2']);
    const worker = succeeded.json.events[0].worker as string;
    expect(['mon-a', 'mon-b']).toContain(worker);
    const byWorker = await monitorCall(ms, `/api/tasks?q=${encodeURIComponent(`worker:${worker} dag:e2e_monitor_mix`)}`);
    expect(byWorker.json.events.length).toBeGreaterThan(0);
    expect(byWorker.json.events.every((e: { worker: string }) => e.worker === worker)).toBe(true);

    const bad = await monitorCall(ms, `/api/tasks?q=${encodeURIComponent('colour:red')}`);
    expect(bad.status).toBe(400);
    expect(bad.json.detail).toContain('unknown search key "colour"');
    const badState = await monitorCall(ms, '/api/tasks?state=exploded');
    expect(badState.status).toBe(400);
    expect(badState.json.detail).toContain('unknown state "exploded"');

    // The feed counted what happened since the monitor started: 3 queued, 3 started, 2 succeeded, 1 failed.
    const families = await waitFor('the task feed to count the run', async () => {
      const f = await scrape(ms);
      return sample(f, 'updraft_task_events_total', { event: 'failed' }) === 1 && sample(f, 'updraft_task_events_total', { event: 'succeeded' }) === 2 ? f : undefined;
    });
    expect(sample(families, 'updraft_task_events_total', { event: 'queued' })).toBe(3);
    expect(sample(families, 'updraft_task_events_total', { event: 'started' })).toBe(3);
    expect(sample(families, 'updraft_task_run_seconds_count', { dag_id: 'e2e_monitor_mix', outcome: 'succeeded' })).toBe(2);
    expect(sample(families, 'updraft_task_run_seconds_count', { dag_id: 'e2e_monitor_mix', outcome: 'failed' })).toBe(1);
    expect(sample(families, 'updraft_task_run_seconds_bucket', { dag_id: 'e2e_monitor_mix', outcome: 'succeeded', le: '+Inf' })).toBe(2);
    expect(sample(families, 'updraft_task_queued_seconds_count', { dag_id: 'e2e_monitor_mix' })).toBe(3);
    expect(families.find((f) => f.name === 'updraft_task_run_seconds')?.type).toBe('histogram');
    expect(families.find((f) => f.name === 'updraft_task_events')?.type ?? families.find((f) => f.name === 'updraft_task_events_total')?.type).toBe('counter');
    expect(sample(families, 'updraft_worker_online', { worker: 'mon-a' })).toBe(1);
    // Slots follow the heartbeats: once both workers reported their tasks done, every slot is free again.
    const idle = await waitFor('both workers to report all slots free', async () => {
      const f = await scrape(ms);
      return sample(f, 'updraft_worker_slots', { worker: 'mon-b', state: 'free' }) === 3 && sample(f, 'updraft_worker_slots', { worker: 'mon-a', state: 'free' }) === 2 ? f : undefined;
    });
    expect(sample(idle, 'updraft_worker_slots', { worker: 'mon-b', state: 'used' })).toBe(0);
    expect(sample(families, 'updraft_worker_heartbeat_age_seconds', { worker: 'mon-a' })).toBeGreaterThanOrEqual(0);
  });

  it('explains a task waiting on a queue no worker serves, in words', async () => {
    const runId = await ms.stack.trigger('e2e_monitor_orphan');
    const report = await waitFor('the stranded task to be queued', async () => {
      const res = await monitorCall(ms, '/api/queues/length');
      expect(res.status, res.text).toBe(200);
      // The row turns queued before its message reaches the broker: wait for both.
      return res.json.queues.find((q: { name: string; queued: number; broker: { pending: number } | null }) => q.name === 'nobody' && q.queued === 1 && q.broker?.pending === 1) ? res.json : undefined;
    }, { diagnostics: () => ms.stack.diagnostics() });
    const nobody = report.queues.find((q: { name: string }) => q.name === 'nobody');
    expect(nobody.reason).toBe('no live worker serves queue nobody');
    expect(nobody.oldest_queued_ms).toBeGreaterThanOrEqual(0);
    expect(nobody.broker).toEqual({ pending: 1, ack_pending: 0, redelivered: 0 });
    const waiting = report.waiting.find((t: { run_id: string }) => t.run_id === runId);
    expect(waiting).toMatchObject({ dag_id: 'e2e_monitor_orphan', task_id: 'stranded', queue: 'nobody', reason: 'no live worker serves queue nobody' });
    const def = report.queues.find((q: { name: string }) => q.name === 'default');
    expect(def.workers.map((w: { name: string }) => w.name).sort()).toEqual(['mon-a', 'mon-b']);
    expect(def.reason).toBeNull();
    const families = await scrape(ms);
    expect(sample(families, 'updraft_queue_pending', { queue: 'nobody' })).toBe(1);
    expect(sample(families, 'updraft_queue_oldest_queued_seconds', { queue: 'nobody' })).toBeGreaterThanOrEqual(0);
  });

  it('shows a worker whose heartbeats stopped (SIGSTOP, then SIGCONT) with a heartbeat gap at least that long', async () => {
    const stalled = ms.stack.workers[1]!;
    const stoppedAt = Date.now();
    process.kill(stalled.pid, 'SIGSTOP');
    await new Promise((r) => setTimeout(r, 2000));
    process.kill(stalled.pid, 'SIGCONT');
    const stoppedMs = Date.now() - stoppedAt;
    type Point = { at: string; heartbeats: number; max_heartbeat_gap_ms: number | null };
    const largestGap = async (window: '1h' | '24h'): Promise<number> => {
      const res = await monitorCall(ms, `/api/worker/mon-b/series?window=${window}`);
      expect(res.status, res.text).toBe(200);
      return Math.max(0, ...(res.json.points as Point[]).map((p) => p.max_heartbeat_gap_ms ?? 0));
    };
    // The first heartbeat after SIGCONT closes the gap.
    const gap = await waitFor('the stalled worker\'s gap in its heartbeat history', async () => {
      const g = await largestGap('1h');
      return g >= stoppedMs ? g : undefined;
    }, { diagnostics: async () => `largest gap so far: ${await largestGap('1h')} ms\n${ms.stack.diagnostics()}` });
    expect(gap).toBeGreaterThanOrEqual(stoppedMs);
    expect(await largestGap('24h')).toBe(gap);
    // The other worker's heartbeats are counted too.
    const other = (await monitorCall(ms, '/api/worker/mon-a/series?window=1h')).json.points as Point[];
    expect(other.reduce((n, p) => n + p.heartbeats, 0)).toBeGreaterThan(0);
    const series = (await monitorCall(ms, '/api/worker/mon-b/series?window=1h')).json.points as Point[];
    // Buckets before the worker existed hold no heartbeat.
    expect(series[0]).toMatchObject({ heartbeats: 0, max_heartbeat_gap_ms: null });
    await waitFor('mon-b online again', async () => ((await workersOf()).get('mon-b')?.state === 'online' ? true : undefined));
  });

  it('shows a worker killed with kill -9 offline, with the reason', async () => {
    const victim = ms.stack.workers[1]!;
    victim.kill();
    await victim.exited;
    const workers = await waitFor('mon-b to be offline', async () => {
      const ws = await workersOf();
      return ws.get('mon-b')?.state === 'offline' ? ws : undefined;
    }, { diagnostics: () => ms.stack.diagnostics() });
    expect(workers.get('mon-b')!.state_reason).toMatch(/heartbeat/);
    expect(workers.get('mon-b')!.slots_free).toBe(0);
    expect(workers.get('mon-a')!.state).toBe('online');
    const queues = (await monitorCall(ms, '/api/queues/length')).json;
    expect(queues.queues.find((q: { name: string }) => q.name === 'side').reason).toBe('no live worker serves queue side (mon-b is offline)');
    const families = await scrape(ms);
    expect(sample(families, 'updraft_worker_online', { worker: 'mon-b' })).toBe(0);
    expect(sample(families, 'updraft_worker_online', { worker: 'mon-a' })).toBe(1);
  });

  it('shows the same history after a restart', async () => {
    const before = (await monitorCall(ms, '/api/tasks?q=dag:e2e_monitor_*&limit=50')).json.events;
    expect(before.length).toBeGreaterThanOrEqual(4);
    await ms.restartMonitor();
    const after = (await monitorCall(ms, '/api/tasks?q=dag:e2e_monitor_*&limit=50')).json.events;
    expect(after).toEqual(before);
    const workers = await workersOf();
    expect(workers.get('mon-b')).toMatchObject({ state: 'offline' });
    expect(workers.get('mon-b')!.state_reason).toMatch(/heartbeat/);
  });

  it('drains a worker for an Op (its running task finishes, it takes nothing new, it stays paused), resumes it, shuts it down; not for a Viewer; logs who did it', async () => {
    const runId = await ms.stack.trigger('e2e_slow_task');
    await waitFor('mon-a to run the slow task', async () => ((await workersOf()).get('mon-a') as unknown as { active: unknown[] }).active.length === 1 ? true : undefined,
      { diagnostics: () => ms.stack.diagnostics() });
    const anonymous = await monitorCall(ms, '/api/worker/drain/mon-a', { method: 'POST', as: null });
    expect(anonymous.status).toBe(401);
    for (const action of ['drain', 'resume', 'shutdown']) {
      const viewer = await monitorCall(ms, `/api/worker/${action}/mon-a`, { method: 'POST', as: 'Viewer' });
      expect(viewer.status, action).toBe(403);
      expect(viewer.json.detail).toContain('needs Op');
    }
    expect((await workersOf()).get('mon-a')!.state).toBe('online');

    const op = await monitorCall(ms, '/api/worker/drain/mon-a', { method: 'POST', as: 'Op' });
    expect(op.status, op.text).toBe(200);
    expect(op.json).toMatchObject({ worker: 'mon-a', state: 'draining' });
    const again = await monitorCall(ms, '/api/worker/drain/mon-a', { method: 'POST', as: 'Admin' });
    expect(again.status).toBe(409);
    const missing = await monitorCall(ms, '/api/worker/drain/no-such-worker', { method: 'POST', as: 'Admin' });
    expect(missing.status).toBe(404);

    // Its running task finishes (not killed); then it is paused: alive, taking nothing.
    const run = await waitForRunEnd(ms.stack.pool, 'e2e_slow_task', runId, { diagnostics: () => ms.stack.diagnostics() });
    expect(run.state).toBe('success');
    const paused = await waitFor('mon-a to be paused', async () => {
      const w = (await workersOf()).get('mon-a');
      return w?.state === 'paused' && !w.state_reason?.includes('not acknowledged') ? w : undefined;
    }, { diagnostics: () => ms.stack.diagnostics() });
    expect(paused.state_reason).toBe(`drained by ${ROLE_USERS.Op} (monitor): takes no new task until resumed`);
    const mixRun = await ms.stack.trigger('e2e_monitor_mix');
    const waiting = await waitFor('a task of e2e_monitor_mix to wait', async () => {
      const r = (await monitorCall(ms, '/api/queues/length')).json;
      return r.waiting.find((t: { run_id: string; state: string }) => t.run_id === mixRun && t.state === 'queued');
    });
    expect(waiting.reason).toMatch(/^no live worker serves queue default \(.*mon-a is paused/);
    expect((await monitorCall(ms, '/api/worker/resume/mon-a', { method: 'POST', as: 'Viewer' })).status).toBe(403);

    const resumed = await monitorCall(ms, '/api/worker/resume/mon-a', { method: 'POST', as: 'Op' });
    expect(resumed.status, resumed.text).toBe(200);
    await waitForRunEnd(ms.stack.pool, 'e2e_monitor_mix', mixRun, { diagnostics: () => ms.stack.diagnostics() });
    // Busy until its next heartbeat reports the slots it freed: then online again.
    await waitFor('mon-a to be online again', async () => ((await workersOf()).get('mon-a')?.state === 'online' ? true : undefined),
      { diagnostics: () => ms.stack.diagnostics() });
    expect((await monitorCall(ms, '/api/worker/resume/mon-a', { method: 'POST', as: 'Op' })).status).toBe(409);

    // Graceful shutdown: it leaves the fleet and acknowledges by deregistering.
    const shutdown = await monitorCall(ms, '/api/worker/shutdown/mon-a', { method: 'POST', as: 'Admin' });
    expect(shutdown.status, shutdown.text).toBe(200);
    const gone = await waitFor('mon-a to leave the fleet', async () => {
      const w = (await workersOf()).get('mon-a');
      return w?.state === 'deregistered' ? w : undefined;
    }, { diagnostics: () => ms.stack.diagnostics() });
    expect(gone.state_reason).toBe('left the fleet (deregistered)');
    const { rows } = await ms.stack.pool.query<{ event: string; owner: string; extra: { worker: string } }>(
      `SELECT event, owner, extra FROM event_log WHERE event IN ('monitor.worker.drain', 'monitor.worker.resume', 'monitor.worker.shutdown') ORDER BY id`);
    expect(rows).toEqual([
      { event: 'monitor.worker.drain', owner: ROLE_USERS.Op, extra: { worker: 'mon-a' } },
      { event: 'monitor.worker.resume', owner: ROLE_USERS.Op, extra: { worker: 'mon-a' } },
      { event: 'monitor.worker.shutdown', owner: ROLE_USERS.Admin, extra: { worker: 'mon-a' } },
    ]);

    // Nothing serves queue default any more: a new task waits, and the monitor says why.
    await ms.stack.trigger('e2e_monitor_mix');
    const stranded = await waitFor('a task of e2e_monitor_mix to wait', async () => {
      const r = (await monitorCall(ms, '/api/queues/length')).json;
      return r.waiting.find((t: { dag_id: string; state: string }) => t.dag_id === 'e2e_monitor_mix' && t.state === 'queued');
    });
    expect(stranded.reason).toMatch(/^no live worker serves queue default/);
  });
});

