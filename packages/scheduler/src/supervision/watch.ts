/**
 * When may supervision blame a worker for silence? Only after the scheduler itself has been
 * watching without interruption for a full heartbeat timeout: after the scheduler starts (workers
 * could not reach a dead scheduler), after a database outage (heartbeats could not be recorded),
 * and after the process stalled (heartbeats waited in the socket). A gap between two supervision
 * runs longer than `maxGapMs`, or a failed run, starts the watch again.
 */
export class Watch {
  private since: number | undefined;
  private lastOk: number | undefined;

  constructor(
    /** How long the watch must last before silence counts (heartbeat timeout + reconnect grace). */
    private readonly graceMs: number,
    /** Longest gap between supervision runs that still counts as watching. */
    private readonly maxGapMs: number,
  ) {}

  /** A run begins at `now`: true when silence observed now may be judged. */
  begin(now: number): boolean {
    if (this.since === undefined || this.lastOk === undefined || now - this.lastOk > this.maxGapMs) this.since = now;
    return now - this.since >= this.graceMs;
  }

  /** The run completed: the watch goes on. */
  ok(now: number): void {
    this.lastOk = now;
  }

  /** The run failed (database unreachable, ...): the watch starts again after the next good run. */
  failed(): void {
    this.since = undefined;
    this.lastOk = undefined;
  }

  /** Since when the watch has been unbroken (undefined: not watching). */
  get watchingSince(): number | undefined {
    return this.since;
  }
}
