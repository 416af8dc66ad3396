/**
 * The refusal of an id in a request (a path parameter, a query or body field) in the words of
 * docs/identifiers.md: `path.dag_run_id 'a/b' is not a valid run id: it contains '/' (U+002F) at
 * position 2; a run id is 1-250 characters: ...`, the value escaped and cut short, the same text
 * the command line and gRPC give.
 */
import type { FastifyRequest } from 'fastify';
import { assertIdentifier, IDENTIFIER_RULES, isUpdraftError, type IdentifierKind } from '@updraft/core';

/** Which kind of id a field holds, by its name (the API's names, Airflow's). */
const KIND_OF_FIELD: Readonly<Record<string, IdentifierKind>> = {
  dag_id: 'dag id', dag_ids: 'dag id', dag_run_id: 'run id', task_id: 'task id', task_ids: 'task id', pool: 'pool', queue: 'queue',
  pool_name: 'pool', name: 'pool', variable_key: 'variable key', key: 'variable key', connection_id: 'connection id',
};

const SOURCE: Record<string, 'body' | 'query' | 'params' | 'headers'> = { body: 'body', querystring: 'query', params: 'params', headers: 'headers' };

/** The value at a validation issue's JSON pointer (`/dag_ids/3`) in the request part `context`. */
function valueAt(request: FastifyRequest, context: string, instancePath: string): unknown {
  const source = SOURCE[context];
  let at: unknown = source === undefined ? undefined : (request as unknown as Record<string, unknown>)[source];
  for (const raw of instancePath.split('/').filter(Boolean)) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return at;
}

/** True when `pattern` is the grammar of `kind`, alone or with `~` ("every DAG / run") allowed. */
function isGrammarOf(kind: IdentifierKind, pattern: string): boolean {
  const source = IDENTIFIER_RULES[kind].pattern.source;
  return pattern === source || pattern === `^(~|${source.slice(1, -1)})$`;
}

/** The message for a `pattern` issue on an id field; undefined when the field is not an id. */
export function identifierRefusal(request: FastifyRequest, context: string, instancePath: string, pattern: string, field: string): string | undefined {
  const name = instancePath.split('/').filter((p) => p !== '' && !/^\d+$/.test(p)).at(-1);
  const kind = name === undefined ? undefined : KIND_OF_FIELD[name];
  if (kind === undefined || !isGrammarOf(kind, pattern)) return undefined;
  try {
    assertIdentifier(kind, valueAt(request, context, instancePath), field);
  } catch (err) {
    if (isUpdraftError(err, 'INVALID_ARGUMENT')) return err.message;
    throw err;
  }
  return undefined;
}
