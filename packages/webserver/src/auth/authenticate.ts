/**
 * Who is asking, and may they: every route is public or names a permission (route config). A
 * request to a non-public route must authenticate (HTTP basic auth for scripts), else 401 with
 * `WWW-Authenticate`; a role below the permission's is 403. The user's row is read on every
 * request, so a deleted user or a changed role counts at once; only the (deliberately slow)
 * argon2 check of a basic-auth password is remembered for a minute, keyed by the stored hash, so
 * a password reset ends it.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { usersSql, type Queryable, type Role } from '@updraft/core';
import { HttpProblem } from '../http/problem.js';
import { verifyPassword } from './passwords.js';
import { PERMISSIONS, roleHas, type Permission } from './permissions.js';

export interface AuthUser {
  id: string;
  username: string;
  role: Role;
  via: 'basic' | 'token' | 'session';
}

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

const REALM = 'Basic realm="Updraft", charset="UTF-8"';
const VERIFIED_TTL_MS = 60_000;
const VERIFIED_MAX = 10_000;

/** Extra ways to authenticate (sessions, API tokens): each returns a user, or null when its credentials are absent. */
export type Authenticator = (request: FastifyRequest) => Promise<AuthUser | null>;

export interface AuthOptions {
  db: Queryable;
  authenticators?: readonly Authenticator[];
}

export function unauthorized(detail: string): HttpProblem {
  return new HttpProblem(401, detail, { headers: { 'www-authenticate': REALM } });
}

function parseBasic(header: string): { username: string; password: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return null;
  return { username: decoded.slice(0, i), password: decoded.slice(i + 1) };
}

export function installAuth(app: FastifyInstance, o: AuthOptions): void {
  const verified = new Map<string, number>();
  const salt = randomBytes(16);
  const basic = async (header: string): Promise<AuthUser> => {
    const creds = parseBasic(header);
    if (creds === null) throw unauthorized('malformed basic credentials');
    if (creds.username.length === 0 || creds.username.length > 256 || creds.username.includes('\0')) throw unauthorized('invalid username or password');
    const user = await usersSql.findUserCredentials(o.db, creds.username);
    const key = createHash('sha256').update(salt).update(`${creds.username}\0${creds.password}\0${user?.passwordHash ?? ''}`).digest('hex');
    const until = verified.get(key);
    const ok = user !== null && user.active && ((until !== undefined && until > Date.now()) || (await verifyPassword(user.passwordHash, creds.password)));
    if (!ok || user === null) throw unauthorized('invalid username or password');
    if (until === undefined) {
      if (verified.size >= VERIFIED_MAX) verified.clear();
      verified.set(key, Date.now() + VERIFIED_TTL_MS);
    }
    return { id: user.id, username: user.username, role: user.role, via: 'basic' };
  };

  app.decorateRequest('user', null);
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    // Unknown routes (404/405) have no config: they answer without looking at credentials.
    if (config.public || request.routeOptions.url === undefined) return;
    const header = request.headers.authorization;
    let user: AuthUser | null = null;
    if (header !== undefined && /^Basic\s/i.test(header)) user = await basic(header);
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
