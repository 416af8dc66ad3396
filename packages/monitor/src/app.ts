/**
 * The monitor's Fastify app: problem documents, security headers, authentication (the webserver's
 * users and roles), then the API, /metrics and the pages. `buildMonitorApp` does not listen and
 * starts no background work; server.ts does both.
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { truncate } from '@updraft/core/data';
import type { MonitorApp, MonitorContext } from './context.js';
import { installAuth } from './http/auth.js';
import { errorHandler, sendProblem } from './http/problem.js';
import { LiveHub } from './live/hub.js';
import { MonitorMetrics } from './metrics.js';
import { FleetReader } from './model/fleet.js';
import { resolveMonitorOptions, type MonitorOptions } from './options.js';
import { apiRoutes } from './routes/api.js';
import { controlRoutes } from './routes/control.js';
import { metricsRoutes } from './routes/metrics.js';
import { registerOpenApi } from './openapi.js';
import { pageRoutes } from './routes/pages.js';
import { terminateRoutes } from './routes/terminate.js';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function buildMonitorApp(input: MonitorOptions): Promise<{ app: MonitorApp; ctx: MonitorContext }> {
  const options = resolveMonitorOptions(input);
  const app = Fastify({
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
    // Long enough that an over-long name reaches the handler's check (a 400 naming the rule); Node bounds the URL at 16 KiB.
    routerOptions: { maxParamLength: 16 * 1024 },
    frameworkErrors: (err, request, reply) => void errorHandler(options.logger)(err, request, reply),
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setErrorHandler(errorHandler(options.logger));
  app.setNotFoundHandler((request, reply) => sendProblem(reply, 404, `no route ${request.method} ${truncate(request.url.split('?')[0] ?? '/', 200)}`));
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
    return payload;
  });
  await registerOpenApi(app as never);
  installAuth(app, options.db);
  const ctx: MonitorContext = {
    options,
    db: options.db,
    reader: new FleetReader({ db: options.db, heartbeatTimeoutMs: options.heartbeatTimeoutMs, offlineRetentionMs: options.offlineRetentionMs, uiBaseUrl: options.uiBaseUrl,
      // The fleet watch reads every interval; requests in between are served that read.
      maxAgeMs: 2 * options.refreshIntervalMs }),
    hub: new LiveHub(),
    metrics: new MonitorMetrics(),
    version: packageVersion(),
  };
  app.addHook('onClose', async () => ctx.hub.close());
  apiRoutes(app, ctx);
  metricsRoutes(app, ctx);
  pageRoutes(app, ctx);
  controlRoutes(app, ctx);
  terminateRoutes(app, ctx);
  await app.ready();
  return { app, ctx };
}
