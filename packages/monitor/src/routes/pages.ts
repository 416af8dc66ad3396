/**
 * The pages (server-rendered shells whose scripts read the JSON API and follow /api/events):
 * /workers, /worker/{name}, /queues, /tasks; / goes to /workers. uPlot is served from its package.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Type } from '../http/schema.js';
import { fleetSql, heartbeatGapsSql, UpdraftError } from '@updraft/core/data';
import type { MonitorApp, MonitorContext } from '../context.js';
import { queuesPage } from '../pages/queues.js';
import { tasksPage } from '../pages/tasks.js';
import { workerPage } from '../pages/worker.js';
import { workersPage } from '../pages/workers.js';

const require = createRequire(import.meta.url);
const asset = (file: string): string => readFileSync(require.resolve(`uplot/dist/${file}`), 'utf8');
const WINDOWS = { '1h': { ms: 3_600_000, bucket: 60 }, '24h': { ms: 86_400_000, bucket: 1800 } } as const;

export function pageRoutes(app: MonitorApp, ctx: MonitorContext): void {
  const read = { config: { permission: 'monitor.read' as const } };
  const look = ctx.options;
  const pages = { '/workers': workersPage(look), '/queues': queuesPage(look), '/tasks': tasksPage(look) };
  app.get('/', read, (_request, reply) => reply.redirect('/workers'));
  for (const [path, page] of Object.entries(pages)) {
    app.get(path, read, (_request, reply) => reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(page));
  }
  app.get('/worker/:name', { ...read, schema: { params: Type.Object({ name: Type.String({ minLength: 1, maxLength: 250 }) }) } },
    (request, reply) => reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(workerPage(request.params.name, look)));

  const js = asset('uPlot.iife.min.js');
  const css = asset('uPlot.min.css');
  app.get('/static/uPlot.iife.min.js', { config: { public: true } }, (_request, reply) => reply.header('cache-control', 'max-age=86400').type('text/javascript; charset=utf-8').send(js));
  app.get('/static/uPlot.min.css', { config: { public: true } }, (_request, reply) => reply.header('cache-control', 'max-age=86400').type('text/css; charset=utf-8').send(css));

  app.get('/api/worker/:name/series', {
    config: { permission: 'monitor.read' },
    schema: {
      tags: ['workers'], summary: 'A worker\'s chart data: per bucket (1 min / 30 min) succeeded, failed, p50 and p95 run time, the average slots in use, and the heartbeats received with the largest gap between two of them (max_heartbeat_gap_ms, null: no heartbeat in the bucket).',
      params: Type.Object({ name: Type.String({ minLength: 1, maxLength: 250 }) }),
      querystring: Type.Object({ window: Type.Optional(Type.Union([Type.Literal('1h'), Type.Literal('24h')], { default: '1h' })) }, { additionalProperties: false }),
    },
  }, async (request) => {
    const [worker] = await ctx.reader.workers({ name: request.params.name });
    if (!worker) throw new UpdraftError('WORKER_NOT_FOUND', `no worker named ${JSON.stringify(request.params.name)}`);
    const w = WINDOWS[request.query.window ?? '1h'];
    const [points, slots, gaps] = await Promise.all([
      fleetSql.workerSeries(ctx.db, worker.worker_id, w.ms, w.bucket),
      fleetSql.workerSlotSeries(ctx.db, worker.worker_id, w.ms, w.bucket),
      heartbeatGapsSql.heartbeatGapSeries(ctx.db, worker.name, w.ms, w.bucket),
    ]);
    const slotsAt = new Map(slots.map((p) => [p.at.getTime(), p.slots]));
    const gapsAt = new Map(gaps.map((p) => [p.at.getTime(), p]));
    // Every bucket of the window, empty ones too, so the charts span the whole window.
    const byStart = new Map(points.map((p) => [p.at.getTime(), p]));
    const step = w.bucket * 1000;
    const last = Math.floor(Date.now() / step) * step;
    const filled = [];
    for (let t = last - Math.floor(w.ms / step) * step; t <= last; t += step) {
      const p = byStart.get(t);
      const g = gapsAt.get(t);
      filled.push({ at: new Date(t).toISOString(), succeeded: p?.succeeded ?? 0, failed: p?.failed ?? 0, p50_ms: p?.p50Ms ?? null, p95_ms: p?.p95Ms ?? null, slots: slotsAt.get(t) ?? 0,
        heartbeats: g?.beats ?? 0, max_heartbeat_gap_ms: g?.maxGapMs ?? null });
    }
    return { window: request.query.window ?? '1h', bucket_seconds: w.bucket, points: filled };
  });
}
