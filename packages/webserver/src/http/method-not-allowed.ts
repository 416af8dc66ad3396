/**
 * 404 or 405: a path no route serves is a 404; a path some route serves with another method is a
 * 405 with `Allow` listing the methods it has (Fastify itself answers 404 for both).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { truncate } from '@updraft/core';
import { problem, sendProblem } from './problem.js';

interface KnownRoute { pattern: RegExp; methods: Set<string> }

function patternOf(url: string): RegExp {
  const escaped = url.split('/').map((part) => {
    if (part.startsWith(':')) return '[^/]+';
    if (part === '*') return '.*';
    return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }).join('/');
  return new RegExp(`^${escaped}/?$`);
}

/** The path as a message shows it: cut short (a path can be kilobytes long). */
const shown = (path: string): string => truncate(path, 200);

/** Records every route as it is added; returns the not-found handler that tells 404 from 405. */
export function methodNotAllowed(app: FastifyInstance): (request: FastifyRequest, reply: FastifyReply) => FastifyReply {
  const routes = new Map<string, KnownRoute>();
  app.addHook('onRoute', (route) => {
    const known = routes.get(route.url) ?? { pattern: patternOf(route.url), methods: new Set<string>() };
    for (const m of [route.method].flat()) known.methods.add(m);
    routes.set(route.url, known);
  });
  return (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const allowed = new Set<string>();
    for (const r of routes.values()) if (r.pattern.test(path)) for (const m of r.methods) allowed.add(m);
    if (allowed.size > 0) {
      const allow = [...allowed].sort().join(', ');
      return sendProblem(reply, problem(405, `${request.method} is not allowed on ${shown(path)}; allowed: ${allow}`), { allow });
    }
    return sendProblem(reply, problem(404, `no route for ${request.method} ${shown(path)}`));
  };
}
