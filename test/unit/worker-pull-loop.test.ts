/**
 * The worker's pull loop (packages/worker/src/pull-loop.ts) with a scripted consumer: how much it
 * asks for, and when. Fake timers: nothing here depends on how fast the machine is.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger, type Delivery, type QueueConsumer } from '@updraft/core';
import { PullLoop } from '@updraft/worker';

function delivery(n: number): Delivery {
  return {
    message: { key: { dagId: 'd', runId: 'r', taskId: `t${n}`, mapIndex: -1 }, tryNumber: n, attemptToken: `t${n}`, queue: 'default', priorityWeight: 1 },
    deliveryCount: 1,
    ack: () => Promise.resolve(),
    nak: () => undefined,
    working: () => undefined,
  };
}

/** A consumer whose fetches are answered by the test; `asked` lists each fetch's max. */
function scriptedConsumer() {
  const asked: number[] = [];
  const answers: Array<(d: Delivery[]) => void> = [];
  const consumer: QueueConsumer = {
    fetch: (max) => {
      asked.push(max);
      return new Promise((resolve) => answers.push(resolve));
    },
    stop: () => {
      for (const a of answers.splice(0)) a([]);
      return Promise.resolve();
    },
  };
  return { consumer, asked, answer: (d: Delivery[]) => answers.shift()!(d) };
}

/** A loop of `concurrency` slots whose attempts end when the test says so. */
function loopOf(concurrency: number) {
  const c = scriptedConsumer();
  const running: Array<() => void> = [];
  const loop = new PullLoop({
    consumer: c.consumer, concurrency, fetchExpiresMs: 30_000, fetchErrorDelayMs: 1000, logger: silentLogger,
    handle: () => new Promise<void>((resolve) => running.push(resolve)),
  });
  return { ...c, loop, finish: () => running.shift()!() };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('PullLoop', () => {
  it('asks for every free slot, and for the slots that free up together after a short wait, not one at a time', async () => {
    const l = loopOf(4);
    l.loop.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(l.asked).toEqual([4]);
    l.answer([delivery(1), delivery(2), delivery(3), delivery(4)]);
    await vi.advanceTimersByTimeAsync(0);
    // One slot frees up while three run: the loop waits for more instead of asking for one.
    l.finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(l.asked).toEqual([4]);
    l.finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(l.asked).toEqual([4, 2]);
    l.answer([delivery(5)]);
    await vi.advanceTimersByTimeAsync(0);
    // Three run again, one slot free: after the short wait it asks for that one anyway.
    expect(l.asked).toEqual([4, 2]);
    await vi.advanceTimersByTimeAsync(5);
    expect(l.asked).toEqual([4, 2, 1]);
    await l.loop.stop();
  });

  it('asks again at once when a lone task ends (a chain waits for nothing)', async () => {
    const l = loopOf(4);
    l.loop.start();
    await vi.advanceTimersByTimeAsync(0);
    l.answer([delivery(1)]);
    await vi.advanceTimersByTimeAsync(0);
    expect(l.asked).toEqual([4, 3]);
    l.answer([]);
    await vi.advanceTimersByTimeAsync(0);
    // The empty answer of a fetch ends it; the next fetch waits while the task runs.
    expect(l.asked).toEqual([4, 3, 3]);
    l.finish();
    await vi.advanceTimersByTimeAsync(0);
    l.answer([]);
    await vi.advanceTimersByTimeAsync(0);
    expect(l.asked).toEqual([4, 3, 3, 4]);
    await l.loop.stop();
  });

  it('stops while it waits for slots to free up', async () => {
    const l = loopOf(4);
    l.loop.start();
    await vi.advanceTimersByTimeAsync(0);
    l.answer([delivery(1), delivery(2), delivery(3), delivery(4)]);
    await vi.advanceTimersByTimeAsync(0);
    l.finish();
    await vi.advanceTimersByTimeAsync(0);
    const stopped = l.loop.stop();
    await vi.advanceTimersByTimeAsync(0);
    await stopped;
    expect(l.asked).toEqual([4]);
  });
});
