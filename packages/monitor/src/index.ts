/**
 * @updraft/monitor: the fleet monitor (Flower for Updraft): workers, queues and task events from
 * the database, live over server-sent events, a Flower-shaped JSON API and Prometheus metrics.
 */
// First: before `pg` loads (./node-navigator.ts says why).
import './node-navigator.js';
export { buildMonitorApp } from './app.js';
export { startMonitor, type RunningMonitor } from './server.js';
export { renderMonitorOpenApiDocument } from './openapi-document.js';
export { MONITOR_DEFAULTS, type MonitorOptions } from './options.js';
export type { WorkerView, AttemptView } from './model/fleet.js';
export type { QueuesReport, QueueView, WaitingView } from './model/queues.js';
export type { WorkerState } from './model/worker-state.js';
export type { ControlView } from './model/controls.js';
export { parseTaskSearch, TASK_EVENTS, type TaskEventName, type TaskSearch } from './model/task-events.js';
export { explainWaiting, queueWaitReason } from './model/waiting.js';
