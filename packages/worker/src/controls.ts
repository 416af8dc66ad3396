/**
 * What the scheduler's heartbeat answers ask of a running worker, applied here: kill attempts it
 * ended (zombie, cleared, timed out), drain, and the monitor's live controls (concurrency, queues,
 * pause). Each applied control is acknowledged in a heartbeat sent at once (a queue change once the
 * consumer over the new queues is in place), so the monitor shows it took effect.
 */
import type { proto, Logger, QueueConsumer } from '@updraft/core';
import type { Attempt } from './attempt.js';
import type { PullLoop } from './pull-loop.js';

/** The worker as the controls see it. */
export interface ControlledWorker {
  /** True while the worker takes tasks (not starting, stopping or stopped). */
  isRunning(): boolean;
  loop(): PullLoop | undefined;
  attempts(): Iterable<Attempt>;
  drain(reason: string): void;
  /** A consumer of these queues (the worker's queue factory). */
  consumerFor(queues: string[]): Promise<QueueConsumer>;
  /** Sends a heartbeat now (it carries the acknowledgements). */
  beatNow(): void;
  logger: Logger;
}

export const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));

export class Controls {
  /** The queues pulled from now: worker.queues, or what the monitor set live. */
  private current: string[];
  /** Queue changes apply one after the other. */
  private queueChange: Promise<void> = Promise.resolve();
  /** Remote controls applied and not yet sent as acknowledged (the next heartbeat carries them). */
  private acks: number[] = [];
  /** Controls acknowledged already (pruned to those the scheduler still lists). */
  private readonly acked = new Set<number>();

  constructor(private readonly worker: ControlledWorker, queues: readonly string[]) {
    this.current = [...queues];
  }

  get queues(): string[] {
    return this.current;
  }

  /** The acknowledgements for the next heartbeat (taken: give them back with `unsent` if it fails). */
  takeAcks(): number[] {
    return this.acks.splice(0);
  }

  /** Acknowledgements of a heartbeat that failed: sent with the next one. */
  unsent(ids: readonly number[]): void {
    this.acks.unshift(...ids);
  }

  /** Applies a heartbeat's answer. */
  apply(res: proto.HeartbeatResponse): void {
    const w = this.worker;
    res.kill.forEach((ra, i) => {
      // A scheduler that sends no reason (an older one) still gets the attempt killed.
      const reason = res.killReasons[i] || 'the scheduler ended this attempt (zombie, cleared or timed out)';
      for (const attempt of w.attempts()) {
        if (attempt.matches(ra)) attempt.kill(reason);
      }
    });
    if (res.drain && w.isRunning()) w.drain('the scheduler asked this worker to drain');
    const loop = w.loop();
    if (res.concurrency > 0 && loop && res.concurrency !== loop.concurrency && w.isRunning()) {
      w.logger.info({ from: loop.concurrency, to: res.concurrency }, 'concurrency changed live (monitor)');
      loop.setConcurrency(res.concurrency);
    }
    if (res.queues.length > 0 && !sameSet(res.queues, this.current) && w.isRunning()) this.changeQueues(res.queues);
    if (loop && w.isRunning() && res.pause !== loop.paused) {
      w.logger.info({ running: [...w.attempts()].length }, res.pause ? 'paused (monitor): taking no new task' : 'resumed (monitor): taking tasks again');
      loop.setPaused(res.pause);
    }
    this.acknowledge(res.controls ?? []);
  }

  /**
   * Pulls from `queues` from now on: a consumer over the new list replaces the old one; running
   * tasks go on. The next heartbeat reports the list (the acknowledgement).
   */
  private changeQueues(queues: string[]): void {
    const w = this.worker;
    this.queueChange = this.queueChange.then(async () => {
      const loop = w.loop();
      if (!w.isRunning() || !loop || sameSet(queues, this.current)) return;
      const from = this.current;
      try {
        await loop.replaceConsumer(await w.consumerFor(queues));
        this.current = [...queues];
        w.logger.info({ from, to: queues }, 'queues changed live (monitor)');
      } catch (err) {
        w.logger.warn({ err: err instanceof Error ? err.message : String(err), from, to: queues }, 'changing the queues live failed; retrying at the next heartbeat');
      }
    });
  }

  /** The answer's controls are applied (queue changes once in place): acknowledge them in a heartbeat at once. */
  private acknowledge(controls: readonly number[]): void {
    const listed = new Set(controls);
    for (const id of this.acked) if (!listed.has(id)) this.acked.delete(id);
    const fresh = controls.filter((id) => !this.acked.has(id));
    if (fresh.length === 0) return;
    for (const id of fresh) this.acked.add(id);
    void this.queueChange.then(() => {
      this.acks.push(...fresh);
      this.worker.beatNow();
    });
  }
}
