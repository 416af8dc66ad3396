/**
 * The worker's side of the task-log stream: one NATS connection that publishes log messages. It
 * connects in the background and keeps trying (a worker runs its tasks, with their local log
 * files, whether or not NATS is up); `ready` says when publishes may go out, and listeners hear
 * every change, so the shippers can send again from what NATS confirmed.
 *
 * Publishes are plain NATS publishes whose reply subject is one inbox subscription of this
 * connection (`<inbox>.<n>`): JetStream's acknowledgements come back there and settle each
 * publish, and one timer fails those unanswered after requestTimeoutMs. That costs far less per
 * message than a request each (the client's request path builds errors and a timer per call),
 * and a try's log is a message or two per task on the task hot path.
 */
import { createInbox, headers, type Msg } from '@nats-io/transport-node';
import { silentLogger } from '../logging/logger.js';
import { connectLogStream, type LogStreamConnection, type TaskLogStreamOptions } from './connection.js';
import { LOG_END_HEADER, LOG_OFFSET_HEADER } from './records.js';
import { ensureTaskLogStream } from './setup.js';

export interface TaskLogPublisherOptions extends TaskLogStreamOptions {
  /** `logging.retention_days`: the stream's max age. */
  retentionDays: number;
}

export interface TaskLogPublisher {
  /** Connected, with the stream in place. */
  readonly ready: boolean;
  /** Called with true on every (re)ready and false when publishing stopped working. */
  onChange(listener: (ready: boolean) => void): void;
  /**
   * Publishes `data` (starting at file offset `offset`; undefined for an end-only message) and
   * resolves when JetStream stored it. `end`: the log's final size, on its last message.
   */
  publish(subject: string, data: Uint8Array, offset: number | undefined, end: number | undefined): Promise<void>;
  close(): Promise<void>;
}

const RETRY_MS = 1000;

class JetStreamLogPublisher implements TaskLogPublisher {
  ready = false;
  private conn: LogStreamConnection | undefined;
  private closed = false;
  private generation = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners: Array<(ready: boolean) => void> = [];
  private warned = false;
  private inbox: string | undefined;
  private sequence = 0;
  private readonly waiting = new Map<string, { resolve(): void; reject(err: Error): void; sentAt: number }>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly o: TaskLogPublisherOptions) {}

  onChange(listener: (ready: boolean) => void): void {
    this.listeners.push(listener);
  }

  start(): void {
    void this.connectLoop();
  }

  async publish(subject: string, data: Uint8Array, offset: number | undefined, end: number | undefined): Promise<void> {
    const conn = this.conn;
    if (!this.ready || conn === undefined || this.inbox === undefined) throw new Error('not connected to NATS');
    const generation = this.generation;
    const h = headers();
    if (offset !== undefined) h.set(LOG_OFFSET_HEADER, String(offset));
    if (end !== undefined) h.set(LOG_END_HEADER, String(end));
    const id = String(++this.sequence);
    try {
      await new Promise<void>((resolve, reject) => {
        this.waiting.set(id, { resolve, reject, sentAt: Date.now() });
        conn.nc.publish(subject, data, { headers: h, reply: `${this.inbox}.${id}` });
      });
    } catch (err) {
      // The first failure of this generation: everyone sends again once the stream answers.
      if (generation === this.generation && this.ready) this.lost(err);
      throw err;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    clearInterval(this.sweeper);
    this.setReady(false);
    await this.conn?.nc.close().catch(() => undefined);
  }

  /** A JetStream acknowledgement (or a no-responders status: no stream for the subject). */
  private acknowledged(msg: Msg): void {
    const id = msg.subject.slice(msg.subject.lastIndexOf('.') + 1);
    const w = this.waiting.get(id);
    if (w === undefined) return;
    this.waiting.delete(id);
    if (msg.headers?.hasError) {
      w.reject(new Error(`publish refused: ${msg.headers.code} ${msg.headers.description}`));
      return;
    }
    const text = new TextDecoder().decode(msg.data);
    if (text.includes('"error"')) w.reject(new Error(`publish refused: ${text}`));
    else w.resolve();
  }

  /** Fails the publishes waiting longer than requestTimeoutMs (or all of them: `all`). */
  private expire(all: boolean, why: string): void {
    const limit = Date.now() - (this.o.requestTimeoutMs ?? 5000);
    for (const [id, w] of this.waiting) {
      if (!all && w.sentAt > limit) continue;
      this.waiting.delete(id);
      w.reject(new Error(why));
    }
  }

  private logger() {
    return this.o.logger ?? silentLogger;
  }

  private setReady(ready: boolean): void {
    if (this.ready === ready) return;
    this.ready = ready;
    this.generation += 1;
    if (!ready) this.expire(true, 'the connection to NATS was lost');
    for (const l of this.listeners) l(ready);
  }

  private lost(err: unknown): void {
    this.logger().warn({ err: (err as Error)?.message ?? String(err) }, 'task log stream: publish failed; logs are kept in their files and sent again');
    this.setReady(false);
    this.later(() => this.prepare());
  }

  private later(fn: () => Promise<void>): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void fn(), RETRY_MS);
    this.timer.unref();
  }

  private async connectLoop(): Promise<void> {
    if (this.closed) return;
    try {
      const conn = await connectLogStream(this.o);
      if (this.closed) {
        await conn.nc.close().catch(() => undefined);
        return;
      }
      this.conn = conn;
      this.inbox = createInbox();
      conn.nc.subscribe(`${this.inbox}.*`, { callback: (err, msg) => (err ? undefined : this.acknowledged(msg)) });
      this.sweeper = setInterval(() => this.expire(false, 'no acknowledgement from JetStream in time'), 1000);
      this.sweeper.unref();
      void this.watch(conn);
      await this.prepare();
    } catch (err) {
      const log = this.logger();
      const detail = { err: (err as Error)?.message ?? String(err) };
      if (!this.warned) log.warn(detail, 'task log stream: NATS not reachable; task logs stay in their files until it is');
      else log.debug(detail, 'task log stream: NATS still not reachable');
      this.warned = true;
      this.later(() => this.connectLoop());
    }
  }

  /** Makes sure the stream exists (the server may be new after a reconnect), then ready. */
  private async prepare(): Promise<void> {
    const conn = this.conn;
    if (this.closed || conn === undefined || conn.nc.isClosed()) return;
    try {
      await ensureTaskLogStream(conn.jsm, this.o.retentionDays);
      this.setReady(true);
    } catch (err) {
      this.logger().warn({ err: (err as Error)?.message ?? String(err) }, 'task log stream: cannot set up the stream; retrying');
      this.later(() => this.prepare());
    }
  }

  private async watch(conn: LogStreamConnection): Promise<void> {
    for await (const s of conn.nc.status()) {
      if (s.type === 'disconnect') this.setReady(false);
      else if (s.type === 'reconnect') void this.prepare();
    }
  }
}

/** A publisher that connects in the background (see the file comment). */
export function startTaskLogPublisher(o: TaskLogPublisherOptions): TaskLogPublisher {
  const p = new JetStreamLogPublisher(o);
  p.start();
  return p;
}
