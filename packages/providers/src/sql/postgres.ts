/**
 * PostgreSQL through `pg`: connection settings from an Updraft connection (Airflow's
 * PostgresHook fields: host, port 5432, login, password, schema as the database; extra
 * `sslmode`, `connect_timeout` in seconds, `application_name`), a one-connection session for SQL
 * tasks and a pool for hooks. `date` and `timestamp` columns come back as the server's text (a
 * Date would move them by the runner's timezone); `timestamptz` as a Date (ISO-8601 in XCom).
 */
import pg from 'pg';
import type { TaskConnection } from '@updraft/sdk';
import { isNamed, type SqlParameters, type SqlSession, type StatementResult } from './session.js';

const DATE_OID = 1082;
const TIMESTAMP_OID = 1114;

const textDates = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === DATE_OID || oid === TIMESTAMP_OID ? (value: string) => value : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

function sslOf(sslmode: unknown): pg.ClientConfig['ssl'] {
  switch (sslmode) {
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
    case 'verify-full':
      return { rejectUnauthorized: true };
    default:
      return false;
  }
}

/** pg settings of `conn` (see the module comment). */
export function postgresConfig(conn: TaskConnection): pg.ClientConfig {
  const x = conn.extraDejson;
  const timeoutS = Number(x.connect_timeout);
  return {
    host: conn.host ?? undefined,
    port: conn.port ?? 5432,
    user: conn.login ?? undefined,
    password: conn.password ?? undefined,
    database: conn.schema || undefined,
    ssl: sslOf(x.sslmode),
    application_name: typeof x.application_name === 'string' ? x.application_name : 'updraft',
    ...(Number.isFinite(timeoutS) && timeoutS > 0 ? { connectionTimeoutMillis: timeoutS * 1000 } : {}),
    types: textDates,
  };
}

export function describePgError(err: unknown): string {
  const e = err as Partial<pg.DatabaseError> & { message?: string };
  const parts = [e.message ?? String(err)];
  if (typeof e.code === 'string') parts.push(`(SQLSTATE ${e.code}${e.position ? `, at character ${e.position}` : ''})`);
  return parts.join(' ');
}

export async function openPostgresSession(conn: TaskConnection): Promise<SqlSession> {
  const client = new pg.Client(postgresConfig(conn));
  // A connection lost between statements fails the running query; the event itself is not fatal.
  client.on('error', () => undefined);
  await client.connect();
  return {
    dialect: 'postgres',
    async query(statement: string, parameters: SqlParameters | undefined): Promise<StatementResult> {
      if (isNamed(parameters)) {
        throw new Error('PostgreSQL takes positional parameters ($1, $2, ...): give `parameters` as an array');
      }
      const r = (await client.query({ text: statement, values: parameters === undefined ? undefined : [...parameters] })) as pg.QueryResult | pg.QueryResult[];
      // Several statements in one text (no split, no parameters): the last one's result.
      const last = Array.isArray(r) ? r[r.length - 1] : r;
      if (last === undefined) return { rows: undefined, rowCount: null };
      return { rows: last.fields.length > 0 ? (last.rows as Record<string, unknown>[]) : undefined, rowCount: last.rowCount };
    },
    describeError: describePgError,
    close: () => client.end(),
  };
}

/** A pool for hooks (ends with the task). */
export function openPostgresPool(conn: TaskConnection): pg.Pool {
  const pool = new pg.Pool({ ...postgresConfig(conn), max: 4 });
  pool.on('error', () => undefined);
  return pool;
}
