/**
 * Errors as RFC 7807 problem documents, as on the webserver: `type`, `title`, `status`, `detail`,
 * and `field` naming the parameter at fault. Bad input is a 4xx naming what is wrong; an
 * unexpected failure is a 500 without internal text (the log has it); the database down is a 503.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isUpdraftError, truncate, type Logger } from '@updraft/core/data';

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict',
  500: 'Internal Server Error', 503: 'Service Unavailable',
};

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

export function sendProblem(reply: FastifyReply, status: number, detail: string, field?: string, headers: Record<string, string> = {}): FastifyReply {
  const body: Record<string, unknown> = { type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail };
  if (field !== undefined) body.field = field;
  return reply.code(status).headers(headers).type('application/problem+json').send(body);
}

const LOCATION: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' };

export function errorHandler(logger: Logger | undefined) {
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (err instanceof HttpProblem) return sendProblem(reply, err.status, err.message, err.field, err.headers);
    if (err.validation) {
      const issue = err.validation[0] as { instancePath?: string; message?: string; keyword?: string; params?: Record<string, unknown> } | undefined;
      const path = (issue?.instancePath ?? '').split('/').filter(Boolean);
      const extra = issue?.params?.additionalProperty ?? issue?.params?.missingProperty;
      if (typeof extra === 'string') path.push(extra);
      const field = [LOCATION[err.validationContext ?? 'body'] ?? 'body', ...path].join('.');
      const why = issue?.keyword === 'additionalProperties' ? 'is not a known parameter' : issue?.keyword === 'required' ? 'is required'
        : issue?.keyword === 'pattern' && issue.params?.pattern === '^[^\\u0000]*$' ? 'contains a NUL character (U+0000), which is not allowed'
        : (issue?.message ?? 'is not valid');
      return sendProblem(reply, 400, `${field} ${why}`, field);
    }
    if (isUpdraftError(err)) {
      if (err.code === 'INVALID_ARGUMENT') return sendProblem(reply, 400, err.message);
      if (err.code === 'WORKER_NOT_FOUND' || err.code === 'TASK_NOT_FOUND' || err.code === 'RUN_NOT_FOUND') return sendProblem(reply, 404, err.message);
      if (err.code === 'DB_ERROR') {
        logger?.error({ err, url: request.url }, 'request failed');
        return sendProblem(reply, 503, 'the metadata database is unavailable; try again');
      }
    }
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) logger?.error({ err, url: request.url }, 'request failed');
    // Fastify's 4xx messages may quote the request (its URL): never a huge echo.
    return sendProblem(reply, status, status === 500 ? 'internal error (see the monitor log)' : truncate(err.message, 300));
  };
}
