export { Supervision, type SupervisionRun } from './supervision.js';
export { type SupervisionOptions, type SupervisionSettings } from './options.js';
export { noWorkerReason, type StuckQueuedResult } from './stuck-queued.js';
