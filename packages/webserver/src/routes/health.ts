/**
 * Public routes: /health and /api/v1/health (the metadata database reachable? a scheduler
 * running?), /api/v1/version. The answer's HTTP status follows the database alone (a probe that
 * restarts the webserver must not do so because the scheduler is down); the scheduler's part is
 * Airflow's: healthy while a scheduler leads and its loop wrote within the threshold.
 */
import { Type } from 'typebox';
import { pingDatabase, schedulerLoopSql } from '@updraft/core';
import type { Api, RouteContext } from '../api-types.js';
import { DateTime } from './common.schemas.js';

/** A loop silent this long is not running (it writes every 5 s; Airflow's scheduler_health_check_threshold is 30 s too). */
const SCHEDULER_HEALTH_THRESHOLD_MS = 30_000;

const Status = Type.Union([Type.Literal('healthy'), Type.Literal('unhealthy')]);
const HealthSchema = Type.Object({
  status: Status,
  metadatabase: Type.Object({ status: Status }),
  scheduler: Type.Object({
    status: Status,
    latest_scheduler_heartbeat: Type.Union([DateTime('When the leading scheduler\'s loop last wrote to the database (every few seconds while it runs)'), Type.Null()]),
  }),
});
const VersionSchema = Type.Object({ version: Type.String(), git_version: Type.Union([Type.String(), Type.Null()]) });

const UNKNOWN_SCHEDULER = { status: 'unhealthy' as const, latest_scheduler_heartbeat: null };

async function schedulerHealth(ctx: RouteContext): Promise<{ status: 'healthy' | 'unhealthy'; latest_scheduler_heartbeat: string | null }> {
  const beat = await schedulerLoopSql.schedulerHeartbeat(ctx.db);
  const running = beat.leaderPresent && beat.ageMs !== null && beat.ageMs <= SCHEDULER_HEALTH_THRESHOLD_MS;
  return { status: running ? 'healthy' : 'unhealthy', latest_scheduler_heartbeat: beat.latest?.toISOString() ?? null };
}

export function healthRoutes(app: Api, ctx: RouteContext): void {
  for (const url of ['/health', '/api/v1/health']) {
    app.get(url, {
      config: { public: true },
      schema: { tags: ['Monitoring'], summary: 'Health of the webserver, its metadata database and the scheduler', response: { 200: HealthSchema, 503: HealthSchema } },
    }, async (_request, reply) => {
      try {
        await pingDatabase(ctx.db);
      } catch {
        // The database's error text stays out of the answer (the webserver's log has the cause).
        return reply.code(503).send({ status: 'unhealthy', metadatabase: { status: 'unhealthy' }, scheduler: UNKNOWN_SCHEDULER });
      }
      // A database without the scheduler's tables (not migrated yet) has no scheduler either.
      const scheduler = await schedulerHealth(ctx).catch(() => UNKNOWN_SCHEDULER);
      return { status: 'healthy' as const, metadatabase: { status: 'healthy' as const }, scheduler };
    });
  }
  app.get('/api/v1/version', {
    config: { public: true },
    schema: { tags: ['Monitoring'], summary: 'Updraft version', response: { 200: VersionSchema } },
  }, async () => ({ version: ctx.version, git_version: null }));
}
