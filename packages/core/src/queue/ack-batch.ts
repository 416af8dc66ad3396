/**
 * Acks held for a few milliseconds and published together. nats.js writes every publish made in
 * one turn of the event loop with one socket write; acks of short tasks come a fraction of a
 * millisecond apart, each in its own turn, and each write wakes nats-server (and costs the worker
 * a system call). Holding them costs nothing a task can see: an ack only tells the server not to
 * redeliver, the task's outcome is already recorded, and a redelivery of an acked task is refused
 * by its claim. Naks and progress (`+WPI`) are not held: they change what the server does next.
 */
import type { NatsConnection } from '@nats-io/transport-node';

/** Longest an ack waits for others. Well under any ack wait (the server redelivers after it). */
export const ACK_HOLD_MS = 5;

const ACK = new TextEncoder().encode('+ACK');

export class AckBatch {
  private subjects: string[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly holdMs = ACK_HOLD_MS,
  ) {}

  /** Acks the message whose reply subject this is, within holdMs. */
  add(replySubject: string): void {
    this.subjects.push(replySubject);
    this.timer ??= setTimeout(() => this.flush(), this.holdMs);
  }

  /** Acks waiting now, in one turn (one write); also at close, before the connection closes. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const subjects = this.subjects;
    this.subjects = [];
    for (const s of subjects) {
      try {
        this.nc.publish(s, ACK);
      } catch {
        // Connection closed: the server redelivers after ack wait, which the claim refuses.
      }
    }
  }

  get waiting(): number {
    return this.subjects.length;
  }
}
