/**
 * Browser sessions on the webserver: the `updraft_session` cookie (HttpOnly, SameSite=Lax, Secure
 * behind https) names a user_session row by the hash of its random id; the `updraft_csrf` cookie
 * (readable by the UI's script) holds the session's CSRF token, which every cookie-authenticated
 * POST/PUT/PATCH/DELETE must echo in `X-CSRF-Token` (checked against the row, not the cookie). An
 * `Origin` header, when sent, must be this server's. A session in use slides forward; its cookies
 * follow.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hashSessionId, isSessionId, sessionsSql, type AuthUser, type Queryable } from '@updraft/core';
import { HttpProblem } from '../http/problem.js';
import { parseCookies, serializeCookie } from './cookies.js';

export const SESSION_COOKIE = 'updraft_session';
export const CSRF_COOKIE = 'updraft_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const DEFAULT_SESSION_LIFETIME_MS = 12 * 3600_000;
/** A session's expiry moves at most this often (one write per minute per session, not per request). */
const REFRESH_AFTER_MS = 60_000;
const MUTATIONS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface SessionSettings {
  /** webserver.session_lifetime. Default 12 h. */
  lifetimeMs?: number;
  /** webserver.base_url: https makes the cookies Secure; its origin is accepted in `Origin`. */
  baseUrl?: string;
}

export interface ResolvedSessionSettings {
  lifetimeMs: number;
  secure: boolean;
  baseOrigin: string | null;
}

export function resolveSessionSettings(s: SessionSettings = {}): ResolvedSessionSettings {
  let baseOrigin: string | null = null;
  try {
    baseOrigin = s.baseUrl ? new URL(s.baseUrl).origin : null;
  } catch {
    baseOrigin = null;
  }
  return { lifetimeMs: s.lifetimeMs ?? DEFAULT_SESSION_LIFETIME_MS, secure: baseOrigin?.startsWith('https:') ?? false, baseOrigin };
}

/** The session a request was authenticated with. */
export interface RequestSession {
  idHash: string;
  csrfToken: string;
  expiresAt: Date;
  refreshed: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    session: RequestSession | null;
  }
}

/** The session id of the request's cookie, or null. */
export function sessionIdOf(request: FastifyRequest): string | null {
  const id = parseCookies(request.headers.cookie).get(SESSION_COOKIE);
  return id !== undefined && isSessionId(id) ? id : null;
}

/** The two cookies of a session (or, with null, the two that delete them). */
export function sessionCookies(s: ResolvedSessionSettings, session: { id: string; csrfToken: string; expiresAt: Date } | null, maxAgeMs?: number): string[] {
  const maxAge = session === null ? 0 : Math.round((maxAgeMs ?? session.expiresAt.getTime() - Date.now()) / 1000);
  return [
    serializeCookie(SESSION_COOKIE, session?.id ?? '', { maxAge, httpOnly: true, secure: s.secure }),
    serializeCookie(CSRF_COOKIE, session?.csrfToken ?? '', { maxAge, httpOnly: false, secure: s.secure }),
  ];
}

/** An `Origin` header, when present, must be this server's (its Host) or webserver.base_url's. */
export function checkOrigin(request: FastifyRequest, s: ResolvedSessionSettings): void {
  const origin = request.headers.origin;
  if (origin === undefined) return;
  let host: string | null = null;
  try {
    host = new URL(origin).host;
  } catch {
    host = null;
  }
  if (host !== null && (host === request.headers.host || origin === s.baseOrigin)) return;
  throw new HttpProblem(403, `cross-origin request refused: Origin ${origin.slice(0, 200)} is not this server`, { field: 'header.origin' });
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A cookie-authenticated mutation must carry its session's CSRF token (and a same-origin Origin). */
export function checkCsrf(request: FastifyRequest, session: RequestSession, s: ResolvedSessionSettings): void {
  if (!MUTATIONS.has(request.method)) return;
  checkOrigin(request, s);
  const sent = request.headers[CSRF_HEADER];
  if (typeof sent !== 'string' || sent.length === 0) {
    throw new HttpProblem(403, `CSRF token missing: a request authenticated by the session cookie that changes something must send the ${CSRF_COOKIE} cookie's value in the X-CSRF-Token header`, { field: 'header.x-csrf-token' });
  }
  if (!sameToken(sent, session.csrfToken)) {
    throw new HttpProblem(403, 'CSRF token invalid: X-CSRF-Token is not this session\'s token (log in again if the session changed)', { field: 'header.x-csrf-token' });
  }
}

/** Looks up the request's session cookie: its user, or null when there is no live session. */
export function sessionAuthenticator(db: Queryable, s: ResolvedSessionSettings) {
  return async (request: FastifyRequest): Promise<AuthUser | null> => {
    const id = sessionIdOf(request);
    if (id === null) return null;
    const idHash = hashSessionId(id);
    const found = await sessionsSql.userOfSession(db, idHash, { lifetimeMs: s.lifetimeMs, refreshAfterMs: REFRESH_AFTER_MS });
    if (found === null) return null;
    request.session = { idHash, csrfToken: found.csrfToken, expiresAt: found.expiresAt, refreshed: found.refreshed };
    if (found.refreshed) request.sessionCookieId = id;
    return { id: found.id, username: found.username, role: found.role, via: 'session' };
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when the session's expiry moved: its cookies are sent again with the new expiry. */
    sessionCookieId: string | null;
  }
}

/** Request decorations and the hook that re-sends the cookies of a session whose expiry moved. */
export function installSessionCookies(app: FastifyInstance, s: ResolvedSessionSettings): void {
  app.decorateRequest('session', null);
  app.decorateRequest('sessionCookieId', null);
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload) => {
    const session = request.session;
    if (request.sessionCookieId !== null && session !== null && !reply.hasHeader('set-cookie')) {
      reply.header('set-cookie', sessionCookies(s, { id: request.sessionCookieId, csrfToken: session.csrfToken, expiresAt: session.expiresAt }));
    }
    return payload;
  });
}
