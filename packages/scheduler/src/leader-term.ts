/**
 * What the leading scheduler runs, from the moment it takes the leader lock until it stops or
 * loses it: the scheduling engine (its start repairs what a previous leader left: every queued
 * attempt is published again, running runs are re-evaluated), supervision, the DAG processor,
 * the LISTEN for triggered runs and recorded alerts, dead letters, and the DAG-folder timers. A standby runs none of
 * it, so nothing is created, queued, supervised or parsed by two schedulers at once.
 */
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { alertsSql, Coalescer, DagProcessor, dagRunsSql, describeDagsBundle, GitBundleSource, listen, messageOf, UpdraftError, type DagPass, type Listener } from '@updraft/core';
import { startBundleRefresh } from './bundle-refresh.js';
import { SchedulerEngine } from './engine/engine.js';
import { scheduleDbClean } from './maintenance/db-clean.js';
import { scheduleHeartbeatHistoryRetention } from './maintenance/heartbeat-history.js';
import { scheduleLogRetention } from './maintenance/log-retention.js';
import { Supervision } from './supervision/supervision.js';
import type { SchedulerOptions } from './service.js';
import type { WorkerFacingEngine } from './worker-facing.js';

export interface LeaderTerm {
  readonly engine: SchedulerEngine;
  readonly supervision: Supervision;
  /** What the WorkerService serves while this term lasts. */
  readonly workerFacing: WorkerFacingEngine;
  /** Parse the DAGs folder now. */
  processDags(force?: boolean): Promise<void>;
  /** Resolves after the first DAG-folder pass (started right after the engine). */
  readonly firstPass: Promise<void>;
  stop(): Promise<void>;
}

export async function startLeaderTerm(o: SchedulerOptions): Promise<LeaderTerm> {
  const log = o.logger;
  // A notification that arrives mid-tick may concern a run that tick already looked past: the
  // Coalescer runs one more tick after the current one. engine.tick() logs its own failures.
  const ticks = new Coalescer<void>();
  let ticksStopped = false;
  const tickSoon = (): void => {
    if (!ticksStopped) void ticks.run('tick', () => engine.tick());
  };
  // Results are written as they come in: each write is logged and scheduled at once (new or
  // changed DAGs may be due), whatever other files of the pass still do.
  let written = false;
  // A git bundle: the processor reads the checked-out tree, brought to the fetched commit before each scan.
  const git = o.gitBundle ? new GitBundleSource({ spec: o.gitBundle.spec, folder: o.gitBundle.folder }) : undefined;
  const dagsFolder = git?.dagsFolder ?? path.resolve(o.dagProcessor?.dagsFolder ?? './dags');
  let lastBundleError: Error | undefined;
  const processor = new DagProcessor(o.pool, {
    ...o.dagProcessor,
    dagsFolder,
    ...(git ? { prepareFolder: async () => ({ commit: await git.checkout() }) } : {}),
    onWrite: (w) => {
      log.info(
        { parsed: w.files, dags: w.dags, errors: w.errors.length, gone: w.filesGone, active: w.activeDags },
        'DAG files processed',
      );
      for (const e of w.errors) log.warn({ file: e.fileloc, kind: e.kind }, `DAG import error: ${e.message}`);
      written = true;
      tickSoon();
    },
    onBundle: (b) => {
      lastBundleError = 'error' in b ? b.error : undefined;
      if ('error' in b) log.error({ err: b.error }, 'DAG bundle not stored: new runs record no bundle version');
      else log.info({ version: b.version, files: b.files, bytes: b.bytes, ...(b.commit ? { commit: b.commit } : {}) }, 'DAG bundle version stored');
    },
  });
  // Supervision ends zombies through the engine; the engine runs supervision at the end of its ticks.
  const supervision: Supervision = new Supervision({
    ...o.supervision, pool: o.pool, publisher: o.queue, logger: log,
    endAttempt: (ref, outcome) => engine.endAttempt(ref, outcome),
  });
  const engine: SchedulerEngine = new SchedulerEngine({
    ...o.engine, pool: o.pool, publisher: o.queue, logger: log,
    supervisors: [...(o.engine?.supervisors ?? []), supervision.supervisor],
    // Callbacks are imported from the DAG files this scheduler parses.
    callbacks: { dagsFolder, ...o.engine?.callbacks },
  });

  // Overlapping requests for a DAG-folder scan share at most one pending scan. A scan only queues
  // the new and changed files (never one still being parsed) and does not wait for them: a file
  // that hangs at import holds neither the next scan nor the other files, whose results are
  // written (and scheduled, see onWrite) as they come in.
  const scans = new Coalescer<DagPass | undefined>();
  let lastScanError: unknown;
  const scan = (force: boolean): Promise<DagPass | undefined> => scans.run('scan', async () => {
    try {
      const pass = await processor.startPass({ force });
      lastScanError = undefined;
      pass.done.catch((err: unknown) => log.error({ err }, 'DAG folder pass failed'));
      return pass;
    } catch (err) {
      lastScanError = err;
      log.error({ err }, 'DAG folder pass failed');
      return undefined;
    }
  });
  /** Triggered by the watch and the timer: scan, and let the results come in. */
  const scanSoon = (): void => void scan(false);
  /** A pass whose files are all written and scheduled when it resolves (the first pass, tests). */
  const processDags = async (force = false): Promise<void> => {
    const pass = await scan(force);
    await pass?.done.catch(() => undefined);
    if (written && !ticksStopped) {
      written = false;
      await ticks.run('tick', () => engine.tick());
    }
  };

  // The engine first: a standby taking over serves workers from what the database holds, and the
  // DAG folder (which may take seconds to parse) follows.
  try {
    await engine.start();
  } catch (err) {
    await engine.stop();
    await processor.close();
    throw err;
  }
  processor.prewarm();
  const source = git?.description ?? describeDagsBundle({ kind: 'folder' });
  const bundleRefresh = startBundleRefresh({
    pool: o.pool, logger: log, git, source, intervalMs: o.gitBundle?.refreshIntervalMs ?? 60_000,
    listenForRequests: o.listenForRuns !== false,
    scanSoon,
    // `updraft dags refresh`: a scan after the fetch, done when its files are written and scheduled.
    scan: async () => {
      const pass = await scan(false);
      if (pass === undefined) throw new UpdraftError(git ? 'GIT_ERROR' : 'INVALID_ARGUMENT', `DAG bundle ${source}: scan failed: ${messageOf(lastScanError)}`);
      const summary = await pass.done;
      if (written && !ticksStopped) {
        written = false;
        await ticks.run('tick', () => engine.tick());
      }
      if (summary.bundleVersion === null) {
        throw new UpdraftError('GIT_ERROR', `DAG bundle ${source}${summary.bundleCommit ? ` at commit ${summary.bundleCommit}` : ''} not stored: ${messageOf(lastBundleError)}`);
      }
      return { version: summary.bundleVersion, commit: summary.bundleCommit };
    },
  });
  const firstPass = bundleRefresh.fetchNow().then(() => processDags());
  const stopDeadLetters = o.queue.onDeadLetter((dead) => supervision.handleDeadLetter(dead));

  let runsListener: Listener | undefined;
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
  // Alert outbox rows: this engine wakes its sender itself for the rows it records; the
  // notification (migration 0012's trigger) covers rows recorded by any other process.
  let alertsListener: Listener | undefined;
  if (o.listenForRuns !== false) {
    const channel = alertsSql.ALERTS_CHANNEL;
    alertsListener = listen({
      channel,
      connection: { ...o.pool.options, application_name: 'updraft-scheduler-alerts' },
      onNotify: () => engine.wakeAlerts(),
      onReconnect: () => engine.wakeAlerts(),
      onError: (err) => log.warn({ err }, `LISTEN ${channel} connection lost; reconnecting (alerts recorded meanwhile are sent when it is back)`),
    });
    alertsListener.ready.catch(() => undefined);
  }

  const retention = o.logRetention ? scheduleLogRetention({ ...o.logRetention, db: o.pool }, log) : undefined;
  const dbClean = o.cleanOlderThanDays ? scheduleDbClean({ db: o.pool, olderThanDays: o.cleanOlderThanDays }, log) : undefined;
  const heartbeatHistory = scheduleHeartbeatHistoryRetention(o.pool, log);
  const interval = setInterval(scanSoon, o.dagDirListIntervalMs ?? 30_000);
  let watcher: FSWatcher | undefined;
  let debounce: NodeJS.Timeout | undefined;
  // A git bundle's tree changes only by a fetch, which scans itself.
  if (o.watchDagsFolder !== false && !git) {
    try {
      watcher = watch(dagsFolder, { recursive: true }, () => {
        clearTimeout(debounce);
        debounce = setTimeout(scanSoon, 300);
      });
      watcher.on('error', (err) => log.warn({ err }, 'DAG folder watch failed; relying on the periodic scan'));
    } catch (err) {
      log.warn({ err }, 'cannot watch the DAG folder; relying on the periodic scan');
    }
  }

  return {
    engine,
    supervision,
    workerFacing: supervision.workerFacing(engine),
    processDags,
    firstPass,
    async stop() {
      clearInterval(interval);
      clearTimeout(debounce);
      await bundleRefresh.stop();
      await retention?.stop();
      await dbClean?.stop();
      await heartbeatHistory.stop();
      watcher?.close();
      stopDeadLetters();
      await runsListener?.close();
      await alertsListener?.close();
      ticksStopped = true;
      await ticks.idle();
      await scans.idle();
      await engine.stop();
      await processor.close();
    },
  };
}
