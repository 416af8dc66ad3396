/**
 * The JSON API, shaped after Flower's: GET /api/workers, /api/worker/{name}, /api/queues/length,
 * /api/tasks, /api/events (server-sent events), and GET /healthcheck.
 */
import { Type } from '../http/schema.js';
import { assertIdentifier, fleetSql, isUpdraftError, pingDatabase, UpdraftError } from '@updraft/core/data';
import type { MonitorContext, MonitorApp } from '../context.js';
import { readQueues } from '../model/queues.js';
import { eventOf, globToLike, parseTaskSearch, TASK_EVENTS, tryStatesFor, type TaskEventName } from '../model/task-events.js';
import { taskInstanceUrl } from '../model/fleet.js';
import { HttpProblem } from '../http/problem.js';

/** Free text without NUL (PostgreSQL text cannot hold it): refused here, naming the parameter. */
const NO_NUL = '^[^\\u0000]*$';
/** A name or a glob of names (`etl_*`). */
const NAME = Type.String({ minLength: 1, maxLength: 250, pattern: NO_NUL });

/** The worker name of a path, checked against the identifier rule (docs/identifiers.md). */
function workerNameParam(value: string): string {
  try {
    return assertIdentifier('worker name', value, 'path.name');
  } catch (err) {
    if (isUpdraftError(err, 'INVALID_ARGUMENT')) throw new HttpProblem(400, err.message, { field: 'path.name', cause: err });
    throw err;
  }
}

export function apiRoutes(app: MonitorApp, ctx: MonitorContext): void {
  app.get('/healthcheck', { config: { public: true } }, async (_request, reply) => {
    const ok = await pingDatabase(ctx.db).then(() => true, () => false);
    return reply.code(ok ? 200 : 503).type('text/plain').send(ok ? 'OK' : 'the metadata database is unreachable');
  });

  app.get('/api/openapi.json', { config: { public: true } }, async () => app.swagger());

  app.get('/api/workers', {
    config: { permission: 'monitor.read' },
    schema: { tags: ['workers'], summary: 'Every worker with its state, reason, queues, slots, running attempts and outcome counts.', querystring: Type.Object({ all: Type.Optional(Type.Boolean({ description: 'Also offline and deregistered workers past monitor.offline_retention.' })) }, { additionalProperties: false }) },
  }, async (request) => {
    const workers = await ctx.reader.workers({ all: request.query.all ?? false });
    return { workers, total_entries: workers.length, heartbeat_timeout_ms: ctx.options.heartbeatTimeoutMs, server_time: new Date().toISOString() };
  });

  app.get('/api/worker/:name', {
    config: { permission: 'monitor.read' },
    schema: { tags: ['workers'], summary: 'One worker (any age) with its 50 most recent task events.', params: Type.Object({ name: Type.String({ description: 'A worker name (docs/identifiers.md).' }) }) },
  }, async (request) => {
    const [worker] = await ctx.reader.workers({ name: workerNameParam(request.params.name) });
    if (!worker) throw new UpdraftError('WORKER_NOT_FOUND', `no worker named ${JSON.stringify(request.params.name)}`);
    const recent = await fleetSql.tryEvents(ctx.db, { workerLike: globToLike(worker.name), limit: 50 });
    return {
      ...worker,
      recent: recent.map((t) => ({
        event: eventOf(t), at: t.at.toISOString(), dag_id: t.dagId, run_id: t.runId, task_id: t.taskId, map_index: t.mapIndex,
        try_number: t.tryNumber, duration_ms: t.durationMs, url: taskInstanceUrl(ctx.options.uiBaseUrl, t),
      })),
      server_time: new Date().toISOString(),
    };
  });

  app.get('/api/queues/length', { config: { permission: 'monitor.read' }, schema: { tags: ['queues'], summary: 'Per queue: broker and database counts, serving workers and why its tasks wait; the longest-waiting tasks with their reasons.' } }, async () => {
    const workers = await ctx.reader.workers({ all: true });
    return readQueues({ db: ctx.db, queue: ctx.options.queue, uiBaseUrl: ctx.options.uiBaseUrl, logger: ctx.options.logger }, workers);
  });

  app.get('/api/tasks', {
    config: { permission: 'monitor.read' },
    schema: {
      tags: ['tasks'], summary: 'Task events, newest first, filtered and searched.',
      querystring: Type.Object({
        q: Type.Optional(Type.String({ maxLength: 1000, pattern: NO_NUL, description: 'Search: `state:failed worker:w1 dag:etl_* task:load queue:etl`, bare words match DAG or task.' })),
        dag_id: Type.Optional(NAME), task_id: Type.Optional(NAME), worker: Type.Optional(NAME), queue: Type.Optional(NAME),
        state: Type.Optional(Type.String({ maxLength: 200, pattern: NO_NUL, description: `Comma-separated events: ${TASK_EVENTS.join(', ')}.` })),
        since: Type.Optional(Type.String({ format: 'date-time' })), until: Type.Optional(Type.String({ format: 'date-time' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
      }, { additionalProperties: false }),
    },
  }, async (request) => {
    const q = request.query;
    const search = parseTaskSearch([q.q ?? '', q.state ? `state:${q.state}` : ''].join(' '), q.q ? 'query.q' : 'query.state');
    const dag = q.dag_id ?? search.dag;
    const task = q.task_id ?? search.task;
    const limit = q.limit ?? 100;
    // The validator lets `1e309` through as Infinity, past `maximum`.
    if (!Number.isFinite(limit)) throw new HttpProblem(400, `query.limit must be a finite number, got ${limit}`, { field: 'query.limit' });
    const events: TaskEventName[] | undefined = search.events;
    const rows = await fleetSql.tryEvents(ctx.db, {
      since: q.since ? new Date(q.since) : undefined, until: q.until ? new Date(q.until) : undefined,
      dagLike: dag ? globToLike(dag) : undefined, taskLike: task ? globToLike(task) : undefined,
      queueLike: (q.queue ?? search.queue) ? globToLike((q.queue ?? search.queue)!) : undefined,
      workerLike: (q.worker ?? search.worker) ? globToLike((q.worker ?? search.worker)!) : undefined,
      tryStates: tryStatesFor(events),
      // Several events share a try state (failed, up_for_retry, zombie): read more, keep those asked for.
      limit: events ? Math.min(5000, limit * 5) : limit,
    });
    const text = search.text?.toLowerCase();
    const out = rows
      .map((t) => ({ t, event: eventOf(t) }))
      .filter(({ t, event }) => (!events || events.includes(event)) && (!text || t.dagId.toLowerCase().includes(text) || t.taskId.toLowerCase().includes(text)))
      .slice(0, limit)
      .map(({ t, event }) => ({
        event, at: t.at.toISOString(), dag_id: t.dagId, run_id: t.runId, task_id: t.taskId, map_index: t.mapIndex, try_number: t.tryNumber,
        queue: t.queue, worker: t.workerName ?? t.hostname, queued_at: t.queuedAt?.toISOString() ?? null,
        started_at: t.startedAt?.toISOString() ?? null, ended_at: t.endedAt?.toISOString() ?? null, duration_ms: t.durationMs,
        error: t.error, url: taskInstanceUrl(ctx.options.uiBaseUrl, t),
      }));
    return { events: out, total_entries: out.length };
  });

  app.get('/api/events', { config: { permission: 'monitor.read' } }, (request, reply) => {
    reply.hijack();
    ctx.hub.attach(reply.raw, (end) => request.raw.on('close', end));
  });
}
