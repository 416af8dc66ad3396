/**
 * Connections and variables in templates, as Airflow spells them: `{{ conn.<id>.<field> }}`
 * (conn_type, host, schema, login, password, port, extra, extra_dejson.<key>, description),
 * `{{ var.value.<key> }}` and `{{ var.json.<key>.<path> }}`. The scheduler renders bash commands
 * when a task is claimed: it reads only the connections and variables the templates name, and
 * tells the worker which values to mask in the task's log. Ids with a `.` cannot be named here.
 */
import type { Queryable } from '../db/types.js';
import { UpdraftError } from '../errors.js';
import { extraDejson, type Connection } from './connection.js';
import { connectionMaskValues, variableMaskValues } from './sensitive.js';
import { connEnvName, readConnections, readVariables, varEnvName, type SecretsContext } from './store.js';

/** What a set of templates names. */
export interface TemplateSecretRefs {
  connections: string[];
  variables: string[];
  /** Variables used as `var.json.<key>` (also in `variables`). */
  jsonVariables: string[];
}

/** The template values for `conn.*` and `var.*`, and what to mask. */
export interface TemplateSecrets {
  conn: Record<string, Record<string, unknown>>;
  var: { value: Record<string, string>; json: Record<string, unknown> };
  /** Secret values rendered templates may contain: the worker masks them in the task's log. */
  mask: string[];
}

const REF = /\{\{\s*(?:conn\.([A-Za-z0-9_-]+)|var\.(value|json)\.([A-Za-z0-9_-]+))[\w.-]*\s*\}\}/g;

/** The connections and variables `templates` name (each once). */
export function templateSecretRefs(templates: Iterable<string>): TemplateSecretRefs {
  const connections = new Set<string>();
  const variables = new Set<string>();
  const jsonVariables = new Set<string>();
  for (const t of templates) {
    if (!t.includes('{{')) continue;
    for (const m of t.matchAll(REF)) {
      if (m[1] !== undefined) connections.add(m[1]);
      else {
        variables.add(m[3]!);
        if (m[2] === 'json') jsonVariables.add(m[3]!);
      }
    }
  }
  return { connections: [...connections], variables: [...variables], jsonVariables: [...jsonVariables] };
}

export const noSecretRefs = (r: TemplateSecretRefs): boolean => r.connections.length === 0 && r.variables.length === 0;

/** A connection as templates see it (Airflow's attribute names). */
function connectionValues(c: Connection): Record<string, unknown> {
  return {
    conn_id: c.connId, conn_type: c.connType, description: c.description, host: c.host, schema: c.schema, login: c.login,
    password: c.password, port: c.port, extra: c.extra, extra_dejson: extraDejson(c.extra),
  };
}

/**
 * Reads what `refs` names (environment first, then the database unless `db` is null). CONNECTION_NOT_FOUND /
 * VARIABLE_NOT_FOUND name what is missing; INVALID_ARGUMENT a `var.json` variable that is not JSON.
 */
export async function resolveTemplateSecrets(db: Queryable | null, s: SecretsContext, refs: TemplateSecretRefs): Promise<TemplateSecrets> {
  const [conns, vars] = await Promise.all([
    readConnections(db, s, refs.connections),
    readVariables(db, s, refs.variables),
  ]);
  const out: TemplateSecrets = { conn: {}, var: { value: {}, json: {} }, mask: [] };
  for (const id of refs.connections) {
    const c = conns.get(id);
    if (c === undefined) throw new UpdraftError('CONNECTION_NOT_FOUND', `connection '${id}' is not defined (neither ${connEnvName(id)} on the scheduler nor in the database)`);
    out.conn[id] = connectionValues(c);
    out.mask.push(...connectionMaskValues(c, s.sensitiveNames));
  }
  for (const key of refs.variables) {
    const v = vars.get(key);
    if (v === undefined) throw new UpdraftError('VARIABLE_NOT_FOUND', `variable '${key}' is not defined (neither ${varEnvName(key)} on the scheduler nor in the database)`);
    out.var.value[key] = v.value;
    out.mask.push(...variableMaskValues(key, v.value, s.sensitiveNames));
  }
  for (const key of refs.jsonVariables) {
    try {
      out.var.json[key] = JSON.parse(out.var.value[key]!) as unknown;
    } catch (err) {
      throw new UpdraftError('INVALID_ARGUMENT', `variable '${key}' is used as {{ var.json.${key}... }} but its value is not JSON`, { cause: err });
    }
  }
  return out;
}
