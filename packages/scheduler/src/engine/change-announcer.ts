/**
 * Announces the task instance changes of claims and finishes to live pages (the web UI, the
 * monitor), coalesced: the DAGs changed within `delayMs` go out in one 'ti' notification, where
 * the task instance trigger used to send one per statement (migration 0036). Under load that was
 * a thousand notifications a second, each a write to PostgreSQL's notification queue and a wake-up
 * of every listener; now it is at most one per `delayMs`.
 *
 * A notification follows the commit of what it announces, so a page that re-reads on it sees the
 * change. A send that fails is logged and tried again with the next one (at the latest after
 * RETRY_MS): a page then refreshes late, never misses the change for good while the scheduler runs.
 */
import type { Logger } from '@updraft/core';

/** Delay of the next notification after a change (a page refreshes this much later at most). */
const ANNOUNCE_DELAY_MS = 20;
const RETRY_MS = 1000;

export class ChangeAnnouncer {
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> | undefined;

  constructor(
    private readonly send: (dagIds: readonly string[]) => Promise<void>,
    private readonly logger: Logger,
    private readonly delayMs = ANNOUNCE_DELAY_MS,
  ) {}

  /** Task instances of these DAGs changed (and the change is committed). */
  changed(dagIds: Iterable<string>): void {
    for (const id of dagIds) this.pending.add(id);
    if (this.pending.size > 0) this.arm(this.delayMs);
  }

  /** Sends what is pending now (and waits for a send in flight). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.sending;
    if (this.pending.size === 0) return;
    const ids = [...this.pending];
    this.pending.clear();
    this.sending = this.send(ids).catch((err: unknown) => {
      for (const id of ids) this.pending.add(id);
      this.logger.warn({ err, dagIds: ids.length }, 'could not announce task instance changes to live pages; retrying');
      this.arm(RETRY_MS);
    }).finally(() => {
      this.sending = undefined;
    });
    await this.sending;
  }

  /** Sends what is pending and stops the timer. */
  close(): Promise<void> {
    return this.flush().finally(() => {
      clearTimeout(this.timer);
      this.timer = undefined;
    });
  }

  private arm(ms: number): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, ms);
  }
}
