/**
 * Dead letters on JetStream. A message that reached max_deliver stays in a WorkQueue stream and is
 * never delivered again; the server announces it on
 * `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.<stream>.<consumer>`. On that advisory we read the
 * message, delete it from the stream, and, only if our delete removed it (so one listener in the
 * fleet wins), hand it to the listeners.
 */
import type { JetStreamManager } from '@nats-io/jetstream';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { decodeTaskMessage, type TaskMessage } from './port.js';
import type { DeadLetter, DeadLetterListener } from './dead-letter.js';
import type { Logger } from '../logging/logger.js';

interface MaxDeliveriesAdvisory {
  stream?: string;
  consumer?: string;
  stream_seq?: number;
  deliveries?: number;
}

export class DeadLetterWatcher {
  private readonly listeners = new Set<DeadLetterListener>();
  private sub: Subscription | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly jsm: () => Promise<JetStreamManager>,
    private readonly stream: string,
    private readonly subjectPrefix: string,
    private readonly logger: Logger,
  ) {}

  add(listener: DeadLetterListener): () => void {
    this.listeners.add(listener);
    this.sub ??= this.nc.subscribe(`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${this.stream}.*`, {
      callback: (_err, msg) => void this.onAdvisory(msg),
    });
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        this.sub?.unsubscribe();
        this.sub = undefined;
      }
    };
  }

  close(): void {
    this.sub?.unsubscribe();
    this.sub = undefined;
    this.listeners.clear();
  }

  private async onAdvisory(msg: Msg): Promise<void> {
    let advisory: MaxDeliveriesAdvisory;
    try {
      advisory = msg.json<MaxDeliveriesAdvisory>();
    } catch (err) {
      this.logger.warn({ err }, 'unreadable max-deliveries advisory ignored');
      return;
    }
    const seq = advisory.stream_seq;
    if (typeof seq !== 'number') return;
    try {
      const jsm = await this.jsm();
      const stored = await jsm.streams.getMessage(this.stream, { seq }).catch(() => null);
      if (!stored) return; // already gone (acked late, or another listener took it)
      const removed = await jsm.streams.deleteMessage(this.stream, seq, false).catch(() => false);
      if (!removed) return;
      let message: TaskMessage | undefined;
      try {
        message = decodeTaskMessage(stored.data);
      } catch {
        message = undefined;
      }
      const queue = stored.subject.startsWith(`${this.subjectPrefix}.`)
        ? stored.subject.slice(this.subjectPrefix.length + 1)
        : stored.subject;
      const dead: DeadLetter = { message, queue, deliveries: advisory.deliveries ?? 0, sequence: seq };
      this.logger.warn({ queue, seq, deliveries: dead.deliveries, consumer: advisory.consumer }, 'task message dead-lettered');
      for (const listener of this.listeners) {
        await Promise.resolve()
          .then(() => listener(dead))
          .catch((err: unknown) => this.logger.error({ err, seq }, 'dead-letter listener failed'));
      }
    } catch (err) {
      this.logger.error({ err, seq }, 'dead-letter handling failed');
    }
  }
}
