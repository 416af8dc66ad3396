/** The monitor's pure parts: a worker's state from its row, why tasks wait, the task search syntax. */
import { describe, expect, it } from 'vitest';
import type { fleetSql } from '@updraft/core';
import { explainWaiting, parseTaskSearch, queueWaitReason } from '@updraft/monitor';
import { deriveWorkerState } from '../../packages/monitor/src/model/worker-state.js';
import { globToLike } from '../../packages/monitor/src/model/task-events.js';
import { MonitorMetrics, withoutNaNSamples } from '../../packages/monitor/src/metrics.js';
import { parsePrometheusText } from '../e2e/prom-text.js';

const row = (o: Partial<fleetSql.FleetWorker>): fleetSql.FleetWorker => ({
  workerId: 'id', workerName: 'w1', hostname: 'h', state: 'online', stateReason: null, stateSince: new Date(0), queues: ['default'],
  concurrency: 4, desiredConcurrency: null, desiredQueues: null, cpuPercent: null, rssBytes: null, pausedSince: null, pausedReason: null, pausedReported: false, running: 0, freeSlots: 4, processed: 0, load: null, version: null, umask: null, uid: null, gid: null, pid: 1,
  registeredAt: new Date(0), lastHeartbeat: new Date(1000), heartbeatAgeMs: 500, ...o,
});

describe('deriveWorkerState', () => {
  it('tells online, busy, draining, paused, offline (with the reason) and deregistered apart', () => {
    expect(deriveWorkerState(row({}), 8000).state).toBe('online');
    expect(deriveWorkerState(row({ freeSlots: 0, running: 4 }), 8000)).toMatchObject({ state: 'busy', reason: 'all 4 slots used' });
    expect(deriveWorkerState(row({ state: 'draining', stateReason: 'shutdown requested by ann (monitor)' }), 8000))
      .toMatchObject({ state: 'draining', reason: 'shutdown requested by ann (monitor): finishes its running tasks, then leaves' });
    const paused = { pausedSince: new Date(5000), pausedReason: 'drained by ann (monitor)' };
    expect(deriveWorkerState(row({ ...paused, running: 2, freeSlots: 0, pausedReported: true }), 8000))
      .toMatchObject({ state: 'draining', reason: 'drained by ann (monitor): finishing 2 running task(s), taking no new one', since: new Date(5000) });
    expect(deriveWorkerState(row({ ...paused, running: 0, freeSlots: 0, pausedReported: true }), 8000))
      .toMatchObject({ state: 'paused', reason: 'drained by ann (monitor): takes no new task until resumed' });
    expect(deriveWorkerState(row({ ...paused, running: 0 }), 8000).reason).toBe('drained by ann (monitor): takes no new task until resumed (not acknowledged yet)');
    expect(deriveWorkerState(row({ ...paused, heartbeatAgeMs: 9500 }), 8000).state).toBe('offline');
    expect(deriveWorkerState(row({ heartbeatAgeMs: 9500 }), 8000)).toMatchObject({ state: 'offline', reason: 'no heartbeat for 9.5 s (timeout 8.0 s)', since: new Date(1000) });
    expect(deriveWorkerState(row({ state: 'offline', stateReason: 'missed heartbeats for 8.2 s' }), 8000)).toMatchObject({ state: 'offline', reason: 'missed heartbeats for 8.2 s' });
    expect(deriveWorkerState(row({ state: 'offline', stateReason: 'deregistered' }), 8000).state).toBe('deregistered');
  });
});

describe('why tasks wait', () => {
  const w = (name: string, state: 'online' | 'busy' | 'offline' | 'draining', queues: string[], freeSlots: number, concurrency = 2) => ({ name, state, queues, freeSlots, concurrency });
  it('names the queue without a live worker, the busy slots, or nothing when a slot is free', () => {
    expect(queueWaitReason('etl', [w('a', 'online', ['default'], 2)])).toBe('no live worker serves queue etl');
    expect(queueWaitReason('etl', [w('a', 'offline', ['etl'], 0), w('b', 'draining', ['etl'], 1)])).toBe('no live worker serves queue etl (a is offline, b is draining)');
    expect(queueWaitReason('etl', [w('a', 'busy', ['etl'], 0), w('b', 'busy', ['etl'], 0, 3)])).toBe('all 5 slots of the workers serving queue etl are busy (a, b)');
    expect(queueWaitReason('etl', [w('a', 'online', ['etl'], 1)])).toBeNull();
  });

  it('adds the scheduler\'s pending reason and the requeues of a task', () => {
    const t = { dagId: 'd', runId: 'r', taskId: 't', mapIndex: -1, state: 'queued' as const, queue: 'etl', pool: 'default_pool', waitingMs: 1, requeueCount: 2, lastRequeueReason: 'no claim within 60s', pendingReason: null };
    expect(explainWaiting(t, [])).toBe('no live worker serves queue etl; requeued 2 times (last: no claim within 60s)');
    expect(explainWaiting({ ...t, state: 'scheduled', requeueCount: 0, pendingReason: 'pool p is full (2 of 2 slots used)' }, [])).toBe('pool p is full (2 of 2 slots used)');
  });
});

describe('task search', () => {
  it('parses Flower-like searches', () => {
    expect(parseTaskSearch('state:failed worker:w1 dag:etl_*')).toEqual({ events: ['failed'], worker: 'w1', dag: 'etl_*' });
    expect(parseTaskSearch('state:success,retry load')).toEqual({ events: ['succeeded', 'up_for_retry'], text: 'load' });
  });

  it('refuses unknown keys and states, naming them', () => {
    expect(() => parseTaskSearch('colour:red')).toThrow('query.q: unknown search key "colour"; use state, event, worker, dag, task, queue');
    expect(() => parseTaskSearch('state:exploded')).toThrow('unknown state "exploded"');
    expect(() => parseTaskSearch('dag:')).toThrow('dag: needs a value');
  });

  it('turns globs into LIKE patterns with LIKE\'s own wildcards escaped', () => {
    expect(globToLike('etl_*')).toBe('etl\\_%');
    expect(globToLike('a?%')).toBe('a_\\%');
  });
});

describe('MonitorMetrics.text', () => {
  it('never prints a sample without a value: the event-loop lag mean before any delay was sampled is left out', async () => {
    // Read right after start: no event-loop delay sampled yet, so prom-client's mean and stddev are NaN.
    const text = await new MonitorMetrics().text();
    const families = parsePrometheusText(text);
    for (const f of families) for (const s of f.samples) expect(Number.isNaN(s.value), `${s.name} is NaN`).toBe(false);
    expect(text).not.toMatch(/ nan$/im);
    expect(families.some((f) => f.name === 'updraft_monitor_nodejs_eventloop_lag_mean_seconds')).toBe(true);
    expect(withoutNaNSamples('# TYPE a gauge\na Nan\n# TYPE b gauge\nb{x="1"} 2\n')).toBe('# TYPE a gauge\n# TYPE b gauge\nb{x="1"} 2\n');
  });
});
