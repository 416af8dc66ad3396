/** The monitor's options from the configuration (shared by `updraft monitor` and `updraft standalone`). */
import { formatHostPort, type Logger, type Queryable, type QueueInspector, type UpdraftConfig, type WorkerWake } from '@updraft/core/data';
import type { MonitorOptions } from '@updraft/monitor';

export function monitorOptionsFromConfig(
  cfg: UpdraftConfig,
  o: { db: Queryable; logger: Logger; queue?: QueueInspector & WorkerWake; listen?: string },
): MonitorOptions {
  return {
    listen: o.listen ?? formatHostPort(cfg.monitor.listen),
    db: o.db,
    logger: o.logger,
    queue: o.queue,
    wake: o.queue,
    heartbeatTimeoutMs: cfg.scheduler.workerHeartbeatTimeoutMs,
    offlineRetentionMs: cfg.monitor.offlineRetentionMs,
    metricsPublic: cfg.monitor.metricsPublic,
    metricsToken: cfg.monitor.metricsToken,
    refreshIntervalMs: cfg.monitor.refreshIntervalMs,
    uiBaseUrl: cfg.webserver.baseUrl || `http://${formatHostPort(cfg.webserver.listen)}`,
    instanceName: cfg.webserver.instanceName,
    navbarColor: cfg.webserver.navbarColor,
  };
}
