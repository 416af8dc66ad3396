/**
 * Options of the SchedulerEngine: one object, every default documented here.
 */
import type { AlertSettings } from '../alerts/sender.js';
import type { CallbackSettings } from './callbacks.js';
import type pg from 'pg';
import { DEFAULT_SENSITIVE_NAMES, silentLogger, taskLogRelativePath, UpdraftError, type Logger, type QueuePublisher, type SecretsContext } from '@updraft/core';


/** Identifies one try of a task instance (for log paths). */
export interface AttemptName {
  dagId: string;
  runId: string;
  taskId: string;
  mapIndex: number;
  tryNumber: number;
}

/**
 * A periodic supervision step run at the end of every tick (heartbeat timeouts, zombies, stuck
 * queued tasks). Errors are logged; they never stop the tick loop.
 */
export interface EngineSupervisor {
  name: string;
  run(now: Date): Promise<void>;
}

export interface SchedulerEngineOptions {
  /**
   * The metadata database. Statements are independent (no transaction spans calls), except the
   * transactions of the tasks the scheduler ends itself (a d.triggerDagRun task's run created and
   * the task ended together; a d.latestOnly task ended with its skips).
   */
  pool: pg.Pool;
  /** Where queued attempts are published (JetStream adapter or the in-process queue). */
  publisher: QueuePublisher;
  /** Default: silent. */
  logger?: Logger;
  /**
   * Clock for schedules (which intervals are due). Default `() => new Date()`. Task timestamps
   * (queued_at, next_retry_at, ...) always use the database clock.
   */
  clock?: () => Date;
  /** Period of tick(): new schedule intervals, queued runs, publish repair, supervisors. Default 1000 ms. */
  tickIntervalMs?: number;
  /** How often the loop's timings are written for the monitor's /metrics (scheduler_loop). Default 5000 ms. */
  loopTimingsIntervalMs?: number;
  /** Heartbeat interval told to workers at registration. Default 5000 ms. */
  heartbeatIntervalMs?: number;
  /** Relative log path of a try. Default `dag_id=<d>/run_id=<r>/task_id=<t>/attempt=<n>.log` (`.../task_id=<t>/map_index=<i>.attempt=<n>.log` for mapped tasks). */
  logPath?: (a: AttemptName) => string;
  /** Most runs one DAG may get created in one tick while catching up. Default 16. */
  maxRunsPerDagPerTick?: number;
  /** Most due retries queued per statement. Default 500. */
  retryBatchSize?: number;
  /** Run at the end of every tick. Default none. */
  supervisors?: EngineSupervisor[];
  /**
   * Connections and variables for running tasks (security.fernet_key, UPDRAFT_CONN_* / UPDRAFT_VAR_*
   * of this process, security.sensitive_var_conn_names). Default: no Fernet key, process.env, the
   * default sensitive names.
   */
  secrets?: SecretsContext;
  /** Largest XCom value in bytes of JSON (core.max_xcom_size). Default 1048576 (1 MiB). */
  maxXcomSize?: number;
  /** Most instances of one mapped task (core.max_map_length). Default 1024. */
  maxMapLength?: number;
  /**
   * Most queued task instances of one DAG run published to the queue at once when more become
   * ready together (a wide mapped task or fan-out); the others wait in the scheduler and go out as
   * published ones are claimed, or straight to a worker whose report of a task of the same run
   * offers its slot (no message, no claim of its own: the cheaper way). Default 16.
   */
  publishWindow?: number;
  /**
   * A run's backlog from which nothing was taken for this long (no claim of a published task of
   * the run, no hand-off) publishes its next window, the instances still queued (checked at each
   * tick): a lost message does not hold the others back. Default 10000 ms.
   */
  publishBacklogStallMs?: number;
  /**
   * Running task and DAG run callbacks. Default: dagsFolder null (callbacks are recorded but not
   * run by this engine), no log folder, base URL '' (relative links), timeout 60 s.
   */
  callbacks?: Partial<CallbackSettings>;
  /**
   * Sending the alert outbox (slack(), email(), webhook() notifiers). Default: the callbacks' base
   * URL and log folder, 6 attempts, retry delay 10 s (doubled per attempt), send timeout 30 s,
   * no group window (each alert at once; the configuration's default is 60 s).
   */
  alerts?: Partial<AlertSettings>;
}

function positiveInteger(n: number, name: string): number {
  if (!Number.isInteger(n) || n < 1) throw new UpdraftError('CONFIG_INVALID', `scheduler engine option ${name} must be a positive integer, got ${n}`);
  return n;
}

/** The relative log path of a try (core's taskLogRelativePath: ids checked, never leaves the folder). */
export function defaultLogPath(a: AttemptName): string {
  return taskLogRelativePath(a, a.tryNumber);
}

export type ResolvedEngineOptions = Required<Omit<SchedulerEngineOptions, 'callbacks' | 'alerts'>> & { callbacks: CallbackSettings; alerts: AlertSettings };

export function resolveEngineOptions(o: SchedulerEngineOptions): ResolvedEngineOptions {
  return {
    pool: o.pool,
    publisher: o.publisher,
    logger: o.logger ?? silentLogger,
    clock: o.clock ?? (() => new Date()),
    tickIntervalMs: o.tickIntervalMs ?? 1000,
    heartbeatIntervalMs: o.heartbeatIntervalMs ?? 5000,
    loopTimingsIntervalMs: o.loopTimingsIntervalMs ?? 5000,
    logPath: o.logPath ?? defaultLogPath,
    maxRunsPerDagPerTick: o.maxRunsPerDagPerTick ?? 16,
    retryBatchSize: o.retryBatchSize ?? 500,
    supervisors: o.supervisors ?? [],
    secrets: o.secrets ?? { fernet: null, env: process.env, sensitiveNames: DEFAULT_SENSITIVE_NAMES },
    maxXcomSize: o.maxXcomSize ?? 1024 * 1024,
    maxMapLength: o.maxMapLength ?? 1024,
    publishWindow: positiveInteger(o.publishWindow ?? 16, 'publishWindow'),
    publishBacklogStallMs: positiveInteger(o.publishBacklogStallMs ?? 10_000, 'publishBacklogStallMs'),
    callbacks: {
      dagsFolder: o.callbacks?.dagsFolder ?? null,
      logFolder: o.callbacks?.logFolder ?? null,
      baseUrl: o.callbacks?.baseUrl ?? '',
      timeoutMs: o.callbacks?.timeoutMs ?? 60_000,
    },
    alerts: {
      baseUrl: o.alerts?.baseUrl ?? o.callbacks?.baseUrl ?? '',
      logFolder: o.alerts?.logFolder ?? o.callbacks?.logFolder ?? null,
      maxAttempts: o.alerts?.maxAttempts ?? 6,
      retryDelayMs: o.alerts?.retryDelayMs ?? 10_000,
      sendTimeoutMs: o.alerts?.sendTimeoutMs ?? 30_000,
      groupWindowMs: o.alerts?.groupWindowMs ?? 0,
    },
  };
}
