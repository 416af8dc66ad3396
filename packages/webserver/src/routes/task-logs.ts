/**
 * GET .../taskInstances/{task_id}/logs/{task_try_number}: a try's log from the log folder the
 * webserver reads (logging.base_log_folder), as text/plain or, when the client accepts
 * application/json, as `{ content, continuation_token }`. Without `full_content` one page
 * (LOG_PAGE_BYTES) is returned from the offset the continuation token carries, so a client follows
 * a running task's log by passing the token back.
 */
import { open } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { Type } from 'typebox';
import { taskInstancePagesSql, taskLogRelativePath } from '@updraft/core';
import type { Api, RouteContext } from '../api-types.js';
import { HttpProblem } from '../http/problem.js';
import { errorResponses } from './common.schemas.js';
import { LogQuery, LogResponse, TaskTryParams } from './task-instances.schemas.js';

export const LOG_PAGE_BYTES = 1024 * 1024;
const LOG_MAX_BYTES = 64 * 1024 * 1024;

function decodeToken(token: string | undefined): number {
  if (token === undefined || token === '') return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset?: unknown };
    if (typeof parsed.offset === 'number' && Number.isSafeInteger(parsed.offset) && parsed.offset >= 0) return parsed.offset;
  } catch {
    // fall through
  }
  throw new HttpProblem(400, 'query.token is not a continuation token this server gave', { field: 'query.token' });
}

const encodeToken = (offset: number): string => Buffer.from(JSON.stringify({ offset })).toString('base64url');

async function readFrom(file: string, offset: number, max: number): Promise<{ text: string; end: number } | null> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return null;
  }
  try {
    const size = (await handle.stat()).size;
    const start = Math.min(offset, size);
    const length = Math.min(size - start, max);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, start);
    return { text: buffer.subarray(0, bytesRead).toString('utf8'), end: start + bytesRead };
  } finally {
    await handle.close();
  }
}

export function taskLogRoutes(app: Api, ctx: RouteContext): void {
  app.get('/api/v1/dags/:dag_id/dagRuns/:dag_run_id/taskInstances/:task_id/logs/:task_try_number', {
    config: { permission: 'task_logs.read' },
    schema: {
      tags: ['TaskInstance'], summary: 'Get the log of a try (text/plain, or JSON with a continuation token)',
      params: TaskTryParams, querystring: LogQuery,
      response: {
        200: { content: { 'application/json': { schema: LogResponse }, 'text/plain': { schema: Type.String() } } },
        ...errorResponses(404),
      },
    },
  }, async (request, reply) => {
    const p = request.params;
    const q = request.query;
    const key = { dagId: p.dag_id, runId: p.dag_run_id, taskId: p.task_id, mapIndex: q.map_index };
    const offset = decodeToken(q.token);
    const tries = await taskInstancePagesSql.listTaskTries(ctx.db, key, p.task_try_number);
    const t = tries[0];
    if (t === undefined) throw new HttpProblem(404, `task '${p.task_id}' of run '${p.dag_run_id}' of DAG '${p.dag_id}' has no try ${p.task_try_number}`, { field: 'path.task_try_number' });
    const root = resolve(ctx.logFolder);
    const file = resolve(root, t.logPath || taskLogRelativePath(key, p.task_try_number));
    const inside = relative(root, file);
    if (inside.startsWith('..') || isAbsolute(inside)) throw new HttpProblem(404, 'the log of this try is outside the log folder');
    const page = await readFrom(file, offset, q.full_content ? LOG_MAX_BYTES : LOG_PAGE_BYTES);
    if (page === null) {
      throw new HttpProblem(404, `no log for try ${p.task_try_number} of '${p.task_id}' in this webserver's log folder (it is written on the host of the worker that ran it${t.hostname ? `: ${t.hostname}` : ''})`);
    }
    const wantsJson = /application\/json/i.test(request.headers.accept ?? '');
    if (wantsJson) return reply.type('application/json').send({ continuation_token: encodeToken(page.end), content: page.text });
    return reply.type('text/plain; charset=utf-8').send(page.text);
  });
}
