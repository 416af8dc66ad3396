/**
 * Pull consumer over one or more queues, each backed by the queue's shared durable consumer.
 *
 * Pull requests are raw JetStream `CONSUMER.MSG.NEXT` requests with `no_wait` + `expires`: the
 * server waits up to `expires` for the first message, then hands over what is available (up to
 * `batch`) at once and ends the request with a 408. So a worker with N free slots gets between 1
 * and N messages as soon as there is work, and never more than it asked for.
 *
 * One queue: one such request with batch = max. Several queues: first a non-blocking sweep over the
 * queues in rotating order (fairness) with what is left of `max`; if that finds nothing, one
 * waiting request of batch 1 per queue, and the first message ends the fetch. A waiting request
 * still open after its fetch ended is reused by the next fetch; a message it brings in meanwhile is
 * kept in a local buffer (its ack deadline extended) and handed out first by the next fetch, so at
 * most one message per extra queue is held beyond what was asked for.
 */
import { createInbox, nanos, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { decodeTaskMessage, type Delivery, type QueueConsumer, type TaskMessage } from './port.js';
import { UpdraftError } from '../errors.js';
import type { AckBatch } from './ack-batch.js';
import { JetStreamDelivery, parseAckSubject, terminate, type DeliveryContext } from './jetstream-delivery.js';
import { sleep } from '../lib.js';
import type { Logger } from '../logging/logger.js';

export interface ConsumerDeps {
  nc: NatsConnection;
  /** The queue's acks, published together (one batch per connection). */
  acks: AckBatch;
  stream: string;
  /** queue name -> durable consumer name */
  durables: ReadonlyMap<string, string>;
  ackWaitMs: number;
  requestTimeoutMs: number;
  logger: Logger;
  /** Makes sure the stream and the consumers exist (idempotent, cached by the caller until reset). */
  ensureReady(): Promise<void>;
  isConnected(): boolean;
  /** Resolves at the next reconnect (or when the adapter closes). */
  nextReconnect(): Promise<void>;
  onStopped(): void;
}

interface FetchCtx {
  readonly max: number;
  readonly out: JetStreamDelivery[];
  /** 'collect': resolve when the requests end; 'first': resolve at the first message. */
  readonly mode: 'collect' | 'first';
  readonly deadline: number;
  open: boolean;
  /** The fetch has sent all the requests it means to send. */
  started: boolean;
  trouble: boolean;
  pending: Set<PullRequest>;
  resolve(): void;
}

interface PullRequest {
  readonly id: string;
  readonly queue: string;
  readonly batch: number;
  received: number;
  done: boolean;
  ctx: FetchCtx | undefined;
  timer: NodeJS.Timeout;
  onDone: Array<() => void>;
}

/** Extra time past a request's expiry before we stop waiting for the server's 408. */
const EXPIRY_GRACE_MS = 2000;
/** Pause before an empty fetch returns after a broker problem, so a caller's loop does not spin. */
const TROUBLE_PAUSE_MS = 1000;

export class JetStreamConsumer implements QueueConsumer {
  private readonly inbox = createInbox();
  private readonly sub: Subscription;
  private readonly requests = new Map<string, PullRequest>();
  /** Outstanding waiting request per queue (at most one). */
  private readonly waiting = new Map<string, PullRequest>();
  private readonly buffer: JetStreamDelivery[] = [];
  private readonly queues: readonly string[];
  private readonly deliveryCtx: DeliveryContext;
  private keepalive: NodeJS.Timeout | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private current: FetchCtx | undefined;
  private stopped = false;
  private readonly stoppedSignal = signal();
  private rotation = 0;
  private nextId = 0;

  constructor(private readonly deps: ConsumerDeps) {
    this.queues = [...deps.durables.keys()];
    this.deliveryCtx = {
      nc: deps.nc,
      acks: deps.acks,
      settled: (d) => this.dropFromBuffer(d),
    };
    this.sub = deps.nc.subscribe(`${this.inbox}.*`, { callback: (_err, msg) => this.onMessage(msg) });
  }

  fetch(max: number, expiresMs: number): Promise<Delivery[]> {
    if (!Number.isInteger(max) || max < 1) {
      return Promise.reject(new UpdraftError('INVALID_ARGUMENT', `fetch(): max must be an integer >= 1, got ${max}`));
    }
    // One fetch at a time: concurrent calls queue up behind each other.
    const run = this.chain.then(() => this.fetchNow(max, Math.max(0, expiresMs)));
    this.chain = run.catch(() => undefined);
    return run;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.stoppedSignal.fire();
    if (this.current) this.closeCtx(this.current, true);
    for (const d of this.buffer.splice(0)) d.nak();
    this.updateKeepalive();
    // Let requests the server already answered drain into onMessage (which now naks), then leave.
    await this.deps.nc.flush().catch(() => undefined);
    for (const r of [...this.requests.values()]) this.finish(r);
    this.sub.unsubscribe();
    this.deps.onStopped();
  }

  /** Connection lost or regained: open requests may be gone on the server side. */
  connectionChanged(): void {
    for (const r of [...this.requests.values()]) this.finish(r);
  }

  private async fetchNow(max: number, expiresMs: number): Promise<Delivery[]> {
    if (this.stopped) return [];
    const deadline = Date.now() + expiresMs;
    const buffered = this.takeBuffer(max);
    if (buffered.length > 0) return buffered;
    if (!this.deps.isConnected()) {
      await raceTimeout(Promise.race([this.deps.nextReconnect(), this.stoppedSignal.promise]), expiresMs);
      return [];
    }
    try {
      await this.deps.ensureReady();
    } catch (err) {
      this.deps.logger.warn({ err }, 'JetStream consumers not ready; fetch returns empty');
      await sleep(Math.min(TROUBLE_PAUSE_MS, expiresMs));
      return [];
    }
    const start = this.rotation++ % this.queues.length;
    const order = [...this.queues.slice(start), ...this.queues.slice(0, start)];

    if (order.length === 1 && expiresMs > 0) {
      return this.runCtx('collect', max, deadline, (ctx) => this.attachWaiting(ctx, order[0]!, max, expiresMs));
    }
    // Several queues (or no waiting wanted): a non-blocking sweep first...
    const swept = await this.runCtx('collect', max, deadline, async (ctx) => {
      for (const queue of order) {
        const left = max - ctx.out.length;
        if (left <= 0 || !ctx.open) break;
        await this.waitFor(this.request(ctx, queue, left, 0));
      }
    });
    if (swept.length > 0 || expiresMs === 0 || this.stopped) return swept;
    // ...then wait on all of them; the first message wins.
    return this.runCtx('first', 1, deadline, (ctx) => {
      for (const queue of order) this.attachWaiting(ctx, queue, 1, deadline - Date.now());
    });
  }

  private runCtx(
    mode: FetchCtx['mode'],
    max: number,
    deadline: number,
    start: (ctx: FetchCtx) => void | Promise<void>,
  ): Promise<JetStreamDelivery[]> {
    return new Promise<JetStreamDelivery[]>((resolve) => {
      const ctx: FetchCtx = {
        max, mode, deadline, out: [], open: true, started: false, trouble: false, pending: new Set(),
        resolve: () => {
          clearTimeout(timer);
          if (this.current === ctx) this.current = undefined;
          const out = ctx.out.splice(0);
          if (out.length === 0 && ctx.trouble && !this.stopped) {
            setTimeout(() => resolve([]), Math.max(0, Math.min(TROUBLE_PAUSE_MS, deadline - Date.now()))).unref();
          } else {
            resolve(out);
          }
        },
      };
      this.current = ctx;
      // Normally the server's 408 ends a request at its expiry; this only fires if it never comes.
      const timer = setTimeout(() => this.closeCtx(ctx, false), Math.max(0, deadline - Date.now()) + EXPIRY_GRACE_MS);
      Promise.resolve(start(ctx)).then(
        () => {
          ctx.started = true;
          if (ctx.open && ctx.pending.size === 0) this.closeCtx(ctx, false);
        },
        (err: unknown) => {
          this.deps.logger.warn({ err }, 'JetStream pull failed');
          ctx.trouble = true;
          this.closeCtx(ctx, false);
        },
      );
    });
  }

  private closeCtx(ctx: FetchCtx, discard: boolean): void {
    if (!ctx.open) return;
    ctx.open = false;
    for (const r of ctx.pending) r.ctx = undefined;
    ctx.pending.clear();
    if (discard) for (const d of ctx.out.splice(0)) d.nak();
    ctx.resolve();
  }

  /** Use the queue's open waiting request, or open one. */
  private attachWaiting(ctx: FetchCtx, queue: string, batch: number, expiresMs: number): void {
    const open = this.waiting.get(queue);
    if (open && !open.done) {
      open.ctx = ctx;
      ctx.pending.add(open);
      return;
    }
    if (expiresMs <= 0) return;
    const r = this.request(ctx, queue, batch, expiresMs);
    this.waiting.set(queue, r);
  }

  /** Sends one pull request; expiresMs 0 = answer at once (no_wait without expires). */
  private request(ctx: FetchCtx, queue: string, batch: number, expiresMs: number): PullRequest {
    const id = String(++this.nextId);
    const r: PullRequest = {
      id, queue, batch, received: 0, done: false, ctx, onDone: [],
      timer: setTimeout(() => this.finish(r), (expiresMs || this.deps.requestTimeoutMs) + EXPIRY_GRACE_MS),
    };
    r.timer.unref();
    this.requests.set(id, r);
    ctx.pending.add(r);
    const body: Record<string, unknown> = { batch, no_wait: true };
    if (expiresMs > 0) body.expires = nanos(expiresMs);
    const durable = this.deps.durables.get(queue)!;
    // The acks held now (ack-batch.ts) leave in the same socket write as this request: a worker
    // pulls when slots free up, which is when its acks come, so this saves a write (and a wake-up
    // of nats-server) per pull. Acked first, they also no longer count against max ack pending.
    this.deps.acks.flush();
    try {
      this.deps.nc.publish(`$JS.API.CONSUMER.MSG.NEXT.${this.deps.stream}.${durable}`, JSON.stringify(body), {
        reply: `${this.inbox}.${id}`,
      });
    } catch (err) {
      ctx.trouble = true;
      this.deps.logger.warn({ err, queue }, 'JetStream pull request not sent');
      this.finish(r);
    }
    return r;
  }

  private waitFor(r: PullRequest): Promise<void> {
    if (r.done) return Promise.resolve();
    return new Promise<void>((resolve) => r.onDone.push(resolve));
  }

  private finish(r: PullRequest): void {
    if (r.done) return;
    r.done = true;
    clearTimeout(r.timer);
    this.requests.delete(r.id);
    if (this.waiting.get(r.queue) === r) this.waiting.delete(r.queue);
    const ctx = r.ctx;
    r.ctx = undefined;
    for (const done of r.onDone.splice(0)) done();
    if (!ctx || !ctx.open) return;
    ctx.pending.delete(r);
    if (ctx.mode === 'first') {
      // This queue's wait ended without a message while the fetch still waits: wait on it again.
      const left = ctx.deadline - Date.now();
      if (left >= 1000 && !this.stopped && this.deps.isConnected()) {
        this.attachWaiting(ctx, r.queue, 1, left);
      }
    }
    if (ctx.started && ctx.pending.size === 0) this.closeCtx(ctx, false);
  }

  private onMessage(msg: Msg): void {
    const code = msg.headers?.code ?? 0;
    if (!msg.reply && code > 0) {
      // Status for one request (it comes on the request's own inbox subject): 404 no messages,
      // 408 request ended, 409 refused (too many waiting requests, consumer deleted...), 100 heartbeat.
      const r = this.requests.get(msg.subject.slice(this.inbox.length + 1));
      if (code === 409) {
        this.deps.logger.warn({ description: msg.headers?.description, queue: r?.queue }, 'JetStream refused a pull request');
        if (r?.ctx) r.ctx.trouble = true;
      }
      if (code !== 100 && r) this.finish(r);
      return;
    }
    // A delivery keeps its original subject; its ack subject names the consumer, hence the queue.
    const info = msg.reply ? parseAckSubject(msg.reply) : undefined;
    if (!info) {
      this.deps.logger.warn({ subject: msg.subject }, 'unexpected message on pull inbox ignored');
      return;
    }
    const queue = this.queueOfDurable(info.consumer);
    // The server serves a consumer's waiting requests in order: count it against our oldest open one.
    const r = [...this.requests.values()].find((x) => x.queue === queue && !x.done);
    let message: TaskMessage;
    try {
      message = decodeTaskMessage(msg.data);
    } catch (err) {
      this.deps.logger.error({ err, queue, seq: info.streamSequence }, 'undecodable task message terminated');
      terminate(this.deps.nc, msg);
      if (r) this.countReceived(r);
      return;
    }
    const d = new JetStreamDelivery(msg, info, message, queue, this.deliveryCtx);
    const ctx = this.current;
    if (this.stopped) {
      d.nak();
    } else if (ctx?.open && ctx.out.length < ctx.max) {
      ctx.out.push(d);
      if (ctx.mode === 'first') this.closeCtx(ctx, false);
    } else {
      this.buffer.push(d);
      this.updateKeepalive();
    }
    if (r) this.countReceived(r);
  }

  private countReceived(r: PullRequest): void {
    r.received += 1;
    if (r.received >= r.batch) this.finish(r);
  }

  private queueOfDurable(durable: string): string {
    for (const [q, d] of this.deps.durables) if (d === durable) return q;
    return durable;
  }

  private takeBuffer(max: number): JetStreamDelivery[] {
    const out = this.buffer.splice(0, max);
    this.updateKeepalive();
    return out;
  }

  private dropFromBuffer(d: JetStreamDelivery): void {
    const at = this.buffer.indexOf(d);
    if (at >= 0) this.buffer.splice(at, 1);
  }

  /** Buffered deliveries nobody works on yet: keep their ack deadline from passing. */
  private updateKeepalive(): void {
    if (this.buffer.length > 0 && !this.keepalive) {
      this.keepalive = setInterval(() => {
        for (const d of this.buffer) d.extend();
      }, Math.max(500, Math.floor(this.deps.ackWaitMs / 3)));
      this.keepalive.unref();
    } else if (this.buffer.length === 0 && this.keepalive) {
      clearInterval(this.keepalive);
      this.keepalive = undefined;
    }
  }
}

function signal(): { promise: Promise<void>; fire: () => void } {
  let fire!: () => void;
  const promise = new Promise<void>((resolve) => (fire = resolve));
  return { promise, fire };
}

function raceTimeout(p: Promise<void>, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    p.then(
      () => {
        clearTimeout(t);
        resolve();
      },
      () => {
        clearTimeout(t);
        resolve();
      },
    );
  });
}
