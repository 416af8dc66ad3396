/**
 * /api/v1/variables: list, get, create, change, delete (Airflow 2's stable API). The API reads and
 * writes the database (UPDRAFT_VAR_* environment variables are not listed); values are encrypted at
 * rest when security.fernet_key is set, and shown as `***` when the key looks secret, as the CLI's
 * `variables list` shows them.
 */
import { listStoredVariables, maskVariableValue, readVariables, storeVariables, variablesSql, type SecretsContext, type Variable } from '@updraft/core';
import type { Api, RouteContext } from '../api-types.js';
import { recordEvents } from '../http/events.js';
import { HttpProblem } from '../http/problem.js';
import { Deleted, errorResponses } from './common.schemas.js';
import { databaseOnly, requireSecrets } from './secrets-context.js';
import { ListVariablesQuery, VariableBody, VariableCollection, VariableKeyParams, VariableSchema, VariableUpdateMaskQuery } from './variables.schemas.js';

const shown = (s: SecretsContext, v: Variable) => ({ key: v.key, value: maskVariableValue(v.key, v.value, s.sensitiveNames), description: v.description });

async function findVariable(ctx: RouteContext, s: SecretsContext, key: string): Promise<Variable> {
  const found = (await readVariables(ctx.db, databaseOnly(s), [key])).get(key);
  if (found === undefined) throw new HttpProblem(404, `variable '${key}' not found`, { field: 'path.variable_key' });
  return found;
}

export function variableRoutes(app: Api, ctx: RouteContext): void {
  app.get('/api/v1/variables', {
    config: { permission: 'variables.read' },
    schema: { tags: ['Variable'], summary: 'List variables (values of secret-looking keys masked)', querystring: ListVariablesQuery, response: { 200: VariableCollection, ...errorResponses(503) } },
  }, async (request) => {
    const s = requireSecrets(ctx);
    const q = request.query;
    const page = await listStoredVariables(ctx.db, s, { limit: q.limit, offset: q.offset });
    return { variables: page.variables.map((v) => shown(s, v)), total_entries: page.total };
  });

  app.get('/api/v1/variables/:variable_key', {
    config: { permission: 'variables.read' },
    schema: { tags: ['Variable'], summary: 'Get a variable (masked when its key looks secret)', params: VariableKeyParams, response: { 200: VariableSchema, ...errorResponses(404, 503) } },
  }, async (request) => {
    const s = requireSecrets(ctx);
    return shown(s, await findVariable(ctx, s, request.params.variable_key));
  });

  app.post('/api/v1/variables', {
    config: { permission: 'variables.edit' },
    schema: { tags: ['Variable'], summary: 'Create or replace a variable', body: VariableBody, response: { 200: VariableSchema, ...errorResponses(503) } },
  }, async (request) => {
    const s = requireSecrets(ctx);
    const b = request.body;
    const v: Variable = { key: b.key, value: b.value, description: b.description ?? null };
    await storeVariables(ctx.db, s, [v], true);
    await recordEvents(ctx.db, request, [{ event: 'variable.create', extra: { key: v.key } }]);
    return shown(s, v);
  });

  app.patch('/api/v1/variables/:variable_key', {
    config: { permission: 'variables.edit' },
    schema: {
      tags: ['Variable'], summary: 'Change a variable (update_mask: which fields)', params: VariableKeyParams, querystring: VariableUpdateMaskQuery,
      body: VariableBody, response: { 200: VariableSchema, ...errorResponses(404, 503) },
    },
  }, async (request) => {
    const s = requireSecrets(ctx);
    const key = request.params.variable_key;
    const b = request.body;
    if (b.key !== key) throw new HttpProblem(400, `body.key '${b.key}' is not the key in the path ('${key}'); a variable cannot be renamed`, { field: 'body.key' });
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
    schema: { tags: ['Variable'], summary: 'Delete a variable', params: VariableKeyParams, response: { 204: Deleted, ...errorResponses(404, 503) } },
  }, async (request, reply) => {
    requireSecrets(ctx);
    const key = request.params.variable_key;
    const deleted = await variablesSql.deleteVariables(ctx.db, [key]);
    if (deleted.length === 0) throw new HttpProblem(404, `variable '${key}' not found`, { field: 'path.variable_key' });
    await recordEvents(ctx.db, request, [{ event: 'variable.delete', extra: { key } }]);
    return reply.code(204).send(null);
  });
}
