/**
 * What the leading scheduler runs, from the moment it takes the leader lock until it stops or
 * loses it: the scheduling engine (its start repairs what a previous leader left: every queued
 * attempt is published again, running runs are re-evaluated), supervision, the DAG processor,
 * the LISTEN for triggered runs, dead letters, and the DAG-folder timers. A standby runs none of
 * it, so nothing is created, queued, supervised or parsed by two schedulers at once.
 */
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { Coalescer, DagProcessor, dagRunsSql, listen, type Listener } from '@updraft/core';
import { SchedulerEngine } from './engine/engine.js';
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
  const processor = new DagProcessor(o.pool, o.dagProcessor ?? {});
  // Supervision ends zombies through the engine; the engine runs supervision at the end of its ticks.
  const supervision: Supervision = new Supervision({
    ...o.supervision, pool: o.pool, publisher: o.queue, logger: log,
    endAttempt: (ref, outcome) => engine.endAttempt(ref, outcome),
  });
  const engine: SchedulerEngine = new SchedulerEngine({
    ...o.engine, pool: o.pool, publisher: o.queue, logger: log,
    supervisors: [...(o.engine?.supervisors ?? []), supervision.supervisor],
    // Callbacks are imported from the DAG files this scheduler parses.
    callbacks: { dagsFolder: path.resolve(o.dagProcessor?.dagsFolder ?? './dags'), ...o.engine?.callbacks },
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

  // The engine first: a standby taking over serves workers from what the database holds, and the
  // DAG folder (which may take seconds to parse) follows.
  try {
    await engine.start();
  } catch (err) {
    await engine.stop();
    await processor.close();
    throw err;
  }
  const firstPass = processDags();
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
    workerFacing: supervision.workerFacing(engine),
    processDags,
    firstPass,
    async stop() {
      clearInterval(interval);
      clearTimeout(debounce);
      watcher?.close();
      stopDeadLetters();
      await runsListener?.close();
      ticksStopped = true;
      await ticks.idle();
      await passes.idle();
      await engine.stop();
      await processor.close();
    },
  };
}
