/**
 * The pull loop: fetches deliveries only while the worker has free slots, `fetch(freeSlots, ...)`,
 * so a busy worker leaves messages to the other workers of its queues. Event-driven: a finished
 * attempt frees its slot and wakes the loop at once; with no free slot the loop just waits. With
 * fewer than half its slots free, it waits up to 2 ms for more before it fetches (linger()).
 */
import type { Delivery, QueueConsumer } from '@updraft/core';
import type { Logger } from '@updraft/core';

/** Longest wait for more free slots before a fetch (see linger()). */
const LINGER_MS = 2;

export interface PullLoopOptions {
  consumer: QueueConsumer;
  concurrency: number;
  /** How long one fetch waits for messages before it is issued again. */
  fetchExpiresMs: number;
  /** Pause after a failing fetch (broker down). */
  fetchErrorDelayMs: number;
  /** Handles one delivery; its slot is free again when the promise settles. */
  handle: (delivery: Delivery) => Promise<unknown>;
  logger: Logger;
}

export class PullLoop {
  private inFlightCount = 0;
  private stopped = false;
  private pausedNow = false;
  private wake: (() => void) | undefined;
  private idleWaiters: Array<() => void> = [];
  private loop: Promise<void> | undefined;
  private lingered = false;

  constructor(private readonly opts: PullLoopOptions) {}

  get inFlight(): number {
    return this.inFlightCount;
  }

  get freeSlots(): number {
    return this.stopped || this.pausedNow ? 0 : Math.max(0, this.opts.concurrency - this.inFlightCount);
  }

  get paused(): boolean {
    return this.pausedNow;
  }

  /**
   * Paused: take no new attempt (a message a fetch brings in meanwhile is given back); attempts
   * in flight go on. Unpaused: take attempts again.
   */
  setPaused(paused: boolean): void {
    this.pausedNow = paused;
    this.wake?.();
  }

  get concurrency(): number {
    return this.opts.concurrency;
  }

  /**
   * Changes how many attempts run at once, live. Growing fetches more at once; shrinking never
   * stops a running attempt: new ones are taken only while fewer than `n` run.
   */
  setConcurrency(n: number): void {
    this.opts.concurrency = Math.max(1, Math.floor(n));
    this.wake?.();
  }

  /**
   * Pulls from `next` from now on (the worker's queues changed live) and stops the previous
   * consumer: its pending fetch ends, messages it held are given back. Attempts in flight go on.
   */
  async replaceConsumer(next: QueueConsumer): Promise<void> {
    const previous = this.opts.consumer;
    this.opts.consumer = next;
    await previous.stop();
    if (this.stopped) await next.stop();
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops fetching (a pending fetch resolves empty); attempts in flight go on. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.opts.consumer.stop();
    await this.loop;
  }

  /** Resolves when no attempt is in flight. */
  idle(): Promise<void> {
    if (this.inFlightCount === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const free = this.opts.concurrency - this.inFlightCount;
      if (free <= 0 || this.pausedNow) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      if (!this.lingered && this.shouldLinger()) {
        this.lingered = true;
        await this.linger();
        continue;
      }
      this.lingered = false;
      let deliveries: Delivery[];
      try {
        deliveries = await this.opts.consumer.fetch(free, this.opts.fetchExpiresMs);
      } catch (err) {
        this.opts.logger.warn({ err }, 'fetching task messages failed: retrying');
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, this.opts.fetchErrorDelayMs);
        });
        this.wake = undefined;
        continue;
      }
      for (const delivery of deliveries) {
        // Fetched while stopping, or beyond a concurrency shrunk during the fetch: give it straight back.
        if (this.stopped || this.pausedNow || this.inFlightCount >= this.opts.concurrency) delivery.nak(0);
        else this.dispatch(delivery);
      }
    }
  }

  /** Fewer than half the slots free while others run: the next fetch would be a small one. */
  private shouldLinger(): boolean {
    return this.inFlightCount > 0 && this.opts.concurrency - this.inFlightCount < Math.ceil(this.opts.concurrency / 2);
  }

  /**
   * Waits up to LINGER_MS for more slots to free up (or a stop, pause or new concurrency), so a
   * busy worker fetches, claims and reports several tasks at a time, not one by one as its slots
   * free up. A lone task (a chain) never waits here: all its worker's other slots are free.
   */
  private linger(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, LINGER_MS);
      this.wake = () => {
        if (this.stopped || this.pausedNow || !this.shouldLinger()) done();
      };
    });
  }

  private dispatch(delivery: Delivery): void {
    this.inFlightCount += 1;
    void this.opts
      .handle(delivery)
      .catch((err: unknown) => this.opts.logger.error({ err }, 'unexpected error while handling a task message'))
      .finally(() => {
        this.inFlightCount -= 1;
        this.wake?.();
        if (this.inFlightCount === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
  }
}
