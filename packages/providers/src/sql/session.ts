/** One database connection a SQL task runs its statements on, whatever the server. */
import type { SqlDialect } from './split.js';

/** Bind parameters: positional (`$1` in PostgreSQL, `?` in MySQL) or, in MySQL, named (`:name`). */
export type SqlParameters = readonly unknown[] | Readonly<Record<string, unknown>>;

export interface StatementResult {
  /** The rows a statement returned (undefined for one that returns none, e.g. an INSERT). */
  rows: Record<string, unknown>[] | undefined;
  /** Rows returned or affected, as the server counts them; null when it gives no count (DDL). */
  rowCount: number | null;
}

export interface SqlSession {
  readonly dialect: SqlDialect;
  /** Runs one statement (or, without split, the whole text). Rejects with the driver's error. */
  query(statement: string, parameters: SqlParameters | undefined): Promise<StatementResult>;
  /** The server's words for a driver error: its message and code. */
  describeError(err: unknown): string;
  close(): Promise<void>;
}

export const isNamed = (p: SqlParameters | undefined): p is Readonly<Record<string, unknown>> =>
  p !== undefined && !Array.isArray(p);
