/**
 * @updraft/core/queue: the task queue adapters (JetStream at nats.url, the in-process queue) on
 * their own, for processes that load `@updraft/core/data` instead of the whole of core (the
 * monitor, for queue depths). Everything here is exported by `@updraft/core` too.
 */
export { createJetStreamQueue } from './queue/jetstream.js';
export { createMemoryQueue } from './queue/memory.js';
export { displayNatsUrl } from './queue/jetstream-auth.js';
export { silentLogger } from './logging/logger.js';
export type { TaskLogStreamOptions } from './task-logs/connection.js';
