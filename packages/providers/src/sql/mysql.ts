/**
 * MySQL and MariaDB through `mysql2`: connection settings from an Updraft connection (Airflow's
 * MySqlHook fields: host, port 3306, login, password, schema as the database; extra `charset`,
 * `connect_timeout` in seconds, `ssl` as mysql2's ssl options object), a one-connection session
 * for SQL tasks and a pool for hooks. Dates come back as the server's text, BIGINT and DECIMAL as
 * strings (no precision lost), as PostgreSQL's int8 and numeric do.
 */
import mysql from 'mysql2/promise';
import type { TaskConnection } from '@updraft/sdk';
import { isNamed, type SqlParameters, type SqlSession, type StatementResult } from './session.js';

/** mysql2 settings of `conn` (see the module comment). */
export function mysqlConfig(conn: TaskConnection): mysql.ConnectionOptions {
  const x = conn.extraDejson;
  const timeoutS = Number(x.connect_timeout);
  return {
    host: conn.host ?? undefined,
    port: conn.port ?? 3306,
    user: conn.login ?? undefined,
    password: conn.password ?? undefined,
    database: conn.schema || undefined,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    ...(typeof x.charset === 'string' ? { charset: x.charset } : {}),
    ...(Number.isFinite(timeoutS) && timeoutS > 0 ? { connectTimeout: timeoutS * 1000 } : {}),
    ...(typeof x.ssl === 'object' && x.ssl !== null ? { ssl: x.ssl as mysql.SslOptions } : {}),
  };
}

export function describeMysqlError(err: unknown): string {
  const e = err as { message?: string; code?: string; errno?: number };
  const code = [e.code, e.errno].filter((v) => v !== undefined).join(' ');
  return `${e.message ?? String(err)}${code ? ` (${code})` : ''}`;
}

export async function openMysqlSession(conn: TaskConnection): Promise<SqlSession> {
  const connection = await mysql.createConnection(mysqlConfig(conn));
  connection.on('error', () => undefined);
  return {
    dialect: 'mysql',
    async query(statement: string, parameters: SqlParameters | undefined): Promise<StatementResult> {
      const [result, fields] = await connection.query({ sql: statement, namedPlaceholders: isNamed(parameters) }, parameters as mysql.QueryValues | undefined);
      if (Array.isArray(result) && Array.isArray(fields)) {
        const rows = result as Record<string, unknown>[];
        return { rows, rowCount: rows.length };
      }
      const header = result as Partial<mysql.ResultSetHeader>;
      return { rows: undefined, rowCount: typeof header.affectedRows === 'number' ? header.affectedRows : null };
    },
    describeError: describeMysqlError,
    close: () => connection.end(),
  };
}

/** A pool for hooks (ends with the task). */
export function openMysqlPool(conn: TaskConnection): mysql.Pool {
  const pool = mysql.createPool({ ...mysqlConfig(conn), connectionLimit: 4 });
  pool.on('connection', (c) => c.on('error', () => undefined));
  return pool;
}
