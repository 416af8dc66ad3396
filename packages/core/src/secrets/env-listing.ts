/**
 * Listing what the environment defines (`UPDRAFT_VAR_<KEY>`, `UPDRAFT_CONN_<ID>`) together with
 * what the database holds, as the API shows them: the environment's first (its names lower-cased,
 * Airflow's convention; they hide stored ones of the same name, as they do for tasks), then the
 * stored ones, one page of the whole. Names that are not valid keys or ids, and connections whose
 * value does not parse, are left out of lists (a task asking for one gets the error naming the variable).
 */
import type { Queryable } from '../db/types.js';
import { isIdentifier } from '../ids.js';
import type { Connection } from './connection.js';
import {
  CONN_ENV_PREFIX, connectionFromEnv, listStoredConnections, listStoredVariables, VAR_ENV_PREFIX,
  type SecretsContext, type SecretSource, type Variable,
} from './store.js';

function envNames(s: SecretsContext, prefix: string): string[] {
  return Object.keys(s.env).filter((n) => n.startsWith(prefix) && n.length > prefix.length && s.env[n] !== undefined).sort();
}

/** Variables the environment defines, by key. */
export function envVariables(s: SecretsContext): Variable[] {
  return envNames(s, VAR_ENV_PREFIX)
    .map((n) => ({ key: n.slice(VAR_ENV_PREFIX.length).toLowerCase(), value: s.env[n]!, description: null }))
    .filter((v) => isIdentifier('variable key', v.key));
}

/** Connections the environment defines (that parse), by id. */
export function envConnections(s: SecretsContext): Connection[] {
  const out: Connection[] = [];
  for (const n of envNames(s, CONN_ENV_PREFIX)) {
    const connId = n.slice(CONN_ENV_PREFIX.length).toLowerCase();
    if (!isIdentifier('connection id', connId)) continue;
    try {
      const c = connectionFromEnv(s, connId);
      if (c !== null) out.push(c);
    } catch {
      // Unparseable: not listed (reading it names the variable and what is wrong).
    }
  }
  return out;
}

/** One page of the environment's items then the stored ones not hidden by them. */
async function pageOf<T>(
  env: readonly T[], page: { limit: number; offset: number },
  stored: (p: { limit: number; offset: number }) => Promise<{ items: T[]; total: number }>,
): Promise<{ items: Array<T & { source: SecretSource }>; total: number }> {
  const fromEnv = env.slice(page.offset, page.offset + page.limit).map((x) => ({ ...x, source: 'env' as const }));
  const db = await stored({ limit: page.limit - fromEnv.length, offset: Math.max(0, page.offset - env.length) });
  return { items: [...fromEnv, ...db.items.map((x) => ({ ...x, source: 'database' as const }))], total: env.length + db.total };
}

export async function listVariablesWithEnv(db: Queryable, s: SecretsContext, page: { limit: number; offset: number }) {
  const env = envVariables(s);
  const hidden = env.map((v) => v.key.toUpperCase());
  const r = await pageOf(env, page, async (p) => {
    const { variables, total } = await listStoredVariables(db, s, p, hidden);
    return { items: variables, total };
  });
  return { variables: r.items, total: r.total };
}

export async function listConnectionsWithEnv(db: Queryable, s: SecretsContext, page: { limit: number; offset: number }) {
  const env = envConnections(s);
  const hidden = env.map((c) => c.connId.toUpperCase());
  const r = await pageOf(env, page, async (p) => {
    const { connections, total } = await listStoredConnections(db, s, p, hidden);
    return { items: connections, total };
  });
  return { connections: r.items, total: r.total };
}
