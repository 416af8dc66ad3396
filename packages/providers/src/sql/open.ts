/** Which driver a connection's conn_type asks for. */
import type { TaskConnection } from '@updraft/sdk';
import { ConnectionTypeError } from '../errors.js';
import { openMysqlSession } from './mysql.js';
import { openPostgresSession } from './postgres.js';
import type { SqlSession } from './session.js';
import type { SqlDialect } from './split.js';

export const POSTGRES_CONN_TYPES: readonly string[] = ['postgres', 'postgresql'];
export const MYSQL_CONN_TYPES: readonly string[] = ['mysql', 'mariadb'];

/** The SQL dialect of `conn`, or a ConnectionTypeError naming the conn types SQL tasks take. */
export function sqlDialectOf(conn: TaskConnection): SqlDialect {
  const type = conn.connType.toLowerCase();
  if (POSTGRES_CONN_TYPES.includes(type)) return 'postgres';
  if (MYSQL_CONN_TYPES.includes(type)) return 'mysql';
  throw new ConnectionTypeError(conn.connId, conn.connType, [...POSTGRES_CONN_TYPES, ...MYSQL_CONN_TYPES]);
}

export function openSqlSession(conn: TaskConnection): Promise<SqlSession> {
  return sqlDialectOf(conn) === 'postgres' ? openPostgresSession(conn) : openMysqlSession(conn);
}
