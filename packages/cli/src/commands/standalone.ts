/**
 * `updraft standalone` (`npm start`): scheduler, one worker, the webserver and the monitor in one process, with
 * the embedded PostgreSQL and the in-process queue unless database.url / nats.url are set. The
 * same scheduler and worker code as the distributed mode; only the adapters differ.
 */
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { createLogger, describeDagsBundle, resolveLogFormat, migrate, redactDatabaseUrl, UpdraftError } from '@updraft/core';
import { startMonitor } from '@updraft/monitor';
import { startScheduler } from '@updraft/scheduler';
import { startWebserver } from '@updraft/webserver';
import { Worker } from '@updraft/worker';
import { loadComponentConfig } from './config.js';
import { failStart } from '../startup.js';
import { dagsBundleOf, schedulerOptionsFromConfig } from '../scheduler-options.js';
import { openDatabase, readStandaloneRuntime, writeStandaloneRuntime } from '../database.js';
import { openQueue } from '../queue.js';
import { onShutdownSignal } from '../signals.js';
import { workerOptionsFromConfig } from '../worker-options.js';
import { webserverOptionsFromConfig } from '../web-options.js';
import { monitorOptionsFromConfig } from '../monitor-options.js';
import { ensureStandaloneAdmin, STANDALONE_ADMIN } from '../standalone-admin.js';

export function register(program: Command): void {
  program
    .command('standalone')
    .description('run everything on this machine: scheduler, a worker, the webserver and the monitor (embedded database and queue by default)')
    .action(async (_opts: unknown, command: Command) => {
      const cfg = loadComponentConfig('standalone', command);
      const logger = createLogger({ name: 'standalone', level: cfg.logging.level, format: resolveLogFormat(cfg.logging.format) });
      const other = readStandaloneRuntime(cfg);
      if (other) {
        throw new UpdraftError('INVALID_ARGUMENT', `updraft standalone is already running here (pid ${other.pid}, webserver ${other.webserverUrl})`);
      }
      const stops: Array<() => Promise<void> | void> = [];
      const stopAll = async (): Promise<void> => {
        for (const stop of stops.reverse()) {
          try {
            await stop();
          } catch (err) {
            logger.error({ err }, 'error while stopping');
          }
        }
      };
      try {
        const db = await openDatabase(cfg, { applicationName: 'updraft-standalone' });
        stops.push(() => db.close());
        if (!db.embedded) await migrate(db.pool);
        const admin = await ensureStandaloneAdmin(db.pool, cfg);
        const queue = await openQueue(cfg, { logger, allowInProcess: true, role: 'standalone' });
        stops.push(() => queue.close());
        // Scheduler and worker share this process; a token is still required on the wire.
        const token = cfg.security.workerToken || randomBytes(24).toString('hex');
        const scheduler = await startScheduler(
          schedulerOptionsFromConfig(cfg, { pool: db.pool, queue, token: token, logger }),
        );
        stops.push(() => scheduler.stop());
        const schedulerAddress = `127.0.0.1:${scheduler.grpcPort}`;
        const worker = new Worker({
          ...workerOptionsFromConfig(cfg, { schedulerAddress }),
          token,
          queue,
          logger,
        });
        await worker.start();
        stops.push(() => worker.stop());
        const web = await startWebserver(webserverOptionsFromConfig(cfg, { db: db.pool, logger }));
        stops.push(() => web.close());
        const monitor = await startMonitor(monitorOptionsFromConfig(cfg, { db: db.pool, logger, queue }));
        stops.push(() => monitor.close());
        stops.push(
          writeStandaloneRuntime(cfg, {
            pid: process.pid,
            databaseUrl: db.url,
            schedulerAddress,
            webserverUrl: web.url,
            logFolder: cfg.logging.baseLogFolder,
          }),
        );
        process.stdout.write(
          [
            'Updraft standalone is running (Ctrl-C stops it)',
            `  database   ${db.embedded ? `embedded PostgreSQL, data in ${cfg.database.embeddedDataDir}` : redactDatabaseUrl(db.url)}`,
            `  queue      ${cfg.nats.url ? `NATS JetStream ${cfg.nats.url}` : 'in-process'}`,
            `  dags       ${dagsBundleOf(cfg).kind === 'git' ? describeDagsBundle(dagsBundleOf(cfg)) : cfg.core.dagsFolder}`,
            `  task logs  ${cfg.logging.baseLogFolder}`,
            `  webserver  ${web.url} (health: ${web.url}/health)`,
            `  monitor    ${monitor.url} (workers, queues, task events; metrics: ${monitor.url}/metrics)`,
            `  scheduler  WorkerService on ${schedulerAddress}`,
            ...(admin ? ['', `Login with username '${STANDALONE_ADMIN}' and password '${admin.password}' (stored in ${admin.file}; shown only now)`] : []),
            '',
          ].join('\n'),
        );
      } catch (err) {
        await stopAll();
        failStart('standalone', err);
      }
      await onShutdownSignal(async (signal) => {
        logger.info({ signal }, 'standalone stopping');
        await stopAll();
        process.stdout.write('Updraft standalone stopped\n');
      });
    });
}
