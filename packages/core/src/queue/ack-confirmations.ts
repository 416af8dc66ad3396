/**
 * Confirmed JetStream acks without a NATS request each. Every ack is a plain publish whose reply
 * subject is one inbox subscription of the connection (`<inbox>.<id>`); the server's answer
 * settles that ack's promise, and one timer fails the acks left unanswered after the timeout.
 * The client's request path builds an error (with its stack) and a timer per call, which a worker
 * would pay for every task it runs.
 */
import { createInbox, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';

interface Waiting {
  resolve: () => void;
  reject: (err: Error) => void;
  sentAt: number;
}

export class AckConfirmations {
  private readonly inbox = createInbox();
  private sub: Subscription | undefined;
  private readonly waiting = new Map<string, Waiting>();
  private nextId = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly timeoutMs: number,
  ) {}

  /** Publishes `body` to the ack subject `subject`; resolves when the server confirms it. */
  send(subject: string, body: Uint8Array): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const id = String(++this.nextId);
      try {
        this.sub ??= this.nc.subscribe(`${this.inbox}.*`, { callback: (_err, msg) => this.answered(msg) });
        this.nc.publish(subject, body, { reply: `${this.inbox}.${id}` });
      } catch (err) {
        reject(err as Error);
        return;
      }
      this.waiting.set(id, { resolve, reject, sentAt: Date.now() });
      this.timer ??= setTimeout(() => this.expire(), this.timeoutMs);
    });
  }

  /** Fails every ack still waiting (the connection is closing). */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const w of this.waiting.values()) w.reject(new Error('connection closed'));
    this.waiting.clear();
    this.sub?.unsubscribe();
    this.sub = undefined;
  }

  private answered(msg: Msg): void {
    const id = msg.subject.slice(this.inbox.length + 1);
    const w = this.waiting.get(id);
    if (!w) return;
    this.waiting.delete(id);
    // A status instead of the server's answer: 503 no responders (the consumer is gone).
    if (msg.headers?.hasError) w.reject(new Error(`${msg.headers.code} ${msg.headers.description}`));
    else w.resolve();
  }

  /** Fails the acks unanswered for timeoutMs; runs while any ack waits. */
  private expire(): void {
    this.timer = undefined;
    const limit = Date.now() - this.timeoutMs;
    let next = Infinity;
    for (const [id, w] of this.waiting) {
      if (w.sentAt <= limit) {
        this.waiting.delete(id);
        w.reject(new Error('timeout'));
      } else {
        next = Math.min(next, w.sentAt);
      }
    }
    if (next !== Infinity) this.timer = setTimeout(() => this.expire(), next - limit);
  }
}
