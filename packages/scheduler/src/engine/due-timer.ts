/**
 * A timer that fires at the earliest instant it was asked for: arming for a later time keeps the
 * earlier one. Used for retries: the timer sleeps until the earliest next_retry_at.
 */
export class DueTimer {
  private timer: NodeJS.Timeout | undefined;
  private dueAt = Infinity;

  /** @param minDelayMs floor of a delay, so a clock skew cannot make the timer spin. */
  constructor(private readonly fire: () => void, private readonly minDelayMs = 5) {}

  armIn(ms: number): void {
    const at = Date.now() + Math.max(ms, this.minDelayMs);
    if (this.timer !== undefined && at >= this.dueAt) return;
    clearTimeout(this.timer);
    this.dueAt = at;
    // Node timers overflow past 2^31-1 ms; a far retry is re-armed by the tick anyway.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.dueAt = Infinity;
      this.fire();
    }, Math.min(at - Date.now(), 2_147_483_647));
    this.timer.unref();
  }

  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.dueAt = Infinity;
  }
}
