/**
 * Queue names. A queue becomes one NATS subject token (`updraft.tasks.<queue>`) and part of a
 * durable consumer name, so its grammar (the `queue` identifier of @updraft/sdk) has no '.'.
 */
import { assertIdentifier, IDENTIFIER_RULES } from '../ids.js';

export const QUEUE_NAME_PATTERN = IDENTIFIER_RULES.queue.pattern;

/** Throws INVALID_ARGUMENT naming `what` when `queue` is not a valid queue name. */
export function assertQueueName(queue: unknown, what = 'queue'): string {
  return assertIdentifier('queue', queue, what);
}
