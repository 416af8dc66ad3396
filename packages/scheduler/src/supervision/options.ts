/**
 * Options of fleet supervision: one object, every default documented here. The CLI fills the
 * timeouts from `scheduler.worker_heartbeat_timeout`, `scheduler.task_queued_timeout`,
 * `scheduler.max_requeues` and `scheduler.supervision_interval`.
 */
import { silentLogger, UpdraftError, type AttemptRef, type Logger, type Queryable, type QueuePublisher } from '@updraft/core';
import type { AttemptOutcome } from '../worker-facing.js';

/** The settings a deployment tunes (what startScheduler takes as `supervision`). */
export interface SupervisionSettings {
  /** A worker silent this long is marked offline and its running tasks fail as zombies; a running task its live worker has not listed in heartbeats this long is a zombie too. Default 8000. */
  workerHeartbeatTimeoutMs?: number;
  /** A task queued this long without a claim while its queue had free slots is requeued with a new token. Default 60000. */
  taskQueuedTimeoutMs?: number;
  /** Requeues of one task instance before it fails with the reason (separate from retries). Default 3. */
  maxRequeues?: number;
  /**
   * After the scheduler starts, or the database comes back, workers get this long on top of the
   * heartbeat timeout before silence counts: their gRPC channels reconnect with a backoff of up to
   * 1 s, the next heartbeat comes within worker.heartbeat_interval, and results that failed to
   * report meanwhile are retried with a backoff of up to 5 s. Default 5000.
   */
  reconnectGraceMs?: number;
  /** Supervision runs at the end of engine ticks, at most about this often. Default 1000. */
  intervalMs?: number;
  /** Most rows one check reads (running attempts, long-queued attempts). Default 10000. */
  batchSize?: number;
  /** Workers offline longer than this are removed from the fleet table, checked about once a minute. Default 7 days (scheduler.worker_retention). */
  workerRetentionMs?: number;
}

export interface SupervisionOptions extends SupervisionSettings {
  /** The metadata database. */
  pool: Queryable;
  /** Where requeued attempts are published; depths() doubles as the broker health probe. */
  publisher: QueuePublisher;
  /** Ends a running attempt like a reported result (the engine's endAttempt): retry policy, downstream. */
  endAttempt: (ref: AttemptRef, outcome: AttemptOutcome) => Promise<string>;
  /** Default: silent. */
  logger?: Logger;
  /** Monotonic milliseconds for durations measured by this process. Default performance.now(). */
  now?: () => number;
}

export type ResolvedSupervisionOptions = Required<SupervisionOptions>;

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new UpdraftError('CONFIG_INVALID', `supervision: ${name} must be a positive number, got ${value}`);
  }
  return value;
}

export function resolveSupervisionOptions(o: SupervisionOptions): ResolvedSupervisionOptions {
  const maxRequeues = o.maxRequeues ?? 3;
  if (!Number.isInteger(maxRequeues) || maxRequeues < 0) {
    throw new UpdraftError('CONFIG_INVALID', `supervision: maxRequeues (scheduler.max_requeues) must be an integer >= 0, got ${maxRequeues}`);
  }
  return {
    pool: o.pool,
    publisher: o.publisher,
    endAttempt: o.endAttempt,
    logger: o.logger ?? silentLogger,
    now: o.now ?? (() => performance.now()),
    workerHeartbeatTimeoutMs: positive(o.workerHeartbeatTimeoutMs ?? 8000, 'workerHeartbeatTimeoutMs (scheduler.worker_heartbeat_timeout)'),
    taskQueuedTimeoutMs: positive(o.taskQueuedTimeoutMs ?? 60_000, 'taskQueuedTimeoutMs (scheduler.task_queued_timeout)'),
    maxRequeues,
    reconnectGraceMs: o.reconnectGraceMs ?? 5000,
    intervalMs: positive(o.intervalMs ?? 1000, 'intervalMs (scheduler.supervision_interval)'),
    batchSize: positive(o.batchSize ?? 10_000, 'batchSize'),
    workerRetentionMs: positive(o.workerRetentionMs ?? 7 * 24 * 3600_000, 'workerRetentionMs (scheduler.worker_retention)'),
  };
}

/** Seconds for messages: `8.2s`. */
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;
