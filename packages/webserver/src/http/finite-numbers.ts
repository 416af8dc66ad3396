/**
 * Numbers in the path and the query string must be finite. The schema validator turns text such
 * as `1e309` or `Infinity` into an infinite number and lets it past `maximum` (an integer
 * parameter included), so `?limit=1e309` would reach the database as a value it refuses. This hook
 * runs after validation and refuses such a value as a 400 naming the parameter.
 */
import type { FastifyInstance } from 'fastify';
import { HttpProblem } from './problem.js';

function check(where: string, values: unknown): void {
  if (typeof values !== 'object' || values === null) return;
  for (const [name, value] of Object.entries(values as Record<string, unknown>)) {
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      if (typeof item === 'number' && !Number.isFinite(item)) {
        throw new HttpProblem(400, `${where}.${name} must be a finite number, got ${item}`, { field: `${where}.${name}` });
      }
    }
  }
}

export function finiteNumbers(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    check('path', request.params);
    check('query', request.query);
  });
}
