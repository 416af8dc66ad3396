/**
 * The scheduler process: the DAG processor (parses dags/ at start, then on file changes and every
 * `core.dag_dir_list_interval`), the scheduling engine, and the gRPC WorkerService it hosts.
 * `updraft scheduler` and `updraft standalone` both start it through startScheduler().
 */
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { DAG_RUNS_CHANNEL, DagProcessor, listenForDagRuns, type DagProcessorOptions, type DagRunsListener, type Logger, type TaskQueue } from '@updraft/core';
import { SchedulerEngine, type SchedulerEngineOptions } from './engine/index.js';
import { startWorkerServiceServer, type WorkerServiceServerHandle } from './rpc/index.js';
import { Supervision, type SupervisionSettings } from './supervision/index.js';

export interface SchedulerOptions {
  /** The metadata database. */
  pool: pg.Pool;
  /** Where queued attempts are published (JetStream adapter, or the in-process queue). */
  queue: TaskQueue;
  /** WorkerService `host:port` (scheduler.grpc_listen). Port 0 picks a free one. */
  listen: string;
  /** Shared worker token (security.worker_token). */
  token: string;
  /** DAG processing (core.*). Default: DagProcessor's defaults. */
  dagProcessor?: DagProcessorOptions;
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
  logger: Logger;
}

export interface RunningScheduler {
  engine: SchedulerEngine;
  /** Heartbeat timeouts, zombies, stuck queued tasks, dead letters. */
  supervision: Supervision;
  grpcPort: number;
  /** Parse the DAGs folder now (also used by tests and `dags reserialize`). */
  processDags(force?: boolean): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs `fn` on demand, at most one at a time; requests made while it runs make it run once more
 * after (a notification that arrives mid-tick may concern a run that tick already looked past).
 * `stop()` refuses further requests and waits for the current run.
 */
function coalesced(fn: () => Promise<void>): { request(): void; stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const loop = async (): Promise<void> => {
    try {
      do {
        again = false;
        await fn();
      } while (again && !stopped);
    } finally {
      running = undefined;
    }
  };
  return {
    request() {
      if (stopped) return;
      if (running) again = true;
      else running = loop();
    },
    async stop() {
      stopped = true;
      await running;
    },
  };
}

/** Coalesces overlapping requests for a DAG-folder pass into at most one pending pass. */
function serialPasses(run: (force: boolean) => Promise<void>): (force?: boolean) => Promise<void> {
  let running: Promise<void> | undefined;
  let pending: Promise<void> | undefined;
  return (force = false) => {
    if (!running) {
      running = run(force).finally(() => (running = undefined));
      return running;
    }
    pending ??= running.then(() => {
      pending = undefined;
      running = run(force).finally(() => (running = undefined));
      return running;
    });
    return pending;
  };
}

export async function startScheduler(o: SchedulerOptions): Promise<RunningScheduler> {
  const log = o.logger;
  const processor = new DagProcessor(o.pool, o.dagProcessor ?? {});
  // Supervision ends zombies through the engine; the engine runs supervision at the end of its ticks.
  const supervision: Supervision = new Supervision({
    ...o.supervision, pool: o.pool, publisher: o.queue, logger: log,
    endAttempt: (ref, outcome) => engine.endAttempt(ref, outcome),
  });
  const engine: SchedulerEngine = new SchedulerEngine({
    ...o.engine, pool: o.pool, publisher: o.queue, logger: log,
    supervisors: [...(o.engine?.supervisors ?? []), supervision.supervisor],
  });

  const processDags = serialPasses(async (force) => {
    try {
      const s = await processor.processDagsFolder({ force });
      if (s.filesParsed > 0 || s.filesGone > 0) {
        log.info(
          { files: s.filesSeen, parsed: s.filesParsed, dags: s.dags, errors: s.errors.length, ms: Math.round(s.durationMs) },
          'DAG folder processed',
        );
        for (const e of s.errors) log.warn({ file: e.fileloc, kind: e.kind }, `DAG import error: ${e.message}`);
        // New or changed DAGs may be due at once: schedule without waiting for the next tick.
        await engine.tick();
      }
    } catch (err) {
      log.error({ err }, 'DAG folder pass failed');
    }
  });

  await processDags();
  await engine.start();
  let server: WorkerServiceServerHandle;
  try {
    server = await startWorkerServiceServer({ listen: o.listen, token: o.token, engine: supervision.workerFacing(engine), logger: log });
  } catch (err) {
    await engine.stop();
    await processor.close();
    throw err;
  }
  log.info({ listen: o.listen, port: server.port }, 'scheduler WorkerService listening');
  const stopDeadLetters = o.queue.onDeadLetter((dead) => supervision.handleDeadLetter(dead));

  let runsListener: DagRunsListener | undefined;
  // engine.tick() logs its own failures per step and does not reject.
  const tickSoon = coalesced(() => engine.tick());
  if (o.listenForRuns !== false) {
    runsListener = listenForDagRuns({
      connection: { ...o.pool.options, application_name: 'updraft-scheduler-listen' },
      onNotify: (dagId) => {
        log.debug({ dagId }, `${DAG_RUNS_CHANNEL} notification`);
        tickSoon.request();
      },
      onReconnect: () => {
        log.info(`LISTEN ${DAG_RUNS_CHANNEL} connection restored`);
        tickSoon.request();
      },
      onError: (err) => log.warn({ err }, `LISTEN ${DAG_RUNS_CHANNEL} connection lost; reconnecting (runs triggered meanwhile start at the next tick)`),
    });
    runsListener.ready.catch(() => undefined); // onError logged it; it keeps reconnecting
  }

  const interval = setInterval(() => void processDags(), o.dagDirListIntervalMs ?? 30_000);
  let watcher: FSWatcher | undefined;
  let debounce: NodeJS.Timeout | undefined;
  if (o.watchDagsFolder !== false) {
    try {
      watcher = watch(path.resolve(o.dagProcessor?.dagsFolder ?? './dags'), { recursive: true }, () => {
        clearTimeout(debounce);
        debounce = setTimeout(() => void processDags(), 300);
      });
      watcher.on('error', (err) => log.warn({ err }, 'DAG folder watch failed; relying on the periodic scan'));
    } catch (err) {
      log.warn({ err }, 'cannot watch the DAG folder; relying on the periodic scan');
    }
  }

  return {
    engine,
    supervision,
    grpcPort: server.port,
    processDags: (force) => processDags(force),
    async stop() {
      clearInterval(interval);
      clearTimeout(debounce);
      watcher?.close();
      stopDeadLetters();
      await runsListener?.close();
      await tickSoon.stop();
      await server.close();
      await engine.stop();
      await processor.close();
    },
  };
}
