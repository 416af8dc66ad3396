/** `updraft webserver`: the REST API (/api/v1, docs at /api/docs) and the UI. Runs until SIGINT/SIGTERM. */
import type { Command } from 'commander';
import { createLogger, resolveLogFormat, formatHostPort, redactDatabaseUrl, waitForDatabase } from '@updraft/core';
import { startWebserver, type RunningWebserver } from '@updraft/webserver';
import { loadComponentConfig } from './config.js';
import { startupGuard, type StartupGuard } from '../startup.js';
import { openDatabase, type OpenDatabase } from '../database.js';
import { onShutdownSignal } from '../signals.js';
import { webserverOptionsFromConfig } from '../web-options.js';

export function register(program: Command): void {
  program
    .command('webserver')
    .description('run the webserver (webserver.listen): REST API and UI; /health checks the metadata database')
    .option('--listen <host:port>', 'address to listen on (default: webserver.listen)')
    .action(async (opts: { listen?: string }, command: Command) => {
      const cfg = loadComponentConfig('webserver', command);
      const startup: StartupGuard = startupGuard('webserver', cfg.core.startupTimeoutMs);
      const logger = createLogger({ name: 'webserver', level: cfg.logging.level, format: resolveLogFormat(cfg.logging.format) });
      let started: { db: OpenDatabase; web: RunningWebserver };
      try {
        if (cfg.database.url) {
          startup.step(`waiting for PostgreSQL at ${redactDatabaseUrl(cfg.database.url)}`);
          await waitForDatabase(cfg.database.url, startup.remainingMs());
        } else {
          startup.step('opening the embedded database');
        }
        const db = await openDatabase(cfg, { applicationName: 'updraft-webserver', max: 5 });
        startup.step(`listening on ${opts.listen ?? formatHostPort(cfg.webserver.listen)}`);
        const web = await startWebserver(webserverOptionsFromConfig(cfg, { db: db.pool, logger, listen: opts.listen }));
        started = { db, web };
      } catch (err) {
        startup.fail(err);
      }
      startup.ready();
      const { db, web } = started;
      process.stdout.write(`webserver ready: ${web.url} (API docs: ${web.url}/api/docs, health: ${web.url}/health)\n`);
      await onShutdownSignal(async () => {
        await web.close();
        await db.close();
      });
    });
}
