/**
 * A query's rows in batches, never all at once: a server-side cursor on PostgreSQL (DECLARE /
 * FETCH in a read-only transaction), the driver's row stream on MySQL/MariaDB. Memory stays that of
 * one batch whatever the number of rows (the transfer tasks use it).
 */
import mysqlCallbacks from 'mysql2';
import pg from 'pg';
import type { TaskConnection } from '@updraft/sdk';
import { mysqlConfig } from './mysql.js';
import { sqlDialectOf } from './open.js';
import { postgresConfig } from './postgres.js';
import { isNamed, type SqlParameters } from './session.js';

export interface RowBatch {
  /** Column names, in the query's order. */
  columns: string[];
  rows: Record<string, unknown>[];
}

async function* postgresBatches(conn: TaskConnection, text: string, parameters: SqlParameters | undefined, size: number): AsyncGenerator<RowBatch> {
  if (isNamed(parameters)) throw new Error('PostgreSQL takes positional parameters ($1, $2, ...): give `parameters` as an array');
  const client = new pg.Client(postgresConfig(conn));
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('BEGIN READ ONLY');
    await client.query({ text: `DECLARE updraft_rows NO SCROLL CURSOR FOR ${text.trim().replace(/;\s*$/, '')}`, values: parameters === undefined ? undefined : [...parameters] });
    for (;;) {
      const r = await client.query(`FETCH ${size} FROM updraft_rows`);
      if (r.rows.length === 0) break;
      yield { columns: r.fields.map((f) => f.name), rows: r.rows as Record<string, unknown>[] };
      if (r.rows.length < size) break;
    }
    await client.query('COMMIT');
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function* mysqlBatches(conn: TaskConnection, text: string, parameters: SqlParameters | undefined, size: number): AsyncGenerator<RowBatch> {
  // The callback API: its query streams rows as they arrive, paused while a batch is written.
  const connection = mysqlCallbacks.createConnection(mysqlConfig(conn));
  connection.on('error', () => undefined);
  try {
    const query = connection.query({ sql: text, namedPlaceholders: isNamed(parameters) }, parameters as unknown[] | undefined);
    let columns: string[] = [];
    query.on('fields', (fields: Array<{ name: string }>) => (columns = fields.map((f) => f.name)));
    let batch: Record<string, unknown>[] = [];
    for await (const row of query.stream({ highWaterMark: size })) {
      batch.push(row as Record<string, unknown>);
      if (batch.length >= size) {
        yield { columns, rows: batch };
        batch = [];
      }
    }
    if (batch.length > 0) yield { columns, rows: batch };
  } finally {
    await new Promise<void>((resolve) => connection.end(() => resolve()));
  }
}

/** The rows of `text` in batches of at most `size` (see the module comment). */
export function rowBatches(conn: TaskConnection, text: string, parameters: SqlParameters | undefined, size = 5000): AsyncGenerator<RowBatch> {
  return sqlDialectOf(conn) === 'postgres' ? postgresBatches(conn, text, parameters, size) : mysqlBatches(conn, text, parameters, size);
}
