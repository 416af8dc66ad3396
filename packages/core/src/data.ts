/**
 * @updraft/core/data: the part of core a service that only reads and writes the database needs
 * (the monitor, and `updraft monitor` up to its optional NATS connection): errors and helpers,
 * identifiers, logging, config loading and host:port values, the pool, migrations and LISTEN,
 * users and HTTP auth, and the SQL modules those services use. Everything here is exported by
 * `@updraft/core` too; this entry exists because importing that one evaluates every module of
 * core, with gRPC, protobuf, NATS, the DAG model and the schedule libraries (about 17 MB more
 * resident memory and 6 MB more heap at start than this entry, measured on Node 20), which a
 * monitor never uses. Keep this file free of imports of those modules (type-only exports are
 * erased and cost nothing).
 */
import * as eventLogSql from './sql/event-log.js';
import * as fleetSql from './sql/fleet.js';
import * as heartbeatGapsSql from './sql/heartbeat-gaps.js';
import * as schedulerLoopSql from './sql/scheduler-loop.js';
import * as terminateSql from './sql/terminate.js';
import * as workerControlsSql from './sql/worker-controls.js';
import * as workersSql from './sql/workers.js';

export { UpdraftError, isUpdraftError, type UpdraftErrorCode } from './errors.js';
export { messageOf, truncate } from './lib.js';
export { assertIdentifier, IDENTIFIER_RULES, type IdentifierKind } from './ids.js';
export { keyText } from './state/keys.js';
export { createLogger, resolveLogFormat, type Logger } from './logging/logger.js';
export { loadConfig, type LoadConfigOptions } from './config/load.js';
export { getOption, listOptions, type ConfigRow } from './config/list.js';
export type { UpdraftConfig } from './config/types.js';
export { formatHostPort, parseHostPort, type HostPort } from './config/values.js';
export { checkAppearance, isDarkColor, type Appearance } from './config/appearance.js';
export type { Queryable } from './db/types.js';
export { createPool, type PoolOptions } from './db/pool.js';
export { migrate } from './db/migrate.js';
export { pingDatabase, waitForDatabase } from './db/wait.js';
export { redactDatabaseUrl } from './db/url.js';
export { listen, type Listener } from './db/listen.js';
export { PERMISSIONS, roleHas, type Permission } from './auth/permissions.js';
export { BASIC_REALM, basicAuthenticator, type AuthUser } from './auth/basic.js';
export { tokenAuthenticator } from './auth/tokens.js';
export type { QueueInspector, QueueStats, WorkerWake } from './queue/port.js';
export type { TaskQueue } from './queue/dead-letter.js';
export { eventLogSql, fleetSql, heartbeatGapsSql, schedulerLoopSql, terminateSql, workerControlsSql, workersSql };
