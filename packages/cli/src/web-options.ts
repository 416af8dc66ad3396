/** The webserver's options from the configuration (shared by `updraft webserver` and `updraft standalone`). */
import { remoteLogSettings } from './remote-log-options.js';
import { formatHostPort, secretsContext, type Logger, type Queryable, type UpdraftConfig } from '@updraft/core';
import type { WebserverOptions } from '@updraft/webserver';
import { logStreamOptions } from './queue.js';

export function webserverOptionsFromConfig(cfg: UpdraftConfig, o: { db: Queryable; logger: Logger; listen?: string }): WebserverOptions {
  const remote = remoteLogSettings(cfg);
  return {
    listen: o.listen ?? formatHostPort(cfg.webserver.listen),
    db: o.db,
    logger: o.logger,
    logFolder: cfg.logging.baseLogFolder,
    ...(cfg.nats.url ? { logStream: logStreamOptions(cfg, 'webserver', o.logger)! } : {}),
    ...(remote ? { remoteLogs: { baseFolder: remote.baseFolder, connId: remote.connId } } : {}),
    bodyLimit: cfg.webserver.bodyLimit,
    secrets: secretsContext(cfg),
    config: cfg,
  };
}

