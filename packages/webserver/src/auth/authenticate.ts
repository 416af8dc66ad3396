/**
 * Who is asking, and may they: every route is public or names a permission (route config). A
 * request to a non-public route must authenticate (HTTP basic auth, or an API token as
 * `Authorization: Bearer updraft_...`), else 401 with
 * `WWW-Authenticate`; a role below the permission's is 403. The user's row is read on every
 * request, so a deleted user or a changed role counts at once; only the (deliberately slow)
 * argon2 check of a basic-auth password is remembered for a minute, keyed by the stored hash, so
 * a password reset ends it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { basicAuthenticator, BASIC_REALM, PERMISSIONS, roleHas, tokenAuthenticator, type AuthUser, type Permission, type Queryable } from '@updraft/core';
import { HttpProblem } from '../http/problem.js';

export type { AuthUser };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Answers without authentication (health, version, login, static UI assets). */
    public?: boolean;
    /** What the caller needs (docs/security.md). */
    permission?: Permission;
  }
  interface FastifyRequest {
    user: AuthUser | null;
  }
}

/** Extra ways to authenticate (sessions, API tokens): each returns a user, or null when its credentials are absent. */
export type Authenticator = (request: FastifyRequest) => Promise<AuthUser | null>;

export interface AuthOptions {
  db: Queryable;
  authenticators?: readonly Authenticator[];
}

export function unauthorized(detail: string): HttpProblem {
  return new HttpProblem(401, detail, { headers: { 'www-authenticate': BASIC_REALM } });
}

export function installAuth(app: FastifyInstance, o: AuthOptions): void {
  const check = basicAuthenticator({ db: o.db });
  const basic = async (header: string): Promise<AuthUser> => {
    const result = await check(header);
    if (!result.ok) throw unauthorized(result.reason);
    return result.user;
  };

  const checkToken = tokenAuthenticator({ db: o.db });
  const bearer = async (header: string): Promise<AuthUser> => {
    const result = await checkToken(header);
    if (!result.ok) throw unauthorized(result.reason);
    return result.user;
  };

  app.decorateRequest('user', null);
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    // Unknown routes (404/405) have no config: they answer without looking at credentials.
    if (config.public || request.routeOptions.url === undefined) return;
    const header = request.headers.authorization;
    let user: AuthUser | null = null;
    if (header !== undefined && /^Basic\s/i.test(header)) user = await basic(header);
    else if (header !== undefined && /^Bearer\s/i.test(header)) user = await bearer(header);
    for (const a of o.authenticators ?? []) {
      if (user !== null) break;
      user = await a(request);
    }
    if (user === null) throw unauthorized('authentication required: HTTP basic auth, an API token or a session');
    request.user = user;
    const permission = config.permission;
    if (permission === undefined) throw new HttpProblem(403, 'this route names no permission');
    if (!roleHas(user.role, permission)) {
      throw new HttpProblem(403, `role ${user.role} may not ${PERMISSIONS[permission].what} (needs ${PERMISSIONS[permission].role})`);
    }
  });
}
