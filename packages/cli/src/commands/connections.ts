/**
 * `updraft connections add | get | list | delete | import | export` (Airflow's commands and
 * flags). Passwords and extras are encrypted with security.fernet_key before they reach the
 * database; `get` and `list` show the password as `***` and sensitive extra fields masked; export
 * writes them in plain text (it is how connections move between deployments).
 */
import type { Command } from 'commander';
import {
  assertConnId,
  connectionJson,
  connectionUri,
  connectionsSql,
  listStoredConnections,
  maskConnection,
  parseConnection,
  parseConnectionJson,
  readConnections,
  secretsContext,
  storeConnections,
  UpdraftError,
  type Connection,
  type SecretsContext,
} from '@updraft/core';
import { formatTable, identifierArg, oneOf } from '../output.js';
import { allPages, readJsonObject, readTransferFile, writeTransferFile } from '../transfer.js';
import { withDatabase } from './runs.js';
import { recordCliEvents } from '../cli-events.js';

interface AddOptions {
  connUri?: string;
  connJson?: string;
  connType?: string;
  connHost?: string;
  connLogin?: string;
  connPassword?: string;
  connSchema?: string;
  connPort?: string;
  connExtra?: string;
  connDescription?: string;
}

/** The connection `add` describes: a URI, a JSON document, or the separate --conn-* fields. */
function connectionOf(connId: string, o: AddOptions): Connection {
  const fieldFlags = [o.connType, o.connHost, o.connLogin, o.connPassword, o.connSchema, o.connPort, o.connExtra];
  const forms = [o.connUri !== undefined, o.connJson !== undefined, fieldFlags.some((f) => f !== undefined)].filter(Boolean).length;
  if (forms !== 1) {
    throw new UpdraftError('INVALID_ARGUMENT', 'give exactly one of --conn-uri, --conn-json, or --conn-type with the other --conn-* fields');
  }
  let fields;
  if (o.connUri !== undefined) fields = parseConnection(o.connUri);
  else if (o.connJson !== undefined) fields = parseConnectionJson(o.connJson);
  else {
    if (o.connExtra !== undefined) {
      try {
        JSON.parse(o.connExtra);
      } catch {
        throw new UpdraftError('INVALID_ARGUMENT', '--conn-extra must be JSON, e.g. \'{"sslmode": "require"}\'');
      }
    }
    fields = parseConnectionJson({
      conn_type: o.connType, host: o.connHost, login: o.connLogin, password: o.connPassword, schema: o.connSchema,
      port: o.connPort, extra: o.connExtra,
    });
  }
  return { connId: assertConnId(connId), ...fields, description: o.connDescription ?? fields.description };
}

const maskedConnection = (c: Connection, s: SecretsContext): Connection => maskConnection(c, s.sensitiveNames);

const row = (c: Connection & { source?: string }): string[] => [
  c.connId, c.connType, c.description ?? '', c.host ?? '', c.schema ?? '', c.login ?? '', c.password ?? '',
  c.port === null ? '' : String(c.port), c.extra ?? '', ...(c.source === undefined ? [] : [c.source]),
];
const HEADER = ['CONN_ID', 'CONN_TYPE', 'DESCRIPTION', 'HOST', 'SCHEMA', 'LOGIN', 'PASSWORD', 'PORT', 'EXTRA'];
const jsonOf = (c: Connection): Record<string, unknown> => ({ conn_id: c.connId, ...connectionJson(c) });

type Output = 'table' | 'json';

async function add(command: Command, connId: string, o: AddOptions): Promise<void> {
  const conn = connectionOf(connId, o);
  await withDatabase(command, async (db, cfg) => {
    const s = secretsContext(cfg);
    const written = await storeConnections(db.pool, s, [conn], false);
    if (written.length === 0) throw new UpdraftError('INVALID_ARGUMENT', `a connection with conn_id '${connId}' already exists`);
    await recordCliEvents(db.pool, [{ event: 'connection.create', extra: { conn_id: connId } }]);
    process.stdout.write(`Successfully added conn_id=${connId} : ${connectionUri(maskedConnection(conn, s))}\n`);
  });
}

async function get(command: Command, connId: string, o: { output: Output | 'uri' }): Promise<void> {
  await withDatabase(command, async (db, cfg) => {
    const s = secretsContext(cfg);
    const found = (await readConnections(db.pool, s, [assertConnId(connId)])).get(connId);
    if (found === undefined) throw new UpdraftError('INVALID_ARGUMENT', `connection '${connId}' not found (in the database or ${'UPDRAFT_CONN_' + connId.toUpperCase()})`);
    const shown = { ...maskedConnection(found, s), source: found.source };
    if (o.output === 'json') process.stdout.write(`${JSON.stringify({ ...jsonOf(shown), source: found.source }, null, 2)}\n`);
    else if (o.output === 'uri') process.stdout.write(`${connectionUri(shown)}\n`);
    else process.stdout.write(`${formatTable([[...HEADER, 'SOURCE'], row(shown)])}\n`);
  });
}

async function list(command: Command, o: { output: Output; connId?: string }): Promise<void> {
  await withDatabase(command, async (db, cfg) => {
    const s = secretsContext(cfg);
    const all = o.connId !== undefined
      ? [...(await readConnections(db.pool, s, [o.connId])).values()].filter((c) => c.source === 'database')
      : await allPages(async (page) => {
        const r = await listStoredConnections(db.pool, s, page);
        return { items: r.connections, total: r.total };
      });
    const shown = all.map((c) => maskedConnection(c, s));
    if (o.output === 'json') process.stdout.write(`${JSON.stringify(shown.map(jsonOf), null, 2)}\n`);
    else process.stdout.write(shown.length === 0 ? 'no connections\n' : `${formatTable([HEADER, ...shown.map(row)])}\n`);
  });
}

async function remove(command: Command, connId: string): Promise<void> {
  await withDatabase(command, async (db) => {
    const deleted = await connectionsSql.deleteConnections(db.pool, [connId]);
    if (deleted.length === 0) throw new UpdraftError('INVALID_ARGUMENT', `connection '${connId}' not found in the database`);
    await recordCliEvents(db.pool, [{ event: 'connection.delete', extra: { conn_id: connId } }]);
    process.stdout.write(`Successfully deleted connection with conn_id=${connId}\n`);
  });
}

/** Import files: JSON `{id: {fields} | "uri"}`, or env files (`ID=URI` or `ID=JSON` per line). */
function parseImport(file: string, format: string | undefined): Connection[] {
  const text = readTransferFile(file);
  const kind = format ?? (file.endsWith('.env') ? 'env' : 'json');
  const entries: Array<[string, unknown]> = kind === 'env'
    ? text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')).map((l) => {
      const eq = l.indexOf('=');
      if (eq <= 0) throw new UpdraftError('INVALID_ARGUMENT', `${file}: line "${l.slice(0, 40)}" is not CONN_ID=URI`);
      return [l.slice(0, eq).trim(), l.slice(eq + 1).trim()];
    })
    : Object.entries(readJsonObject(file, text));
  return entries.map(([id, value]) => {
    try {
      const fields = typeof value === 'string' ? parseConnection(value)
        : parseConnectionJson(value as Record<string, unknown>);
      return { connId: assertConnId(id), ...fields };
    } catch (err) {
      throw new UpdraftError('INVALID_ARGUMENT', `${file}: connection '${id}': ${(err as Error).message}`, { cause: err });
    }
  });
}

async function importFile(command: Command, file: string, o: { overwrite: boolean; format?: string }): Promise<void> {
  const conns = parseImport(file, o.format);
  await withDatabase(command, async (db, cfg) => {
    const written = new Set(await storeConnections(db.pool, secretsContext(cfg), conns, o.overwrite));
    if (written.size > 0) await recordCliEvents(db.pool, [{ event: 'connection.import', extra: { conn_ids: [...written] } }]);
    for (const c of conns) {
      process.stdout.write(written.has(c.connId) ? `Imported connection ${c.connId}\n` : `Could not import connection ${c.connId}: it already exists (--overwrite replaces it)\n`);
    }
  });
}

async function exportFile(command: Command, file: string, o: { format: 'json' | 'env'; serializationFormat: 'uri' | 'json' }): Promise<void> {
  await withDatabase(command, async (db, cfg) => {
    const s = secretsContext(cfg);
    const all = await allPages(async (page) => {
      const r = await listStoredConnections(db.pool, s, page);
      return { items: r.connections, total: r.total };
    });
    const text = o.format === 'env'
      ? all.map((c) => `${c.connId}=${o.serializationFormat === 'json' ? JSON.stringify(connectionJson(c)) : connectionUri(c)}\n`).join('')
      : `${JSON.stringify(Object.fromEntries(all.map((c) => [c.connId, connectionJson(c)])), null, 2)}\n`;
    writeTransferFile(file, text);
    if (file !== '-') process.stdout.write(`Exported ${all.length} connection(s) to ${file} (passwords in plain text: keep the file safe)\n`);
  });
}

export function register(program: Command): void {
  const conns = program.command('connections').description('connections: add, get, list, delete, import, export (passwords encrypted with security.fernet_key)');
  conns
    .command('add')
    .description('add a connection from a URI, a JSON document, or --conn-* fields')
    .argument('<conn_id>', 'connection id', identifierArg('connection id', 'connection id'))
    .option('--conn-uri <uri>', 'e.g. postgres://user:pass@host:5432/db?sslmode=require')
    .option('--conn-json <json>', 'e.g. \'{"conn_type": "slack", "password": "xoxb-..."}\'')
    .option('--conn-type <type>', 'connection type')
    .option('--conn-host <host>', 'host')
    .option('--conn-login <login>', 'login')
    .option('--conn-password <password>', 'password')
    .option('--conn-schema <schema>', 'schema')
    .option('--conn-port <port>', 'port')
    .option('--conn-extra <json>', 'extra, a JSON object')
    .option('--conn-description <text>', 'description')
    .action(async (connId: string, o: AddOptions, command: Command) => add(command, connId, o));
  conns
    .command('get')
    .description('show one connection (environment UPDRAFT_CONN_<ID> first, then the database); the password is masked')
    .argument('<conn_id>', 'connection id', identifierArg('connection id', 'connection id'))
    .option('-o, --output <format>', 'table, json or uri', oneOf('--output', ['table', 'json', 'uri'] as const), 'table' as const)
    .action(async (connId: string, o: { output: Output | 'uri' }, command: Command) => get(command, connId, o));
  conns
    .command('list')
    .description('list the connections stored in the database; passwords masked')
    .option('-o, --output <format>', 'table or json', oneOf('--output', ['table', 'json'] as const), 'table' as Output)
    .option('--conn-id <conn_id>', 'only this connection', identifierArg('connection id', '--conn-id'))
    .action(async (o: { output: Output; connId?: string }, command: Command) => list(command, o));
  conns
    .command('delete')
    .description('delete a connection from the database')
    .argument('<conn_id>', 'connection id', identifierArg('connection id', 'connection id'))
    .action(async (connId: string, _o: unknown, command: Command) => remove(command, connId));
  conns
    .command('import')
    .description('import connections from a JSON file ({"id": {fields} | "uri"}) or an env file (ID=URI lines); - reads stdin')
    .argument('<file>', 'file to read')
    .option('--overwrite', 'replace connections that exist', false)
    .option('--format <format>', 'json or env (default: by file extension)', oneOf('--format', ['json', 'env'] as const))
    .action(async (file: string, o: { overwrite: boolean; format?: string }, command: Command) => importFile(command, file, o));
  conns
    .command('export')
    .description('export the stored connections, passwords included, to a file (- for stdout)')
    .argument('<file>', 'file to write')
    .option('--format <format>', 'json or env', oneOf('--format', ['json', 'env'] as const), 'json' as const)
    .option('--serialization-format <format>', 'for env files: uri or json', oneOf('--serialization-format', ['uri', 'json'] as const), 'uri' as const)
    .action(async (file: string, o: { format: 'json' | 'env'; serializationFormat: 'uri' | 'json' }, command: Command) => exportFile(command, file, o));
}
