/**
 * `sensors.sql(connId, query)`: a poke for `d.sensor` that runs one query on a PostgreSQL or
 * MySQL/MariaDB connection and is true when the first cell of the first row is truthy (Airflow's
 * SqlSensor: null, 0, '0', '' and false are false). It opens the connection the way the `sql` task
 * does (same drivers, templates, masking), once per poke, and closes it before the poke returns:
 * a reschedule-mode sensor holds no database session between pokes either.
 */
import { DagDefinitionError, type TaskContext } from '@updraft/sdk';
import { SqlSensorError, SqlStatementError } from '../errors.js';
import { excerpt } from '../task-builder.js';
import { assertTemplateParses, renderForTask } from '../templating.js';
import { openSqlSession, sqlDialectOf } from './open.js';
import type { SqlParameters } from './session.js';

export interface SqlSensorOptions {
  /** Bound parameters (as the `sql` task's), or a function of the context that gives them. */
  parameters?: SqlParameters | ((ctx: TaskContext) => SqlParameters | Promise<SqlParameters>);
  /** Decides readiness from the first cell instead of its truthiness. */
  success?: (firstCell: unknown) => boolean;
  /** When it returns true for the first cell, the poke fails the try (the sensor stops waiting). */
  failure?: (firstCell: unknown) => boolean;
  /** A query that returns no row fails the try instead of being a false poke. Default false. */
  failOnEmpty?: boolean;
}

/** Airflow's SqlSensor truthiness: the string '0' is false as well. */
function truthy(cell: unknown): boolean {
  return cell !== '0' && Boolean(cell);
}

function validate(connId: unknown, query: unknown, o: SqlSensorOptions): void {
  const bad = (message: string): never => {
    throw new DagDefinitionError('invalid', `sensors.sql(${JSON.stringify(connId)}): ${message}`);
  };
  if (typeof connId !== 'string' || connId.trim() === '') bad('connId must be a non-empty string');
  if (typeof query !== 'string' || query.trim() === '') bad('the query must be a non-empty string');
  assertTemplateParses(query as string, `sensors.sql('${String(connId)}') query`);
  if (typeof o !== 'object' || o === null || Array.isArray(o)) bad('options must be an object');
  for (const key of ['success', 'failure'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'function') bad(`${key} must be a function of the first cell`);
  }
  if (o.failOnEmpty !== undefined && typeof o.failOnEmpty !== 'boolean') bad('failOnEmpty must be true or false');
  const p = o.parameters;
  if (p !== undefined && typeof p !== 'function' && (typeof p !== 'object' || p === null)) bad('parameters must be an array, an object or a function');
}

/** A poke for `d.sensor`: see the module comment. */
export function sqlSensor(connId: string, query: string, options: SqlSensorOptions = {}): (ctx: TaskContext) => Promise<boolean> {
  validate(connId, query, options);
  return async (ctx) => {
    const conn = await ctx.connection(connId);
    sqlDialectOf(conn);
    const { sql: text } = await renderForTask(ctx, { sql: query });
    const parameters = typeof options.parameters === 'function' ? await options.parameters(ctx) : options.parameters;
    let session;
    try {
      session = await openSqlSession(conn);
    } catch (err) {
      throw new SqlSensorError(`cannot connect to connection '${connId}': ${(err as Error).message}`, { cause: err });
    }
    let rows: Record<string, unknown>[];
    try {
      ctx.log(`poking with: ${excerpt(text.trim())}`);
      try {
        rows = (await session.query(text.trim(), parameters)).rows ?? [];
      } catch (err) {
        throw new SqlStatementError(1, 1, session.describeError(err), { cause: err });
      }
    } finally {
      await session.close().catch(() => undefined);
    }
    const first = rows[0];
    if (first === undefined) {
      if (options.failOnEmpty === true) throw new SqlSensorError(`the query on connection '${connId}' returned no row (failOnEmpty)`);
      ctx.log('no row: not ready');
      return false;
    }
    const cell = Object.values(first)[0];
    if (options.failure?.(cell) === true) throw new SqlSensorError(`failure criteria met for first cell ${JSON.stringify(cell)}`);
    const ready = options.success !== undefined ? options.success(cell) === true : truthy(cell);
    ctx.log(`first cell ${JSON.stringify(cell)}: ${ready ? 'ready' : 'not ready'}`);
    return ready;
  };
}
