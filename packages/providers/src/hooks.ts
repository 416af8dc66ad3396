/**
 * Hooks: a client for a connection, chosen by its conn_type, inside a function task.
 *
 *     d.fn('report', withHooks(async (ctx) => {
 *       const db = await ctx.hook('warehouse', 'postgres');      // pg.Pool
 *       const { rows } = await db.query('select count(*) from orders where day = $1', [ctx.ds]);
 *       const api = await ctx.hook('reports_api', 'http');        // fetch bound to the base URL
 *       await api('/counts', { method: 'POST', body: JSON.stringify(rows[0]) });
 *       const lake = await ctx.s3('lake');                          // S3Client (@aws-sdk/client-s3)
 *     }));
 *
 * `withHooks` wraps the task's function: `ctx.hook(connId)` opens the client once per connection
 * and everything opened is closed when the function returns or throws (pools ended, requests in
 * flight aborted), so the task leaves no connection behind. The kind argument checks the
 * connection's conn_type and types the client; without it the result is a tagged union.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { MappedTaskContext, Params, TaskConnection } from '@updraft/sdk';
import type pg from 'pg';
import type mysql from 'mysql2/promise';
import { ConnectionTypeError } from './errors.js';
import { boundFetch, type BoundFetch } from './http/client.js';
import { openMysqlPool } from './sql/mysql.js';
import { MYSQL_CONN_TYPES, POSTGRES_CONN_TYPES } from './sql/open.js';
import { openPostgresPool } from './sql/postgres.js';
import { openS3Client, S3_CONN_TYPES } from './s3/connection.js';

export const HTTP_CONN_TYPES: readonly string[] = ['http', 'https'];

/** The client of each kind of connection. */
export interface HookClients {
  postgres: pg.Pool;
  mysql: mysql.Pool;
  http: BoundFetch;
  s3: S3Client;
}
export type HookKind = keyof HookClients;
export type Hook = { [K in HookKind]: { kind: K; client: HookClients[K]; connection: TaskConnection } }[HookKind];

export interface HookAccess {
  /** The client of `connId`, checked to be of `kind` (postgres/postgresql, mysql/mariadb, http/https, aws/s3). */
  hook<K extends HookKind>(connId: string, kind: K): Promise<HookClients[K]>;
  /** The client of `connId` for its conn_type, tagged with its kind. */
  hook(connId: string): Promise<Hook>;
  /** The S3 client of `connId` (conn_type aws or s3; endpoint, region and keys from it): `hook(connId, 's3')`. */
  s3(connId: string): Promise<S3Client>;
}

const KIND_TYPES: Record<HookKind, readonly string[]> = { postgres: POSTGRES_CONN_TYPES, mysql: MYSQL_CONN_TYPES, http: HTTP_CONN_TYPES, s3: S3_CONN_TYPES };

function kindOf(conn: TaskConnection): HookKind {
  const type = conn.connType.toLowerCase();
  for (const kind of Object.keys(KIND_TYPES) as HookKind[]) if (KIND_TYPES[kind].includes(type)) return kind;
  throw new ConnectionTypeError(conn.connId, conn.connType, Object.values(KIND_TYPES).flat());
}

/** Clients opened during one task, closed together. */
class HookScope {
  private readonly hooks = new Map<string, Promise<Hook>>();
  private readonly closers: Array<() => Promise<void>> = [];
  private readonly abort = new AbortController();

  constructor(private readonly connection: (connId: string) => Promise<TaskConnection>) {}

  get(connId: string): Promise<Hook> {
    let hook = this.hooks.get(connId);
    if (hook === undefined) {
      hook = this.open(connId);
      this.hooks.set(connId, hook);
    }
    return hook;
  }

  private async open(connId: string): Promise<Hook> {
    const connection = await this.connection(connId);
    const kind = kindOf(connection);
    if (kind === 'postgres') {
      const client = openPostgresPool(connection);
      this.closers.push(() => client.end());
      return { kind, client, connection };
    }
    if (kind === 'mysql') {
      const client = openMysqlPool(connection);
      this.closers.push(() => client.end());
      return { kind, client, connection };
    }
    if (kind === 's3') {
      const client = await openS3Client(connection);
      this.closers.push(async () => client.destroy());
      return { kind, client, connection };
    }
    return { kind, client: boundFetch(connection, this.abort.signal), connection };
  }

  async close(): Promise<void> {
    this.abort.abort(new Error('the task ended'));
    await Promise.all(this.closers.splice(0).map((c) => c().catch(() => undefined)));
  }
}

/**
 * Wraps a function task's function so its context has `hook()` (see the module comment).
 * Use it as the function of `d.fn`: `d.fn('id', withHooks(async (ctx) => ...))`.
 */
export function withHooks<R, I = unknown, P extends Params = Params>(
  fn: (ctx: MappedTaskContext<I, P> & HookAccess) => R,
): (ctx: MappedTaskContext<I, P>) => Promise<Awaited<R>> {
  return async (ctx): Promise<Awaited<R>> => {
    const scope = new HookScope((connId) => ctx.connection(connId));
    const hook = async (connId: string, kind?: HookKind): Promise<unknown> => {
      const h = await scope.get(connId);
      if (kind === undefined) return h;
      if (h.kind !== kind) throw new ConnectionTypeError(connId, h.connection.connType, KIND_TYPES[kind] ?? []);
      return h.client;
    };
    try {
      const s3 = (connId: string): Promise<unknown> => hook(connId, 's3');
      return (await fn({ ...ctx, hook, s3 } as MappedTaskContext<I, P> & HookAccess)) as Awaited<R>;
    } finally {
      await scope.close();
    }
  };
}
