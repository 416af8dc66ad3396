/**
 * Who is asking, and may they: the webserver's users, roles and basic auth (core's checker).
 * Every route is public or names a permission (`monitor.read` for Viewer and up,
 * `monitor.control` for Op and Admin); /metrics may instead take the metrics bearer token.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { basicAuthenticator, BASIC_REALM, PERMISSIONS, roleHas, tokenAuthenticator, type AuthUser, type Permission, type Queryable } from '@updraft/core/data';
import { HttpProblem } from './problem.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    public?: boolean;
    permission?: Permission;
    /** Also accepts `Authorization: Bearer <this token>` (the /metrics token) when non-empty. */
    bearerToken?: string;
  }
  interface FastifyRequest {
    user: AuthUser | null;
  }
}

const unauthorized = (detail: string): HttpProblem => new HttpProblem(401, detail, { headers: { 'www-authenticate': BASIC_REALM } });

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function installAuth(app: FastifyInstance, db: Queryable): void {
  const check = basicAuthenticator({ db });
  const checkToken = tokenAuthenticator({ db });
  app.decorateRequest('user', null);
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    if (config.public || request.routeOptions.url === undefined) return;
    const header = request.headers.authorization ?? '';
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (bearer && config.bearerToken && sameToken(bearer[1]!, config.bearerToken)) return;
    // Otherwise a bearer token is a user's API token (`updraft users token create`).
    if (!bearer && !/^Basic\s/i.test(header)) throw unauthorized('authentication required: HTTP basic auth or an API token of an Updraft user');
    const result = bearer ? await checkToken(header) : await check(header);
    if (!result.ok) throw unauthorized(result.reason);
    request.user = result.user;
    const permission = config.permission;
    if (permission === undefined) throw new HttpProblem(403, 'this route names no permission');
    if (!roleHas(result.user.role, permission)) {
      throw new HttpProblem(403, `role ${result.user.role} may not ${PERMISSIONS[permission].what} (needs ${PERMISSIONS[permission].role})`);
    }
  });
}
