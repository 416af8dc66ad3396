import { describe, expect, it } from 'vitest';
import type { NatsConnection } from '@nats-io/transport-node';
import { AckBatch } from '@updraft/core/internal';

/** Records publishes with the event-loop turn they happened in. */
function recorder(opts: { fail?: boolean } = {}) {
  let turn = 0;
  const bump = () => { turn++; setImmediate(bump); };
  setImmediate(bump);
  const sent: Array<{ subject: string; body: string; turn: number }> = [];
  const nc = {
    publish(subject: string, body: Uint8Array) {
      if (opts.fail) throw new Error('closed');
      sent.push({ subject, body: new TextDecoder().decode(body), turn });
    },
  } as unknown as NatsConnection;
  return { nc, sent };
}

describe('AckBatch', () => {
  it('acks added within the hold leave together, in one turn, in the order added', async () => {
    const { nc, sent } = recorder();
    const acks = new AckBatch(nc, 20);
    acks.add('$JS.ACK.a');
    await new Promise((r) => setImmediate(r));
    acks.add('$JS.ACK.b');
    acks.add('$JS.ACK.c');
    expect(sent).toEqual([]);
    expect(acks.waiting).toBe(3);
    await new Promise((r) => setTimeout(r, 60));
    expect(sent.map((s) => s.subject)).toEqual(['$JS.ACK.a', '$JS.ACK.b', '$JS.ACK.c']);
    expect(new Set(sent.map((s) => s.turn)).size).toBe(1);
    expect(sent.every((s) => s.body === '+ACK')).toBe(true);
    expect(acks.waiting).toBe(0);
  });

  it('flush sends what waits at once and disarms the timer', async () => {
    const { nc, sent } = recorder();
    const acks = new AckBatch(nc, 20);
    acks.add('x');
    acks.flush();
    expect(sent.map((s) => s.subject)).toEqual(['x']);
    await new Promise((r) => setTimeout(r, 40));
    expect(sent).toHaveLength(1);
    acks.add('y');
    await new Promise((r) => setTimeout(r, 40));
    expect(sent.map((s) => s.subject)).toEqual(['x', 'y']);
  });

  it('a closed connection drops the acks without throwing (the claim refuses the redelivery)', () => {
    const { nc } = recorder({ fail: true });
    const acks = new AckBatch(nc, 20);
    acks.add('x');
    expect(() => acks.flush()).not.toThrow();
    expect(acks.waiting).toBe(0);
  });
});
