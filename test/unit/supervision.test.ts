/**
 * The pure parts of fleet supervision: when silence may be judged (the watch), task heartbeats
 * (sightings), and why a running attempt is a zombie.
 */
import { describe, expect, it } from 'vitest';
import type { attemptsSql, workersSql } from '@updraft/core';
import { AttemptSightings, observeHeartbeats } from '../../packages/scheduler/src/supervision/sightings.js';
import { Watch } from '../../packages/scheduler/src/supervision/watch.js';
import { zombieReason } from '../../packages/scheduler/src/supervision/zombies.js';
import type { HeldAttempt, WorkerFacingEngine, WorkerHeartbeat } from '../../packages/scheduler/src/worker-facing.js';

describe('Watch', () => {
  it('judges only after an unbroken watch of the grace period', () => {
    const w = new Watch(1000, 300);
    expect(w.begin(0)).toBe(false);
    w.ok(10);
    expect(w.begin(250)).toBe(false);
    w.ok(260);
    for (let t = 500; t < 1000; t += 250) {
      expect(w.begin(t)).toBe(false);
      w.ok(t + 10);
    }
    expect(w.begin(1000)).toBe(true);
  });

  it('starts again after a gap (a stalled process) or a failed run (an outage)', () => {
    const w = new Watch(1000, 300);
    let t = 0;
    for (; t <= 1200; t += 200) {
      w.begin(t);
      w.ok(t);
    }
    expect(w.begin(t)).toBe(true);
    w.ok(t);
    // 500 ms without a run: longer than the gap allowed.
    expect(w.begin(t + 500)).toBe(false);
    expect(w.watchingSince).toBe(t + 500);
    w.ok(t + 500);
    w.failed();
    expect(w.watchingSince).toBeUndefined();
    expect(w.begin(t + 600)).toBe(false);
    expect(w.watchingSince).toBe(t + 600);
  });
});

const ra = (taskId: string, token: string): HeldAttempt => ({ dagId: 'd', runId: 'r', taskId, mapIndex: -1, tryNumber: 1, attemptToken: token, pid: 0 });
const beat = (running: HeldAttempt[]): WorkerHeartbeat => ({ workerId: 'w', running, freeSlots: 0, load1: 0, load5: 0, load15: 0, processed: 0 });

describe('AttemptSightings', () => {
  it('records attempts listed by accepted heartbeats, not the ones answered with kill', async () => {
    let now = 100;
    const s = new AttemptSightings(() => now);
    const engine = {
      heartbeat: async (req: WorkerHeartbeat) => ({ kill: req.running.filter((a) => a.attemptToken === 'B'), drain: false }),
    } as unknown as WorkerFacingEngine;
    const observed = observeHeartbeats(engine, s);
    await observed.heartbeat(beat([ra('a', 'A'), ra('b', 'B')]));
    now = 500;
    expect(s.lastSeenAt('a')).toBe(100);
    // Never listed (it was killed): first seen now.
    expect(s.lastSeenAt('B')).toBe(500);
    now = 900;
    expect(s.lastSeenAt('b')).toBe(500);
  });

  it('forgets attempts that stopped running', () => {
    const s = new AttemptSightings(() => 1);
    s.lastSeenAt('x');
    s.lastSeenAt('y');
    s.retain(new Set(['y']));
    expect(s.size).toBe(1);
  });

  it('does not see a heartbeat the engine refused', async () => {
    const s = new AttemptSightings(() => 5);
    const engine = { heartbeat: async () => { throw new Error('unknown worker'); } } as unknown as WorkerFacingEngine;
    await expect(observeHeartbeats(engine, s).heartbeat(beat([ra('a', 'A')]))).rejects.toThrow();
    expect(s.size).toBe(0);
  });
});

describe('zombieReason', () => {
  const attempt = (over: Partial<attemptsSql.RunningAttemptRow> = {}): attemptsSql.RunningAttemptRow => ({
    dagId: 'd', runId: 'r', taskId: 't', mapIndex: -1, tryNumber: 1, attemptToken: 'A', workerId: 'w1', hostname: 'h1',
    startedAt: new Date(0),
    worker: { name: 'worker-1', hostname: 'h1', state: 'online', lastHeartbeat: new Date('2024-01-01T00:00:00Z'), silentMs: 100 },
    ...over,
  });
  const none = new Map<string, workersSql.SilentWorker>();

  it('a live worker that lists the task: no zombie', () => {
    expect(zombieReason(attempt(), none, 500, 1000)).toBeNull();
  });

  it('a worker just marked offline: missed heartbeats, with how long and since when', () => {
    const silent = new Map([['w1', { workerId: 'w1', workerName: 'worker-1', hostname: 'h1', lastHeartbeat: new Date('2024-01-01T00:00:00Z'), silentMs: 8200 }]]);
    expect(zombieReason(attempt(), silent, 0, 1000))
      .toBe('zombie: worker worker-1 on h1 missed heartbeats for 8.2s (last heartbeat at 2024-01-01T00:00:00.000Z)');
  });

  it('a worker offline before, a worker id no longer registered, a task missing from heartbeats, a seized attempt', () => {
    expect(zombieReason(attempt({ worker: { name: 'worker-1', hostname: 'h1', state: 'offline', lastHeartbeat: null, silentMs: null } }), none, 0, 1000))
      .toBe('zombie: worker worker-1 on h1 is offline (last heartbeat at never)');
    expect(zombieReason(attempt({ worker: null }), none, 0, 1000)).toMatch(/^zombie: worker id w1 on h1 is no longer registered/);
    expect(zombieReason(attempt(), none, 1500, 1000))
      .toBe('zombie: worker worker-1 on h1 is alive but has not reported this task in its heartbeats for 1.5s (the task stopped heartbeating)');
    expect(zombieReason(attempt({ workerId: null, worker: null }), none, 0, 1000)).toMatch(/requeue budget spent/);
  });
});
