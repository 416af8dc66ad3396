/**
 * The `sqlToS3` transfer: the rows of a query on a PostgreSQL or MySQL/MariaDB connection written
 * to one S3 object as CSV (a header line, RFC 4180 quoting) or JSON lines, streamed: rows are read
 * in batches from a cursor and uploaded in parts as they come, so memory stays flat whatever the
 * number of rows. The log shows the rows, bytes and parts written and the task process's peak
 * memory growth. XCom: `{ bucket, key, rows, bytes }`.
 *
 *     sqlToS3(d, 'export', { sqlConnId: 'warehouse', sql: "SELECT * FROM orders WHERE day = '{{ ds }}'",
 *       s3ConnId: 'lake', key: 's3://exports/orders/{{ ds }}.csv', format: 'csv' });
 */
import { Readable } from 'node:stream';
import type { MappedTaskContext, Params, Task, TaskArgs, TaskContext } from '@updraft/sdk';
import { S3Error } from '../errors.js';
import { assertOptionsObject, invalidOption, splitOptions, type TaskBuilder } from '../task-builder.js';
import { assertTemplateParses, renderForTask } from '../templating.js';
import { jsonRow } from '../sql/rows.js';
import { describeMysqlError } from '../sql/mysql.js';
import { sqlDialectOf } from '../sql/open.js';
import { describePgError } from '../sql/postgres.js';
import { rowBatches, type RowBatch } from '../sql/row-stream.js';
import type { SqlParameters } from '../sql/session.js';
import { describeS3Error, openS3Client, s3Location } from './connection.js';

export type ExportFormat = 'csv' | 'jsonl';

export interface SqlToS3Options<P extends Params = Params> extends TaskArgs {
  /** A PostgreSQL or MySQL/MariaDB connection. */
  sqlConnId: string;
  /** One query (a template). */
  sql: string;
  /** Bind parameters, as for the `sql` task type. */
  parameters?: SqlParameters | ((ctx: TaskContext<P>) => SqlParameters | Promise<SqlParameters>);
  /** An `aws`/`s3` connection. */
  s3ConnId: string;
  /** `s3://bucket/key` (a template), or a key with `bucket`. */
  key: string;
  bucket?: string;
  format: ExportFormat;
  /** Rows read per batch (default 2,000). */
  batchSize?: number;
}

export interface SqlToS3Result {
  bucket: string;
  key: string;
  rows: number;
  bytes: number;
}

const OWN_KEYS = ['sqlConnId', 'sql', 'parameters', 's3ConnId', 'key', 'bucket', 'format', 'batchSize'] as const;
// S3's smallest part; two parts in flight at most.
const PART_BYTES = 5 * 1024 * 1024;

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (value instanceof Date) text = value.toISOString();
  else if (typeof value === 'object') {
    const cell = jsonRow({ v: value }).v;
    text = typeof cell === 'string' ? cell : JSON.stringify(cell);
  } else text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function validate(taskId: string, o: Partial<SqlToS3Options>): void {
  const bad = (message: string): never => {
    throw invalidOption('sqlToS3', taskId, message);
  };
  for (const name of ['sqlConnId', 's3ConnId', 'sql', 'key'] as const) {
    if (typeof o[name] !== 'string' || o[name].trim() === '') bad(`${name} must be a non-empty string`);
  }
  assertTemplateParses(o.sql!, `sqlToS3 task '${taskId}' sql`);
  assertTemplateParses(o.key!, `sqlToS3 task '${taskId}' key`);
  if (o.format !== 'csv' && o.format !== 'jsonl') bad(`format must be 'csv' or 'jsonl', got ${String(o.format)}`);
  if (o.batchSize !== undefined && (!Number.isInteger(o.batchSize) || o.batchSize < 1)) bad('batchSize must be a positive integer');
  if (o.bucket !== undefined && (typeof o.bucket !== 'string' || o.bucket === '')) bad('bucket must be a non-empty string');
  const p = o.parameters;
  if (p !== undefined && typeof p !== 'function' && (typeof p !== 'object' || p === null)) bad('parameters must be an array, an object or a function');
}

async function runExport<P extends Params>(ctx: TaskContext<P>, o: SqlToS3Options<P>): Promise<SqlToS3Result> {
  const t = ctx as TaskContext;
  const r = await renderForTask(t, { sql: o.sql, key: o.key });
  const where = s3Location('key', r.key, o.bucket);
  const parameters = typeof o.parameters === 'function' ? await o.parameters(ctx) : o.parameters;
  const sqlConn = await ctx.connection(o.sqlConnId);
  const client = await openS3Client(await ctx.connection(o.s3ConnId));
  // Loaded before the baseline: the growth reported is what the rows cost, not the SDK's code.
  const { Upload } = await import('@aws-sdk/lib-storage');
  const rssStart = process.memoryUsage.rss();
  let rssPeak = rssStart;
  let rows = 0;
  let bytes = 0;
  let queryFailure: unknown;
  async function* lines(): AsyncGenerator<Buffer> {
    let header = false;
    const batches = rowBatches(sqlConn, r.sql, parameters, o.batchSize ?? 2000);
    for (;;) {
      let next: IteratorResult<RowBatch>;
      try {
        next = await batches.next();
      } catch (err) {
        queryFailure = err;
        throw err;
      }
      if (next.done === true) break;
      const batch = next.value;
      let text = '';
      if (o.format === 'csv' && !header) {
        text += `${batch.columns.map(csvCell).join(',')}\n`;
        header = true;
      }
      for (const row of batch.rows) {
        text += o.format === 'csv' ? `${batch.columns.map((c) => csvCell(row[c])).join(',')}\n` : `${JSON.stringify(jsonRow(row))}\n`;
      }
      rows += batch.rows.length;
      const chunk = Buffer.from(text);
      bytes += chunk.length;
      rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
      yield chunk;
    }
  }
  ctx.log(`exporting the rows of connection '${o.sqlConnId}' to s3://${where.bucket}/${where.key} as ${o.format}`);
  try {
    const upload = new Upload({
      client,
      params: { Bucket: where.bucket, Key: where.key, Body: Readable.from(lines()), ContentType: o.format === 'csv' ? 'text/csv' : 'application/x-ndjson' },
      partSize: PART_BYTES,
      queueSize: 2,
    });
    await upload.done();
  } catch (err) {
    if (queryFailure !== undefined) {
      const words = sqlDialectOf(sqlConn) === 'postgres' ? describePgError(queryFailure) : describeMysqlError(queryFailure);
      throw new Error(`the query on connection '${o.sqlConnId}' failed: ${words}`, { cause: queryFailure });
    }
    throw new S3Error(`writing s3://${where.bucket}/${where.key} on connection '${o.s3ConnId}' failed: ${describeS3Error(err)}`, { cause: err });
  } finally {
    client.destroy();
  }
  const mb = (n: number): string => (n / 1048576).toFixed(1);
  ctx.log(`wrote ${rows} ${rows === 1 ? 'row' : 'rows'} (${mb(bytes)} MB, ${Math.max(1, Math.ceil(bytes / PART_BYTES))} part(s)) to s3://${where.bucket}/${where.key}; ` +
    `peak memory growth of the task process ${mb(rssPeak - rssStart)} MB`);
  return { bucket: where.bucket, key: where.key, rows, bytes };
}

/** Adds a SQL-to-S3 transfer task to `d` (a Dag or a task group's builder): see the module comment. */
export function sqlToS3<P extends Params>(d: TaskBuilder<P>, taskId: string, options: SqlToS3Options<P>): Task<SqlToS3Result> {
  assertOptionsObject('sqlToS3', taskId, options);
  const { own, args } = splitOptions(options, OWN_KEYS);
  validate(taskId, own as Partial<SqlToS3Options>);
  const o = own as SqlToS3Options<P>;
  return d.fn(taskId, (ctx: MappedTaskContext<unknown, P>) => runExport(ctx, o), args as TaskArgs) as unknown as Task<SqlToS3Result>;
}
