/**
 * GET /ui/events: server-sent events for one open page. Each event is a change notification
 * `{"k":"ti"|"try"|"run"|"dag"|"resync","d":[dag ids]|null}`; the page re-reads what it shows.
 * `?dag_id=` keeps only the events of that DAG. A comment every 15 s keeps proxies from closing an
 * idle stream; EventSource reconnects by itself and the page re-reads on every (re)connect.
 */
import { Type } from 'typebox';
import type { Logger } from '@updraft/core';
import type { Api, RouteContext } from '../api-types.js';
import { errorResponses, idParam } from '../routes/common.schemas.js';
import { createChangeHub, type ChangeEvent } from './change-hub.js';

const KEEPALIVE_MS = 15_000;

export function uiEventRoutes(app: Api, ctx: RouteContext, logger?: Logger): void {
  const hub = createChangeHub(ctx.db, logger);
  const streams = new Set<() => void>();
  app.addHook('onClose', async () => {
    for (const end of streams) end();
    await hub.close();
  });

  app.get('/ui/events', {
    config: { permission: 'dags.read' },
    schema: {
      tags: ['UI'], summary: 'Server-sent events: what changed (task instances, tries, runs, DAGs), for live pages',
      querystring: Type.Object({ dag_id: Type.Optional(idParam('dag id', 'Only changes of this DAG.')) }),
      response: { 200: { content: { 'text/event-stream': { schema: Type.String() } } }, ...errorResponses() },
    },
  }, (request, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
      'x-accel-buffering': 'no',
    });
    // HEAD: the headers and no stream (Node sends nothing of a HEAD answer until it ends).
    if (request.method === 'HEAD') {
      res.end();
      return;
    }
    res.write('retry: 2000\n\nevent: ready\ndata: {}\n\n');
    const send = (e: ChangeEvent) => res.write(`data: ${JSON.stringify(e)}\n\n`);
    const unsubscribe = hub.subscribe(request.query.dag_id ?? null, send);
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
    const end = () => {
      clearInterval(keepalive);
      unsubscribe();
      streams.delete(end);
      if (!res.writableEnded) res.end();
    };
    streams.add(end);
    request.raw.on('close', end);
  });
}
