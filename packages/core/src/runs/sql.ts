/** Runs one statement; driver errors become DB_ERROR naming what was being done. */
import type { QueryResultRow } from 'pg';
import type { Queryable } from '../db/types.js';
import { UpdraftError } from '../errors.js';

export async function queryRows<T extends QueryResultRow>(db: Queryable, what: string, sql: string, params: unknown[]): Promise<T[]> {
  try {
    return (await db.query<T>(sql, params)).rows;
  } catch (err) {
    throw new UpdraftError('DB_ERROR', `${what} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
