/**
 * `updraft scheduler`: DAG processor, scheduling engine and the WorkerService for workers.
 * Needs database.url and nats.url; runs until SIGINT/SIGTERM.
 */
import type { Command } from 'commander';
import { createLogger, resolveLogFormat, displayNatsUrl, formatHostPort, migrate, redactDatabaseUrl, UpdraftError, waitForDatabase, type TaskQueue } from '@updraft/core';
import { startScheduler, type RunningScheduler } from '@updraft/scheduler';
import { loadComponentConfig } from './config.js';
import { schedulerOptionsFromConfig } from '../scheduler-options.js';
import { openDatabase, type OpenDatabase } from '../database.js';
import { startupGuard, type StartupGuard } from '../startup.js';
import { openQueue } from '../queue.js';
import { onShutdownSignal } from '../signals.js';

export function register(program: Command): void {
  program
    .command('scheduler')
    .description('run the scheduler: parse DAGs, create runs, queue tasks on NATS, serve workers over gRPC')
    .option('--listen <host:port>', 'WorkerService address (default: scheduler.grpc_listen)')
    .option('--no-migrate', 'do not apply pending database migrations at start')
    .action(async (opts: { listen?: string; migrate: boolean }, command: Command) => {
      const cfg = loadComponentConfig('scheduler', command);
      const startup: StartupGuard = startupGuard('scheduler', cfg.core.startupTimeoutMs);
      const logger = createLogger({ name: 'scheduler', level: cfg.logging.level, format: resolveLogFormat(cfg.logging.format) });
      let started: { scheduler: RunningScheduler; queue: TaskQueue; db: OpenDatabase };
      try {
        if (!cfg.database.url) {
          throw new UpdraftError('CONFIG_INVALID', 'database.url is empty: set UPDRAFT__DATABASE__URL, or use `updraft standalone` for the embedded database');
        }
        startup.step(`waiting for PostgreSQL at ${redactDatabaseUrl(cfg.database.url)}`);
        await waitForDatabase(cfg.database.url, startup.remainingMs());
        const db = await openDatabase(cfg, { applicationName: 'updraft-scheduler' });
        startup.step('applying database migrations');
        if (opts.migrate) await migrate(db.pool);
        startup.step(`connecting to NATS at ${displayNatsUrl(cfg.nats.url)}`);
        const queue = await openQueue(cfg, { logger, allowInProcess: false, role: 'scheduler', connectTimeoutMs: startup.remainingMs() });
        startup.step(`starting the WorkerService on ${opts.listen ?? formatHostPort(cfg.scheduler.grpcListen)}`);
        const scheduler = await startScheduler(
          {
            ...schedulerOptionsFromConfig(cfg, { pool: db.pool, queue, token: cfg.security.workerToken, logger, listen: opts.listen }),
            onServing: () => startup.ready(),
          },
        );
        started = { scheduler, queue, db };
      } catch (err) {
        startup.fail(err);
      }
      startup.ready();
      const { scheduler, queue, db } = started;
      const role = scheduler.leading ? 'leader' : 'standby: takes over when the leader stops';
      process.stdout.write(`scheduler ready: WorkerService on port ${scheduler.grpcPort} (${role})\n`);
      await onShutdownSignal(async (signal) => {
        logger.info({ signal }, 'scheduler stopping');
        await scheduler.stop();
        await queue.close();
        await db.close();
      });
    });
}
