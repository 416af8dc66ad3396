/** Memory adapter specifics (its QueuePort behaviour is covered by test/integration/queue-conformance). */
import { describe, expect, it } from 'vitest';
import { createMemoryQueue, isUpdraftError, taskMessageId, type DeadLetter, type TaskMessage } from '@updraft/core';

let n = 0;
function msg(queue: string): TaskMessage {
  n += 1;
  return { key: { dagId: 'd', runId: 'r', taskId: `t${n}`, mapIndex: -1 }, tryNumber: 1, attemptToken: `k${n}`, queue, priorityWeight: 0 };
}

describe('memory queue', () => {
  it('is FIFO per queue and hands out copies', async () => {
    const q = createMemoryQueue();
    const ms = [msg('a'), msg('a'), msg('a')];
    for (const m of ms) await q.publish(m);
    ms[0]!.attemptToken = 'mutated after publish';
    const c = await q.consumer(['a']);
    const got = await c.fetch(10, 0);
    expect(got.map((d) => d.message.key!.taskId)).toEqual(ms.map((m) => m.key!.taskId));
    expect(got[0]!.message.attemptToken).not.toBe('mutated after publish');
    await q.close();
  });

  it('dead-letters a message naked maxDeliver times and removes it', async () => {
    const q = createMemoryQueue({ maxDeliver: 2 });
    const dead: DeadLetter[] = [];
    q.onDeadLetter((d) => void dead.push(d));
    const m = msg('a');
    await q.publish(m);
    const c = await q.consumer(['a']);
    const [d1] = await c.fetch(1, 1000);
    d1!.nak();
    const [d2] = await c.fetch(1, 1000);
    expect(d2!.deliveryCount).toBe(2);
    d2!.nak();
    await new Promise((r) => setTimeout(r, 0));
    await new Promise((r) => setImmediate(r));
    expect(dead.map((d) => d.message && taskMessageId(d.message))).toEqual([taskMessageId(m)]);
    expect(dead[0]!.deliveries).toBe(2);
    expect((await q.depths()).a).toBe(0);
    expect(await c.fetch(1, 0)).toEqual([]);
    await q.close();
  });

  it('a stale delivery cannot nak or extend the newer one, but its ack still removes the message', async () => {
    const q = createMemoryQueue({ ackWaitMs: 20 });
    await q.publish(msg('a'));
    const c = await q.consumer(['a']);
    const [old] = await c.fetch(1, 1000);
    const [fresh] = await c.fetch(1, 1000); // after the 20 ms ack wait
    expect(fresh!.deliveryCount).toBe(2);
    old!.nak(); // ignored: not the current delivery
    expect(await c.fetch(1, 0)).toEqual([]);
    await old!.ack();
    expect((await q.depths()).a).toBe(0);
    await q.close();
  });

  it('accepts a republished id again after the duplicate window', async () => {
    const q = createMemoryQueue({ duplicateWindowMs: 10 });
    const m = msg('a');
    await q.publish(m);
    await q.publish(m);
    expect((await q.depths()).a).toBe(1);
    await new Promise((r) => setTimeout(r, 20));
    await q.publish(m);
    expect((await q.depths()).a).toBe(2);
    await q.close();
  });

  it('rejects bad input with errors naming it', async () => {
    const q = createMemoryQueue();
    await expect(q.consumer([])).rejects.toThrow(/at least one queue/);
    await expect(q.consumer(['ok', 'no spaces'])).rejects.toThrow(/queues\[1\] 'no spaces' is not a valid queue/);
    const c = await q.consumer(['a']);
    await expect(c.fetch(0, 10)).rejects.toThrow(/max must be an integer >= 1/);
    expect(() => createMemoryQueue({ ackWaitMs: -1 })).toThrow(/ackWaitMs/);
    await q.close();
    const err = await q.publish(msg('a')).catch((e: unknown) => e);
    expect(isUpdraftError(err, 'QUEUE_ERROR')).toBe(true);
  });

  it('close() ends waiting fetches with nothing', async () => {
    const q = createMemoryQueue();
    const c = await q.consumer(['a']);
    const waiting = c.fetch(1, 60_000);
    await q.close();
    expect(await waiting).toEqual([]);
  });
});
