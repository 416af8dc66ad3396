/**
 * @updraft/providers: everyday task types for DAG files, built on the SDK's public API. Each is a
 * function that adds a function task to a DAG (or task group) and returns it, so the worker runs
 * it like any `d.fn` task. See docs/providers.md.
 *
 *     import { dag } from '@updraft/sdk';
 *     import { http, sql } from '@updraft/providers';
 *
 *     export default dag({ dagId: 'orders', schedule: '@daily', startDate: '2024-01-01' }, (d) => {
 *       const load = sql(d, 'load', { connId: 'warehouse', sql: "CALL load_orders('{{ ds }}')" });
 *       load.then(http(d, 'notify', { connId: 'reports_api', method: 'POST', endpoint: '/loaded/{{ ds }}' }));
 *     });
 */
export { sql } from './sql/task.js';
export { sensors } from './sensors.js';
export { sqlSensor } from './sql/sensor.js';
export type { SqlSensorOptions } from './sql/sensor.js';
export type { ReturnRows, SqlTaskOptions } from './sql/task.js';
export type { SqlRow } from './sql/rows.js';
export type { SqlParameters } from './sql/session.js';
export { splitSql } from './sql/split.js';
export type { SqlDialect } from './sql/split.js';
export { MYSQL_CONN_TYPES, POSTGRES_CONN_TYPES } from './sql/open.js';
export { mysqlConfig } from './sql/mysql.js';
export { postgresConfig } from './sql/postgres.js';
export { http } from './http/task.js';
export type { HttpMethod, HttpTaskOptions } from './http/task.js';
export { boundFetch } from './http/client.js';
export type { BoundFetch, HttpResponse } from './http/client.js';
export { connectionHeaders, httpBaseUrl } from './http/connection.js';
export { email } from './email/task.js';
export type { EmailTaskOptions } from './email/task.js';
export { slack } from './slack/task.js';
export type { SlackTaskOptions } from './slack/task.js';
export { SLACK_API_CONN_TYPES, SLACK_WEBHOOK_CONN_TYPES, slackTarget } from './slack/connection.js';
export type { SlackTarget } from './slack/connection.js';
export { ssh, sshConfig } from './ssh/task.js';
export type { SshTaskOptions } from './ssh/task.js';
export { s3 } from './s3/tasks.js';
export type { S3CopyOptions, S3DeleteOptions, S3ListOptions } from './s3/tasks.js';
export { sqlToS3 } from './s3/sql-to-s3.js';
export type { ExportFormat, SqlToS3Options, SqlToS3Result } from './s3/sql-to-s3.js';
export { S3_CONN_TYPES, s3Config } from './s3/connection.js';
export { MIN_PART_BYTES, S3ObjectWriter } from './s3/object-writer.js';
export type { ObjectWriterOptions, WrittenObject } from './s3/object-writer.js';
export { rowBatches } from './sql/row-stream.js';
export type { RowBatch } from './sql/row-stream.js';
export { HTTP_CONN_TYPES, withHooks } from './hooks.js';
export type { Hook, HookAccess, HookClients, HookKind } from './hooks.js';
export { contextTemplateValues, renderForTask } from './templating.js';
export type { TaskBuilder } from './task-builder.js';
export { ConnectionTypeError, EmailSendError, HttpError, HttpResponseError, HttpRetryableError, SlackSendError, SqlSensorError, SshCommandError, SqlStatementError, S3Error } from './errors.js';
