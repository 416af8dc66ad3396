/**
 * The scheduler process: the DAG processor (parses dags/ at start, then on file changes and every
 * `core.dag_dir_list_interval`), the scheduling engine, and the gRPC WorkerService it hosts.
 * `updraft scheduler` and `updraft standalone` both start it through startScheduler().
 */
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { Coalescer, DagProcessor, dagRunsSql, listen, type DagProcessorOptions, type Listener, type Logger, type TaskQueue } from '@updraft/core';
import { SchedulerEngine } from './engine/engine.js';
import type { SchedulerEngineOptions } from './engine/options.js';
import { startWorkerServiceServer, type WorkerServiceServerHandle } from './rpc/server.js';
import type { SupervisionSettings } from './supervision/options.js';
import { Supervision } from './supervision/supervision.js';

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

  // Overlapping requests for a DAG-folder pass share at most one pending pass.
  const passes = new Coalescer<void>();
  const processDags = (force = false): Promise<void> => passes.run('pass', async () => {
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

  let runsListener: Listener | undefined;
  // A notification that arrives mid-tick may concern a run that tick already looked past: the
  // Coalescer runs one more tick after the current one. engine.tick() logs its own failures.
  const ticks = new Coalescer<void>();
  let ticksStopped = false;
  const tickSoon = (): void => {
    if (!ticksStopped) void ticks.run('tick', () => engine.tick());
  };
  const DAG_RUNS_CHANNEL = dagRunsSql.DAG_RUNS_CHANNEL;
  if (o.listenForRuns !== false) {
    runsListener = listen({
      channel: DAG_RUNS_CHANNEL,
      connection: { ...o.pool.options, application_name: 'updraft-scheduler-listen' },
      onNotify: (dagId) => {
        log.debug({ dagId }, `${DAG_RUNS_CHANNEL} notification`);
        tickSoon();
      },
      onReconnect: () => {
        log.info({ channel: DAG_RUNS_CHANNEL }, `LISTEN ${DAG_RUNS_CHANNEL} connection restored`);
        tickSoon();
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
    processDags,
    async stop() {
      clearInterval(interval);
      clearTimeout(debounce);
      watcher?.close();
      stopDeadLetters();
      await runsListener?.close();
      ticksStopped = true;
      await ticks.idle();
      await server.close();
      await engine.stop();
      await processor.close();
    },
  };
}
