/**
 * /api/v1/variables: list, get, create, change, delete (Airflow 2's stable API). Variables the
 * webserver's environment defines (UPDRAFT_VAR_<KEY>, as tasks see them) are listed first and
 * answered with `read_only: true`; changing or deleting one, or creating one of that key, is a 409
 * naming the environment variable. Stored values are encrypted at rest when security.fernet_key is
 * set; values are shown as `***` when the key looks secret, as the CLI's `variables list` shows them.
 */
import { listVariablesWithEnv, maskVariableValue, readVariables, storeVariables, varEnvName, variablesSql, type SecretSource, type SecretsContext, type Variable } from '@updraft/core';
import type { Api, RouteContext } from '../api-types.js';
import { recordEvents } from '../http/events.js';
import { HttpProblem } from '../http/problem.js';
import { Deleted, errorResponses } from './common.schemas.js';
import { databaseOnly, requireSecrets } from './secrets-context.js';
import { ListVariablesQuery, VariableBody, VariableCollection, VariableKeyParams, VariableSchema, VariableUpdateMaskQuery } from './variables.schemas.js';

const shown = (s: SecretsContext, v: Variable & { source?: SecretSource }) => ({
  key: v.key, value: maskVariableValue(v.key, v.value, s.sensitiveNames),
  ...(v.source === 'env'
    ? { description: `Defined by the environment variable ${varEnvName(v.key)} (read-only)`, read_only: true as const }
    : { description: v.description }),
});

async function findVariable(ctx: RouteContext, s: SecretsContext, key: string): Promise<Variable> {
  const found = (await readVariables(ctx.db, databaseOnly(s), [key])).get(key);
  if (found === undefined) throw new HttpProblem(404, `variable '${key}' not found`, { field: 'path.variable_key' });
  return found;
}

/** A variable the environment defines cannot be written through the API: 409 naming the variable. */
function refuseEnvDefined(s: SecretsContext, key: string, field: string): void {
  if (s.env[varEnvName(key)] === undefined) return;
  throw new HttpProblem(409, `variable '${key}' is defined by the environment (${varEnvName(key)}) of the webserver and cannot be changed or deleted through the API`, { field });
}

export function variableRoutes(app: Api, ctx: RouteContext): void {
  app.get('/api/v1/variables', {
    config: { permission: 'variables.read' },
    schema: { tags: ['Variable'], summary: 'List variables (values of secret-looking keys masked)', querystring: ListVariablesQuery, response: { 200: VariableCollection, ...errorResponses(503) } },
  }, async (request) => {
    const s = requireSecrets(ctx);
    const q = request.query;
    const page = await listVariablesWithEnv(ctx.db, s, { limit: q.limit, offset: q.offset });
    return { variables: page.variables.map((v) => shown(s, v)), total_entries: page.total };
  });

  app.get('/api/v1/variables/:variable_key', {
    config: { permission: 'variables.read' },
    schema: { tags: ['Variable'], summary: 'Get a variable (masked when its key looks secret)', params: VariableKeyParams, response: { 200: VariableSchema, ...errorResponses(404, 503) } },
  }, async (request) => {
    const s = requireSecrets(ctx);
    const key = request.params.variable_key;
    const found = (await readVariables(ctx.db, s, [key])).get(key);
    if (found === undefined) throw new HttpProblem(404, `variable '${key}' not found`, { field: 'path.variable_key' });
    return shown(s, found);
  });

  app.post('/api/v1/variables', {
    config: { permission: 'variables.edit' },
    schema: { tags: ['Variable'], summary: 'Create or replace a variable', body: VariableBody, response: { 200: VariableSchema, ...errorResponses(409, 503) } },
  }, async (request) => {
    const s = requireSecrets(ctx);
    const b = request.body;
    refuseEnvDefined(s, b.key, 'body.key');
    const v: Variable = { key: b.key, value: b.value, description: b.description ?? null };
    await storeVariables(ctx.db, s, [v], true);
    await recordEvents(ctx.db, request, [{ event: 'variable.create', extra: { key: v.key } }]);
    return shown(s, v);
  });

  app.patch('/api/v1/variables/:variable_key', {
    config: { permission: 'variables.edit' },
    schema: {
      tags: ['Variable'], summary: 'Change a variable (update_mask: which fields)', params: VariableKeyParams, querystring: VariableUpdateMaskQuery,
      body: VariableBody, response: { 200: VariableSchema, ...errorResponses(404, 409, 503) },
    },
  }, async (request) => {
    const s = requireSecrets(ctx);
    const key = request.params.variable_key;
    const b = request.body;
    if (b.key !== key) throw new HttpProblem(400, `body.key '${b.key}' is not the key in the path ('${key}'); a variable cannot be renamed`, { field: 'body.key' });
    refuseEnvDefined(s, key, 'path.variable_key');
    const old = await findVariable(ctx, s, key);
    const mask = new Set(request.query.update_mask ?? ['value', 'description']);
    const v: Variable = {
      key, value: mask.has('value') ? b.value : old.value,
      description: mask.has('description') ? b.description ?? null : old.description,
    };
    await storeVariables(ctx.db, s, [v], true);
    await recordEvents(ctx.db, request, [{ event: 'variable.edit', extra: { key, fields: [...mask] } }]);
    return shown(s, v);
  });

  app.delete('/api/v1/variables/:variable_key', {
    config: { permission: 'variables.edit' },
    schema: { tags: ['Variable'], summary: 'Delete a variable', params: VariableKeyParams, response: { 204: Deleted, ...errorResponses(404, 409, 503) } },
  }, async (request, reply) => {
    const s = requireSecrets(ctx);
    const key = request.params.variable_key;
    refuseEnvDefined(s, key, 'path.variable_key');
    const deleted = await variablesSql.deleteVariables(ctx.db, [key]);
    if (deleted.length === 0) throw new HttpProblem(404, `variable '${key}' not found`, { field: 'path.variable_key' });
    await recordEvents(ctx.db, request, [{ event: 'variable.delete', extra: { key } }]);
    return reply.code(204).send(null);
  });
}
