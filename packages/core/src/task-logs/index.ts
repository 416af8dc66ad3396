/** Task logs in NATS JetStream: where they live, how workers publish and readers read them. */
export { TASK_LOG_STREAM, TASK_LOG_SUBJECT_PREFIX, taskLogSubject, taskLogTriesFilter, tryNumberOfSubject } from './names.js';
export { LOG_END_HEADER, LOG_OFFSET_HEADER, LogAssembler, logRecordOf, type LogPosition, type LogRecord } from './records.js';
export { ensureTaskLogStream } from './setup.js';
export type { TaskLogStreamOptions } from './connection.js';
export { startTaskLogPublisher, type TaskLogPublisher, type TaskLogPublisherOptions } from './publisher.js';
export { TaskLogStreamReader, type LogPage } from './reader.js';
