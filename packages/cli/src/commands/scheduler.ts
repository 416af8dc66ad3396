/**
 * `updraft scheduler`: DAG processor, scheduling engine and the WorkerService for workers.
 * Needs database.url and nats.url; runs until SIGINT/SIGTERM.
 */
import type { Command } from 'commander';
import { createLogger, migrate, UpdraftError } from '@updraft/core';
import { startScheduler } from '@updraft/scheduler';
import { loadConfigForCommand } from './config.js';
import { schedulerOptionsFromConfig } from '../scheduler-options.js';
import { openDatabase } from '../database.js';
import { openQueue } from '../queue.js';
import { onShutdownSignal } from '../signals.js';

export function register(program: Command): void {
  program
    .command('scheduler')
    .description('run the scheduler: parse DAGs, create runs, queue tasks on NATS, serve workers over gRPC')
    .option('--listen <host:port>', 'WorkerService address (default: scheduler.grpc_listen)')
    .option('--no-migrate', 'do not apply pending database migrations at start')
    .action(async (opts: { listen?: string; migrate: boolean }, command: Command) => {
      const cfg = loadConfigForCommand(command);
      const logger = createLogger({ name: 'scheduler', level: cfg.logging.level });
      if (!cfg.database.url) {
        throw new UpdraftError('CONFIG_INVALID', 'database.url is empty: set UPDRAFT__DATABASE__URL, or use `updraft standalone` for the embedded database');
      }
      const db = await openDatabase(cfg, { applicationName: 'updraft-scheduler' });
      if (opts.migrate) await migrate(db.pool);
      const queue = await openQueue(cfg, { logger, allowInProcess: false, role: 'scheduler' });
      const scheduler = await startScheduler(
        schedulerOptionsFromConfig(cfg, { pool: db.pool, queue, token: cfg.security.workerToken, logger, listen: opts.listen }),
      );
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
