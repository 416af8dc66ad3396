/**
 * In-process queue for standalone mode: the QueuePort semantics of the JetStream adapter without a
 * broker. Per-queue FIFO, dedupe by message id within a window, fetch waits for a message without
 * polling, ack/nak/ack-wait redelivery with delivery counts, dead letters after maxDeliver.
 * Scheduler and worker must share ONE instance (it lives in the process memory).
 */
import { decodeTaskMessage, encodeTaskMessage, taskMessageId, type Delivery, type QueueConsumer, type QueueStats, type TaskMessage } from './port.js';
import { UpdraftError } from '../errors.js';
import { assertQueueName } from './names.js';
import type { DeadLetter, DeadLetterListener, TaskQueue } from './dead-letter.js';

export interface MemoryQueueOptions {
  /** Deliveries before a message becomes a dead letter. Default 5. */
  maxDeliver?: number;
  /** Unacked deliveries are redelivered after this long (extended by working()). Default 30000. */
  ackWaitMs?: number;
  /** A message id published again within this window is dropped. Default 120000. */
  duplicateWindowMs?: number;
}

interface Entry {
  readonly seq: number;
  readonly queue: string;
  readonly body: Uint8Array;
  deliveries: number;
  /** Identifies the current delivery; a stale Delivery object (older generation) cannot nak/extend. */
  generation: number;
  inflight: boolean;
  timer: NodeJS.Timeout | undefined;
}

interface Waiter {
  readonly queues: readonly string[];
  readonly max: number;
  readonly owner: MemoryConsumer;
  resolve(deliveries: Delivery[]): void;
  timer: NodeJS.Timeout;
}

export class MemoryQueue implements TaskQueue {
  readonly maxDeliver: number;
  readonly ackWaitMs: number;
  readonly duplicateWindowMs: number;
  private readonly ready = new Map<string, Entry[]>();
  private readonly inflight = new Map<string, Set<Entry>>();
  /** msg id -> time seen; a Map keeps insertion order, so expiry prunes from the front. */
  private readonly seen = new Map<string, number>();
  private readonly waiters: Waiter[] = [];
  private readonly deadLetterListeners = new Set<DeadLetterListener>();
  private seq = 0;
  private closed = false;
  private readonly wakeListeners = new Map<string, Set<() => void>>();

  constructor(options: MemoryQueueOptions = {}) {
    this.maxDeliver = positive(options.maxDeliver ?? 5, 'maxDeliver');
    this.ackWaitMs = positive(options.ackWaitMs ?? 30_000, 'ackWaitMs');
    this.duplicateWindowMs = positive(options.duplicateWindowMs ?? 120_000, 'duplicateWindowMs');
  }

  async publish(message: TaskMessage): Promise<void> {
    if (this.closed) throw new UpdraftError('QUEUE_ERROR', 'memory queue is closed');
    const queue = assertQueueName(message.queue, 'TaskMessage.queue');
    const id = taskMessageId(message);
    const now = Date.now();
    for (const [seenId, at] of this.seen) {
      if (now - at < this.duplicateWindowMs) break;
      this.seen.delete(seenId);
    }
    if (this.seen.has(id)) return;
    this.seen.set(id, now);
    // Stored encoded, as a broker would: the consumer gets its own copy.
    const entry: Entry = {
      seq: ++this.seq, queue, body: encodeTaskMessage(message),
      deliveries: 0, generation: 0, inflight: false, timer: undefined,
    };
    this.readyOf(queue).push(entry);
    this.dispatch();
  }

  async depths(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const [queue, entries] of this.ready) out[queue] = entries.length;
    for (const [queue, entries] of this.inflight) out[queue] = (out[queue] ?? 0) + entries.size;
    return out;
  }

  async queueStats(): Promise<Record<string, QueueStats>> {
    const out: Record<string, QueueStats> = {};
    const of = (q: string): QueueStats => (out[q] ??= { pending: 0, ackPending: 0, redelivered: 0 });
    for (const [queue, entries] of this.ready) {
      of(queue).pending += entries.length;
      of(queue).redelivered += entries.filter((e) => e.deliveries > 0).length;
    }
    for (const [queue, entries] of this.inflight) {
      of(queue).ackPending += entries.size;
      for (const e of entries) if (e.deliveries > 1) of(queue).redelivered++;
    }
    return out;
  }

  async consumer(queues: string[]): Promise<QueueConsumer> {
    if (this.closed) throw new UpdraftError('QUEUE_ERROR', 'memory queue is closed');
    if (queues.length === 0) throw new UpdraftError('INVALID_ARGUMENT', 'consumer(): at least one queue is required');
    queues.forEach((q, i) => assertQueueName(q, `queues[${i}]`));
    for (const q of queues) this.readyOf(q);
    return new MemoryConsumer(this, [...new Set(queues)]);
  }

  onDeadLetter(listener: DeadLetterListener): () => void {
    this.deadLetterListeners.add(listener);
    return () => this.deadLetterListeners.delete(listener);
  }

  wake(workerId: string): void {
    for (const fn of this.wakeListeners.get(workerId) ?? []) queueMicrotask(fn);
  }

  onWake(workerId: string, fn: () => void): () => void {
    const set = this.wakeListeners.get(workerId) ?? new Set<() => void>();
    set.add(fn);
    this.wakeListeners.set(workerId, set);
    return () => {
      set.delete(fn);
      if (set.size === 0) this.wakeListeners.delete(workerId);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeListeners.clear();
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.resolve([]);
    }
    for (const set of this.inflight.values()) for (const e of set) clearTimeout(e.timer);
  }

  /** @internal Take up to `max` ready messages from `queues`, starting at `start` (round robin). */
  take(queues: readonly string[], max: number, start: number): Delivery[] {
    const out: Delivery[] = [];
    // One message per queue per round, so a busy queue cannot starve the others.
    for (let progress = true; out.length < max && progress; ) {
      progress = false;
      for (let i = 0; i < queues.length && out.length < max; i++) {
        const entry = this.readyOf(queues[(start + i) % queues.length]!).shift();
        if (entry) {
          out.push(this.deliver(entry));
          progress = true;
        }
      }
    }
    return out;
  }

  /** @internal */
  wait(waiter: Waiter): void {
    this.waiters.push(waiter);
  }

  /** @internal */
  cancelWaiters(owner: MemoryConsumer | undefined, waiter?: Waiter): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i]!;
      if (w === waiter || (owner !== undefined && w.owner === owner)) {
        this.waiters.splice(i, 1);
        clearTimeout(w.timer);
        w.resolve([]);
      }
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Hand ready messages to waiting fetches, oldest waiter first. */
  private dispatch(): void {
    for (let i = 0; i < this.waiters.length; ) {
      const w = this.waiters[i]!;
      const got = this.take(w.queues, w.max, 0);
      if (got.length === 0) {
        i++;
        continue;
      }
      this.waiters.splice(i, 1);
      clearTimeout(w.timer);
      w.resolve(got);
    }
  }

  private deliver(entry: Entry): Delivery {
    entry.deliveries += 1;
    entry.generation += 1;
    entry.inflight = true;
    this.inflightOf(entry.queue).add(entry);
    this.armAckWait(entry);
    const generation = entry.generation;
    const current = () => entry.inflight && entry.generation === generation;
    return {
      message: decodeTaskMessage(entry.body),
      deliveryCount: entry.deliveries,
      ack: async () => {
        // Like JetStream: an ack of any delivery of the message removes it.
        this.remove(entry);
      },
      nak: (delayMs = 0) => {
        if (!current()) return;
        clearTimeout(entry.timer);
        entry.timer = undefined;
        if (delayMs > 0) entry.timer = setTimeout(() => this.redeliver(entry, generation), delayMs);
        else this.redeliver(entry, generation);
      },
      working: () => {
        if (current()) this.armAckWait(entry);
      },
    };
  }

  private armAckWait(entry: Entry): void {
    clearTimeout(entry.timer);
    const generation = entry.generation;
    entry.timer = setTimeout(() => this.redeliver(entry, generation), this.ackWaitMs);
  }

  private redeliver(entry: Entry, generation: number): void {
    if (!entry.inflight || entry.generation !== generation || this.closed) return;
    if (entry.deliveries >= this.maxDeliver) {
      this.remove(entry);
      this.emitDeadLetter(entry);
      return;
    }
    entry.inflight = false;
    this.inflightOf(entry.queue).delete(entry);
    // Redeliveries go first, as in JetStream.
    this.readyOf(entry.queue).unshift(entry);
    this.dispatch();
  }

  private remove(entry: Entry): void {
    clearTimeout(entry.timer);
    entry.timer = undefined;
    entry.inflight = false;
    this.inflightOf(entry.queue).delete(entry);
    const ready = this.readyOf(entry.queue);
    const at = ready.indexOf(entry);
    if (at >= 0) ready.splice(at, 1);
  }

  private emitDeadLetter(entry: Entry): void {
    const dead: DeadLetter = {
      message: decodeTaskMessage(entry.body), queue: entry.queue, deliveries: entry.deliveries, sequence: entry.seq,
    };
    for (const listener of this.deadLetterListeners) {
      Promise.resolve()
        .then(() => listener(dead))
        .catch(() => undefined); // a listener's failure must not break the queue; it logs its own errors
    }
  }

  private readyOf(queue: string): Entry[] {
    let list = this.ready.get(queue);
    if (!list) this.ready.set(queue, (list = []));
    return list;
  }

  private inflightOf(queue: string): Set<Entry> {
    let set = this.inflight.get(queue);
    if (!set) this.inflight.set(queue, (set = new Set()));
    return set;
  }
}

class MemoryConsumer implements QueueConsumer {
  private stopped = false;
  private rotation = 0;

  constructor(
    private readonly queue: MemoryQueue,
    private readonly queues: readonly string[],
  ) {}

  fetch(max: number, expiresMs: number): Promise<Delivery[]> {
    if (!Number.isInteger(max) || max < 1) {
      return Promise.reject(new UpdraftError('INVALID_ARGUMENT', `fetch(): max must be an integer >= 1, got ${max}`));
    }
    if (this.stopped || this.queue.isClosed) return Promise.resolve([]);
    const start = this.rotation++ % this.queues.length;
    const now = this.queue.take(this.queues, max, start);
    if (now.length > 0 || expiresMs <= 0) return Promise.resolve(now);
    return new Promise<Delivery[]>((resolve) => {
      const waiter: Waiter = {
        queues: rotate(this.queues, start), max, owner: this, resolve,
        timer: setTimeout(() => this.queue.cancelWaiters(undefined, waiter), expiresMs),
      };
      this.queue.wait(waiter);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.cancelWaiters(this);
  }
}

function rotate<T>(items: readonly T[], start: number): T[] {
  return [...items.slice(start), ...items.slice(0, start)];
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new UpdraftError('CONFIG_INVALID', `MemoryQueue: ${name} must be a positive number, got ${value}`);
  }
  return value;
}

/** The in-process queue (standalone mode); share the one instance between scheduler and worker. */
export function createMemoryQueue(options: MemoryQueueOptions = {}): MemoryQueue {
  return new MemoryQueue(options);
}
