/**
 * Publishes queued attempts, after the database says they are queued. A publish that fails is
 * remembered and retried by repair() as long as the attempt is still queued with the same token;
 * a crash between the database write and the publish is repaired on start by republishing every
 * queued attempt with its SAME token (JetStream drops duplicates by Nats-Msg-Id within its window;
 * the claim's compare-and-set makes any duplicate that gets through harmless).
 */
import { taskInstancesSql, taskMessageId, type Logger, type QueuedAttempt, type Queryable, type QueuePublisher, type TaskMessage } from '@updraft/core';

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

  constructor(
    private readonly db: Queryable,
    private readonly publisher: QueuePublisher,
    private readonly logger: Logger,
  ) {}

  /** Attempts waiting for a publish retry. */
  get pending(): number {
    return this.unpublished.size;
  }

  /** Publishes every attempt; never throws (failures are kept for repair()). Returns how many failed. */
  async publish(attempts: readonly QueuedAttempt[]): Promise<number> {
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

  /** Retries failed publishes of attempts that are still queued with the same try and token. */
  async repair(): Promise<void> {
    if (this.unpublished.size === 0) return;
    const waiting = [...this.unpublished.values()];
    const current = new Set(await taskInstancesSql.stillQueued(this.db, waiting));
    for (const a of waiting) {
      if (!current.has(a)) this.unpublished.delete(taskMessageId(taskMessageOf(a)));
    }
    await this.publish([...current]);
  }

  /** On start: republish every queued attempt with its token (a previous process may have died before publishing). */
  async republishQueued(batch = 1000): Promise<number> {
    const attempts = await taskInstancesSql.queuedAttempts(this.db, batch);
    await this.publish(attempts);
    return attempts.length;
  }
}
