/**
 * Publishes queued attempts, after the database says they are queued. A publish that fails is
 * remembered and retried by repair() as long as the attempt is still queued with the same token;
 * a crash between the database write and the publish is repaired on start by republishing every
 * queued attempt with its SAME token (JetStream drops duplicates by Nats-Msg-Id within its window;
 * the claim's compare-and-set makes any duplicate that gets through harmless). Task instances of a
 * run past its publish window (a wide mapping or fan-out) wait in a backlog (publish-backlog.ts).
 */
import { taskInstancesSql, taskMessageId, type Logger, type QueuedAttempt, type Queryable, type QueuePublisher, type TaskInstanceKey, type TaskMessage } from '@updraft/core';
import { PublishBacklog } from './publish-backlog.js';

export function taskMessageOf(a: QueuedAttempt): TaskMessage {
  return {
    key: { dagId: a.dagId, runId: a.runId, taskId: a.taskId, mapIndex: a.mapIndex },
    tryNumber: a.tryNumber,
    attemptToken: a.attemptToken,
    queue: a.queue,
    priorityWeight: a.priorityWeight,
  };
}

export class AttemptPublisher {
  /** Attempts whose publish failed, by message id. */
  private readonly unpublished = new Map<string, QueuedAttempt>();
  private readonly backlog: PublishBacklog;

  constructor(
    private readonly db: Queryable,
    private readonly publisher: QueuePublisher,
    private readonly logger: Logger,
    /** Most task instances of one run published at once (the others wait in the backlog). */
    publishWindow = 16,
    /** A backlog that has not moved for this long publishes its next window (see PublishBacklog). */
    private readonly backlogStallMs = 10_000,
  ) {
    this.backlog = new PublishBacklog(publishWindow);
  }

  /** Attempts waiting for a publish retry. */
  get pending(): number {
    return this.unpublished.size;
  }

  /** Queued task instances of wide runs not published yet. */
  get backlogged(): number {
    return this.backlog.size;
  }

  /**
   * Publishes every attempt, except those of a run past its window when many come at once (they
   * wait in the backlog); never throws (failures are kept for repair()). Returns how many failed.
   */
  publish(attempts: readonly QueuedAttempt[]): Promise<number> {
    return this.send(this.backlog.admit(attempts));
  }

  /** Whether task instances of `key`'s run wait in the backlog (not published yet). */
  hasWaiting(key: TaskInstanceKey): boolean {
    return this.backlog.has(key);
  }

  /**
   * The next waiting task instance of `key`'s run, if `accept` takes it: the caller claims it for a
   * worker (and publishes it with `publishTaken` when that fails for another reason than a refusal).
   */
  takeWaiting(key: TaskInstanceKey, accept: (a: QueuedAttempt) => boolean): QueuedAttempt | null {
    return this.backlog.take(key, accept);
  }

  /** A published task instance of `key`'s run was claimed: the next waiting one is published in its place. */
  async claimed(key: TaskInstanceKey): Promise<void> {
    const next = this.backlog.take(key);
    if (next !== null) await this.send([next]);
  }

  /** Publishes attempts taken from the backlog. */
  publishTaken(attempts: readonly QueuedAttempt[]): Promise<number> {
    return this.send(attempts);
  }

  private async send(attempts: readonly QueuedAttempt[]): Promise<number> {
    if (attempts.length === 0) return 0;
    const results = await Promise.allSettled(attempts.map((a) => this.publisher.publish(taskMessageOf(a))));
    let failed = 0;
    results.forEach((r, i) => {
      const a = attempts[i]!;
      const id = taskMessageId(taskMessageOf(a));
      if (r.status === 'fulfilled') {
        this.unpublished.delete(id);
        return;
      }
      failed++;
      this.unpublished.set(id, a);
      this.logger.warn({ err: r.reason, messageId: id }, 'publish failed; will retry while the attempt is still queued');
    });
    return failed;
  }

  /**
   * Retries failed publishes of attempts that are still queued with the same try and token, and
   * publishes the next window of a backlog that stopped moving (those of its instances still queued).
   */
  async repair(): Promise<void> {
    const stalled = this.backlog.stalled(this.backlogStallMs);
    if (stalled.length > 0) {
      const still = await taskInstancesSql.stillQueued(this.db, stalled);
      this.logger.info({ taken: stalled.length, published: still.length }, "a run's backlog of unpublished task instances stopped moving: its next ones still queued are published");
      await this.send(still);
    }
    if (this.unpublished.size === 0) return;
    const waiting = [...this.unpublished.values()];
    const current = new Set(await taskInstancesSql.stillQueued(this.db, waiting));
    for (const a of waiting) {
      if (!current.has(a)) this.unpublished.delete(taskMessageId(taskMessageOf(a)));
    }
    await this.send([...current]);
  }

  /**
   * On start: republishes every queued attempt with its token (a previous process may have died
   * before publishing, or with instances in its backlog), a page at a time.
   */
  async republishQueued(page = 1000): Promise<number> {
    let count = 0;
    let after: taskInstancesSql.QueuedCursor | null = null;
    for (;;) {
      const { attempts, next } = await taskInstancesSql.queuedAttemptsPage(this.db, page, after);
      await this.publish(attempts);
      count += attempts.length;
      if (next === null) return count;
      after = next;
    }
  }
}
