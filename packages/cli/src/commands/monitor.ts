/** `updraft monitor`: the fleet monitor (workers, queues, task events, /metrics). Runs until SIGINT/SIGTERM. */
import type { Command } from 'commander';
// `@updraft/core/data`, not `@updraft/core`: the monitor needs no gRPC, protobuf, DAG or schedule
// modules, and loading them cost about 17 MB of resident memory (docs/monitor.md, Memory). NATS
// is loaded only when nats.url is set (queue depths).
// @updraft/monitor before @updraft/core/data: it prepares the process before `pg` loads (8 MB less).
import { startMonitor, type RunningMonitor } from '@updraft/monitor';
import { createLogger, resolveLogFormat, formatHostPort, redactDatabaseUrl, waitForDatabase, type TaskQueue } from '@updraft/core/data';
import { loadComponentConfig } from './config.js';
import { openDatabase, type OpenDatabase } from '../database.js';
import { monitorOptionsFromConfig } from '../monitor-options.js';
import { onShutdownSignal } from '../signals.js';
import { startupGuard, type StartupGuard } from '../startup.js';

export function register(program: Command): void {
  program
    .command('monitor')
    .description('run the fleet monitor (monitor.listen): workers, queues and task events live, a JSON API and Prometheus /metrics')
    .option('--listen <host:port>', 'address to listen on (default: monitor.listen)')
    .action(async (opts: { listen?: string }, command: Command) => {
      const cfg = loadComponentConfig('monitor', command);
      const startup: StartupGuard = startupGuard('monitor', cfg.core.startupTimeoutMs);
      const logger = createLogger({ name: 'monitor', level: cfg.logging.level, format: resolveLogFormat(cfg.logging.format) });
      let started: { db: OpenDatabase; queue: TaskQueue | undefined; monitor: RunningMonitor };
      try {
        if (cfg.database.url) {
          startup.step(`waiting for PostgreSQL at ${redactDatabaseUrl(cfg.database.url)}`);
          await waitForDatabase(cfg.database.url, startup.remainingMs());
        } else {
          startup.step('opening the embedded database');
        }
        const db = await openDatabase(cfg, { applicationName: 'updraft-monitor', max: 5 });
        let queue: TaskQueue | undefined;
        if (cfg.nats.url) {
          const [{ displayNatsUrl }, { openQueue }] = await Promise.all([import('@updraft/core/queue'), import('../queue.js')]);
          startup.step(`connecting to NATS at ${displayNatsUrl(cfg.nats.url)}`);
          queue = await openQueue(cfg, { logger, allowInProcess: false, role: 'monitor', connectTimeoutMs: startup.remainingMs() });
        }
        startup.step(`listening on ${opts.listen ?? formatHostPort(cfg.monitor.listen)}`);
        const monitor = await startMonitor(monitorOptionsFromConfig(cfg, { db: db.pool, logger, queue, listen: opts.listen }));
        started = { db, queue, monitor };
      } catch (err) {
        startup.fail(err);
      }
      startup.ready();
      const { db, queue, monitor } = started;
      process.stdout.write(`monitor ready: ${monitor.url} (API: ${monitor.url}/api/workers, metrics: ${monitor.url}/metrics)\n`);
      await onShutdownSignal(async () => {
        await monitor.close();
        await queue?.close();
        await db.close();
      });
    });
}
