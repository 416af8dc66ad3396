/**
 * Dead letters: a task message the broker delivered `maxDeliver` times without an ack (workers
 * crashed on it, or naked it each time). The adapter removes it from the queue and hands it to the
 * listener (the scheduler), which requeues the attempt with a new token or fails it in the database.
 */
import type { QueueInspector, QueuePort, TaskMessage, WorkerWake } from './port.js';

export interface DeadLetter {
  /** The decoded message; undefined when the stored body is not a TaskMessage. */
  message: TaskMessage | undefined;
  queue: string;
  /** How many times it was delivered. */
  deliveries: number;
  /** Broker position (JetStream stream sequence; memory adapter: publish order). */
  sequence: number;
}

export type DeadLetterListener = (deadLetter: DeadLetter) => void | Promise<void>;

export interface DeadLetterSource {
  /**
   * Register a listener for dead letters; returns an unsubscribe function. A dead letter that
   * arrives while no listener is registered stays in the broker (JetStream) or is dropped
   * (memory); the scheduler's stuck-queued supervision repairs the attempt either way.
   */
  onDeadLetter(listener: DeadLetterListener): () => void;
}

/** What both adapters return: the port plus dead-letter events and the monitor's counts. */
export type TaskQueue = QueuePort & DeadLetterSource & QueueInspector & WorkerWake;
