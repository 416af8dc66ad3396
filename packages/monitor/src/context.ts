/** What every route of the monitor reaches: options, database, readers, the live hub, metrics. */
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Queryable } from '@updraft/core/data';
import type { LiveHub } from './live/hub.js';
import type { MonitorMetrics } from './metrics.js';
import type { FleetReader } from './model/fleet.js';
import type { ResolvedMonitorOptions } from './options.js';

export type MonitorApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

export interface MonitorContext {
  options: ResolvedMonitorOptions;
  db: Queryable;
  reader: FleetReader;
  hub: LiveHub;
  metrics: MonitorMetrics;
  version: string;
}
