/**
 * Periodic heartbeat to the scheduler. Beats never overlap: the next one is scheduled when the
 * previous one has answered (or failed). `now()` beats at once (a remote control's wake-up, or an
 * acknowledgement to send); asked during a beat, one more follows right after it.
 */
import type { proto } from '@updraft/core';
import type { Logger } from '@updraft/core';

export interface HeartbeatOptions {
  intervalMs: number;
  beat: () => Promise<proto.HeartbeatResponse>;
  onResponse: (res: proto.HeartbeatResponse) => void;
  /** Called when a beat fails; may re-register. */
  onError: (err: unknown) => Promise<void> | void;
  logger: Logger;
}

export class Heartbeat {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private inFlight: Promise<void> | undefined;
  private again = false;

  constructor(private readonly opts: HeartbeatOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    // Beat at once: registration may lie a while back (runner prewarm), and tasks start now.
    this.fire();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.inFlight;
  }

  /** Beats at once instead of at the next interval (coalesced with a beat in flight). */
  now(): void {
    if (!this.running) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.fire();
  }

  private fire(): void {
    this.inFlight = this.beat().finally(() => {
      this.inFlight = undefined;
      if (this.again && this.running) {
        this.again = false;
        this.fire();
      } else {
        this.schedule();
      }
    });
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => this.fire(), this.opts.intervalMs);
  }

  private async beat(): Promise<void> {
    try {
      this.opts.onResponse(await this.opts.beat());
    } catch (err) {
      try {
        await this.opts.onError(err);
      } catch (inner) {
        this.opts.logger.warn({ err: inner }, 'heartbeat recovery failed');
      }
    }
  }
}
