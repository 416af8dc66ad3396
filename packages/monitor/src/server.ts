/**
 * Starting the monitor: the app of ./app.ts listening on monitor.listen, the fleet re-read every
 * refresh interval and the task feed following the database's change notifications; both push to
 * open pages (server-sent events) and feed the metrics.
 */
import type pg from 'pg';
import { formatHostPort, parseHostPort, UpdraftError, type HostPort } from '@updraft/core/data';
import { buildMonitorApp } from './app.js';
import { FleetWatch } from './live/fleet-watch.js';
import { TaskFeed } from './live/task-feed.js';
import type { MonitorOptions } from './options.js';

export interface RunningMonitor {
  url: string;
  port: number;
  close(): Promise<void>;
}

function listenAddress(listen: string): HostPort {
  const hp = parseHostPort(listen);
  if (!hp) throw new UpdraftError('CONFIG_INVALID', `monitor.listen: ${JSON.stringify(listen)} is not host:port`);
  return hp;
}

const poolConnection = (db: unknown): pg.ClientConfig | undefined => {
  const options = (db as { options?: pg.ClientConfig }).options;
  return typeof options === 'object' && options !== null ? options : undefined;
};

export async function startMonitor(o: MonitorOptions): Promise<RunningMonitor> {
  const { app, ctx } = await buildMonitorApp(o);
  const { options } = ctx;
  const feed = new TaskFeed({
    db: options.db, connection: poolConnection(options.db), refreshIntervalMs: options.refreshIntervalMs, logger: options.logger,
    onEvents: (events) => {
      ctx.metrics.observe(events);
      if (ctx.hub.size === 0) return;
      ctx.hub.publish('tasks', events.slice(-200).map((e) => ({
        event: e.event, at: new Date(e.atMs).toISOString(), dag_id: e.dagId, run_id: e.runId, task_id: e.taskId, map_index: e.mapIndex,
        try_number: e.tryNumber, queue: e.queue, worker: e.worker,
      })));
      ctx.hub.publish('queues');
    },
  });
  const watch = new FleetWatch({
    reader: ctx.reader, refreshIntervalMs: options.refreshIntervalMs, logger: options.logger,
    onChange: () => {
      ctx.hub.publish('workers');
      ctx.hub.publish('queues');
    },
  });
  try {
    await feed.start();
    watch.start();
    const { host, port } = listenAddress(options.listen);
    await app.listen({ host, port });
  } catch (err) {
    watch.close();
    await feed.close();
    await app.close();
    throw err;
  }
  const address = app.server.address();
  const actual = typeof address === 'object' && address !== null ? address.port : 0;
  options.logger?.info({ listen: options.listen, port: actual }, 'monitor listening');
  const { host } = listenAddress(options.listen);
  return {
    url: `http://${formatHostPort({ host, port: actual })}`,
    port: actual,
    close: async () => {
      watch.close();
      await feed.close();
      app.server.closeAllConnections();
      await app.close();
    },
  };
}
