/** `updraft webserver`: the REST API (/api/v1, docs at /api/docs) and the UI. Runs until SIGINT/SIGTERM. */
import type { Command } from 'commander';
import { createLogger } from '@updraft/core';
import { startWebserver } from '@updraft/webserver';
import { loadConfigForCommand } from './config.js';
import { openDatabase } from '../database.js';
import { onShutdownSignal } from '../signals.js';
import { webserverOptionsFromConfig } from '../web-options.js';

export function register(program: Command): void {
  program
    .command('webserver')
    .description('run the webserver (webserver.listen): REST API and UI; /health checks the metadata database')
    .option('--listen <host:port>', 'address to listen on (default: webserver.listen)')
    .action(async (opts: { listen?: string }, command: Command) => {
      const cfg = loadConfigForCommand(command);
      const logger = createLogger({ name: 'webserver', level: cfg.logging.level });
      const db = await openDatabase(cfg, { applicationName: 'updraft-webserver', max: 5 });
      const web = await startWebserver(webserverOptionsFromConfig(cfg, { db: db.pool, logger, listen: opts.listen }));
      process.stdout.write(`webserver ready: ${web.url} (API docs: ${web.url}/api/docs, health: ${web.url}/health)\n`);
      await onShutdownSignal(async () => {
        await web.close();
        await db.close();
      });
    });
}
