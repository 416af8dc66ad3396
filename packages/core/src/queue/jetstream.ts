/**
 * The JetStream queue adapter (distributed mode). One stream (default UPDRAFT_TASKS, WorkQueue
 * retention, file storage) holds subject `<prefix>.<queue>` per queue; each queue has one durable
 * pull consumer `q_<queue>` shared by every worker of that queue. Message body: TaskMessage
 * (protobuf); header Nats-Msg-Id: taskMessageId(message), so republishing an attempt is deduplicated.
 *
 * The connection reconnects forever (backoff up to 2 s). While disconnected, publish() fails at
 * once with QUEUE_ERROR and fetch() waits for the reconnect (or its expiry) and returns empty.
 */
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { displayNatsUrl, natsSecurityOptions } from './jetstream-auth.js';
import { encodeTaskMessage, taskMessageId, wakeSubject, type QueueConsumer, type QueueStats, type TaskMessage } from './port.js';
import { UpdraftError } from '../errors.js';
import { assertQueueName } from './names.js';
import type { DeadLetterListener, TaskQueue } from './dead-letter.js';
import { DeadLetterWatcher } from './jetstream-dead-letter.js';
import { JetStreamConsumer } from './jetstream-consumer.js';
import { AckBatch } from './ack-batch.js';
import {
  queueDurableName,
  queueSubject,
  resolveJetStreamOptions,
  type JetStreamQueueOptions,
  type ResolvedJetStreamOptions,
} from './jetstream-options.js';
import { ensureQueueConsumer, ensureStream } from './jetstream-setup.js';

export class JetStreamQueue implements TaskQueue {
  private readonly js: JetStreamClient;
  private readonly consumers = new Set<JetStreamConsumer>();
  private readonly knownQueues = new Set<string>();
  private readonly deadLetters: DeadLetterWatcher;
  /** Stream (and consumers per queue) known to exist since the last (re)connect. */
  private streamReady: Promise<void> | undefined;
  private readonly consumerReady = new Map<string, Promise<void>>();
  private connected = true;
  private closed = false;
  private reconnectWaiters: Array<() => void> = [];
  /** Acks of every consumer's deliveries (outlives a stopped consumer whose tasks still run). */
  private readonly acks: AckBatch;

  private constructor(
    readonly options: ResolvedJetStreamOptions,
    readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly backoff: { attempt: number },
  ) {
    this.js = jetstream(nc, { timeout: options.requestTimeoutMs });
    this.acks = new AckBatch(nc);
    this.deadLetters = new DeadLetterWatcher(nc, async () => this.jsm, options.stream, options.subjectPrefix, options.logger);
    void this.watchStatus();
  }

  /** Connects, makes sure the stream exists, and returns the adapter. */
  static async connect(input: JetStreamQueueOptions): Promise<JetStreamQueue> {
    const o = resolveJetStreamOptions(input);
    const backoff = { attempt: 0 };
    const security = natsSecurityOptions(o.url, o.auth, o.tls);
    let nc: NatsConnection;
    try {
      nc = await connect({
        ...security,
        servers: o.url.split(',').map((s) => s.trim()),
        name: o.name,
        timeout: o.connectTimeoutMs,
        maxReconnectAttempts: -1,
        // Exponential backoff 250 ms .. 2 s with jitter; reset after each successful reconnect. The
        // cap bounds how long work waits after the server is back (one attempt per 2 s is cheap).
        reconnectDelayHandler: () => Math.min(2000, 250 * 2 ** Math.min(backoff.attempt++, 5)) * (0.75 + Math.random() / 2),
        pingInterval: 10_000,
        maxPingOut: 3,
        // nats.js otherwise builds an Error (a stack trace) up front for every request, a
        // JetStream publish included, to augment a later timeout; our errors name the operation.
        noAsyncTraces: true,
      });
    } catch (err) {
      throw new UpdraftError('QUEUE_ERROR', `cannot connect to NATS at ${displayNatsUrl(o.url)}: ${(err as Error).message}`, { cause: err });
    }
    try {
      const jsm = await jetstreamManager(nc, { timeout: o.requestTimeoutMs });
      const q = new JetStreamQueue(o, nc, jsm, backoff);
      await q.ensureStreamOnce();
      return q;
    } catch (err) {
      await nc.close().catch(() => undefined);
      if (err instanceof UpdraftError) throw err;
      throw new UpdraftError('QUEUE_ERROR', `JetStream not available at ${displayNatsUrl(o.url)}: ${(err as Error).message}`, { cause: err });
    }
  }

  async publish(message: TaskMessage): Promise<void> {
    const queue = assertQueueName(message.queue, 'TaskMessage.queue');
    if (this.closed) throw new UpdraftError('QUEUE_ERROR', 'JetStream queue is closed');
    if (!this.connected) {
      throw new UpdraftError('QUEUE_ERROR', `cannot publish to ${queue}: disconnected from NATS at ${displayNatsUrl(this.options.url)} (reconnecting)`);
    }
    const subject = queueSubject(this.options.subjectPrefix, queue);
    // Cached after the first success; checked again after a reconnect (the server may be new).
    await this.ensureStreamOnce();
    try {
      await this.js.publish(subject, encodeTaskMessage(message), {
        msgID: taskMessageId(message),
        timeout: this.options.publishTimeoutMs,
      });
      this.knownQueues.add(queue);
    } catch (err) {
      throw new UpdraftError('QUEUE_ERROR', `publish to ${subject} failed: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Messages in the stream per queue: waiting plus delivered-but-unacked. Queues seen by this process are listed with 0. */
  async depths(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const q of this.knownQueues) out[q] = 0;
    const prefix = `${this.options.subjectPrefix}.`;
    try {
      const info = await this.jsm.streams.info(this.options.stream, { subjects_filter: `${prefix}>` });
      for (const [subject, count] of Object.entries(info.state.subjects ?? {})) {
        if (subject.startsWith(prefix)) out[subject.slice(prefix.length)] = count;
      }
    } catch (err) {
      throw new UpdraftError('QUEUE_ERROR', `depths of stream ${this.options.stream}: ${(err as Error).message}`, { cause: err });
    }
    return out;
  }

  /**
   * Per queue consumer (`q_<queue>`): pending, ack-pending and redelivered counts from JetStream;
   * a queue whose consumer does not exist yet (no worker ever served it) has all its messages pending.
   */
  async queueStats(): Promise<Record<string, QueueStats>> {
    const out: Record<string, QueueStats> = {};
    const prefix = `${this.options.subjectPrefix}.`;
    try {
      const info = await this.jsm.streams.info(this.options.stream, { subjects_filter: `${prefix}>` });
      for (const [subject, count] of Object.entries(info.state.subjects ?? {})) {
        if (subject.startsWith(prefix)) out[subject.slice(prefix.length)] = { pending: count, ackPending: 0, redelivered: 0 };
      }
      for await (const c of this.jsm.consumers.list(this.options.stream)) {
        const subject = c.config.filter_subject ?? '';
        if (!subject.startsWith(prefix)) continue;
        out[subject.slice(prefix.length)] = { pending: c.num_pending, ackPending: c.num_ack_pending, redelivered: c.num_redelivered };
      }
    } catch (err) {
      throw new UpdraftError('QUEUE_ERROR', `consumers of stream ${this.options.stream}: ${(err as Error).message}`, { cause: err });
    }
    return out;
  }

  async consumer(queues: string[]): Promise<QueueConsumer> {
    if (this.closed) throw new UpdraftError('QUEUE_ERROR', 'JetStream queue is closed');
    if (queues.length === 0) throw new UpdraftError('INVALID_ARGUMENT', 'consumer(): at least one queue is required');
    queues.forEach((q, i) => assertQueueName(q, `queues[${i}]`));
    const unique = [...new Set(queues)];
    const durables = new Map(unique.map((q) => [q, queueDurableName(q)] as const));
    const ensureReady = () => this.ensureConsumers(unique);
    await ensureReady();
    for (const q of unique) this.knownQueues.add(q);
    const consumer = new JetStreamConsumer({
      nc: this.nc,
      acks: this.acks,
      stream: this.options.stream,
      durables,
      ackWaitMs: this.options.ackWaitMs,
      requestTimeoutMs: this.options.requestTimeoutMs,
      logger: this.options.logger,
      ensureReady,
      isConnected: () => this.connected && !this.closed,
      nextReconnect: () => new Promise<void>((resolve) => this.reconnectWaiters.push(resolve)),
      onStopped: () => this.consumers.delete(consumer),
    });
    this.consumers.add(consumer);
    return consumer;
  }

  onDeadLetter(listener: DeadLetterListener): () => void {
    return this.deadLetters.add(listener);
  }

  /** A core NATS publish: no stream, no ack; dropped while disconnected (the heartbeat covers it). */
  wake(workerId: string): void {
    if (this.closed) return;
    try {
      this.nc.publish(wakeSubject(workerId));
    } catch (err) {
      this.options.logger.warn({ err: (err as Error).message, workerId }, 'worker wake-up not sent (it applies at its next heartbeat)');
    }
  }

  onWake(workerId: string, fn: () => void): () => void {
    const sub = this.nc.subscribe(wakeSubject(workerId), { callback: (err) => { if (!err) fn(); } });
    return () => sub.unsubscribe();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.consumers].map((c) => c.stop()));
    this.closed = true;
    this.deadLetters.close();
    this.wakeReconnectWaiters();
    this.acks.flush();
    // Core publishes still buffered (a wake-up sent just before closing, as a CLI command does)
    // go out first; bounded, since a lost wake-up only waits for the worker's next heartbeat.
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.nc.flush().catch(() => undefined),
      new Promise<void>((resolve) => { timer = setTimeout(resolve, 1000); }),
    ]);
    clearTimeout(timer);
    await this.nc.close().catch(() => undefined);
  }

  private ensureStreamOnce(): Promise<void> {
    this.streamReady ??= ensureStream(this.jsm, this.options).then(
      () => undefined,
      (err: unknown) => {
        this.streamReady = undefined;
        throw err;
      },
    );
    return this.streamReady;
  }

  private async ensureConsumers(queues: readonly string[]): Promise<void> {
    await this.ensureStreamOnce();
    await Promise.all(
      queues.map((q) => {
        let ready = this.consumerReady.get(q);
        if (!ready) {
          ready = ensureQueueConsumer(this.jsm, this.options, q).then(
            () => undefined,
            (err: unknown) => {
              this.consumerReady.delete(q);
              throw err;
            },
          );
          this.consumerReady.set(q, ready);
        }
        return ready;
      }),
    );
  }

  private async watchStatus(): Promise<void> {
    for await (const s of this.nc.status()) {
      switch (s.type) {
        case 'disconnect':
          this.connected = false;
          this.options.logger.warn({ server: s.server }, 'NATS disconnected; reconnecting');
          for (const c of this.consumers) c.connectionChanged();
          break;
        case 'reconnect':
          this.connected = true;
          this.backoff.attempt = 0;
          // The server may have restarted with a fresh store: check stream and consumers again.
          this.streamReady = undefined;
          this.consumerReady.clear();
          this.options.logger.info({ server: s.server }, 'NATS reconnected');
          for (const c of this.consumers) c.connectionChanged();
          this.wakeReconnectWaiters();
          break;
        case 'close':
          this.connected = false;
          this.wakeReconnectWaiters();
          break;
        default:
          break;
      }
    }
  }

  private wakeReconnectWaiters(): void {
    for (const wake of this.reconnectWaiters.splice(0)) wake();
  }
}

/** Connects to NATS and returns the JetStream task queue (stream ensured). */
export function createJetStreamQueue(options: JetStreamQueueOptions): Promise<JetStreamQueue> {
  return JetStreamQueue.connect(options);
}
