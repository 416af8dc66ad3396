/**
 * @updraft/worker: pulls task messages, claims them over gRPC, runs them in child processes
 * (their own umask, uid/gid, clean environment, process group), writes per-try logs, heartbeats
 * and reports results. See worker.ts for the lifecycle and attempt.ts for one message's path.
 */
export { Worker, type WorkerState, type WorkerStatus } from './worker.js';
export { resolveWorkerOptions, type WorkerOptions, type ResolvedWorkerOptions } from './options.js';
export type { WorkerEvent } from './events.js';
export { withinReportLimits } from './attempt.js';
export type { QueueOverride } from './claim-spec.js';
export {
  readTaskLog,
  listTaskLogTries,
  resolveLogFile,
  TaskLogWriter,
  type ReadTaskLogOptions,
  type LogSource,
  type TaskLogSink,
} from './logs.js';
export { LogShipping } from './logs/shipping.js';
export { RemoteLogUploader, type RemoteLogOptions } from './logs/remote-upload.js';
export { TryLogShipper } from './logs/try-shipper.js';
export { runTaskLocally, prepareLocalTask, type RunTaskLocallyOptions, type PrepareLocalTaskOptions, type LocalTask, type LocalRunResult } from './run-locally.js';
export { TaskExecutor, type TaskExecutorOptions } from './executor/executor.js';
export { RunnerPool, type RunnerPoolOptions } from './executor/runner-pool.js';
export { PullLoop, type PullLoopOptions } from './pull-loop.js';
export type { ExecutionSpec, ExecutionRequest, ExecutionResult, RunningExecution, TaskRunContext, TaskSecretAccess, TaskXComAccess } from './executor/types.js';
export { SecretsMasker } from './executor/secrets-masker.js';
export { LineSplitter } from './executor/output.js';
export { DagFileCache, type DagFileCacheOptions, type OpenedDagFile } from './dag-cache.js';
export { BundleDeps, type BundleDepsOptions, type DepsManifestEntry } from './bundle-deps.js';
export { parseUmask, formatUmask, resolveIdentity, assertCanSwitchTo, type TaskIdentity } from './identity.js';
