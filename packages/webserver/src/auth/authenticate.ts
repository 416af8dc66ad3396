/**
 * Who is asking, and may they: every route is public or names a permission (route config). A
 * request to a non-public route must authenticate (HTTP basic auth, an API token as
 * `Authorization: Bearer updraft_...`, or the web UI's session cookie), else 401; a role below the
 * permission's is 403. The 401 carries `WWW-Authenticate: Basic` (so curl and scripts learn the
 * scheme) except for the web UI's own requests (`X-Requested-With: updraft-ui`, /ui/ paths), which
 * go to the login page instead of the browser's password prompt. A session-authenticated mutation
 * must carry the session's CSRF token (./sessions.ts); basic auth and tokens need none. The user's
 * row is read on every request, so a deleted user or a changed role counts at once; only the
 * (deliberately slow) argon2 check of a basic-auth password is remembered for a minute, keyed by
 * the stored hash, so a password reset ends it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { basicAuthenticator, BASIC_REALM, PERMISSIONS, roleHas, tokenAuthenticator, type AuthUser, type Permission, type Queryable } from '@updraft/core';
import { HttpProblem } from '../http/problem.js';
import { checkCsrf, installSessionCookies, sessionAuthenticator, type ResolvedSessionSettings } from './sessions.js';

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

/** Extra ways to authenticate: each returns a user, or null when its credentials are absent. */
export type Authenticator = (request: FastifyRequest) => Promise<AuthUser | null>;

export interface AuthOptions {
  db: Queryable;
  sessions: ResolvedSessionSettings;
  authenticators?: readonly Authenticator[];
}

/** The header the web UI sends with its API requests. */
export const UI_REQUEST_HEADER = 'x-requested-with';
export const UI_REQUEST_VALUE = 'updraft-ui';

/** Whether a request comes from the web UI's script (no browser password prompt for it). */
export function fromUi(request: FastifyRequest): boolean {
  return request.headers[UI_REQUEST_HEADER] === UI_REQUEST_VALUE || request.url.startsWith('/ui/');
}

export function unauthorized(request: FastifyRequest, detail: string): HttpProblem {
  return new HttpProblem(401, detail, { headers: fromUi(request) ? {} : { 'www-authenticate': BASIC_REALM } });
}

export function installAuth(app: FastifyInstance, o: AuthOptions): void {
  const check = basicAuthenticator({ db: o.db });
  const checkToken = tokenAuthenticator({ db: o.db });
  const session = sessionAuthenticator(o.db, o.sessions);

  const fromHeader = async (request: FastifyRequest, header: string): Promise<AuthUser | null> => {
    let result;
    if (/^Basic\s/i.test(header)) result = await check(header);
    else if (/^Bearer\s/i.test(header)) result = await checkToken(header);
    else return null;
    if (!result.ok) throw unauthorized(request, result.reason);
    return result.user;
  };

  installSessionCookies(app, o.sessions);
  app.decorateRequest('user', null);
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    // Unknown routes (404/405) have no config: they answer without looking at credentials.
    if (config.public || request.routeOptions.url === undefined) return;
    const header = request.headers.authorization;
    let user: AuthUser | null = header === undefined ? null : await fromHeader(request, header);
    if (user === null) {
      user = await session(request);
      if (user !== null && request.session !== null) checkCsrf(request, request.session, o.sessions);
    }
    for (const a of o.authenticators ?? []) {
      if (user !== null) break;
      user = await a(request);
    }
    if (user === null) throw unauthorized(request, 'authentication required: HTTP basic auth, an API token or a session (log in)');
    request.user = user;
    const permission = config.permission;
    if (permission === undefined) throw new HttpProblem(403, 'this route names no permission');
    if (!roleHas(user.role, permission)) {
      throw new HttpProblem(403, `role ${user.role} may not ${PERMISSIONS[permission].what} (needs ${PERMISSIONS[permission].role})`);
    }
  });
}
