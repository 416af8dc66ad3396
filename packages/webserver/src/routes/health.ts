/** Public routes: /health and /api/v1/health (the metadata database reachable?), /api/v1/version. */
import { Type } from 'typebox';
import { pingDatabase } from '@updraft/core';
import type { Api, RouteContext } from '../api-types.js';

const Status = Type.Union([Type.Literal('healthy'), Type.Literal('unhealthy')]);
const HealthSchema = Type.Object({ status: Status, metadatabase: Type.Object({ status: Status }) });
const VersionSchema = Type.Object({ version: Type.String(), git_version: Type.Union([Type.String(), Type.Null()]) });

export function healthRoutes(app: Api, ctx: RouteContext): void {
  for (const url of ['/health', '/api/v1/health']) {
    app.get(url, {
      config: { public: true },
      schema: { tags: ['Monitoring'], summary: 'Health of the webserver and its metadata database', response: { 200: HealthSchema, 503: HealthSchema } },
    }, async (_request, reply) => {
      try {
        await pingDatabase(ctx.db);
        return { status: 'healthy' as const, metadatabase: { status: 'healthy' as const } };
      } catch {
        // The database's error text stays out of the answer (the webserver's log has the cause).
        return reply.code(503).send({ status: 'unhealthy', metadatabase: { status: 'unhealthy' } });
      }
    });
  }
  app.get('/api/v1/version', {
    config: { public: true },
    schema: { tags: ['Monitoring'], summary: 'Updraft version', response: { 200: VersionSchema } },
  }, async () => ({ version: ctx.version, git_version: null }));
}
