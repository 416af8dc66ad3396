/**
 * Stuck queued tasks. A queued attempt is STUCK when it has waited longer than the queued timeout
 * while its queue had free worker slots the whole time: its message was lost (deleted from the
 * broker, never published) or delivered but never claimed. It is WAITING, not stuck, while every
 * live worker of its queue is busy (free slots come from heartbeats): the queued timeout only runs
 * while the queue has had free capacity. A queue no live worker serves is reported as such ("no
 * worker serves queue X") and spends no requeues.
 *
 * A stuck attempt is requeued: same try, NEW attempt token, published again (a message of the old
 * token is refused at claim), requeue_count + 1 with the reason. Past scheduler.max_requeues it is
 * ended as a failed try with the reason, through the engine's attempt-ending path. Dead letters
 * from the broker (delivered max_deliver times, never acked) are handled the same way at once.
 */
import { attemptsSql, keyText, taskInstancesSql, workersSql, type AttemptRef } from '@updraft/core';
import type { AttemptPublisher } from '../engine/attempt-publisher.js';
import type { ResolvedSupervisionOptions } from './options.js';
import { seconds } from './options.js';

const tryText = (a: AttemptRef): string => `${keyText(a)} try ${a.tryNumber}`;

export const noWorkerReason = (queue: string): string => `no worker serves queue ${queue}`;

export interface StuckQueuedResult {
  requeued: number;
  failed: number;
  /** Long-queued attempts left alone because every slot of their queue was busy. */
  waiting: number;
  /** Long-queued attempts of queues no live worker serves. */
  unserved: number;
}

export class StuckQueuedCheck {
  /** queue -> since when (process clock) its live workers have reported free slots without a break. */
  private readonly freeSince = new Map<string, number>();
  /** Queues reported as unserved (warned once until a worker serves them again). */
  private readonly unservedQueues = new Set<string>();

  constructor(
    private readonly o: ResolvedSupervisionOptions,
    private readonly publisher: AttemptPublisher,
  ) {}

  /** Forgets capacity history: nothing is judged stuck until queues have been free for a full timeout again. */
  reset(): void {
    this.freeSince.clear();
  }

  async run(): Promise<StuckQueuedResult> {
    const { pool, logger, taskQueuedTimeoutMs: timeout } = this.o;
    const result: StuckQueuedResult = { requeued: 0, failed: 0, waiting: 0, unserved: 0 };
    await this.publisher.repair();
    const now = this.o.now();
    const capacity = await workersSql.queueCapacities(pool, this.o.workerHeartbeatTimeoutMs);
    for (const q of [...this.freeSince.keys()]) if ((capacity.get(q)?.freeSlots ?? 0) === 0) this.freeSince.delete(q);
    for (const [q, c] of capacity) {
      if (c.freeSlots > 0 && !this.freeSince.has(q)) this.freeSince.set(q, now);
      if (this.unservedQueues.delete(q)) logger.info({ queue: q, workers: c.workers }, `queue ${q} is served again`);
    }

    for (const [queue, count] of await taskInstancesSql.longQueuedCounts(pool, timeout)) {
      if (!capacity.has(queue)) {
        result.unserved += count;
        const reason = noWorkerReason(queue);
        await taskInstancesSql.noteQueuedReason(pool, queue, reason, timeout);
        if (!this.unservedQueues.has(queue)) {
          this.unservedQueues.add(queue);
          logger.warn({ queue, tasks: count }, `${reason}: its queued tasks wait (no requeue spent) until a worker serving it is online`);
        }
        continue;
      }
      const free = this.freeSince.get(queue);
      if (free === undefined || now - free < timeout) {
        result.waiting += count;
        continue;
      }
      for (const a of await taskInstancesSql.longQueuedAttempts(pool, queue, timeout, this.o.batchSize)) {
        const reason = `not claimed within ${seconds(a.queuedMs)} although queue ${queue} had free worker slots ` +
          `for ${seconds(now - free)} (message lost or never claimed)`;
        const outcome = await this.requeueOrFail(a, reason);
        if (outcome === 'requeued') result.requeued++;
        else if (outcome === 'failed') result.failed++;
      }
    }
    return result;
  }

  /**
   * Requeues the attempt with a new token while its budget lasts, else ends it as a failed try.
   * 'gone' when it was no longer queued with that token (claimed meanwhile).
   */
  async requeueOrFail(ref: AttemptRef, reason: string): Promise<'requeued' | 'failed' | 'gone'> {
    const { pool, logger, maxRequeues } = this.o;
    const requeued = await attemptsSql.requeueAttempt(pool, ref, reason, maxRequeues);
    if (requeued !== null) {
      await this.publisher.publish([requeued]);
      logger.warn({ task: tryText(ref), requeue: `${requeued.requeueCount}/${maxRequeues}`, reason }, 'stuck queued task requeued with a new attempt token');
      return 'requeued';
    }
    if (!(await attemptsSql.seizeQueuedAttempt(pool, ref))) return 'gone';
    const error = `not delivered: queued without a claim after ${maxRequeues} requeue${maxRequeues === 1 ? '' : 's'} ` +
      `(scheduler.max_requeues); last: ${reason}`;
    const state = await this.o.endAttempt(ref, { success: false, exitCode: null, error, durationMs: null, returnValueJson: null });
    logger.error({ task: tryText(ref), state, reason: error }, 'stuck queued task failed: requeue budget spent');
    return 'failed';
  }
}
