/**
 * A JetStream message as a Delivery. Acks go to the message's reply subject (`$JS.ACK...`):
 * `+ACK` (held a few ms to leave with others: ack-batch.ts), `-NAK` with an optional delay,
 * `+WPI`: plain publishes.
 *
 * An ack is not confirmed by the server (no reply subject): a confirmation costs the server a
 * message and the worker a wake-up per task, and changes nothing. An ack that is lost (the
 * connection dropped) only means a redelivery after ack wait, which the claim refuses (the task
 * instance has moved on), and the worker then acks again.
 */
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import { nanos } from '@nats-io/transport-node';
import type { AckBatch } from './ack-batch.js';
import type { Delivery, TaskMessage } from './port.js';

export interface AckSubjectInfo {
  stream: string;
  consumer: string;
  /** Times the server delivered this message (1 = first). */
  deliveryCount: number;
  streamSequence: number;
}

/**
 * Parses `$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ts>.<pending>` and the newer
 * `$JS.ACK.<domain>.<account>.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ts>.<pending>.<token>`.
 */
export function parseAckSubject(subject: string): AckSubjectInfo | undefined {
  const t = subject.split('.');
  if (t[0] !== '$JS' || t[1] !== 'ACK') return undefined;
  const at = t.length === 9 ? 2 : t.length >= 11 ? 4 : -1;
  if (at < 0) return undefined;
  const deliveryCount = Number(t[at + 2]);
  const streamSequence = Number(t[at + 3]);
  if (!Number.isInteger(deliveryCount) || !Number.isInteger(streamSequence)) return undefined;
  return { stream: t[at]!, consumer: t[at + 1]!, deliveryCount, streamSequence };
}

const enc = new TextEncoder();
const NAK = enc.encode('-NAK');
const WPI = enc.encode('+WPI');
const TERM = enc.encode('+TERM');

export interface DeliveryContext {
  nc: NatsConnection;
  /** Where acks wait to be published together with others (see ack-batch.ts). */
  acks: AckBatch;
  /** Called once the delivery is settled (acked or naked), so the consumer stops extending it. */
  settled(d: JetStreamDelivery): void;
}

export class JetStreamDelivery implements Delivery {
  readonly message: TaskMessage;
  readonly deliveryCount: number;
  readonly streamSequence: number;
  readonly queue: string;
  private done = false;

  constructor(
    private readonly msg: Msg,
    info: AckSubjectInfo,
    message: TaskMessage,
    queue: string,
    private readonly ctx: DeliveryContext,
  ) {
    this.message = message;
    this.deliveryCount = info.deliveryCount;
    this.streamSequence = info.streamSequence;
    this.queue = queue;
  }

  get settledAlready(): boolean {
    return this.done;
  }

  ack(): Promise<void> {
    this.done = true;
    this.ctx.settled(this);
    if (this.msg.reply) this.ctx.acks.add(this.msg.reply);
    return Promise.resolve();
  }

  nak(delayMs?: number): void {
    this.done = true;
    this.ctx.settled(this);
    const body = delayMs && delayMs > 0 ? enc.encode(`-NAK ${JSON.stringify({ delay: nanos(delayMs) })}`) : NAK;
    this.publish(body);
  }

  working(): void {
    if (!this.done) this.publish(WPI);
  }

  /** Extend without the settled check (used while the consumer holds it in its buffer). */
  extend(): void {
    this.publish(WPI);
  }

  private publish(body: Uint8Array): void {
    try {
      this.ctx.nc.publish(this.msg.reply!, body);
    } catch {
      // Connection closed: the server redelivers after ack wait, which is what a lost nak means anyway.
    }
  }
}

/** Stop redelivery of a message that is not a TaskMessage (it can never be run). */
export function terminate(nc: NatsConnection, msg: Msg): void {
  try {
    if (msg.reply) nc.publish(msg.reply, TERM);
  } catch {
    // closed connection: nothing to do
  }
}
