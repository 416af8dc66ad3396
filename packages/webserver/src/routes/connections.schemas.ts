/** Schemas of /api/v1/connections (Airflow 2's Connection, ConnectionCollection, ConnectionTest). */
import { Type } from 'typebox';
import { idParam, Nullable, Pagination, textParam } from './common.schemas.js';

export const ConnectionIdParams = Type.Object({ connection_id: idParam('connection id', 'The connection id.') });

export const ListConnectionsQuery = Type.Object({ ...Pagination });

const Port = Type.Integer({ minimum: 0, maximum: 65535 });

/** A connection as it is answered: never its password; sensitive fields of its extra `***`. */
export const ConnectionSchema = Type.Object({
  connection_id: Type.String(),
  conn_type: Type.String(),
  description: Nullable(Type.String()),
  host: Nullable(Type.String()),
  login: Nullable(Type.String()),
  schema: Nullable(Type.String()),
  port: Nullable(Port),
  extra: Nullable(Type.String({ description: 'Text (usually a JSON object); fields whose name looks secret are `***`.' })),
  read_only: Type.Optional(Type.Literal(true, { description: 'Present when the webserver\'s environment defines the connection (UPDRAFT_CONN_<ID>): it cannot be changed or deleted through the API.' })),
});

export const ConnectionCollectionItem = Type.Object({
  connection_id: Type.String(),
  conn_type: Type.String(),
  description: Nullable(Type.String()),
  host: Nullable(Type.String()),
  login: Nullable(Type.String()),
  schema: Nullable(Type.String()),
  port: Nullable(Port),
  read_only: Type.Optional(Type.Literal(true, { description: 'Present when the webserver\'s environment defines the connection (UPDRAFT_CONN_<ID>): it cannot be changed or deleted through the API.' })),
});

export const ConnectionCollection = Type.Object({ connections: Type.Array(ConnectionCollectionItem), total_entries: Type.Integer() });

const text = (max: number, what: string) => Type.Optional(Nullable(textParam(max, what)));

/** What a client sends: `password` is write-only (stored encrypted, never answered). */
export const ConnectionBody = Type.Object({
  connection_id: idParam('connection id', 'The connection id.'),
  conn_type: Type.String({ minLength: 1, maxLength: 500, pattern: '^[A-Za-z0-9_.+-]+$', description: 'The connection type (e.g. `postgres`, `http`).' }),
  description: text(5000, 'What the connection is for.'),
  host: text(1000, 'Host.'),
  login: text(1000, 'Login.'),
  schema: text(1000, 'Schema (database).'),
  port: Type.Optional(Nullable(Port)),
  password: text(5000, 'Password: stored encrypted with security.fernet_key, never answered.'),
  extra: text(64 * 1024, 'Extra, usually a JSON object as text.'),
}, { additionalProperties: false });

export const CONNECTION_FIELDS = ['conn_type', 'description', 'host', 'login', 'schema', 'port', 'password', 'extra'] as const;

export const ConnectionUpdateMaskQuery = Type.Object({
  update_mask: Type.Optional(Type.Array(Type.Union(CONNECTION_FIELDS.map((f) => Type.Literal(f))), {
    maxItems: CONNECTION_FIELDS.length, description: 'The fields to change (default: every field the body has).',
  })),
});

export const ConnectionTestSchema = Type.Object({ status: Type.Boolean(), message: Type.String() });
