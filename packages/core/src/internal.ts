/**
 * @updraft/core/internal: parts of core that only tests (and tools) reach into: the pieces behind
 * the public entry, exposed so they can be checked one by one. Services import `@updraft/core`.
 */
export { CONFIG_OPTIONS } from './config/options.js';
export { envVarName } from './config/load.js';
export { renderConfigDocs } from './config/docs.js';
export { DEFAULT_MIGRATIONS_DIR, readMigrationFiles } from './db/migration-files.js';
export { displayPath, listDagFiles, readDagFile, sha256Hex } from './dag/discover.js';
export { planPass } from './dag/plan.js';
export type { FileParseResult } from './dag/types.js';
export { JETSTREAM_DEFAULTS, queueDurableName, queueSubject } from './queue/jetstream-options.js';
export { parseAckSubject } from './queue/jetstream-delivery.js';
export { AckBatch } from './queue/ack-batch.js';
export { JetStreamQueue } from './queue/jetstream.js';
export { MemoryQueue } from './queue/memory.js';
export { bearerMetadata } from './rpc/auth.js';
export { ERROR_CODE_METADATA_KEY, fromServiceError, grpcStatusForCode, UpdraftRpcError } from './rpc/status.js';
export { CallBatcher, type BatchItem, type CallBatcherOptions } from './rpc/call-batcher.js';
export { renderTaskTemplate, taskTemplateValues } from './runs/templates.js';
export { declaredTransitions, taskTransition } from './sql/transitions.js';
export { canTransition, TASK_INSTANCE_STATES, TASK_INSTANCE_TRANSITIONS, taskInstanceStateOf } from './state/states.js';
export { evaluateTriggerRule, summarizeUpstream, type TriggerDecision } from './state/trigger-rules.js';
export { decodeTaskMessage, encodeTaskMessage } from './queue/port.js';
export { LOG_END_HEADER, LOG_OFFSET_HEADER, logRecordOf, type LogRecord, TASK_LOG_SUBJECT_PREFIX, taskLogTriesFilter, tryNumberOfSubject } from './task-logs/index.js';
export { namedParameters, namedValues, query } from './sql/query.js';
export { attemptOrder, current as currentAttempts } from './sql/attempt-parts.js';
