/**
 * @updraft/scheduler: the scheduler process (DAG processor, scheduling engine, fleet supervision)
 * and the gRPC WorkerService it hosts. `startScheduler` is what `updraft scheduler` and
 * `updraft standalone` run; the rest is for tests and benchmarks that drive the parts directly.
 */
export { startScheduler, type RunningScheduler, type SchedulerOptions } from './service.js';
export { SchedulerEngine } from './engine/engine.js';
export { defaultLogPath, type AttemptName, type EngineSupervisor, type SchedulerEngineOptions } from './engine/options.js';
export type { CreatedDagRun, TriggerDagRunRequest } from './engine/dag-runs.js';
export { taskMessageOf } from './engine/attempt-publisher.js';
export { Batcher } from './engine/batching.js';
export { SourceArrays, type SourceRef } from './engine/source-arrays.js';
export { KeyedLock } from './engine/keyed-lock.js';
export { Supervision, type SupervisionRun } from './supervision/supervision.js';
export type { SupervisionOptions, SupervisionSettings } from './supervision/options.js';
export { noWorkerReason, type StuckQueuedResult } from './supervision/stuck-queued.js';
export { startWorkerServiceServer, type WorkerServiceServerHandle, type WorkerServiceServerOptions } from './rpc/server.js';
export type * from './worker-facing.js';
export { buildGroupMessage, buildMessage, formatDuration, formatInstant, type AlertMessage } from './alerts/message.js';
export { slackMessage, SLACK_RETRY_ACTION_ID } from './alerts/slack.js';
export { emailHtml, emailText } from './alerts/email.js';
export type { AlertSettings } from './alerts/sender.js';
export { runLogRetention, scheduleLogRetention, type LogRetentionOptions, type LogRetentionResult } from './maintenance/log-retention.js';
export { runScheduledClean, scheduleDbClean, type ScheduledCleanOptions } from './maintenance/db-clean.js';
