/**
 * The webserver's Fastify app, built in one place: error documents, security headers, 404/405,
 * authentication, the OpenAPI document and docs, then each resource's routes. `buildApp` does not
 * listen (tests and the OpenAPI generator use it directly); server.ts does.
 */
import { RemoteLogReader, type RemoteLogReadOptions } from './remote-logs.js';
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { checkAppearance, formatHostPort, TaskLogStreamReader, type Appearance, type Logger, type Queryable, type SecretsContext, type TaskLogStreamOptions, type UpdraftConfig } from '@updraft/core';
import type { Api, MonitorLink, RouteContext } from './api-types.js';
import { installAuth, type Authenticator } from './auth/authenticate.js';
import { LoginLimiter, type LoginLimiterOptions } from './auth/login-limiter.js';
import { resolveSessionSettings, type SessionSettings } from './auth/sessions.js';
import { methodNotAllowed } from './http/method-not-allowed.js';
import { finiteNumbers } from './http/finite-numbers.js';
import { clientError, errorHandler } from './http/problem.js';
import { securityHeaders } from './http/security-headers.js';
import { slackActionRoutes } from './integrations/slack-actions.js';
import { registerOpenApi } from './openapi.js';
import { connectionRoutes } from './routes/connections.js';
import { dagRunRoutes } from './routes/dag-runs.js';
import { dagVersionRoutes } from './routes/dag-versions.js';
import { dagFavoriteRoutes } from './routes/dag-favorites.js';
import { dagRoutes } from './routes/dags.js';
import { alertRoutes } from './routes/alerts.js';
import { eventLogRoutes } from './routes/event-logs.js';
import { healthRoutes } from './routes/health.js';
import { importErrorRoutes } from './routes/import-errors.js';
import { authRoutes } from './routes/auth.js';
import { assetRoutes } from './routes/assets.js';
import { backfillRoutes } from './routes/backfills.js';
import { poolRoutes } from './routes/pools.js';
import { readRoutes } from './routes/reads.js';
import { runActionRoutes } from './routes/run-actions.js';
import { taskInstanceActionRoutes } from './routes/task-instance-actions.js';
import { taskInstanceNoteRoutes } from './routes/task-instance-notes.js';
import { taskInstanceRoutes } from './routes/task-instances.js';
import { taskLogRoutes } from './routes/task-logs.js';
import { userRoutes } from './routes/users.js';
import { variableRoutes } from './routes/variables.js';
import { loadUiAssets, uiNotFoundHandler } from './ui-static.js';
import { uiRoutes } from './ui/index.js';

export interface AppOptions {
  /** Metadata database. */
  db: Queryable;
  logger?: Logger;
  /** Where task logs are read from (logging.base_log_folder). Default `./logs`. */
  logFolder?: string;
  /**
   * The task-log stream (NATS JetStream, `nats.*`), read when a try's log is not in `logFolder`
   * (it ran on another host). Connected at the first such read. Default: none (the folder only).
   */
  logStream?: TaskLogStreamOptions;
  /**
   * Finished tries' logs in S3 (`logging.remote_base_log_folder`, `logging.remote_log_conn_id`), read
   * when a finished try's file is not in `logFolder`, before the task-log stream. Needs `secrets`. Default: none.
   */
  remoteLogs?: RemoteLogReadOptions;
  /** Largest request body in bytes (webserver.body_limit). Default 1 MiB. */
  bodyLimit?: number;
  /** Connections and variables, for their routes. Default: none (those routes answer 503). */
  secrets?: SecretsContext;
  /** The configuration GET /api/v1/config shows (Admin only, secrets masked); its webserver.test_connection. Default: none (503). */
  config?: UpdraftConfig;
  /** The built web UI to serve. Default: packages/ui/dist/app (`npm run build`). */
  uiDir?: string;
  /** More ways to authenticate than basic auth, API tokens and sessions. */
  authenticators?: readonly Authenticator[];
  /** Web UI sessions. Default: from `config` (webserver.session_lifetime, webserver.base_url), else 12 h over http. */
  sessions?: SessionSettings;
  /** The failed-login limit of POST /api/v1/auth/login. Default 10 failures per 5 minutes per username and per address. */
  loginLimit?: LoginLimiterOptions;
  /**
   * Base URL of the worker monitor, for the UI's links from a try to its worker's page. Default: from
   * `config` (webserver.monitor_url, else monitor.listen); without either, no links.
   */
  monitorUrl?: string;
  /**
   * The instance's name beside the logo and in the tab's title, and the header's colour (`#rgb` or
   * `#rrggbb`). Default: from `config` (webserver.instance_name, webserver.navbar_color), else none.
   */
  appearance?: Partial<Appearance>;
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

function monitorLinkOf(o: AppOptions): { monitor?: MonitorLink } {
  const url = o.monitorUrl ?? o.config?.webserver.monitorUrl;
  if (url) return { monitor: { url: url.replace(/\/+$/, '') } };
  const listen = o.config?.monitor.listen;
  if (listen === undefined) return {};
  const wildcard = listen.host === '' || listen.host === '0.0.0.0' || listen.host === '::';
  return { monitor: wildcard ? { port: listen.port } : { url: `http://${formatHostPort(listen)}` } };
}
/** The appearance options, checked as the configuration checks them (INVALID_ARGUMENT naming the field). */
function appearanceOf(o: AppOptions): Appearance {
  const instanceName = o.appearance?.instanceName ?? o.config?.webserver.instanceName ?? '';
  const navbarColor = o.appearance?.navbarColor ?? o.config?.webserver.navbarColor ?? '';
  return checkAppearance('webserver option appearance.', { instanceName, navbarColor });
}

/** Longest path parameter the router matches (longer: 414). */
const MAX_PARAM_LENGTH = 16 * 1024;

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function buildApp(o: AppOptions): Promise<Api> {
  const app = Fastify({
    bodyLimit: o.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // Unknown body fields are refused (additionalProperties: false), not silently dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
    // Long enough that an over-long id reaches the schema (a 400 naming the parameter and the rule)
    // rather than the router's bare 414; Node's header size limit (16 KiB) bounds the URL anyway.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Requests Fastify refuses before routing (a malformed URL, a bad content type) get problem documents too.
    frameworkErrors: (err, request, reply) => {
      void errorHandler(o.logger)(err, request, reply);
    },
    // Requests Node's parser refuses (headers or URL too large, malformed HTTP): a problem document, then close.
    clientErrorHandler: clientError,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setErrorHandler(errorHandler(o.logger));
  app.setNotFoundHandler(uiNotFoundHandler(loadUiAssets(o.uiDir), methodNotAllowed(app)));
  securityHeaders(app);
  finiteNumbers(app);
  const sessions = resolveSessionSettings(o.sessions ?? (o.config ? { lifetimeMs: o.config.webserver.sessionLifetimeMs, baseUrl: o.config.webserver.baseUrl } : {}));
  installAuth(app, { db: o.db, sessions, authenticators: o.authenticators });
  await registerOpenApi(app);

  const ctx: RouteContext = {
    db: o.db, logFolder: o.logFolder ?? './logs', version: packageVersion(), secrets: o.secrets, config: o.config,
    testConnection: o.config?.webserver.testConnection === 'enabled',
    ...monitorLinkOf(o), appearance: appearanceOf(o),
    ...(o.logStream ? { logStream: new TaskLogStreamReader({ name: 'updraft-webserver-logs', ...o.logStream }) } : {}),
    ...(o.remoteLogs ? { remoteLogs: new RemoteLogReader(o.remoteLogs, o.db, o.secrets) } : {}),
  };
  app.addHook('onClose', async () => {
    ctx.remoteLogs?.close();
    await ctx.logStream?.close();
  });
  healthRoutes(app, ctx);
  authRoutes(app, ctx, { sessions, limiter: new LoginLimiter(o.loginLimit) });
  dagRoutes(app, ctx);
  dagFavoriteRoutes(app, ctx);
  dagRunRoutes(app, ctx);
  dagVersionRoutes(app, ctx);
  runActionRoutes(app, ctx);
  taskInstanceRoutes(app, ctx);
  taskInstanceActionRoutes(app, ctx);
  taskInstanceNoteRoutes(app, ctx);
  taskLogRoutes(app, ctx);
  variableRoutes(app, ctx);
  connectionRoutes(app, ctx);
  poolRoutes(app, ctx);
  userRoutes(app, ctx);
  backfillRoutes(app, ctx);
  assetRoutes(app, ctx);
  eventLogRoutes(app, ctx);
  alertRoutes(app, ctx);
  importErrorRoutes(app, ctx);
  readRoutes(app, ctx);
  slackActionRoutes(app, ctx, o.logger);
  uiRoutes(app, ctx, o.logger);
  return app;
}
