/**
 * The scheduler process: the gRPC WorkerService, and leadership. Several schedulers may run
 * against one database: one leads (it holds the leader lock, see core's db/leader-lease.ts) and
 * runs the DAG processor, the engine and supervision (leader-term.ts); the others are hot
 * standbys whose WorkerService answers "standby" until the leader's lock session ends, when one of
 * them takes over at once. `updraft scheduler` and `updraft standalone` both start it through
 * startScheduler(). Decision and measured takeover: docs/adr/0005-scheduler-high-availability.md.
 */
import type pg from 'pg';
import {
  leaderCandidate,
  messageOf,
  sleep,
  UpdraftError,
  type DagProcessorOptions,
  type GitBundleSpec,
  type LeaderLease,
  type LeaderLeaseOptions,
  type Logger,
  type ServerTlsOptions,
  type TaskQueue,
} from '@updraft/core';
import type { SchedulerEngine } from './engine/engine.js';
import type { SchedulerEngineOptions } from './engine/options.js';
import { LeaderGate } from './leader-gate.js';
import type { LogRetentionOptions } from './maintenance/log-retention.js';
import { startLeaderTerm, type LeaderTerm } from './leader-term.js';
import { startWorkerServiceServer, type WorkerServiceServerHandle } from './rpc/server.js';
import { WorkerAuthenticator } from './rpc/worker-auth.js';
import type { SupervisionSettings } from './supervision/options.js';
import type { Supervision } from './supervision/supervision.js';

export interface SchedulerOptions {
  /** The metadata database. */
  pool: pg.Pool;
  /** Where queued attempts are published (JetStream adapter, or the in-process queue). */
  queue: TaskQueue;
  /** WorkerService `host:port` (scheduler.grpc_listen). Port 0 picks a free one. */
  listen: string;
  /** Shared worker token (security.worker_token); empty: only per-worker credentials are accepted. */
  token: string;
  /** TLS of the WorkerService (security.tls_*); with `ca`, mutual TLS naming the worker. Default: plaintext. */
  tls?: ServerTlsOptions;
  /** DAG processing (core.*). Default: DagProcessor's defaults. */
  dagProcessor?: DagProcessorOptions;
  /**
   * The DAG bundle from a git branch (core.dags_bundle = git:...): the scheduler fetches it into
   * `folder` (core.dags_bundle_git_folder) every `refreshIntervalMs` (core.dags_bundle_refresh_interval,
   * default 60000) and on `updraft dags refresh`, and its tree replaces `dagProcessor.dagsFolder`.
   * Default: none (the DAGs folder is the bundle).
   */
  gitBundle?: { spec: GitBundleSpec; folder: string; refreshIntervalMs?: number };
  /** Full re-scan of the DAGs folder (core.dag_dir_list_interval). Default 30000 ms. */
  dagDirListIntervalMs?: number;
  /** Re-parse soon after a file in the DAGs folder changes. Default true. */
  watchDagsFolder?: boolean;
  /**
   * LISTEN on updraft_dag_runs (a dedicated connection made like the pool's) and run a tick on each
   * notification, so runs triggered from other processes (CLI, webserver) start at once. Default true.
   */
  listenForRuns?: boolean;
  /** Engine options other than pool/publisher/logger. */
  engine?: Omit<SchedulerEngineOptions, 'pool' | 'publisher' | 'logger'>;
  /** Fleet supervision: heartbeat timeout, queued timeout, requeue budget (scheduler.*). Default: its defaults. */
  supervision?: SupervisionSettings;
  /**
   * The leader's daily deletion of task logs older than `retentionDays` (this host's log folder, the
   * remote folder in S3). Default: none.
   */
  logRetention?: Omit<LogRetentionOptions, 'db' | 'now'>;
  /** database.clean_older_than_days: the leader's daily `db clean` of rows older than this; 0 or undefined: never. */
  cleanOlderThanDays?: number;
  /** Leader lock checks (intervals). Default: leaderCandidate's defaults. */
  leaderLease?: Omit<LeaderLeaseOptions, 'connection' | 'logger'>;
  logger: Logger;
  /**
   * Called once the WorkerService listens (before the leader lock and the first DAG-folder pass):
   * from here on the scheduler is up, and what follows is its normal work. Default: nothing.
   */
  onServing?: (port: number) => void;
}

export interface RunningScheduler {
  /** The leader's engine; throws while this scheduler is a standby. */
  readonly engine: SchedulerEngine;
  /** Heartbeat timeouts, zombies, stuck queued tasks, dead letters (the leader's; throws on a standby). */
  readonly supervision: Supervision;
  /** Whether this scheduler leads now. */
  readonly leading: boolean;
  /** Resolves the next time this scheduler leads (at once if it does). */
  whenLeading(): Promise<void>;
  grpcPort: number;
  /** Parse the DAGs folder now (also used by tests); nothing on a standby. */
  processDags(force?: boolean): Promise<void>;
  stop(): Promise<void>;
}

export async function startScheduler(o: SchedulerOptions): Promise<RunningScheduler> {
  const log = o.logger;
  if (o.token === '') log.warn({}, 'security.worker_token is empty: only per-worker credentials (updraft workers credentials create NAME) are accepted');
  const auth = new WorkerAuthenticator({ pool: o.pool, sharedToken: o.token, logger: log });
  const gate = new LeaderGate();
  let server: WorkerServiceServerHandle;
  try {
    server = await startWorkerServiceServer({ listen: o.listen, token: o.token, authenticator: auth, engine: gate, tls: o.tls, logger: log });
  } catch (err) {
    await auth.close();
    throw err;
  }
  o.onServing?.(server.port);
  const candidate = leaderCandidate({ connection: o.pool.options, logger: log, ...o.leaderLease });
  const abort = new AbortController();
  let resolveStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  let term: LeaderTerm | undefined;
  let leadingWaiters: Array<() => void> = [];

  const begin = async (lease: LeaderLease): Promise<void> => {
    const t0 = Date.now();
    try {
      term = await startLeaderTerm(o);
    } catch (err) {
      await lease.release();
      throw err;
    }
    gate.current = term.workerFacing;
    log.info({ listen: o.listen, port: server.port, startMs: Date.now() - t0 }, 'scheduler is now the leader');
    for (const w of leadingWaiters) w();
    leadingWaiters = [];
  };

  /** Serves as leader until the lease is lost or the scheduler stops, then steps down. */
  const serve = async (lease: LeaderLease): Promise<void> => {
    const reason = await Promise.race([lease.lost, stopped.then(() => undefined)]);
    gate.current = undefined;
    if (reason !== undefined) log.warn({ reason: reason.message }, 'scheduler lost the leader lock: stepping down to standby');
    const ending = term;
    term = undefined;
    await ending?.stop();
    await lease.release();
  };

  let first: LeaderLease | undefined;
  try {
    first = await candidate.tryAcquire();
    if (first) {
      await begin(first);
      await term!.firstPass;
    }
  } catch (err) {
    await server.close();
    await auth.close();
    throw err;
  }
  if (!first) log.info({ listen: o.listen, port: server.port }, 'scheduler standby: another scheduler leads; taking over when its leader lock is released');

  const loop = (async () => {
    let lease = first;
    while (!abort.signal.aborted) {
      lease ??= await candidate.campaign(abort.signal);
      if (lease === undefined) break;
      try {
        if (term === undefined) await begin(lease);
        await serve(lease);
      } catch (err) {
        log.error({ err: messageOf(err) }, 'scheduler could not lead; standing by and trying again');
        await lease.release();
        await sleep(1000);
      }
      lease = undefined;
    }
  })();

  const leader = (): LeaderTerm => {
    if (term === undefined) throw new UpdraftError('RPC_ERROR', 'this scheduler is a standby (another scheduler leads)');
    return term;
  };

  return {
    get engine() {
      return leader().engine;
    },
    get supervision() {
      return leader().supervision;
    },
    get leading() {
      return term !== undefined;
    },
    whenLeading: () => (term !== undefined ? Promise.resolve() : new Promise<void>((resolve) => leadingWaiters.push(resolve))),
    grpcPort: server.port,
    processDags: async (force = false) => {
      await term?.processDags(force);
    },
    async stop() {
      await server.close();
      abort.abort();
      resolveStopped();
      await loop;
      await auth.close();
    },
  };
}
