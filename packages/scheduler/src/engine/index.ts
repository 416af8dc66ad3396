export { SchedulerEngine } from './engine.js';
export { defaultLogPath, type AttemptName, type EngineLogger, type EngineSupervisor, type SchedulerEngineOptions } from './options.js';
export { runIdFor, type CreatedDagRun, type TriggerDagRunRequest } from './dag-runs.js';
export { taskMessageOf } from './attempt-publisher.js';
export type { AttemptOutcome } from './attempts.js';
export { Batcher, Coalescer } from './batching.js';
