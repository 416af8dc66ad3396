/**
 * The queues: per queue, what JetStream holds (pending, awaiting acknowledgement, redelivered),
 * what the database has queued and not claimed (and the age of the oldest), the workers serving it
 * with their free slots, and why its tasks wait; then the longest-waiting tasks, each with its reason.
 */
import { fleetSql, messageOf, type Logger, type Queryable, type QueueStats } from '@updraft/core/data';
import { taskInstanceUrl, type WorkerView } from './fleet.js';
import { explainWaiting, queueWaitReason, servingWorkers, type QueueServer } from './waiting.js';

export interface QueueView {
  name: string;
  /**
   * Null when the monitor has no broker connection (or it failed: see broker_error). A queue the
   * broker holds nothing for reads as zeros.
   */
  broker: { pending: number; ack_pending: number; redelivered: number } | null;
  queued: number;
  oldest_queued_ms: number | null;
  running: number;
  scheduled: number;
  workers: Array<{ name: string; state: string; free_slots: number; concurrency: number }>;
  /** Why its queued tasks wait (null when a live worker has a free slot). */
  reason: string | null;
}

export interface WaitingView {
  dag_id: string;
  run_id: string;
  task_id: string;
  map_index: number;
  state: 'queued' | 'scheduled';
  queue: string;
  pool: string;
  waiting_ms: number;
  requeue_count: number;
  reason: string;
  url: string;
}

export interface QueuesReport {
  queues: QueueView[];
  waiting: WaitingView[];
  broker_error: string | null;
}

export interface QueueReaderOptions {
  db: Queryable;
  queue: { queueStats(): Promise<Record<string, QueueStats>> } | undefined;
  uiBaseUrl: string;
  logger?: Logger;
}

const toServer = (w: WorkerView): QueueServer => ({ name: w.name, state: w.state, queues: w.queues, concurrency: w.concurrency, freeSlots: w.slots_free });

export async function readQueues(o: QueueReaderOptions, workers: readonly WorkerView[], waitingLimit = 100): Promise<QueuesReport> {
  let stats: Record<string, QueueStats> | null = null;
  let brokerError: string | null = null;
  if (o.queue) {
    try {
      stats = await o.queue.queueStats();
    } catch (err) {
      brokerError = messageOf(err);
      o.logger?.warn({ err: brokerError }, 'monitor: could not read the queue counts from the broker');
    }
  }
  const [backlogs, waiting] = await Promise.all([fleetSql.queueBacklogs(o.db), fleetSql.waitingTasks(o.db, waitingLimit)]);
  const servers = workers.map(toServer);
  const names = new Set<string>([...backlogs.map((b) => b.queue), ...Object.keys(stats ?? {}), ...workers.flatMap((w) => w.queues)]);
  const backlogOf = new Map(backlogs.map((b) => [b.queue, b]));
  const queues = [...names].sort().map((name): QueueView => {
    const b = backlogOf.get(name);
    const s = stats?.[name];
    return {
      name,
      broker: s ? { pending: s.pending, ack_pending: s.ackPending, redelivered: s.redelivered } : stats ? { pending: 0, ack_pending: 0, redelivered: 0 } : null,
      queued: b?.queued ?? 0,
      oldest_queued_ms: b?.oldestQueuedMs === null || b?.oldestQueuedMs === undefined ? null : Math.round(b.oldestQueuedMs),
      running: b?.running ?? 0,
      scheduled: b?.scheduled ?? 0,
      workers: servingWorkers(name, servers).map((w) => ({ name: w.name, state: w.state, free_slots: w.freeSlots, concurrency: w.concurrency })),
      reason: queueWaitReason(name, servers),
    };
  });
  return {
    queues,
    waiting: waiting.map((t) => ({
      dag_id: t.dagId, run_id: t.runId, task_id: t.taskId, map_index: t.mapIndex, state: t.state, queue: t.queue, pool: t.pool,
      waiting_ms: Math.round(t.waitingMs), requeue_count: t.requeueCount, reason: explainWaiting(t, servers),
      url: taskInstanceUrl(o.uiBaseUrl, t),
    })),
    broker_error: brokerError,
  };
}
