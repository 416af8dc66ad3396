/** The Fastify instance routes are registered on (TypeBox types), and what routes are given. */
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RemoteLogReader } from './remote-logs.js';
import type { Appearance, Queryable, SecretsContext, TaskLogStreamReader, UpdraftConfig } from '@updraft/core';

export type Api = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

export interface RouteContext {
  db: Queryable;
  /** Where task logs are (logging.base_log_folder). */
  logFolder: string;
  /** Where tries that ran on other hosts are read from (the task-log stream); undefined: the folder only. */
  logStream?: TaskLogStreamReader;
  /** Where finished tries' logs are read from when not in the folder (S3); undefined: nowhere. */
  remoteLogs?: RemoteLogReader;
  /** Updraft's version (GET /api/v1/version). */
  version: string;
  /** Connections and variables (environment, then the database), for their routes. */
  secrets: SecretsContext | undefined;
  /** The configuration GET /api/v1/config shows (secrets masked); undefined: that route answers 503. */
  config: UpdraftConfig | undefined;
  /** webserver.test_connection is enabled: POST /api/v1/connections/test may open TCP connections. */
  testConnection: boolean;
  /** Where the UI links a try's worker to (the monitor); undefined: no links. */
  monitor?: MonitorLink;
  /** The instance's name and header colour ('' for none), checked. */
  appearance: Appearance;
}

/** The monitor's base URL, or (listening on a wildcard address) its port on the host the browser used. */
export type MonitorLink = { url: string } | { port: number };
