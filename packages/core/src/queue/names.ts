/**
 * Queue names. A queue becomes one NATS subject token (`updraft.tasks.<queue>`) and part of a
 * durable consumer name, so it is restricted to characters valid in both.
 */
import { UpdraftError } from '../errors.js';

export const QUEUE_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Throws INVALID_ARGUMENT naming `what` when `queue` is not a valid queue name. */
export function assertQueueName(queue: unknown, what = 'queue'): string {
  if (typeof queue !== 'string' || !QUEUE_NAME_PATTERN.test(queue)) {
    throw new UpdraftError(
      'INVALID_ARGUMENT',
      `${what} ${JSON.stringify(queue)} is not a valid queue name (1-64 of A-Z a-z 0-9 _ -)`,
    );
  }
  return queue;
}
