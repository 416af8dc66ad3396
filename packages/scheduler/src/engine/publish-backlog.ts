/**
 * Queued task instances of a DAG run that are not published yet. When many instances of one run
 * become ready together (a task mapped over 10,000 elements, a fan-out to 10,000 tasks),
 * publishing them all costs a JetStream round trip per instance, a delivery and an ack, and a
 * separate claim, although the workers can run only a few at a time. So only `window` of them are
 * published at once; the others wait here, queued in the database as before (their queued_at and
 * state are the same), and go out one by one:
 *
 * - handed to a worker whose report of a task of the same run offers its free slot (the fast path:
 *   claimed in the report's answer, never published), or
 * - published when a worker claims a task of the run it fetched (the window stays full).
 *
 * Nothing here is the truth: the database is. An instance taken from here that was cleared or
 * marked meanwhile is refused at claim like any stale message. A backlog that has not moved for
 * a while (no claim, no hand-off: a lost message, or tasks that take long) publishes its next
 * window's worth of instances still queued (repair), and a scheduler that starts republishes every
 * queued instance (as before): a crash or a lost message leaves nothing waiting forever.
 */
import type { QueuedAttempt, TaskInstanceKey } from '@updraft/core';

type RunKey = Pick<TaskInstanceKey, 'dagId' | 'runId'>;

/** The backlog of one run. */
interface Backlog {
  items: QueuedAttempt[];
  /** Index of the next item (items before it were taken). */
  next: number;
  /** Process clock of the last take (or creation). */
  movedAt: number;
}

const backlogKey = (k: RunKey): string => `${k.dagId}\u0000${k.runId}`;

export class PublishBacklog {
  private readonly backlogs = new Map<string, Backlog>();

  constructor(
    /** Most instances of one run published at once. */
    private readonly window: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Instances waiting here (all runs). */
  get size(): number {
    let n = 0;
    for (const b of this.backlogs.values()) n += b.items.length - b.next;
    return n;
  }

  /**
   * What to publish now of `attempts`: all of them except, for each run with more than `window`
   * instances among them, the instances past its window (all of them when the run has a backlog
   * here already), which wait here in the order given. Fewer instances of a run (a retry, a
   * requeue, the next step of a chain) are published at once.
   */
  admit(attempts: readonly QueuedAttempt[]): QueuedAttempt[] {
    if (attempts.length <= this.window) return [...attempts];
    const groups = new Map<string, QueuedAttempt[]>();
    for (const a of attempts) {
      const k = backlogKey(a);
      const g = groups.get(k);
      if (g === undefined) groups.set(k, [a]);
      else g.push(a);
    }
    const held = new Set<QueuedAttempt>();
    for (const [k, g] of groups) {
      if (g.length <= this.window) continue;
      const existing = this.backlogs.get(k);
      const wait = existing === undefined ? g.slice(this.window) : g;
      for (const a of wait) held.add(a);
      if (existing === undefined) this.backlogs.set(k, { items: wait, next: 0, movedAt: this.now() });
      else existing.items.push(...wait);
    }
    return held.size === 0 ? [...attempts] : attempts.filter((a) => !held.has(a));
  }

  /** Whether instances of `run` wait here. */
  has(run: RunKey): boolean {
    return this.backlogs.size > 0 && this.backlogs.has(backlogKey(run));
  }

  /** The next waiting instance of `run` that `accept` takes (null: none, or not accepted). */
  take(run: RunKey, accept: (a: QueuedAttempt) => boolean = () => true): QueuedAttempt | null {
    if (this.backlogs.size === 0) return null;
    const k = backlogKey(run);
    const b = this.backlogs.get(k);
    if (b === undefined) return null;
    const a = b.items[b.next]!;
    if (!accept(a)) return null;
    this.advance(k, b, 1);
    return a;
  }

  /**
   * Backlogs that have not moved for `stallMs`: the next `window` instances of each, taken (the
   * caller publishes those still queued).
   */
  stalled(stallMs: number): QueuedAttempt[] {
    const now = this.now();
    const out: QueuedAttempt[] = [];
    for (const [k, b] of this.backlogs) {
      if (now - b.movedAt < stallMs) continue;
      const n = Math.min(this.window, b.items.length - b.next);
      out.push(...b.items.slice(b.next, b.next + n));
      this.advance(k, b, n);
    }
    return out;
  }

  private advance(k: string, b: Backlog, n: number): void {
    b.next += n;
    b.movedAt = this.now();
    if (b.next >= b.items.length) this.backlogs.delete(k);
    else if (b.next >= 4096 && b.next * 2 >= b.items.length) {
      // Let taken items go (a long backlog would otherwise hold all of them until it empties).
      b.items = b.items.slice(b.next);
      b.next = 0;
    }
  }
}
