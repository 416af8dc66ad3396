export * from './names.js';
export * from './dead-letter.js';
export * from './memory.js';
export * from './jetstream.js';
export { JETSTREAM_DEFAULTS, queueDurableName, queueSubject, type JetStreamQueueOptions, type QueueLogger } from './jetstream-options.js';
export { parseAckSubject } from './jetstream-delivery.js';
