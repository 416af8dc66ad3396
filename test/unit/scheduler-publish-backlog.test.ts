/**
 * The scheduler's backlog of wide runs (pure unit test, its clock a variable): what is published
 * at once and what waits, taking in order, the accept filter, and a stalled backlog giving out its
 * next window.
 */
import { describe, expect, it } from 'vitest';
import type { QueuedAttempt } from '@updraft/core';
import { PublishBacklog } from '../../packages/scheduler/src/engine/publish-backlog.js';

const attempt = (taskId: string, mapIndex: number, queue = 'default', runId = 'r1'): QueuedAttempt => ({
  dagRunId: '1', dagId: 'd', runId, taskId, mapIndex, tryNumber: 1, attemptToken: `00000000-0000-4000-8000-${String(mapIndex + 1).padStart(12, '0')}`,
  queue, priorityWeight: 1,
});
const many = (taskId: string, n: number, runId = 'r1'): QueuedAttempt[] => Array.from({ length: n }, (_, i) => attempt(taskId, i, 'default', runId));
const idx = (as: ReadonlyArray<QueuedAttempt | null>): Array<number | null> => as.map((a) => a?.mapIndex ?? null);

describe('PublishBacklog', () => {
  it('publishes a window of each wide run, in order, and keeps the rest', () => {
    const b = new PublishBacklog(3);
    const now = b.admit([attempt('single', -1), ...many('wide', 6), ...many('narrow', 2, 'r2')]);
    expect(now.map((a) => `${a.runId}:${a.taskId}[${a.mapIndex}]`)).toEqual(['r1:single[-1]', 'r1:wide[0]', 'r1:wide[1]', 'r2:narrow[0]', 'r2:narrow[1]']);
    expect(b.size).toBe(4);
    const run = { dagId: 'd', runId: 'r1' };
    expect(idx([b.take(run), b.take(run), b.take(run), b.take(run), b.take(run)])).toEqual([2, 3, 4, 5, null]);
    expect(b.take({ dagId: 'd', runId: 'r2' })).toBeNull();
    expect(b.size).toBe(0);
  });

  it('keeps runs apart, and publishes a few instances of a run with a backlog at once (a retry does not queue behind it)', () => {
    const b = new PublishBacklog(2);
    b.admit([...many('wide', 4, 'r1'), ...many('wide', 4, 'r2')]);
    expect(b.size).toBe(4);
    expect(idx(b.admit([attempt('wide', 0)]))).toEqual([0]);
    expect(b.take({ dagId: 'd', runId: 'r2' })?.mapIndex).toBe(2);
    expect(b.take({ dagId: 'd', runId: 'r3' })).toBeNull();
    expect(b.take({ dagId: 'other', runId: 'r1' })).toBeNull();
  });

  it('gives nothing to a taker whose queues do not include the next waiting instance', () => {
    const b = new PublishBacklog(1);
    b.admit([attempt('gpu', 0, 'gpu'), attempt('gpu', 1, 'gpu'), attempt('gpu', 2, 'gpu')]);
    const run = { dagId: 'd', runId: 'r1' };
    expect(b.take(run, (a) => a.queue === 'default')).toBeNull();
    expect(b.size).toBe(2);
    expect(b.take(run, (a) => a.queue === 'gpu')?.mapIndex).toBe(1);
  });

  it('a backlog that has not moved for the stall time gives out its next window', () => {
    let clock = 0;
    const b = new PublishBacklog(2, () => clock);
    b.admit(many('wide', 7));
    clock = 4000;
    expect(b.stalled(5000)).toEqual([]);
    expect(b.take({ dagId: 'd', runId: 'r1' })?.mapIndex).toBe(2);
    clock = 8999;
    expect(b.stalled(5000)).toEqual([]);
    clock = 9000;
    expect(idx(b.stalled(5000))).toEqual([3, 4]);
    expect(b.stalled(5000)).toEqual([]);
    clock = 20_000;
    expect(idx(b.stalled(5000))).toEqual([5, 6]);
    expect(b.size).toBe(0);
  });

  it('lets go of the instances it gave out in a long backlog, and keeps the order', () => {
    const b = new PublishBacklog(1);
    b.admit(many('wide', 10_001));
    const run = { dagId: 'd', runId: 'r1' };
    const taken: number[] = [];
    for (let a = b.take(run); a !== null; a = b.take(run)) taken.push(a.mapIndex);
    expect(taken).toEqual(Array.from({ length: 10_000 }, (_, i) => i + 1));
    expect(b.size).toBe(0);
  });
});
