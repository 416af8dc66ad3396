/**
 * The one way data-access modules run a statement: `name` is the operation (the exported
 * function's name), used in error messages and, for hot statements, as the name of the prepared
 * statement. Driver errors become typed errors with the driver's error as `cause`:
 *  - a value the database refuses (SQLSTATE class 22 "data exception", e.g. a NUL byte in text,
 *    and 54000 "program limit exceeded", e.g. a key too long for its index) is INVALID_ARGUMENT:
 *    bad input, never worth a retry; its message leaves the database's text out;
 *  - everything else is DB_ERROR (unreachable, restarting, timed out: retry later).
 */
import type pg from 'pg';
import { isPool, type Queryable } from '../db/types.js';
import { UpdraftError } from '../errors.js';
import { messageOf, truncate } from '../lib.js';

export interface QueryOptions {
  /** Prepare the statement server-side (once per connection) as `updraft_<name>`. Only for fixed text. */
  prepare?: boolean;
}

/** SQLSTATE 40P01: PostgreSQL ended one statement of a lock cycle (e.g. two batches locking the same rows in opposite orders). */
const DEADLOCK_DETECTED = '40P01';
const DEADLOCK_RETRIES = 3;

const sqlStateOf = (err: unknown): string => (typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : '');

/** The typed error for a failed statement (an UpdraftError passes through unchanged). */
export function databaseError(name: string, err: unknown): UpdraftError {
  if (err instanceof UpdraftError) return err;
  const sqlState = sqlStateOf(err);
  if (sqlState.startsWith('22') || sqlState === '54000') {
    // Callers show this message to whoever sent the value: it names the operation and the SQLSTATE,
    // not the database's text (the cause, for logs, has it). Values are checked before they get
    // here (ids, text limits); this is the backstop.
    return new UpdraftError('INVALID_ARGUMENT', `${name}: a value was refused by the database as malformed or too large (SQLSTATE ${sqlState})`, { cause: err });
  }
  return new UpdraftError('DB_ERROR', `${name} failed: ${truncate(messageOf(err), 300)}`, { cause: err });
}

/** Runs one statement and returns the driver's result. */
export async function query<R extends pg.QueryResultRow = pg.QueryResultRow>(
  db: Queryable,
  name: string,
  text: string,
  values: readonly unknown[] = [],
  options: QueryOptions = {},
): Promise<pg.QueryResult<R>> {
  const config: pg.QueryConfig = options.prepare
    ? { name: `updraft_${name}`, text, values: values as unknown[] }
    : { text, values: values as unknown[] };
  for (let retry = 0; ; retry++) {
    try {
      return await db.query<R>(config);
    } catch (err) {
      // Run on a pool, a statement is its own transaction: chosen as a deadlock's victim, it was
      // rolled back whole, so it runs again as if for the first time. Inside a caller's
      // transaction (a client), the transaction is aborted: the caller decides.
      if (sqlStateOf(err) === DEADLOCK_DETECTED && isPool(db) && retry < DEADLOCK_RETRIES) continue;
      throw databaseError(name, err);
    }
  }
}

/** Runs one statement and returns its rows. */
export async function rows<R extends pg.QueryResultRow>(
  db: Queryable,
  name: string,
  text: string,
  values: readonly unknown[] = [],
  options: QueryOptions = {},
): Promise<R[]> {
  return (await query<R>(db, name, text, values, options)).rows;
}

/** A statement whose text names its parameters, numbered for the driver (namedParameters). */
export interface NamedStatement {
  /** The text with `$(name)` replaced by `$1`, `$2`... in order of first use. */
  text: string;
  /** The parameter names in that order. */
  names: readonly string[];
}

/**
 * Numbers the `$(name)` parameters of a statement's text `$1`, `$2`... in order of first use. A
 * statement built in variants that leave parts out (each its own prepared statement) binds only
 * the parameters its text uses: PostgreSQL refuses a parameter it cannot find a type for.
 */
export function namedParameters(text: string): NamedStatement {
  const names: string[] = [];
  const numbered = text.replace(/\$\(([a-z_][a-z0-9_]*)\)/g, (_, name: string) => {
    let at = names.indexOf(name);
    if (at < 0) at = names.push(name) - 1;
    return `$${at + 1}`;
  });
  return { text: numbered, names };
}

/**
 * The values of a named statement's parameters, in its order. A name without a value is a bug in
 * the operation `name`: it fails as its statement would, before anything is sent.
 */
export function namedValues(name: string, statement: NamedStatement, values: Readonly<Record<string, unknown>>): unknown[] {
  return statement.names.map((param) => {
    if (!Object.hasOwn(values, param)) throw new UpdraftError('DB_ERROR', `${name} failed: no value for its parameter '${param}'`);
    return values[param];
  });
}
