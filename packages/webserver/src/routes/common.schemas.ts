/**
 * Schema pieces every resource uses: ids in paths (the identifier grammar of docs/identifiers.md,
 * so a NUL byte, a '/' or a 100 KB id is a 400 naming the parameter), pagination (Airflow's
 * `limit` and `offset`, bounded), time-range filters, nullable fields.
 */
import { Type, type TSchema } from 'typebox';
import { IDENTIFIER_RULES, type IdentifierKind } from '@updraft/core';
import { NO_NUL_PATTERN, ProblemSchema } from '../http/problem.js';

/** A path parameter holding an id of `kind`; `orAll`: `~` (every DAG, every run) is allowed too. */
export function idParam(kind: IdentifierKind, description: string, o: { orAll?: boolean } = {}) {
  const rule = IDENTIFIER_RULES[kind].pattern.source;
  return Type.String({ pattern: o.orAll ? `^(~|${rule.slice(1, -1)})$` : rule, description });
}

/** Free text of at most `maxLength` characters without NUL: a filter value, a search pattern. */
export function textParam(maxLength: number, description: string) {
  return Type.String({ maxLength, pattern: NO_NUL_PATTERN, description });
}

export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const DateTime = (description?: string) => Type.String({ format: 'date-time', ...(description ? { description } : {}) });
export const NullableDateTime = (description?: string) => Nullable(DateTime(description));

/** The biggest `limit` any list takes (lists are never unbounded). */
export const MAX_PAGE_LIMIT = 1000;

export const Pagination = {
  limit: Type.Integer({ minimum: 1, maximum: MAX_PAGE_LIMIT, default: 100, description: `Page size (at most ${MAX_PAGE_LIMIT}).` }),
  offset: Type.Integer({ minimum: 0, maximum: 2_147_483_647, default: 0, description: 'Rows to skip.' }),
};

/** `*_gte` / `*_lte` query parameters of a time range. */
export function rangeParams<N extends string>(name: N) {
  return {
    [`${name}_gte`]: Type.Optional(DateTime(`${name} at or after this instant`)),
    [`${name}_lte`]: Type.Optional(DateTime(`${name} at or before this instant`)),
  } as Record<`${N}_gte` | `${N}_lte`, ReturnType<typeof Type.Optional<ReturnType<typeof DateTime>>>>;
}

export function range(q: Record<string, unknown>, name: string): { gte?: Date; lte?: Date } {
  const r: { gte?: Date; lte?: Date } = {};
  const gte = q[`${name}_gte`];
  const lte = q[`${name}_lte`];
  if (typeof gte === 'string') r.gte = new Date(gte);
  if (typeof lte === 'string') r.lte = new Date(lte);
  return r;
}

/** `order_by`: a column name, `-` first for descending. */
export function orderByParam(columns: readonly string[]) {
  return Type.String({ pattern: `^-?(${columns.join('|')})$`, description: `One of ${columns.join(', ')}; prefix \`-\` for descending.` });
}

export function parseOrderBy<C extends string>(value: string | undefined): { column: C; desc: boolean } | undefined {
  if (value === undefined) return undefined;
  return value.startsWith('-') ? { column: value.slice(1) as C, desc: true } : { column: value as C, desc: false };
}

/** The 204 answer of a DELETE: no body. */
export const Deleted = Type.Null({ description: 'Deleted (no body).' });

/** Error answers a route documents besides its 2xx. */
export function errorResponses(...statuses: number[]): Record<number, typeof ProblemSchema> {
  return Object.fromEntries([400, 401, 403, ...statuses].map((s) => [s, ProblemSchema]));
}

export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
