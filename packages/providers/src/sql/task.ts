/**
 * The `sql` task type: runs SQL on a PostgreSQL or MySQL/MariaDB connection as a function task.
 * The SQL text is a template rendered when the task runs (`{{ ds }}`, `{{ params.x }}`); values
 * go in `parameters`, bound by the driver and never part of the text. With `split`, the text is
 * cut into statements (splitSql) run in order on one connection; the log shows each statement
 * and its row count, and a failure names the statement's position and the server's message.
 */
import type { MappedTaskContext, Params, Task, TaskArgs, TaskContext } from '@updraft/sdk';
import { SqlStatementError } from '../errors.js';
import { assertOptionsObject, excerpt, invalidOption, splitOptions, type TaskBuilder } from '../task-builder.js';
import { assertTemplateParses, renderForTask } from '../templating.js';
import { openSqlSession, sqlDialectOf } from './open.js';
import { jsonRow, type SqlRow } from './rows.js';
import type { SqlParameters, StatementResult } from './session.js';
import { splitSql } from './split.js';

export type ReturnRows = 'none' | 'first' | 'all';

export interface SqlTaskOptions<P extends Params = Params> extends TaskArgs {
  /** A connection of conn_type postgres/postgresql (pg) or mysql/mariadb (mysql2). */
  connId: string;
  /** The SQL text, a template (`{{ ds }}`). */
  sql: string;
  /**
   * Bind parameters, sent apart from the text: an array for `$1`/`?` placeholders, an object for
   * MySQL's `:name`; or a function of the task's context that gives them (e.g. from XCom). With
   * `split`, every statement gets them.
   */
  parameters?: SqlParameters | ((ctx: TaskContext<P>) => SqlParameters | Promise<SqlParameters>);
  /** Run several statements separated by `;`, in order. Default false (the text is one statement). */
  split?: boolean;
  /** What becomes the task's XCom return value: the last statement's rows ('all'), its first row or null ('first'), nothing ('none', the default). */
  returnRows?: ReturnRows;
}

const OWN_KEYS = ['connId', 'sql', 'parameters', 'split', 'returnRows'] as const;
const RETURN_ROWS: readonly ReturnRows[] = ['none', 'first', 'all'];

function countText(r: StatementResult): string {
  if (r.rows !== undefined) return `${r.rows.length} ${r.rows.length === 1 ? 'row' : 'rows'} returned`;
  if (r.rowCount !== null) return `${r.rowCount} ${r.rowCount === 1 ? 'row' : 'rows'} affected`;
  return 'done';
}

function validate<P extends Params>(taskId: string, o: Partial<SqlTaskOptions<P>>): void {
  const bad = (message: string): never => {
    throw invalidOption('sql', taskId, message);
  };
  if (typeof o.connId !== 'string' || o.connId.trim() === '') bad('connId must be a non-empty string');
  if (typeof o.sql !== 'string' || o.sql.trim() === '') bad('sql must be a non-empty string');
  assertTemplateParses(o.sql!, `sql task '${taskId}' sql`);
  if (o.split !== undefined && typeof o.split !== 'boolean') bad('split must be true or false');
  if (o.returnRows !== undefined && !RETURN_ROWS.includes(o.returnRows)) bad(`returnRows must be one of ${RETURN_ROWS.join(', ')}, got ${String(o.returnRows)}`);
  const p = o.parameters;
  if (p !== undefined && typeof p !== 'function' && (typeof p !== 'object' || p === null)) bad('parameters must be an array, an object or a function');
}

/** Runs the task: see the module comment. */
async function runSql<P extends Params>(ctx: TaskContext<P>, o: SqlTaskOptions<P>): Promise<SqlRow[] | SqlRow | null | undefined> {
  const conn = await ctx.connection(o.connId);
  const dialect = sqlDialectOf(conn);
  const { sql: text } = await renderForTask(ctx as TaskContext, { sql: o.sql });
  const statements = o.split === true ? splitSql(text, dialect) : [text.trim()];
  if (statements.length === 0) throw new Error(`the sql of task '${ctx.taskId}' has no statement once rendered`);
  const parameters = typeof o.parameters === 'function' ? await o.parameters(ctx) : o.parameters;
  const where = `${dialect === 'postgres' ? 'PostgreSQL' : 'MySQL'} connection '${o.connId}'${conn.host ? ` (${conn.host}${conn.port ? `:${conn.port}` : ''})` : ''}`;
  let session;
  try {
    session = await openSqlSession(conn);
  } catch (err) {
    throw new Error(`cannot connect to ${where}: ${(err as Error).message}`, { cause: err });
  }
  const n = statements.length;
  const paramText = parameters === undefined ? '' : ` (with ${Array.isArray(parameters) ? parameters.length : Object.keys(parameters).length} bound parameters)`;
  ctx.log(`running ${n} ${n === 1 ? 'statement' : 'statements'} on ${where}${paramText}`);
  let last: StatementResult | undefined;
  try {
    for (const [i, statement] of statements.entries()) {
      ctx.log(`statement ${i + 1} of ${n}: ${excerpt(statement)}`);
      try {
        last = await session.query(statement, parameters);
      } catch (err) {
        throw new SqlStatementError(i + 1, n, session.describeError(err), { cause: err });
      }
      ctx.log(`statement ${i + 1} of ${n}: ${countText(last)}`);
    }
  } finally {
    await session.close().catch(() => undefined);
  }
  const rows = last?.rows ?? [];
  switch (o.returnRows ?? 'none') {
    case 'all':
      ctx.log(`returning ${rows.length} ${rows.length === 1 ? 'row' : 'rows'} as XCom`);
      return rows.map(jsonRow);
    case 'first':
      return rows[0] === undefined ? null : jsonRow(rows[0]);
    default:
      return undefined;
  }
}

/**
 * Adds a SQL task to `d` (a Dag or a task group's builder) and returns it:
 *
 *     sql(d, 'load_orders', { connId: 'warehouse', sql: "DELETE FROM orders WHERE day = '{{ ds }}'; INSERT ...", split: true });
 *     const top = sql(d, 'top', { connId: 'warehouse', sql: 'SELECT id FROM orders WHERE total > $1', parameters: [100], returnRows: 'all' });
 *
 * Task settings (retries, pool, ...) go in the same options object.
 */
export function sql<P extends Params>(d: TaskBuilder<P>, taskId: string, options: SqlTaskOptions<P> & { returnRows: 'all' }): Task<SqlRow[]>;
export function sql<P extends Params>(d: TaskBuilder<P>, taskId: string, options: SqlTaskOptions<P> & { returnRows: 'first' }): Task<SqlRow | null>;
export function sql<P extends Params>(d: TaskBuilder<P>, taskId: string, options: SqlTaskOptions<P> & { returnRows?: 'none' }): Task<null>;
export function sql<P extends Params>(d: TaskBuilder<P>, taskId: string, options: SqlTaskOptions<P>): Task<SqlRow[] | SqlRow | null>;
export function sql<P extends Params>(d: TaskBuilder<P>, taskId: string, options: SqlTaskOptions<P>): Task<unknown> {
  assertOptionsObject('sql', taskId, options);
  const { own, args } = splitOptions(options, OWN_KEYS);
  validate(taskId, own);
  const o = own as SqlTaskOptions<P>;
  return d.fn(taskId, (ctx: MappedTaskContext<unknown, P>) => runSql(ctx, o), args as TaskArgs);
}
