/**
 * The queue port: how the scheduler hands "this attempt may start" messages to workers.
 * Adapters: JetStream (distributed) and in-process memory (standalone). The scheduling and worker
 * logic are the same for both; correctness comes from the database claim, not from the broker.
 */
import { UpdraftError } from '../errors.js';
import { TaskMessage as TaskMessageCodec } from '../proto/updraft/v1/worker.js';
import type { TaskInstanceKey } from '../state/keys.js';

/**
 * "This attempt may start": the body of a queue message (encoded as the protocol's TaskMessage,
 * see proto/updraft/v1/worker.proto).
 */
export interface TaskMessage {
  key: TaskInstanceKey;
  tryNumber: number;
  attemptToken: string;
  queue: string;
  priorityWeight: number;
}

/** Nats-Msg-Id of a task message: a republish of the same attempt is deduplicated. */
export function taskMessageId(m: TaskMessage): string {
  const k = m.key;
  return `${k.dagId}/${k.runId}/${k.taskId}/${k.mapIndex}/${m.tryNumber}/${m.attemptToken}`;
}

/** The wire form of a task message. */
export function encodeTaskMessage(m: TaskMessage): Uint8Array {
  return TaskMessageCodec.encode(m).finish();
}

/** A task message from its wire form; throws for a body that is not one (no key). */
export function decodeTaskMessage(body: Uint8Array): TaskMessage {
  const m = TaskMessageCodec.decode(body);
  if (m.key === undefined) throw new UpdraftError('INVALID_ARGUMENT', 'TaskMessage without key');
  return { key: m.key, tryNumber: m.tryNumber, attemptToken: m.attemptToken, queue: m.queue, priorityWeight: m.priorityWeight };
}

/** What the broker holds for one queue. */
export interface QueueStats {
  /** Messages no worker has taken yet. */
  pending: number;
  /** Messages delivered to a worker and not acknowledged yet (running or about to be claimed). */
  ackPending: number;
  /** Messages delivered more than once so far. */
  redelivered: number;
}

/** What the monitor asks the broker. */
export interface QueueInspector {
  /** Per queue: messages waiting for a worker, delivered and not yet acknowledged, redelivered. */
  queueStats(): Promise<Record<string, QueueStats>>;
}

export interface QueuePublisher {
  /** Publish one task message on its queue; resolves when the broker stored it. */
  publish(message: TaskMessage): Promise<void>;
  /** Number of messages waiting per queue (for supervision and the monitor). */
  depths(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** One delivered message held by a worker until it acks or naks it. */
export interface Delivery {
  readonly message: TaskMessage;
  /** How many times the broker delivered this message (1 = first time). */
  readonly deliveryCount: number;
  /**
   * Done with the message: remove it from the queue. Sent, not confirmed: a lost ack means a
   * redelivery, which the claim refuses.
   */
  ack(): Promise<void>;
  /** Give the message back for redelivery after delayMs. */
  nak(delayMs?: number): void;
  /** Still working on it: extend the ack deadline. */
  working(): void;
}

export interface QueueConsumer {
  /**
   * Wait for up to `max` deliveries from the consumer's queues; resolves with fewer (possibly none)
   * when `expiresMs` passes or the consumer is stopped. The worker calls this only with free slots.
   */
  fetch(max: number, expiresMs: number): Promise<Delivery[]>;
  /** Stop fetching; pending fetches resolve empty. */
  stop(): Promise<void>;
}

export interface QueuePort extends QueuePublisher {
  /** A consumer over the given queues; all consumers of one queue share the work. */
  consumer(queues: string[]): Promise<QueueConsumer>;
}

/**
 * A "look now" nudge to one worker incarnation (remote control): it carries nothing, the worker
 * heartbeats at once and reads its controls from the answer. Best effort: a lost wake-up only
 * delays the control to the worker's next regular heartbeat (the database is the source of truth).
 */
export interface WorkerWake {
  /** Nudges the worker with this id (fire and forget; never throws). */
  wake(workerId: string): void;
  /** Calls `fn` on each nudge for this worker id until the returned function is called. */
  onWake(workerId: string, fn: () => void): () => void;
}

/** Core NATS subject of a worker's wake-ups (outside the task stream's subjects). */
export function wakeSubject(workerId: string): string {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(workerId)) throw new UpdraftError('INVALID_ARGUMENT', `wake-up: worker id ${JSON.stringify(workerId.slice(0, 140))} is not a NATS subject token`);
  return `updraft.control.${workerId}`;
}
