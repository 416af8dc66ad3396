/** The monitor's one options object, with its documented defaults. */
import { checkAppearance, type Logger, type Queryable, type QueueInspector, type WorkerWake } from '@updraft/core/data';

export interface MonitorOptions {
  /** Metadata database (a pg.Pool: the monitor also LISTENs on it for change notifications). */
  db: Queryable;
  /** The task queue, for JetStream's per-queue counts. Default: none (queue counts come from the database only). */
  queue?: QueueInspector;
  /** Wake-ups to workers after a remote control (the queue's core NATS subject). Default: none (a control applies at the worker's next heartbeat). */
  wake?: WorkerWake;
  logger?: Logger;
  /** host:port to listen on (monitor.listen). Default `127.0.0.1:5555`; port 0 picks a free one. */
  listen?: string;
  /** A worker silent this long counts as offline (scheduler.worker_heartbeat_timeout). Default 8000. */
  heartbeatTimeoutMs?: number;
  /** Offline and deregistered workers leave the main list after this long (monitor.offline_retention). Default 1 h. */
  offlineRetentionMs?: number;
  /** /metrics answers without credentials (monitor.metrics_public). Default true. */
  metricsPublic?: boolean;
  /** Bearer token for /metrics when it is not public (monitor.metrics_token). Default '' (users' basic auth only). */
  metricsToken?: string;
  /** How often the fleet is re-read from the database (monitor.refresh_interval). Default 1000. */
  refreshIntervalMs?: number;
  /** Base URL of the web UI, for links to task instances and logs (webserver.base_url). Default '' (relative links). */
  uiBaseUrl?: string;
  /** The instance's name beside the logo and in the tab's title (webserver.instance_name). Default '' (none). */
  instanceName?: string;
  /** The header's colour, `#rgb` or `#rrggbb` (webserver.navbar_color). Default '' (the theme's). */
  navbarColor?: string;
}

export interface ResolvedMonitorOptions extends Required<Omit<MonitorOptions, 'queue' | 'wake' | 'logger'>> {
  queue: MonitorOptions['queue'];
  wake: MonitorOptions['wake'];
  logger: Logger | undefined;
}

export const MONITOR_DEFAULTS = {
  listen: '127.0.0.1:5555',
  heartbeatTimeoutMs: 8000,
  offlineRetentionMs: 3_600_000,
  metricsPublic: true,
  metricsToken: '',
  refreshIntervalMs: 1000,
  uiBaseUrl: '',
  instanceName: '',
  navbarColor: '',
} as const;

export function resolveMonitorOptions(o: MonitorOptions): ResolvedMonitorOptions {
  const defined = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as MonitorOptions;
  const resolved = { ...MONITOR_DEFAULTS, ...defined, queue: o.queue, wake: o.wake, logger: o.logger };
  checkAppearance('monitor option ', resolved);
  return resolved;
}
