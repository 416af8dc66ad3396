/**
 * /api/v1/connections: list, get, create, change, delete, test (Airflow 2's stable API). Connections
 * the webserver's environment defines (UPDRAFT_CONN_<ID>, as tasks see them) are listed first and
 * answered with `read_only: true`; changing or deleting one, or creating one of that id, is a 409
 * naming the environment variable. Passwords and extras are
 * encrypted with security.fernet_key on the way in; a password is never answered, and fields of
 * the extra whose name looks secret are `***` (as the CLI shows them). Testing a connection opens
 * a TCP connection from the webserver, so it is off unless webserver.test_connection is enabled.
 */
import { connEnvName, maskConnection, readConnections, storeConnections, connectionsSql, listConnectionsWithEnv, type Connection, type SecretSource, type SecretsContext } from '@updraft/core';
import type { Static } from 'typebox';
import type { Api, RouteContext } from '../api-types.js';
import { recordEvents } from '../http/events.js';
import { HttpProblem } from '../http/problem.js';
import { Deleted, errorResponses } from './common.schemas.js';
import {
  CONNECTION_FIELDS, ConnectionBody, ConnectionCollection, ConnectionIdParams, ConnectionSchema, ConnectionTestSchema, ConnectionUpdateMaskQuery,
  ListConnectionsQuery,
} from './connections.schemas.js';
import { probeConnection } from './connection-test.js';
import { databaseOnly, requireSecrets } from './secrets-context.js';

/** The environment's mark on a connection it defines. */
const envMark = (c: Connection & { source?: SecretSource }) => (c.source === 'env'
  ? { description: `Defined by the environment variable ${connEnvName(c.connId)} (read-only)`, read_only: true as const }
  : { description: c.description });

function connectionJson(s: SecretsContext, c: Connection & { source?: SecretSource }): Static<typeof ConnectionSchema> {
  const m = maskConnection(c, s.sensitiveNames);
  return { connection_id: m.connId, conn_type: m.connType, host: m.host, login: m.login, schema: m.schema, port: m.port, extra: m.extra, ...envMark(c) };
}

/** A connection the environment defines cannot be written through the API: 409 naming the variable. */
function refuseEnvDefined(s: SecretsContext, connId: string, field: string): void {
  if (s.env[connEnvName(connId)] === undefined || s.env[connEnvName(connId)] === '') return;
  throw new HttpProblem(409, `connection '${connId}' is defined by the environment (${connEnvName(connId)}) of the webserver and cannot be changed or deleted through the API`, { field });
}

function fromBody(b: Static<typeof ConnectionBody>): Connection {
  return {
    connId: b.connection_id, connType: b.conn_type, description: b.description ?? null, host: b.host ?? null, schema: b.schema ?? null,
    login: b.login ?? null, password: b.password ?? null, port: b.port ?? null, extra: b.extra ?? null,
  };
}

async function findConnection(ctx: RouteContext, s: SecretsContext, connId: string): Promise<Connection> {
  const found = (await readConnections(ctx.db, databaseOnly(s), [connId])).get(connId);
  if (found === undefined) throw new HttpProblem(404, `connection '${connId}' not found`, { field: 'path.connection_id' });
  return found;
}

/** Stores a connection; a secret that cannot be encrypted (no security.fernet_key) is a 503 naming the key (http/problem.ts). */
const store = (ctx: RouteContext, s: SecretsContext, c: Connection, overwrite: boolean): Promise<string[]> => storeConnections(ctx.db, s, [c], overwrite);

const FIELD_OF: Record<(typeof CONNECTION_FIELDS)[number], keyof Connection> = {
  conn_type: 'connType', description: 'description', host: 'host', login: 'login', schema: 'schema', port: 'port', password: 'password', extra: 'extra',
};

export function connectionRoutes(app: Api, ctx: RouteContext): void {
  app.get('/api/v1/connections', {
    config: { permission: 'connections.read' },
    schema: { tags: ['Connection'], summary: 'List connections (never their passwords)', querystring: ListConnectionsQuery, response: { 200: ConnectionCollection, ...errorResponses(503) } },
  }, async (request) => {
    const s = requireSecrets(ctx);
    const { connections, total } = await listConnectionsWithEnv(ctx.db, s, request.query);
    return {
      connections: connections.map((c) => ({ connection_id: c.connId, conn_type: c.connType, host: c.host, login: c.login, schema: c.schema, port: c.port, ...envMark(c) })),
      total_entries: total,
    };
  });

  app.get('/api/v1/connections/:connection_id', {
    config: { permission: 'connections.read' },
    schema: { tags: ['Connection'], summary: 'Get a connection (no password; secret extra fields masked)', params: ConnectionIdParams, response: { 200: ConnectionSchema, ...errorResponses(404, 503) } },
  }, async (request) => {
    const s = requireSecrets(ctx);
    const connId = request.params.connection_id;
    const found = (await readConnections(ctx.db, s, [connId])).get(connId);
    if (found === undefined) throw new HttpProblem(404, `connection '${connId}' not found`, { field: 'path.connection_id' });
    return connectionJson(s, found);
  });

  app.post('/api/v1/connections', {
    config: { permission: 'connections.edit' },
    schema: { tags: ['Connection'], summary: 'Create a connection', body: ConnectionBody, response: { 200: ConnectionSchema, ...errorResponses(409, 503) } },
  }, async (request) => {
    const s = requireSecrets(ctx);
    const c = fromBody(request.body);
    refuseEnvDefined(s, c.connId, 'body.connection_id');
    const written = await store(ctx, s, c, false);
    if (written.length === 0) throw new HttpProblem(409, `connection '${c.connId}' already exists`, { field: 'body.connection_id' });
    await recordEvents(ctx.db, request, [{ event: 'connection.create', extra: { connection_id: c.connId, conn_type: c.connType } }]);
    return connectionJson(s, c);
  });

  app.patch('/api/v1/connections/:connection_id', {
    config: { permission: 'connections.edit' },
    schema: {
      tags: ['Connection'], summary: 'Change a connection (update_mask: which fields; default: those the body has)', params: ConnectionIdParams,
      querystring: ConnectionUpdateMaskQuery, body: ConnectionBody, response: { 200: ConnectionSchema, ...errorResponses(404, 409, 503) },
    },
  }, async (request) => {
    const s = requireSecrets(ctx);
    const connId = request.params.connection_id;
    const b = request.body;
    if (b.connection_id !== connId) {
      throw new HttpProblem(400, `body.connection_id '${b.connection_id}' is not the id in the path ('${connId}'); a connection cannot be renamed`, { field: 'body.connection_id' });
    }
    refuseEnvDefined(s, connId, 'path.connection_id');
    const old = await findConnection(ctx, s, connId);
    const given = fromBody(b);
    const fields = request.query.update_mask ?? CONNECTION_FIELDS.filter((f) => b[f] !== undefined);
    const next: Connection = { ...old };
    for (const f of fields) (next as unknown as Record<string, unknown>)[FIELD_OF[f]] = given[FIELD_OF[f]];
    await store(ctx, s, next, true);
    await recordEvents(ctx.db, request, [{ event: 'connection.edit', extra: { connection_id: connId, fields } }]);
    return connectionJson(s, next);
  });

  app.delete('/api/v1/connections/:connection_id', {
    config: { permission: 'connections.edit' },
    schema: { tags: ['Connection'], summary: 'Delete a connection', params: ConnectionIdParams, response: { 204: Deleted, ...errorResponses(404, 409, 503) } },
  }, async (request, reply) => {
    const s = requireSecrets(ctx);
    const connId = request.params.connection_id;
    refuseEnvDefined(s, connId, 'path.connection_id');
    const deleted = await connectionsSql.deleteConnections(ctx.db, [connId]);
    if (deleted.length === 0) throw new HttpProblem(404, `connection '${connId}' not found`, { field: 'path.connection_id' });
    await recordEvents(ctx.db, request, [{ event: 'connection.delete', extra: { connection_id: connId } }]);
    return reply.code(204).send(null);
  });

  app.post('/api/v1/connections/test', {
    config: { permission: 'connections.edit' },
    schema: {
      tags: ['Connection'], summary: 'Test a connection: open a TCP connection to its host and port (only when webserver.test_connection is enabled)',
      body: ConnectionBody, response: { 200: ConnectionTestSchema, ...errorResponses(503) },
    },
  }, async (request) => {
    if (!ctx.testConnection) {
      throw new HttpProblem(403, 'testing connections is disabled on this webserver (it would open network connections from it); set webserver.test_connection = enabled to allow it');
    }
    const c = fromBody(request.body);
    await recordEvents(ctx.db, request, [{ event: 'connection.test', extra: { connection_id: c.connId, conn_type: c.connType } }]);
    return probeConnection(c);
  });
}
