/**
 * @updraft/core: what the service packages (scheduler, worker, webserver, monitor) and the CLI
 * share. An explicit list: add a name here only when a sibling package needs it. What only tests
 * need is in ./internal.ts (`@updraft/core/internal`). DAG files import `@updraft/sdk`, not this.
 *
 * The SQL of every table lives in the data-access modules of ./sql, exported as one namespace per
 * domain (`taskInstancesSql.queueTasks(db, ...)`): each function is one statement, batch-first.
 */
import * as alertMutesSql from './sql/alert-mutes.js';
import * as alertsSql from './sql/alerts.js';
import * as apiTokensSql from './sql/api-tokens.js';
import * as assetsSql from './sql/assets.js';
import * as attemptsSql from './sql/attempts.js';
import * as handoffsSql from './sql/handoffs.js';
import * as backfillsSql from './sql/backfills.js';
import * as callbacksSql from './sql/callbacks.js';
import * as clearSql from './sql/clear.js';
import * as connectionsSql from './sql/connections.js';
import * as dagBundlesSql from './sql/dag-bundles.js';
import * as dagFilesSql from './sql/dag-files.js';
import * as dagRunsSql from './sql/dag-runs.js';
import * as dagVersionsSql from './sql/dag-versions.js';
import * as dagsSql from './sql/dags.js';
import * as dbCleanSql from './sql/db-clean.js';
import * as dueRunsSql from './sql/due-runs.js';
import * as eventLogSql from './sql/event-log.js';
import * as fleetSql from './sql/fleet.js';
import * as dagFavoritesSql from './sql/dag-favorites.js';
import * as dashboardSql from './sql/dashboard.js';
import * as gridSql from './sql/grid.js';
import * as heartbeatGapsSql from './sql/heartbeat-gaps.js';
import * as markStateSql from './sql/mark-state.js';
import * as pastRunsSql from './sql/past-runs.js';
import * as admissionSql from './sql/admission.js';
import * as poolsSql from './sql/pools.js';
import * as taskInstancesSql from './sql/task-instances.js';
import * as terminateSql from './sql/terminate.js';
import * as schedulerLoopSql from './sql/scheduler-loop.js';
import * as autoPauseSql from './sql/auto-pause.js';
import * as dagDependenciesSql from './sql/dag-dependencies.js';
import * as dagDeleteSql from './sql/dag-delete.js';
import * as deadlinesSql from './sql/deadlines.js';
import * as runTimeoutsSql from './sql/run-timeouts.js';
import * as failFastSql from './sql/fail-fast.js';
import * as deferredSql from './sql/deferred.js';
import * as mapExpansionSql from './sql/map-expansion.js';
import * as externalWaitsSql from './sql/external-waits.js';
import * as taskInstancePagesSql from './sql/task-instance-pages.js';
import * as taskInstanceNotesSql from './sql/task-instance-notes.js';
import * as tryDetailsSql from './sql/try-details.js';
import * as schedulerTasksSql from './sql/scheduler-tasks.js';
import * as taskEndEffectsSql from './sql/task-end-effects.js';
import * as sessionsSql from './sql/sessions.js';
import * as usersSql from './sql/users.js';
import * as variablesSql from './sql/variables.js';
import * as workerCredentialsSql from './sql/worker-credentials.js';
import * as workerControlsSql from './sql/worker-controls.js';
import * as workersSql from './sql/workers.js';
import * as xcomSql from './sql/xcom.js';
import * as proto from './proto/updraft/v1/worker.js';

// Errors and small helpers
export { UpdraftError, isUpdraftError, type UpdraftErrorCode } from './errors.js';
export { Coalescer, messageOf, sleep, truncate } from './lib.js';
export { createLogger, resolveLogFormat, silentLogger, type CreateLoggerOptions, type Logger } from './logging/logger.js';
export { formatPrettyLine } from './logging/pretty.js';

// Ids and names at the door (the grammar of docs/identifiers.md)
export {
  assertIdentifier,
  assertText,
  identifierRule,
  isIdentifier,
  IDENTIFIER_MAX_LENGTH,
  IDENTIFIER_RULES,
  type IdentifierKind,
  type TextLimit,
} from './ids.js';

// Users: passwords, HTTP basic auth and the permission matrix (the webserver and the monitor)
export { checkPassword, hashPassword, PASSWORD_MAX_LENGTH, randomPassword, verifyPassword } from './auth/passwords.js';
export { PERMISSIONS, renderPermissionTable, ROLE_RANK, roleHas, type Permission } from './auth/permissions.js';
export { BASIC_REALM, basicAuthenticator, parseBasicHeader, type AuthUser, type BasicAuthOptions, type BasicAuthResult } from './auth/basic.js';
export { hashApiToken, newApiToken, tokenAuthenticator, type TokenAuthResult } from './auth/tokens.js';
export { hashSessionId, isSessionId, newSession, verifyLogin } from './auth/sessions.js';

// Configuration
export { loadConfig, type LoadConfigOptions } from './config/load.js';
export { getOption, listOptions, type ConfigRow } from './config/list.js';
export type { UpdraftConfig } from './config/types.js';
export { checkAppearance, isDarkColor, type Appearance } from './config/appearance.js';
export type { LogLevel } from './config/options.js';
export { formatDuration, formatHostPort, formatUmask, parseDurationMs, parseHostPort, type HostPort } from './config/values.js';

// Database: connections, migrations, notifications, and the data access per domain
export type { Queryable } from './db/types.js';
export { createPool, type PoolOptions } from './db/pool.js';
export { withTransaction } from './db/transaction.js';
export { migrate, migrationStatus, type MigrationStatusEntry } from './db/migrate.js';
export { pingDatabase, waitForDatabase } from './db/wait.js';
export { redactDatabaseUrl } from './db/url.js';
export { listen, type Listener, type ListenerOptions } from './db/listen.js';
export { leaderCandidate, type LeaderCandidate, type LeaderLease, type LeaderLeaseOptions } from './db/leader-lease.js';
export { admissionSql, alertMutesSql, alertsSql, apiTokensSql, assetsSql, attemptsSql, autoPauseSql, backfillsSql, callbacksSql, clearSql, connectionsSql, dagBundlesSql, dagDependenciesSql, dagDeleteSql, dagFavoritesSql, dagFilesSql, dagRunsSql, dagVersionsSql, dagsSql, dashboardSql, dbCleanSql, deadlinesSql, dueRunsSql, deferredSql, eventLogSql, externalWaitsSql, failFastSql, fleetSql, gridSql, handoffsSql, mapExpansionSql, markStateSql, pastRunsSql, poolsSql, runTimeoutsSql, schedulerTasksSql, sessionsSql, taskEndEffectsSql, taskInstanceNotesSql, taskInstancePagesSql, taskInstancesSql, tryDetailsSql, usersSql, variablesSql, workerCredentialsSql, workersSql, xcomSql };
export { heartbeatGapsSql, schedulerLoopSql, terminateSql, workerControlsSql };

// Secrets: Fernet, connections and variables (environment first, then the database, encrypted at rest)
export { Fernet, fernetFromConfig, generateFernetKey, InvalidFernetToken, MultiFernet } from './secrets/fernet.js';
export {
  assertConnId,
  connectionJson,
  connectionUri,
  extraDejson,
  parseConnection,
  parseConnectionJson,
  parseConnectionUri,
  type Connection,
  type ConnectionFields,
} from './secrets/connection.js';
export {
  connectionMaskValues,
  DEFAULT_SENSITIVE_NAMES,
  isSensitiveName,
  MASK,
  maskConnection,
  maskVariableValue,
  redactSensitiveFields,
  sensitiveFieldValues,
  variableMaskValues,
} from './secrets/sensitive.js';
export {
  noSecretRefs,
  resolveTemplateSecrets,
  templateSecretRefs,
  type TemplateSecretRefs,
  type TemplateSecrets,
} from './secrets/templates.js';
export {
  connEnvName,
  listStoredConnections,
  listStoredVariables,
  readConnections,
  readVariables,
  rotateFernetKey,
  secretsContext,
  storeConnections,
  storeVariables,
  varEnvName,
  type SecretsContext,
  type SecretSource,
  type Variable,
} from './secrets/store.js';
export { envConnections, envVariables, listConnectionsWithEnv, listVariablesWithEnv } from './secrets/env-listing.js';

// The state machine and the names of task instances and attempts
export {
  ACTIVE_STATES,
  DAG_RUN_STATES,
  FINISHED_STATES,
  isFinished,
  type DagRunState,
  type TaskInstanceState,
} from './state/states.js';
export { isAttemptToken, keyText, type AttemptRef, type QueuedAttempt, type RunKey, type TaskInstanceKey } from './state/keys.js';
export { planReadiness, type PlannedTask, type ReadinessPlan } from './state/readiness.js';
export { controlDecision, descendants, skippedByDecisions, type ControlDecision } from './state/branching.js';
export { maxTriesOf, pokeInputOf, retryDelayMs, retryInputOf } from './state/retry.js';
export { finishedRunState, leafTaskIds, RUN_FAILING_LEAF_STATES } from './state/run-outcome.js';

// Time: schedules, data intervals, wall clocks
export { validateSchedule } from './time/cron.js';
export { describeTimetable, durationInWords, scheduleDescription, scheduleSummary, validateTimetable, type ScheduleFacts } from './time/timetable-description.js';
export { formatInTimezone, wallClock } from './time/format.js';
export { instantOfWall } from './time/wall-time.js';
export {
  inferManualDataInterval,
  intervalsBetween,
  nextDagRunInfo,
  timetableParamsOf,
  type DagRunInfo,
  type TimetableParams,
} from './time/timetable.js';

// DAG runs and their tasks
export {
  checkManualRunRequest,
  duplicateRunError,
  DuplicateRunError,
  planManualRun,
  runIdFor,
  taskInstancesOf,
  type ManualRunRequest,
} from './runs/manual-run.js';
export { priorityWeights } from './runs/priority-weights.js';
export { runTakenError, triggerDagRun, type TriggerDagRunOptions, type TriggeredDagRun } from './runs/trigger.js';
export { runTriggerTasks, type TriggerTaskOutcome, type TriggerTasksInput, type TriggerTasksResult } from './runs/trigger-task.js';
export { latestRunDecision, runLatestOnlyTasks, type LatestOnlyOutcome, type LatestRunDecision } from './runs/latest-only.js';
export { endEmptyTasks } from './runs/empty-tasks.js';
export { clearEventExtra, clearItems, instancesToClear, selectTasks, type ClearSelection } from './runs/clear-selection.js';
export { markTaskInstance, type MarkTaskInput, type MarkTaskResult } from './runs/mark-task.js';
export {
  actionFor,
  createBackfill,
  planBackfill,
  type BackfillPlan,
  type BackfillRequest,
  type CreatedBackfill,
  type IntervalAction,
  type PlannedInterval,
} from './runs/backfill.js';
export { ROLES, type Role } from './sql/users.js';
export { taskLogFilePrefix, taskLogFolder, taskLogPathParts, taskLogRelativePath, type TaskLogKey } from './runs/log-path.js';
export { RETURN_VALUE_KEY, templateXComRefs, templateXComValues, xcomRefText, type XComRef } from './runs/template-xcom.js';
export { buildRunnableTask, findTask, taskTemplatesOf, type RunnableTask, type TaskRunContext, type TaskSpec } from './runs/task-spec.js';
export { MAX_RENDERED_CHARS, renderedFieldsOf, type RenderedFields } from './runs/rendered-fields.js';

// DAG files: processing, validation, loading user code
export { bundleVersionOf, DEFAULT_BUNDLE_MAX_BYTES, readBundle, type Bundle, type BundleManifestEntry } from './dag/bundle.js';
export { describeDagsBundle, maskUrl, maskUrlsIn, parseDagsBundle, type DagsBundleSpec, type GitBundleSpec } from './dag/git-spec.js';
export { GitBundleSource, type GitBundleSourceOptions } from './dag/git-source.js';
export { DagProcessor, type BundleEvent, type DagPass, type DagProcessorOptions, type DagWrite, type ProcessSummary } from './dag/processor.js';
export { validateDagFiles, type ValidationReport } from './dag/validate.js';
export { nextRunOf, nextRunsOf, type NextRunFacts } from './dag/next-run.js';
export { plannedRunDays } from './dag/planned-days.js';
export { CallbackProcess, type CallbackRun } from './dag/callback-process.js';
export { importDagFile, registerDagModuleHooks, sdkNodeModulesDir, siblingEntry, tsxLoaderUrl } from './dag/module-loading.js';

// The task queue (NATS JetStream, or in-process)
export { assertQueueName } from './queue/names.js';
export { taskMessageId, wakeSubject, type WorkerWake, type Delivery, type QueueConsumer, type QueueInspector, type QueuePort, type QueuePublisher, type QueueStats, type TaskMessage } from './queue/port.js';
export type { DeadLetter, TaskQueue } from './queue/dead-letter.js';
export { createJetStreamQueue } from './queue/jetstream.js';
export type { JetStreamQueueOptions } from './queue/jetstream-options.js';
export type { NatsAuthOptions, NatsTlsOptions } from './queue/jetstream-auth.js';
export { displayNatsUrl } from './queue/jetstream-auth.js';
export { createMemoryQueue } from './queue/memory.js';

// Task logs in NATS JetStream (stream UPDRAFT_LOGS, one subject per try)
export {
  LogAssembler, startTaskLogPublisher, TASK_LOG_STREAM, taskLogSubject, TaskLogStreamReader,
  type LogPage, type LogPosition, type TaskLogPublisher, type TaskLogPublisherOptions, type TaskLogStreamOptions,
} from './task-logs/index.js';

// Finished tries' logs in S3 (logging.remote_base_log_folder)
export { parseS3Url, s3LogKey, S3LogStore, type S3Location, type S3LogPage } from './remote-logs/index.js';
export { deleteOldLogFiles, type LocalLogCleanup } from './log-retention/local-files.js';
export { cleanDatabase, tablesToClean, type TableCleaned } from './db/clean.js';
export { alertTargetText } from './alerts/target-text.js';

// The worker protocol (gRPC)
export { proto };
export {
  assertWorkerToken,
  certificateNames,
  hashWorkerToken,
  newWorkerCredentialToken,
  readBearerToken,
  tokenMatches,
  WORKER_CREDENTIAL_PREFIX,
} from './rpc/auth.js';
export { GrpcStatus, grpcErrorFor, isRetryableRpcError, isUpdraftRpcError } from './rpc/status.js';
export { jsonHasLoneSurrogate, jsonHasNul, RPC_LIMITS } from './rpc/limits.js';
export { SERVER_CHANNEL_OPTIONS, serverCredentials, type ClientTlsOptions, type ServerTlsOptions } from './rpc/channel.js';
export {
  createWorkerServiceClient,
  schedulerAddresses,
  STANDBY_DETAILS_PREFIX,
  type WorkerServiceClientOptions,
  type WorkerServiceRpcClient,
} from './rpc/client.js';
