/**
 * The worker's one options object, with documented defaults. The CLI fills it from the config
 * (`worker.*`, `logging.base_log_folder`, `security.worker_token`); tests and `updraft standalone`
 * build it directly.
 */
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { assertIdentifier, createLogger, messageOf, UpdraftError, type IdentifierKind, type Logger, type QueueConsumer, type QueuePort, type TaskLogPublisherOptions, type WorkerWake, type WorkerServiceClientOptions, type WorkerServiceRpcClient } from '@updraft/core';
import type { QueueOverride } from './claim-spec.js';
import type { WorkerEvent } from './events.js';
import type { RunnerPoolOptions } from './executor/runner-pool.js';
import type { RemoteLogOptions } from './logs/remote-upload.js';

export interface WorkerOptions {
  /**
   * Scheduler's WorkerService, `host:port` (`worker.scheduler_address`); with several schedulers,
   * all of them (a list or comma-separated): the worker fails over. Required unless `client` is given.
   */
  schedulerAddress?: string | readonly string[];
  /** Shared token or this worker's own credential (`security.worker_token`). Required unless `client` is given. */
  token?: string;
  /** TLS to the scheduler (see core's createWorkerServiceClient). Default: plaintext. */
  tls?: WorkerServiceClientOptions['tls'];
  /** A ready WorkerService client, used instead of schedulerAddress/token (the worker does not close it). */
  client?: WorkerServiceRpcClient;
  /** Where task messages come from: a QueuePort (JetStream or memory) or a consumer factory. Required. */
  queue: QueuePort | ((queues: string[]) => Promise<QueueConsumer>);
  /** Queues served (`worker.queues`). Default ['default']. */
  queues?: string[];
  /**
   * Wake-ups from the monitor's remote control: on one, the worker heartbeats at once and applies
   * its controls. Default: the queue's when it offers them (JetStream: a core NATS subject; the
   * in-process queue); without, a control applies at the next heartbeat.
   */
  wake?: WorkerWake;
  /** Tasks run at once (`worker.concurrency`). Default 8. */
  concurrency?: number;
  /** Between heartbeats (`worker.heartbeat_interval`); a shorter interval asked by the scheduler wins. Default 2000. */
  heartbeatIntervalMs?: number;
  /** Root of the per-try task log files (`logging.base_log_folder`). Default './logs'. */
  logFolder?: string;
  /**
   * Ship every try's log, line by line as it is written, to the task-log stream of this NATS
   * (`nats.*`, `logging.retention_days`), so the webserver and the CLI read it from any host.
   * Default: none (the log files only, as with the in-process queue).
   */
  logStream?: TaskLogPublisherOptions;
  /**
   * Upload each finished try's log to S3 (`logging.remote_base_log_folder`, `logging.remote_log_conn_id`,
   * `logging.delete_local_logs`). Default: none.
   */
  remoteLogs?: RemoteLogOptions;
  /** Days this worker keeps its tries' log files (`logging.retention_days`): older ones are deleted daily. Default 30. */
  logRetentionDays?: number;
  /** On stop, how long to wait for task logs still being shipped (and uploaded) before disconnecting. Default 5000. */
  logShipTimeoutMs?: number;
  /** DAG files fetched by content hash (`worker.dag_cache_folder`). Default './.updraft/dag-cache'. */
  dagCacheFolder?: string;
  /** DAG bundle versions kept in the cache besides those in use (`worker.bundle_cache_keep`). Default 5. */
  bundleCacheKeep?: number;
  /** Octal umask of task processes (`worker.umask`). Default '0022'. */
  umask?: string;
  /** User (name or uid) task processes run as (`worker.run_as_user`). Default: the worker's own. */
  runAsUser?: string | number;
  /** Group (name or gid) (`worker.run_as_group`). Default: the run-as user's primary group. */
  runAsGroup?: string | number;
  /**
   * Whether tasks may run as root (uid 0) when the worker runs as root (`worker.allow_root_tasks`).
   * Default false: such a task fails at once, with the reason in its log.
   */
  allowRootTasks?: boolean;
  /** Per-queue umask / user / group; a task's own setting wins over its queue's. Default none. */
  queueOverrides?: Record<string, QueueOverride>;
  /** Name registered with the scheduler (`worker.name`). Default `<hostname>-<pid>` (unique per process). */
  workerName?: string;
  /** Host name reported to the scheduler. Default os.hostname(). */
  hostname?: string;
  /** On stop(), how long running tasks may finish before they are killed (`worker.shutdown_grace_period`). Default 60000. */
  shutdownGracePeriodMs?: number;
  /** Between SIGTERM and SIGKILL when a task's process tree is killed. Default 5000. */
  killGraceMs?: number;
  /** After a forced shutdown killed tasks, how long their reports may keep retrying. Default 15000. */
  reportGraceMs?: number;
  /** How long one fetch waits for a message. Default 5000. */
  fetchExpiresMs?: number;
  /** delivery.working() interval while a task runs; keep well under the queue's ack wait (30 s). Default 5000. */
  workingIntervalMs?: number;
  /** nak delay when a claim fails for a reason worth retrying (scheduler unavailable). Default 1000. */
  claimRetryDelayMs?: number;
  /** Backoff of result reports that fail (first and longest delay). Default 100 / 5000. */
  reportRetryInitialMs?: number;
  reportRetryMaxMs?: number;
  /**
   * Runner processes of function tasks. Default: spares 1, maxIdle = concurrency, maxTasksPerRunner
   * 10 000, reuseWaitMs 200, maxStarting = the number of CPUs.
   */
  runners?: RunnerPoolOptions;
  /** Where per-task working directories are created. Default: the OS temp dir. */
  workRoot?: string;
  /** The worker's own log. Default: core's pino logger named 'worker'. */
  logger?: Logger;
  /** Execution records of this worker (see events.ts). */
  onEvent?: (event: WorkerEvent) => void;
}

type Defaults = Required<
  Omit<WorkerOptions, 'schedulerAddress' | 'token' | 'tls' | 'client' | 'queue' | 'wake' | 'runAsUser' | 'runAsGroup' | 'runners' | 'workRoot' | 'onEvent' | 'logStream' | 'remoteLogs'>
>;

export type ResolvedWorkerOptions = Defaults & WorkerOptions;

function positiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new UpdraftError('CONFIG_INVALID', `worker: ${name} must be an integer >= 1, got ${value}`);
  }
  return value;
}

function positiveMs(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new UpdraftError('CONFIG_INVALID', `worker: ${name} must be a positive number of milliseconds, got ${value}`);
  }
  return value;
}

/** An identifier from the configuration: CONFIG_INVALID naming the option and the rule. */
function configIdentifier(kind: IdentifierKind, value: string, option: string): string {
  try {
    return assertIdentifier(kind, value, option);
  } catch (err) {
    throw new UpdraftError('CONFIG_INVALID', messageOf(err), { cause: err });
  }
}

export function resolveWorkerOptions(o: WorkerOptions): ResolvedWorkerOptions {
  if (!o.client && (!o.schedulerAddress || o.schedulerAddress.length === 0 || !o.token)) {
    throw new UpdraftError('CONFIG_INVALID', 'worker: schedulerAddress (worker.scheduler_address) and token (security.worker_token) are required');
  }
  if (!o.queue) throw new UpdraftError('CONFIG_INVALID', 'worker: queue (a QueuePort or consumer factory) is required');
  const host = o.hostname ?? hostname();
  const queues = o.queues ?? ['default'];
  if (queues.length === 0) throw new UpdraftError('CONFIG_INVALID', 'worker: queues (worker.queues) must name at least one queue');
  queues.forEach((q, i) => configIdentifier('queue', q, `worker: queues[${i}] (worker.queues)`));
  // The default name: the hostname's characters outside the worker name grammar become '_'.
  const workerName = o.workerName
    ? configIdentifier('worker name', o.workerName, 'worker: workerName (worker.name)')
    : `${host.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^[.-]/, '_').slice(0, 200)}-${process.pid}`;
  const r: ResolvedWorkerOptions = {
    ...o,
    queues,
    concurrency: positiveInt(o.concurrency ?? 8, 'concurrency (worker.concurrency)'),
    heartbeatIntervalMs: positiveMs(o.heartbeatIntervalMs ?? 2000, 'heartbeatIntervalMs (worker.heartbeat_interval)'),
    logFolder: resolve(o.logFolder ?? './logs'),
    dagCacheFolder: resolve(o.dagCacheFolder ?? './.updraft/dag-cache'),
    bundleCacheKeep: o.bundleCacheKeep ?? 5,
    umask: o.umask ?? '0022',
    queueOverrides: o.queueOverrides ?? {},
    allowRootTasks: o.allowRootTasks ?? false,
    workerName,
    hostname: host,
    shutdownGracePeriodMs: o.shutdownGracePeriodMs ?? 60_000,
    killGraceMs: positiveMs(o.killGraceMs ?? 5000, 'killGraceMs'),
    logRetentionDays: positiveInt(o.logRetentionDays ?? 30, 'logRetentionDays (logging.retention_days)'),
    logShipTimeoutMs: positiveMs(o.logShipTimeoutMs ?? 5000, 'logShipTimeoutMs'),
    reportGraceMs: positiveMs(o.reportGraceMs ?? 15_000, 'reportGraceMs'),
    fetchExpiresMs: positiveMs(o.fetchExpiresMs ?? 5000, 'fetchExpiresMs'),
    workingIntervalMs: positiveMs(o.workingIntervalMs ?? 5000, 'workingIntervalMs'),
    claimRetryDelayMs: positiveMs(o.claimRetryDelayMs ?? 1000, 'claimRetryDelayMs'),
    reportRetryInitialMs: positiveMs(o.reportRetryInitialMs ?? 100, 'reportRetryInitialMs'),
    reportRetryMaxMs: positiveMs(o.reportRetryMaxMs ?? 5000, 'reportRetryMaxMs'),
    logger: o.logger ?? createLogger({ name: 'worker' }),
  };
  if (r.shutdownGracePeriodMs < 0) throw new UpdraftError('CONFIG_INVALID', 'worker: shutdownGracePeriodMs must be >= 0');
  return r;
}
