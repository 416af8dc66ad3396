/**
 * Why a task waits, in words, from what the monitor knows about its queue: no live worker serves
 * the queue; all slots of the workers serving it are busy; held back before queueing (pool full,
 * DAG's max active tasks: the scheduler's pending reason); requeued N times (last reason).
 */
import type { fleetSql } from '@updraft/core/data';
import { isLive, type WorkerState } from './worker-state.js';

export interface QueueServer {
  name: string;
  state: WorkerState;
  queues: readonly string[];
  concurrency: number;
  freeSlots: number;
}

export function servingWorkers(queue: string, workers: readonly QueueServer[]): QueueServer[] {
  return workers.filter((w) => w.queues.includes(queue) && w.state !== 'deregistered');
}

/** Why tasks of `queue` wait, or null when a live worker has a free slot for them. */
export function queueWaitReason(queue: string, workers: readonly QueueServer[]): string | null {
  const serving = servingWorkers(queue, workers);
  const live = serving.filter((w) => isLive(w.state));
  if (live.length === 0) {
    const others = serving.map((w) => `${w.name} is ${w.state}`);
    return `no live worker serves queue ${queue}${others.length > 0 ? ` (${others.join(', ')})` : ''}`;
  }
  const free = live.reduce((n, w) => n + Math.max(0, w.freeSlots), 0);
  if (free === 0) {
    const slots = live.reduce((n, w) => n + w.concurrency, 0);
    return `all ${slots} slots of the workers serving queue ${queue} are busy (${live.map((w) => w.name).join(', ')})`;
  }
  return null;
}

/** Why this task waits. */
export function explainWaiting(t: fleetSql.WaitingTask, workers: readonly QueueServer[]): string {
  const parts: string[] = [];
  if (t.state === 'scheduled') parts.push(t.pendingReason ?? 'held back by the scheduler');
  else parts.push(queueWaitReason(t.queue, workers) ?? 'published; waiting for a worker of queue ' + t.queue + ' to claim it');
  if (t.requeueCount > 0) parts.push(`requeued ${t.requeueCount} time${t.requeueCount === 1 ? '' : 's'}${t.lastRequeueReason ? ` (last: ${t.lastRequeueReason})` : ''}`);
  return parts.join('; ');
}
