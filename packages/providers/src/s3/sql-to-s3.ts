/**
 * The `sqlToS3` transfer: the rows of a query on a PostgreSQL or MySQL/MariaDB connection written
 * to one S3 object as CSV (a header line, RFC 4180 quoting) or JSON lines, streamed: rows are read
 * in batches from a cursor and each line is encoded straight into a part buffer that uploads while
 * the next one fills (object-writer.ts), so memory stays flat whatever the number of rows. The log shows the rows, bytes and parts written and the task process's peak
 * memory growth. XCom: `{ bucket, key, rows, bytes }`.
 *
 *     sqlToS3(d, 'export', { sqlConnId: 'warehouse', sql: "SELECT * FROM orders WHERE day = '{{ ds }}'",
 *       s3ConnId: 'lake', key: 's3://exports/orders/{{ ds }}.csv', format: 'csv' });
 */
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
import { S3ObjectWriter, type WrittenObject } from './object-writer.js';

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
const DEFAULT_BATCH_ROWS = 2000;

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

/** One CSV line: the cells of `row` in `columns` order. */
function csvLine(columns: readonly string[], row: Record<string, unknown>): string {
  let line = '';
  for (let i = 0; i < columns.length; i++) line += i === 0 ? csvCell(row[columns[i]!]) : `,${csvCell(row[columns[i]!])}`;
  return `${line}\n`;
}

async function runExport<P extends Params>(ctx: TaskContext<P>, o: SqlToS3Options<P>): Promise<SqlToS3Result> {
  const t = ctx as TaskContext;
  const r = await renderForTask(t, { sql: o.sql, key: o.key });
  const where = s3Location('key', r.key, o.bucket);
  const parameters = typeof o.parameters === 'function' ? await o.parameters(ctx) : o.parameters;
  const sqlConn = await ctx.connection(o.sqlConnId);
  const client = await openS3Client(await ctx.connection(o.s3ConnId));
  // Loaded before the baseline: the growth reported is what the rows cost, not the SDK's code.
  await import('@aws-sdk/client-s3');
  const rssStart = process.memoryUsage.rss();
  let rssPeak = rssStart;
  const sample = (): void => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  };
  let rows = 0;
  let queryFailure: unknown;
  // Query errors are told apart from S3's; leaving the loop early closes the cursor.
  async function* batches(): AsyncGenerator<RowBatch> {
    try {
      yield* rowBatches(sqlConn, r.sql, parameters, o.batchSize ?? DEFAULT_BATCH_ROWS);
    } catch (err) {
      queryFailure = err;
      throw err;
    }
  }
  const writer = new S3ObjectWriter(client, {
    bucket: where.bucket, key: where.key, contentType: o.format === 'csv' ? 'text/csv' : 'application/x-ndjson', onPart: sample,
  });
  ctx.log(`exporting the rows of connection '${o.sqlConnId}' to s3://${where.bucket}/${where.key} as ${o.format}`);
  let written: WrittenObject;
  try {
    let header = o.format !== 'csv';
    for await (const batch of batches()) {
      if (!header) {
        await writer.write(`${batch.columns.map(csvCell).join(',')}\n`);
        header = true;
      }
      // Each line goes straight into the part buffer; a full part waits for the one in flight.
      for (const row of batch.rows) {
        const wait = writer.write(o.format === 'csv' ? csvLine(batch.columns, row) : `${JSON.stringify(jsonRow(row))}\n`);
        if (wait !== undefined) await wait;
      }
      rows += batch.rows.length;
      sample();
    }
    written = await writer.end();
  } catch (err) {
    await writer.abort();
    if (queryFailure !== undefined) {
      const words = sqlDialectOf(sqlConn) === 'postgres' ? describePgError(queryFailure) : describeMysqlError(queryFailure);
      throw new Error(`the query on connection '${o.sqlConnId}' failed: ${words}`, { cause: queryFailure });
    }
    throw new S3Error(`writing s3://${where.bucket}/${where.key} on connection '${o.s3ConnId}' failed: ${describeS3Error(err)}`, { cause: err });
  } finally {
    client.destroy();
  }
  const mb = (n: number): string => (n / 1048576).toFixed(1);
  ctx.log(`wrote ${rows} ${rows === 1 ? 'row' : 'rows'} (${mb(written.bytes)} MB, ${written.parts} part(s)) to s3://${where.bucket}/${where.key}; ` +
    `peak memory growth of the task process ${mb(rssPeak - rssStart)} MB`);
  return { bucket: where.bucket, key: where.key, rows, bytes: written.bytes };
}

/** Adds a SQL-to-S3 transfer task to `d` (a Dag or a task group's builder): see the module comment. */
export function sqlToS3<P extends Params>(d: TaskBuilder<P>, taskId: string, options: SqlToS3Options<P>): Task<SqlToS3Result> {
  assertOptionsObject('sqlToS3', taskId, options);
  const { own, args } = splitOptions(options, OWN_KEYS);
  validate(taskId, own as Partial<SqlToS3Options>);
  const o = own as SqlToS3Options<P>;
  return d.fn(taskId, (ctx: MappedTaskContext<unknown, P>) => runExport(ctx, o), args as TaskArgs) as unknown as Task<SqlToS3Result>;
}
