/**
 * The scheduler's backlog of wide mapped tasks (pure unit test, its clock a variable): what is
 * published at once and what waits, taking in order, the accept filter, and a stalled backlog
 * giving out its next window.
 */
import { describe, expect, it } from 'vitest';
import type { QueuedAttempt } from '@updraft/core';
import { MappedBacklog } from '../../packages/scheduler/src/engine/mapped-backlog.js';

const attempt = (taskId: string, mapIndex: number, queue = 'default', runId = 'r1'): QueuedAttempt => ({
  dagRunId: '1', dagId: 'd', runId, taskId, mapIndex, tryNumber: 1, attemptToken: `00000000-0000-4000-8000-${String(mapIndex + 1).padStart(12, '0')}`,
  queue, priorityWeight: 1,
});
const many = (taskId: string, n: number, runId = 'r1'): QueuedAttempt[] => Array.from({ length: n }, (_, i) => attempt(taskId, i, 'default', runId));
const idx = (as: ReadonlyArray<QueuedAttempt | null>): Array<number | null> => as.map((a) => a?.mapIndex ?? null);

describe('MappedBacklog', () => {
  it('publishes a window of each wide mapped task, in order, and keeps the rest', () => {
    const b = new MappedBacklog(3);
    const plain = attempt('single', -1);
    const now = b.admit([plain, ...many('wide', 7), ...many('narrow', 2)]);
    expect(now.map((a) => `${a.taskId}[${a.mapIndex}]`)).toEqual(['single[-1]', 'wide[0]', 'wide[1]', 'wide[2]', 'narrow[0]', 'narrow[1]']);
    expect(b.size).toBe(4);
    const key = { dagId: 'd', runId: 'r1', taskId: 'wide' };
    expect(idx([b.take(key), b.take(key), b.take(key), b.take(key), b.take(key)])).toEqual([3, 4, 5, 6, null]);
    expect(b.size).toBe(0);
  });

  it('keeps runs apart, and publishes a few instances of a task with a backlog at once (a retry does not queue behind it)', () => {
    const b = new MappedBacklog(2);
    b.admit([...many('wide', 4, 'r1'), ...many('wide', 4, 'r2')]);
    expect(b.size).toBe(4);
    expect(idx(b.admit([attempt('wide', 0)]))).toEqual([0]);
    expect(b.take({ dagId: 'd', runId: 'r2', taskId: 'wide' })?.mapIndex).toBe(2);
    expect(b.take({ dagId: 'd', runId: 'r1', taskId: 'other' })).toBeNull();
  });

  it('gives nothing to a taker whose queues do not include the next waiting instance', () => {
    const b = new MappedBacklog(1);
    b.admit([attempt('gpu', 0, 'gpu'), attempt('gpu', 1, 'gpu'), attempt('gpu', 2, 'gpu')]);
    const key = { dagId: 'd', runId: 'r1', taskId: 'gpu' };
    expect(b.take(key, (a) => a.queue === 'default')).toBeNull();
    expect(b.size).toBe(2);
    expect(b.take(key, (a) => a.queue === 'gpu')?.mapIndex).toBe(1);
  });

  it('a backlog that has not moved for the stall time gives out its next window', () => {
    let clock = 0;
    const b = new MappedBacklog(2, () => clock);
    b.admit(many('wide', 7));
    clock = 4000;
    expect(b.stalled(5000)).toEqual([]);
    expect(b.take({ dagId: 'd', runId: 'r1', taskId: 'wide' })?.mapIndex).toBe(2);
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
    const b = new MappedBacklog(1);
    b.admit(many('wide', 10_001));
    const key = { dagId: 'd', runId: 'r1', taskId: 'wide' };
    const taken: number[] = [];
    for (let a = b.take(key); a !== null; a = b.take(key)) taken.push(a.mapIndex);
    expect(taken).toEqual(Array.from({ length: 10_000 }, (_, i) => i + 1));
    expect(b.size).toBe(0);
  });
});
