/**
 * Errors as RFC 7807 problem documents (`application/problem+json`): `type`, `title`, `status`,
 * `detail`, and `field` naming the parameter or body field at fault when there is one. Bad input
 * is a 4xx naming what is wrong; an unexpected failure is a 500 whose detail carries no internal
 * text (the log has it); the database being unreachable is a 503.
 */
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { isUpdraftError, truncate, type Logger, type UpdraftErrorCode } from '@updraft/core';
import { identifierRefusal } from './identifier-problem.js';

/** Free text must match this when it must not hold NUL (routes/common.schemas.ts `textParam`). */
export const NO_NUL_PATTERN = '^[^\\u0000]*$';

export const ProblemSchema = Type.Object({
  type: Type.String({ description: 'A URI naming the kind of problem (`about:blank` for plain HTTP statuses).' }),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  field: Type.Optional(Type.String({ description: 'The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`.' })),
  instance: Type.Optional(Type.String()),
}, { $id: 'Problem' });
export type Problem = Static<typeof ProblemSchema>;

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  406: 'Not Acceptable', 409: 'Conflict', 413: 'Payload Too Large', 414: 'URI Too Long', 415: 'Unsupported Media Type',
  429: 'Too Many Requests', 431: 'Request Header Fields Too Large',
  500: 'Internal Server Error', 503: 'Service Unavailable',
};

/** An error a route throws on purpose: it becomes a problem document with this status. */
export class HttpProblem extends Error {
  readonly status: number;
  readonly field: string | undefined;
  readonly headers: Record<string, string>;
  constructor(status: number, detail: string, o: { field?: string; headers?: Record<string, string>; cause?: unknown } = {}) {
    super(detail, { cause: o.cause });
    this.name = 'HttpProblem';
    this.status = status;
    this.field = o.field;
    this.headers = o.headers ?? {};
  }
}

export function problem(status: number, detail: string, field?: string): Problem {
  const p: Problem = { type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail };
  if (field !== undefined) p.field = field;
  return p;
}

export function sendProblem(reply: FastifyReply, p: Problem, headers: Record<string, string> = {}): FastifyReply {
  return reply.code(p.status).headers(headers).type('application/problem+json').send(p);
}

const CODE_STATUS: Partial<Record<UpdraftErrorCode, number>> = {
  INVALID_ARGUMENT: 400, DAG_NOT_FOUND: 404, RUN_NOT_FOUND: 404, TASK_NOT_FOUND: 404, WORKER_NOT_FOUND: 404,
  CONNECTION_NOT_FOUND: 404, VARIABLE_NOT_FOUND: 404, BACKFILL_NOT_FOUND: 404, ALREADY_EXISTS: 409, DB_ERROR: 503,
};

const LOCATION: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' };

interface AjvIssue { instancePath?: string; keyword?: string; message?: string; params?: Record<string, unknown> }

/** `query.limit` from a validation issue: the field at fault, with where it was. */
function fieldOf(context: string, issue: AjvIssue): string {
  const path = (issue.instancePath ?? '').split('/').filter(Boolean).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const extra = issue.params?.missingProperty ?? issue.params?.additionalProperty;
  if (typeof extra === 'string') path.push(extra);
  return [LOCATION[context] ?? context, ...path].join('.');
}

function validationProblem(err: FastifyError, request: FastifyRequest): Problem {
  const issue = (err.validation?.[0] ?? {}) as AjvIssue;
  const context = err.validationContext ?? 'body';
  const field = fieldOf(context, issue);
  if (issue.keyword === 'pattern') {
    // An id the grammar refuses: what is wrong with it and the rule (docs/identifiers.md), not a regex.
    const refusal = identifierRefusal(request, context, issue.instancePath ?? '', String(issue.params?.pattern ?? ''), field);
    if (refusal !== undefined) return problem(400, refusal, field);
  }
  let why = issue.message ?? 'is not valid';
  if (issue.keyword === 'required') why = 'is required';
  else if (issue.keyword === 'additionalProperties') why = 'is not a known field';
  else if (issue.keyword === 'pattern' && issue.params?.pattern === NO_NUL_PATTERN) why = 'contains a NUL character (U+0000), which is not allowed';
  else if (issue.keyword === 'pattern') why = `is not valid: ${why}`;
  return problem(400, `${field} ${why}`, field);
}

/** Fastify's error handler: every error leaves as a problem document. */
export function errorHandler(logger: Logger | undefined) {
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (err instanceof HttpProblem) return sendProblem(reply, problem(err.status, err.message, err.field), err.headers);
    if (err.validation) return sendProblem(reply, validationProblem(err, request));
    if (isUpdraftError(err)) {
      // The server's configuration cannot serve this (e.g. a secret without security.fernet_key): its message names the key.
      if (err.code === 'CONFIG_INVALID') return sendProblem(reply, problem(503, truncate(err.message, 500)));
      const status = CODE_STATUS[err.code] ?? 500;
      if (status >= 500) {
        logger?.error({ err, url: request.url }, 'request failed');
        return sendProblem(reply, problem(status, status === 503 ? 'the metadata database is unavailable; try again' : 'internal error (see the webserver log)'));
      }
      return sendProblem(reply, problem(status, err.message));
    }
    // Fastify's own errors (bad JSON, body too large, unsupported media type) carry a 4xx status.
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 400 && status < 500) {
      const detail = err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'the request body is larger than webserver.body_limit allows'
        : err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError ? 'the request body is not valid JSON'
        : status === 414 ? 'the request path is too long'
        : truncate(err.message, 300); // Fastify's messages may quote the request (its URL): never a huge echo
      return sendProblem(reply, problem(status, detail, status === 413 || err.code?.startsWith('FST_ERR_CTP') ? 'body' : undefined));
    }
    logger?.error({ err, url: request.url }, 'request failed');
    return sendProblem(reply, problem(500, 'internal error (see the webserver log)'));
  };
}

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser refuses before there is a request (a URL
 * or headers over the size limit: 431; malformed HTTP: 400) is answered with a problem document
 * and the connection closed.
 */
export function clientError(err: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) return;
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'HPE_URI_TOO_LONG' ? 414 : 400;
  const detail = status === 431 ? 'the request line or headers are larger than the server accepts (16 KiB)'
    : status === 414 ? 'the request path is too long' : 'the request is not valid HTTP';
  const body = JSON.stringify(problem(status, detail));
  socket.end(`HTTP/1.1 ${status} ${TITLES[status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
