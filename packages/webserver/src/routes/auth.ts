/**
 * /api/v1/auth: the web UI's login. `POST login` checks the password (argon2id, as basic auth
 * does), stores a session row and sets its cookies (./auth/sessions.ts); failures are rate limited
 * per username and per client address and written to the event log (who tried, from where; never
 * the password). `POST logout` ends the session and clears the cookies; `GET me` says who is asking.
 */
import type { FastifyRequest } from 'fastify';
import { eventLogSql, hashSessionId, newSession, sessionsSql, usersSql, verifyLogin, type AuthUser } from '@updraft/core';
import type { Static } from 'typebox';
import type { Api, RouteContext } from '../api-types.js';
import { recordEvents } from '../http/events.js';
import { HttpProblem } from '../http/problem.js';
import type { LoginLimiter } from '../auth/login-limiter.js';
import { checkCsrf, checkOrigin, sessionAuthenticator, sessionCookies, sessionIdOf, type ResolvedSessionSettings } from '../auth/sessions.js';
import { CurrentUserSchema, LoginBody } from './auth.schemas.js';
import { Deleted, errorResponses } from './common.schemas.js';

export interface AuthRouteOptions {
  sessions: ResolvedSessionSettings;
  limiter: LoginLimiter;
}

function currentUser(u: usersSql.UserRow, via: AuthUser['via'], expiresAt?: Date): Static<typeof CurrentUserSchema> {
  return {
    username: u.username, role: u.role, email: u.email, first_name: u.firstName, last_name: u.lastName, authenticated_by: via,
    ...(expiresAt ? { session_expires_at: expiresAt.toISOString() } : {}),
  };
}

async function loginFailed(ctx: RouteContext, request: FastifyRequest, username: string, reason: string): Promise<void> {
  await eventLogSql.insertEvents(ctx.db, [{ event: 'login.failed', owner: username.slice(0, 256), extra: { reason }, remoteAddr: request.ip }]);
}

export function authRoutes(app: Api, ctx: RouteContext, o: AuthRouteOptions): void {
  const session = sessionAuthenticator(ctx.db, o.sessions);

  app.post('/api/v1/auth/login', {
    config: { public: true },
    schema: {
      tags: ['Auth'], summary: 'Log in: check the password, start a session (HttpOnly cookie updraft_session; CSRF token in cookie updraft_csrf)',
      body: LoginBody, response: { 200: CurrentUserSchema, ...errorResponses(429) },
    },
  }, async (request, reply) => {
    checkOrigin(request, o.sessions);
    const { username, password } = request.body;
    const wait = o.limiter.retryAfter(username, request.ip);
    if (wait > 0) {
      throw new HttpProblem(429, `too many failed logins for this username or from this address; try again in ${wait} s`, { headers: { 'retry-after': String(wait) } });
    }
    const user = await verifyLogin(ctx.db, username, password);
    if (user === null) {
      o.limiter.failed(username, request.ip);
      await loginFailed(ctx, request, username, 'invalid username or password');
      throw new HttpProblem(401, 'invalid username or password');
    }
    o.limiter.succeeded(username);
    const s = newSession();
    const expiresAt = new Date(Date.now() + o.sessions.lifetimeMs);
    await sessionsSql.createSession(ctx.db, { idHash: s.idHash, userId: user.id, csrfToken: s.csrfToken, expiresAt, remoteAddr: request.ip });
    await usersSql.touchLastLogin(ctx.db, user.id);
    await eventLogSql.insertEvents(ctx.db, [{ event: 'login', owner: user.username, remoteAddr: request.ip }]);
    reply.header('set-cookie', sessionCookies(o.sessions, { id: s.id, csrfToken: s.csrfToken, expiresAt }, o.sessions.lifetimeMs));
    return currentUser(user, 'session', expiresAt);
  });

  app.post('/api/v1/auth/logout', {
    config: { public: true },
    schema: { tags: ['Auth'], summary: 'Log out: end the session and clear its cookies (needs X-CSRF-Token while the session is live)', response: { 204: Deleted, ...errorResponses() } },
  }, async (request, reply) => {
    const user = await session(request);
    if (user !== null && request.session !== null) {
      checkCsrf(request, request.session, o.sessions);
      request.user = user;
      await sessionsSql.deleteSession(ctx.db, request.session.idHash);
      await recordEvents(ctx.db, request, [{ event: 'logout' }]);
    } else {
      // A cookie of an ended session: nothing to check, only the row (if any) to drop.
      const id = sessionIdOf(request);
      if (id !== null) await sessionsSql.deleteSession(ctx.db, hashSessionId(id));
    }
    request.sessionCookieId = null;
    reply.header('set-cookie', sessionCookies(o.sessions, null));
    return reply.code(204).send(null);
  });

  app.get('/api/v1/auth/me', {
    config: { permission: 'profile.read' },
    schema: { tags: ['Auth'], summary: 'Who is asking: username, role, e-mail, names', response: { 200: CurrentUserSchema, ...errorResponses() } },
  }, async (request) => {
    const who = request.user!;
    const user = await usersSql.findUserById(ctx.db, who.id);
    if (user === null) throw new HttpProblem(401, 'the user no longer exists');
    return currentUser(user, who.via, who.via === 'session' ? request.session?.expiresAt : undefined);
  });
}
