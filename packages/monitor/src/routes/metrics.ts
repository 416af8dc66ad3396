/** GET /metrics: Prometheus text format; public unless monitor.metrics_public is false. */
import type { FastifyContextConfig } from 'fastify';
import { schedulerLoopSql } from '@updraft/core/data';
import type { MonitorContext, MonitorApp } from '../context.js';
import { readQueues } from '../model/queues.js';

export function metricsRoutes(app: MonitorApp, ctx: MonitorContext): void {
  const config: FastifyContextConfig = ctx.options.metricsPublic
    ? { public: true }
    : { permission: 'monitor.read', bearerToken: ctx.options.metricsToken };
  app.get('/metrics', { config }, async (_request, reply) => {
    const workers = await ctx.reader.workers({ all: false });
    const queues = await readQueues({ db: ctx.db, queue: ctx.options.queue, uiBaseUrl: ctx.options.uiBaseUrl, logger: ctx.options.logger }, workers, 1);
    ctx.metrics.setFleet(workers, queues);
    ctx.metrics.setSchedulerLoop(await schedulerLoopSql.loopTimings(ctx.db), (await schedulerLoopSql.schedulerHeartbeat(ctx.db)).leaderPresent);
    return reply.type(ctx.metrics.contentType).send(await ctx.metrics.text());
  });
}
