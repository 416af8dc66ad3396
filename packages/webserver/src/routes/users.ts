/**
 * /api/v1/users: list, get, create, change, delete (Airflow 2's stable API), Admin only. The
 * password is write-only (hashed with argon2id here, never answered or logged); a new password or
 * a deactivation ends the user's sessions. An admin cannot delete, deactivate or demote the
 * account it is using (the last way in would go with it).
 */
import { hashPassword, usersSql, type Role } from '@updraft/core';
import type { FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import type { Api, RouteContext } from '../api-types.js';
import { recordEvents } from '../http/events.js';
import { HttpProblem } from '../http/problem.js';
import { Deleted, errorResponses, iso } from './common.schemas.js';
import { ListUsersQuery, NewUserBody, PatchUserBody, UserCollection, UsernameParams, UserSchema, UserUpdateMaskQuery, USER_FIELDS } from './users.schemas.js';

function userJson(u: usersSql.UserRow): Static<typeof UserSchema> {
  return {
    username: u.username, email: u.email, first_name: u.firstName, last_name: u.lastName, roles: [{ name: u.role }],
    active: u.active, created_on: u.createdAt.toISOString(), last_login: iso(u.lastLogin),
  };
}

async function findUser(ctx: RouteContext, username: string): Promise<usersSql.UserRow> {
  const found = await usersSql.findUser(ctx.db, username);
  if (found === null) throw new HttpProblem(404, `user '${username}' not found`, { field: 'path.username' });
  return found;
}

function refuseSelf(request: FastifyRequest, username: string, what: string, field: string): void {
  if (request.user?.username === username) throw new HttpProblem(409, `you cannot ${what} the account you are using`, { field });
}

export function userRoutes(app: Api, ctx: RouteContext): void {
  app.get('/api/v1/users', {
    config: { permission: 'users.read' },
    schema: { tags: ['User'], summary: 'List users', querystring: ListUsersQuery, response: { 200: UserCollection, ...errorResponses() } },
  }, async (request) => {
    const page = await usersSql.listUsers(ctx.db, request.query);
    return { users: page.rows.map(userJson), total_entries: page.total };
  });

  app.get('/api/v1/users/:username', {
    config: { permission: 'users.read' },
    schema: { tags: ['User'], summary: 'Get a user', params: UsernameParams, response: { 200: UserSchema, ...errorResponses(404) } },
  }, async (request) => userJson(await findUser(ctx, request.params.username)));

  app.post('/api/v1/users', {
    config: { permission: 'users.edit' },
    schema: { tags: ['User'], summary: 'Create a user (the password is write-only)', body: NewUserBody, response: { 200: UserSchema, ...errorResponses(409) } },
  }, async (request) => {
    const b = request.body;
    const role = b.roles[0]!.name as Role;
    const made = await usersSql.createUser(ctx.db, {
      username: b.username, email: b.email ?? null, firstName: b.first_name ?? '', lastName: b.last_name ?? '', role, passwordHash: await hashPassword(b.password),
    });
    if (made === null) throw new HttpProblem(409, `user '${b.username}' already exists`, { field: 'body.username' });
    const user = b.active === false ? (await usersSql.updateUser(ctx.db, b.username, { active: false }))! : made;
    await recordEvents(ctx.db, request, [{ event: 'user.create', extra: { username: b.username, role } }]);
    return userJson(user);
  });

  app.patch('/api/v1/users/:username', {
    config: { permission: 'users.edit' },
    schema: {
      tags: ['User'], summary: 'Change a user (update_mask: which fields); a new password or deactivation ends its sessions', params: UsernameParams,
      querystring: UserUpdateMaskQuery, body: PatchUserBody, response: { 200: UserSchema, ...errorResponses(404, 409) },
    },
  }, async (request) => {
    const username = request.params.username;
    const b = request.body;
    if (b.username !== undefined && b.username !== username) {
      throw new HttpProblem(400, `body.username '${b.username}' is not the user in the path ('${username}'); users cannot be renamed`, { field: 'body.username' });
    }
    const mask = new Set<string>(request.query.update_mask ?? USER_FIELDS.filter((f) => b[f] !== undefined));
    for (const f of mask) {
      if (b[f as (typeof USER_FIELDS)[number]] === undefined) throw new HttpProblem(400, `body.${f} is required when update_mask names it`, { field: `body.${f}` });
    }
    const role = mask.has('roles') ? (b.roles![0]!.name as Role) : undefined;
    if (role !== undefined && role !== 'Admin') refuseSelf(request, username, `take the Admin role from`, 'body.roles');
    if (mask.has('active') && b.active === false) refuseSelf(request, username, 'deactivate', 'body.active');
    const changed = await usersSql.updateUser(ctx.db, username, {
      ...(mask.has('email') ? { email: b.email ?? null } : {}),
      ...(mask.has('first_name') ? { firstName: b.first_name! } : {}),
      ...(mask.has('last_name') ? { lastName: b.last_name! } : {}),
      ...(role !== undefined ? { role } : {}),
      ...(mask.has('active') ? { active: b.active! } : {}),
      ...(mask.has('password') ? { passwordHash: await hashPassword(b.password!) } : {}),
    });
    if (changed === null) throw new HttpProblem(404, `user '${username}' not found`, { field: 'path.username' });
    await recordEvents(ctx.db, request, [{ event: 'user.edit', extra: { username, fields: [...mask], ...(role ? { role } : {}) } }]);
    return userJson(changed);
  });

  app.delete('/api/v1/users/:username', {
    config: { permission: 'users.edit' },
    schema: { tags: ['User'], summary: 'Delete a user (its sessions and API tokens go with it)', params: UsernameParams, response: { 204: Deleted, ...errorResponses(404, 409) } },
  }, async (request, reply) => {
    const username = request.params.username;
    refuseSelf(request, username, 'delete', 'path.username');
    if (!(await usersSql.deleteUser(ctx.db, username))) throw new HttpProblem(404, `user '${username}' not found`, { field: 'path.username' });
    await recordEvents(ctx.db, request, [{ event: 'user.delete', extra: { username } }]);
    return reply.code(204).send(null);
  });
}
