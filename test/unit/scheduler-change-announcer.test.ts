/**
 * The scheduler's change announcer (pure unit test: its send is a function, its clock vitest's
 * fake timers): changes within the delay go out in one send, a failed send is retried with what
 * came meanwhile, close sends what is pending.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '@updraft/core';
import { ChangeAnnouncer } from '../../packages/scheduler/src/engine/change-announcer.js';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('ChangeAnnouncer', () => {
  it('coalesces the changes of one delay into one send, and sends nothing when nothing changed', async () => {
    const sent: string[][] = [];
    const a = new ChangeAnnouncer(async (ids) => { sent.push([...ids].sort()); }, silentLogger, 10);
    a.changed(['b', 'a']);
    a.changed(['a']);
    a.changed([]);
    await vi.advanceTimersByTimeAsync(9);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toEqual([['a', 'b']]);
    a.changed([]);
    await vi.advanceTimersByTimeAsync(100);
    expect(sent).toHaveLength(1);
    a.changed(['c']);
    await a.close();
    expect(sent).toEqual([['a', 'b'], ['c']]);
  });

  it('keeps what a failed send carried and sends it again with what came meanwhile', async () => {
    const sent: string[][] = [];
    let calls = 0;
    const a = new ChangeAnnouncer(async (ids) => {
      calls += 1;
      if (calls === 1) throw new Error('connection lost');
      sent.push([...ids].sort());
    }, silentLogger, 5);
    a.changed(['x']);
    await vi.advanceTimersByTimeAsync(5);
    expect(calls).toBe(1);
    expect(sent).toEqual([]);
    a.changed(['y']);
    await a.flush();
    expect(sent).toEqual([['x', 'y']]);
    await a.close();
  });
});
