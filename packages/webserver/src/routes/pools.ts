/**
 * /api/v1/pools: list, get, create, change, delete (Airflow 2's stable API), with the slots each
 * pool's task instances take, as `updraft pools` shows them. default_pool cannot be deleted or
 * renamed; no pool is renamed (the name is its key on every task).
 */
import { poolsSql } from '@updraft/core';
import type { Static } from 'typebox';
import type { Api, RouteContext } from '../api-types.js';
import { recordEvents } from '../http/events.js';
import { HttpProblem } from '../http/problem.js';
import { Deleted, errorResponses } from './common.schemas.js';
import { ListPoolsQuery, PatchPoolBody, PoolBody, PoolCollection, PoolNameParams, PoolSchema, PoolUpdateMaskQuery } from './pools.schemas.js';

export function poolJson(p: poolsSql.PoolView): Static<typeof PoolSchema> {
  return {
    name: p.pool, slots: p.slots, occupied_slots: p.occupiedSlots, running_slots: p.runningSlots, queued_slots: p.queuedSlots,
    scheduled_slots: p.scheduledSlots, deferred_slots: p.deferredSlots, open_slots: p.openSlots, description: p.description,
    include_deferred: false,
  };
}

async function findPool(ctx: RouteContext, name: string): Promise<poolsSql.PoolView> {
  const found = (await poolsSql.getPools(ctx.db, [name]))[0];
  if (found === undefined) throw new HttpProblem(404, `pool '${name}' not found`, { field: 'path.pool_name' });
  return found;
}

export function poolRoutes(app: Api, ctx: RouteContext): void {
  app.get('/api/v1/pools', {
    config: { permission: 'pools.read' },
    schema: { tags: ['Pool'], summary: 'List pools with their slots in use', querystring: ListPoolsQuery, response: { 200: PoolCollection, ...errorResponses() } },
  }, async (request) => {
    const page = await poolsSql.listPools(ctx.db, request.query);
    return { pools: page.rows.map(poolJson), total_entries: page.total };
  });

  app.get('/api/v1/pools/:pool_name', {
    config: { permission: 'pools.read' },
    schema: { tags: ['Pool'], summary: 'Get a pool', params: PoolNameParams, response: { 200: PoolSchema, ...errorResponses(404) } },
  }, async (request) => poolJson(await findPool(ctx, request.params.pool_name)));

  app.post('/api/v1/pools', {
    config: { permission: 'pools.edit' },
    schema: { tags: ['Pool'], summary: 'Create a pool', body: PoolBody, response: { 200: PoolSchema, ...errorResponses(409) } },
  }, async (request) => {
    const b = request.body;
    const written = await poolsSql.savePools(ctx.db, [{ pool: b.name, slots: b.slots, description: b.description ?? null }], false);
    if (written.length === 0) throw new HttpProblem(409, `pool '${b.name}' already exists`, { field: 'body.name' });
    await recordEvents(ctx.db, request, [{ event: 'pool.create', extra: { pool: b.name, slots: b.slots } }]);
    return poolJson(await findPool(ctx, b.name));
  });

  app.patch('/api/v1/pools/:pool_name', {
    config: { permission: 'pools.edit' },
    schema: {
      tags: ['Pool'], summary: 'Change a pool\'s slots or description (update_mask: which fields)', params: PoolNameParams, querystring: PoolUpdateMaskQuery,
      body: PatchPoolBody, response: { 200: PoolSchema, ...errorResponses(404) },
    },
  }, async (request) => {
    const name = request.params.pool_name;
    const b = request.body;
    if (b.name !== undefined && b.name !== name) {
      throw new HttpProblem(400, `body.name '${b.name}' is not the pool in the path ('${name}'); pools cannot be renamed`, { field: 'body.name' });
    }
    const old = await findPool(ctx, name);
    const mask = new Set<string>(request.query.update_mask ?? Object.keys(b));
    if (mask.has('slots') && b.slots === undefined) throw new HttpProblem(400, 'body.slots is required when update_mask names it', { field: 'body.slots' });
    const slots = mask.has('slots') ? b.slots! : old.slots;
    const description = mask.has('description') ? b.description ?? null : old.description;
    await poolsSql.savePools(ctx.db, [{ pool: name, slots, description }], true);
    await recordEvents(ctx.db, request, [{ event: 'pool.edit', extra: { pool: name, slots, fields: [...mask] } }]);
    return poolJson(await findPool(ctx, name));
  });

  app.delete('/api/v1/pools/:pool_name', {
    config: { permission: 'pools.edit' },
    schema: { tags: ['Pool'], summary: 'Delete a pool (not default_pool)', params: PoolNameParams, response: { 204: Deleted, ...errorResponses(404) } },
  }, async (request, reply) => {
    const name = request.params.pool_name;
    if (name === poolsSql.DEFAULT_POOL) throw new HttpProblem(400, `${poolsSql.DEFAULT_POOL} cannot be deleted`, { field: 'path.pool_name' });
    const deleted = await poolsSql.deletePools(ctx.db, [name]);
    if (deleted.length === 0) throw new HttpProblem(404, `pool '${name}' not found`, { field: 'path.pool_name' });
    await recordEvents(ctx.db, request, [{ event: 'pool.delete', extra: { pool: name } }]);
    return reply.code(204).send(null);
  });
}
