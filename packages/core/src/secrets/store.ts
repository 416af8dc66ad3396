/**
 * Connections and variables as the services use them: encrypted on the way into the database,
 * decrypted on the way out, with `UPDRAFT_CONN_<ID>` / `UPDRAFT_VAR_<KEY>` environment variables
 * looked at first (Airflow's order: environment, then the metadata database). The CLI, the API and
 * the scheduler (which serves running tasks) all go through here.
 */
import type { UpdraftConfig } from '../config/types.js';
import type { Queryable } from '../db/types.js';
import { UpdraftError } from '../errors.js';
import { assertIdentifier } from '../ids.js';
import * as connectionsSql from '../sql/connections.js';
import * as variablesSql from '../sql/variables.js';
import { assertConnId, parseConnection, type Connection } from './connection.js';
import { fernetFromConfig, InvalidFernetToken, type MultiFernet } from './fernet.js';

export interface SecretsContext {
  /** null when security.fernet_key is empty. */
  fernet: MultiFernet | null;
  /** Where UPDRAFT_CONN_* / UPDRAFT_VAR_* are read. */
  env: Readonly<Record<string, string | undefined>>;
  /** security.sensitive_var_conn_names. */
  sensitiveNames: readonly string[];
}

export function secretsContext(cfg: UpdraftConfig, env: Readonly<Record<string, string | undefined>> = process.env): SecretsContext {
  return { fernet: fernetFromConfig(cfg.security.fernetKey), env, sensitiveNames: cfg.security.sensitiveVarConnNames };
}

export const CONN_ENV_PREFIX = 'UPDRAFT_CONN_';
export const VAR_ENV_PREFIX = 'UPDRAFT_VAR_';

/** Where a connection or variable was found. */
export type SecretSource = 'env' | 'database';

const NO_KEY = 'security.fernet_key is empty: set it (UPDRAFT__SECURITY__FERNET_KEY; `updraft rotate-fernet-key --generate` prints a new key) to store secrets';

function encryptWith(s: SecretsContext, plain: string | null, what: string): string | null {
  if (plain === null) return null;
  if (s.fernet === null) throw new UpdraftError('CONFIG_INVALID', `${what}: ${NO_KEY}`);
  return s.fernet.encrypt(plain);
}

function decryptWith(s: SecretsContext, token: string | null, what: string): string | null {
  if (token === null) return null;
  if (s.fernet === null) {
    throw new UpdraftError('CONFIG_INVALID', `${what} is encrypted but security.fernet_key is empty: set the key it was stored with`);
  }
  try {
    return s.fernet.decrypt(token).toString('utf8');
  } catch (err) {
    if (!(err instanceof InvalidFernetToken)) throw err;
    throw new UpdraftError('CONFIG_INVALID',
      `${what} cannot be decrypted with security.fernet_key (${err.message}); if the key was changed, list the old key after the new one and run \`updraft rotate-fernet-key\``,
      { cause: err });
  }
}

// --- connections ---

/** Encrypts and stores connections; `overwrite` false leaves existing ids alone. Returns the ids written. */
export async function storeConnections(db: Queryable, s: SecretsContext, conns: readonly Connection[], overwrite: boolean): Promise<string[]> {
  const rows = conns.map((c) => {
    assertConnId(c.connId);
    if (c.connType.trim() === '') throw new UpdraftError('INVALID_ARGUMENT', `connection '${c.connId}': conn_type is required`);
    return {
      connId: c.connId, connType: c.connType, description: c.description, host: c.host, schema: c.schema, login: c.login,
      port: c.port,
      passwordEncrypted: encryptWith(s, c.password, `connection '${c.connId}' password`),
      extraEncrypted: encryptWith(s, c.extra === '' ? null : c.extra, `connection '${c.connId}' extra`),
    };
  });
  return connectionsSql.saveConnections(db, rows, overwrite);
}

function decryptConnection(s: SecretsContext, r: connectionsSql.ConnectionRow): Connection {
  return {
    connId: r.connId, connType: r.connType, description: r.description, host: r.host, schema: r.schema, login: r.login,
    port: r.port,
    password: decryptWith(s, r.passwordEncrypted, `the password of connection '${r.connId}'`),
    extra: decryptWith(s, r.extraEncrypted, `the extra of connection '${r.connId}'`),
  };
}

/** The environment variable that defines connection `connId`. */
export const connEnvName = (connId: string): string => `${CONN_ENV_PREFIX}${connId.toUpperCase()}`;

/** A connection defined by UPDRAFT_CONN_<ID> (URI or JSON), or null. INVALID_ARGUMENT names the variable. */
export function connectionFromEnv(s: SecretsContext, connId: string): Connection | null {
  const name = connEnvName(connId);
  const text = s.env[name];
  if (text === undefined || text === '') return null;
  try {
    return { connId, ...parseConnection(text) };
  } catch (err) {
    throw new UpdraftError('INVALID_ARGUMENT', `environment variable ${name}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * The connections among `connIds` (environment first, then the database) with where each came
 * from. `db` null: the environment only (`updraft tasks test`, which runs without a database).
 */
export async function readConnections(
  db: Queryable | null, s: SecretsContext, connIds: readonly string[],
): Promise<Map<string, Connection & { source: SecretSource }>> {
  const out = new Map<string, Connection & { source: SecretSource }>();
  const rest: string[] = [];
  for (const id of new Set(connIds)) {
    const fromEnv = connectionFromEnv(s, id);
    if (fromEnv) out.set(id, { ...fromEnv, source: 'env' });
    else rest.push(id);
  }
  if (db === null) return out;
  for (const r of await connectionsSql.getConnections(db, rest)) out.set(r.connId, { ...decryptConnection(s, r), source: 'database' });
  return out;
}

/** One page of the connections stored in the database, decrypted (but those whose upper-cased id is in `exceptUpper`). */
export async function listStoredConnections(
  db: Queryable, s: SecretsContext, page: { limit: number; offset: number }, exceptUpper: readonly string[] = [],
): Promise<{ connections: Connection[]; total: number }> {
  const { rows, total } = await connectionsSql.listConnections(db, page, exceptUpper);
  return { connections: rows.map((r) => decryptConnection(s, r)), total };
}

// --- variables ---

export interface Variable {
  key: string;
  value: string;
  description: string | null;
}

/** Stores variables, encrypted when security.fernet_key is set (as Airflow). Returns the keys written. */
export async function storeVariables(db: Queryable, s: SecretsContext, vars: readonly Variable[], overwrite: boolean): Promise<string[]> {
  const rows = vars.map((v) => {
    assertIdentifier('variable key', v.key);
    if (typeof v.value !== 'string') throw new UpdraftError('INVALID_ARGUMENT', `variable '${v.key}': value must be text`);
    return { key: v.key, value: s.fernet === null ? v.value : s.fernet.encrypt(v.value), isEncrypted: s.fernet !== null, description: v.description };
  });
  return variablesSql.saveVariables(db, rows, overwrite);
}

const decryptVariable = (s: SecretsContext, r: variablesSql.VariableRow): Variable => ({
  key: r.key,
  value: r.isEncrypted ? decryptWith(s, r.value, `variable '${r.key}'`)! : r.value,
  description: r.description,
});

/** The environment variable that defines variable `key`. */
export const varEnvName = (key: string): string => `${VAR_ENV_PREFIX}${key.toUpperCase()}`;

/** The variables among `keys` (environment first, then the database unless `db` is null) with where each came from. */
export async function readVariables(
  db: Queryable | null, s: SecretsContext, keys: readonly string[],
): Promise<Map<string, Variable & { source: SecretSource }>> {
  const out = new Map<string, Variable & { source: SecretSource }>();
  const rest: string[] = [];
  for (const key of new Set(keys)) {
    const value = s.env[varEnvName(key)];
    if (value !== undefined) out.set(key, { key, value, description: null, source: 'env' });
    else rest.push(key);
  }
  if (db === null) return out;
  for (const r of await variablesSql.getVariables(db, rest)) out.set(r.key, { ...decryptVariable(s, r), source: 'database' });
  return out;
}

/** One page of the variables stored in the database, decrypted (but those whose upper-cased key is in `exceptUpper`). */
export async function listStoredVariables(
  db: Queryable, s: SecretsContext, page: { limit: number; offset: number }, exceptUpper: readonly string[] = [],
): Promise<{ variables: Variable[]; total: number }> {
  const { rows, total } = await variablesSql.listVariables(db, page, exceptUpper);
  return { variables: rows.map((r) => decryptVariable(s, r)), total };
}

// --- key rotation ---

/**
 * Re-encrypts every stored secret under the first key of security.fernet_key (Airflow's
 * `rotate-fernet-key`): run it with `new,old` keys, then drop the old key. Returns how many rows
 * changed.
 */
export async function rotateFernetKey(db: Queryable, s: SecretsContext, batch = 500): Promise<{ connections: number; variables: number }> {
  const fernet = s.fernet;
  if (fernet === null) throw new UpdraftError('CONFIG_INVALID', NO_KEY);
  const rotate = (token: string | null, what: string): string | null => {
    if (token === null) return null;
    try {
      return fernet.rotate(token);
    } catch (err) {
      throw new UpdraftError('CONFIG_INVALID', `${what} cannot be decrypted with any key of security.fernet_key: ${(err as Error).message}`, { cause: err });
    }
  };
  let connections = 0;
  for (let after = ''; ;) {
    const page = await connectionsSql.encryptedConnections(db, after, batch);
    if (page.length === 0) break;
    after = page.at(-1)!.connId;
    connections += await connectionsSql.replaceConnectionSecrets(db, page.map((c) => ({
      connId: c.connId,
      fromPassword: c.passwordEncrypted, password: rotate(c.passwordEncrypted, `the password of connection '${c.connId}'`),
      fromExtra: c.extraEncrypted, extra: rotate(c.extraEncrypted, `the extra of connection '${c.connId}'`),
    })));
  }
  let variables = 0;
  for (let after = ''; ;) {
    const page = await variablesSql.encryptedVariables(db, after, batch);
    if (page.length === 0) break;
    after = page.at(-1)!.key;
    variables += await variablesSql.replaceVariableSecrets(db, page.map((v) => ({ key: v.key, from: v.value, value: rotate(v.value, `variable '${v.key}'`)! })));
  }
  return { connections, variables };
}
