/**
 * AckConfirmations against a real nats-server: an ack resolves when its subject answers, and
 * fails when nobody answers (no responders) or the answer does not come within the timeout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { AckConfirmations } from '@updraft/core/internal';
import { startNats, type NatsServer } from '../harness/index.js';

let nats: NatsServer;
let nc: NatsConnection;

beforeAll(async () => {
  nats = await startNats();
  nc = await connect({ servers: nats.url });
});

afterAll(async () => {
  await nc?.close();
  await nats?.stop();
});

describe('AckConfirmations', () => {
  it('resolves each ack when its subject answers, and sends the body there', async () => {
    const got: string[] = [];
    const sub = nc.subscribe('acks.answered', { callback: (_err, msg) => { got.push(msg.string()); msg.respond(); } });
    const acks = new AckConfirmations(nc, 5000);
    await Promise.all([acks.send('acks.answered', new TextEncoder().encode('+ACK')), acks.send('acks.answered', new TextEncoder().encode('+ACK'))]);
    expect(got).toEqual(['+ACK', '+ACK']);
    sub.unsubscribe();
    acks.close();
  });

  it('fails an ack nobody answers', async () => {
    const acks = new AckConfirmations(nc, 5000);
    await expect(acks.send('acks.nobody', new TextEncoder().encode('+ACK'))).rejects.toThrow(/503|timeout/);
    acks.close();
  });

  it('fails an ack whose answer does not come within the timeout, and one still waiting at close', async () => {
    const sub = nc.subscribe('acks.silent', { callback: () => undefined });
    const acks = new AckConfirmations(nc, 300);
    await expect(acks.send('acks.silent', new TextEncoder().encode('+ACK'))).rejects.toThrow('timeout');
    const slow = new AckConfirmations(nc, 60_000);
    const waiting = slow.send('acks.silent', new TextEncoder().encode('+ACK'));
    await nc.flush();
    slow.close();
    await expect(waiting).rejects.toThrow('connection closed');
    sub.unsubscribe();
    acks.close();
  });
});
