/**
 * GET .../taskInstances/{task_id}/logs/{task_try_number}: a try's log, as text/plain or, when the
 * client accepts application/json, as `{ content, continuation_token }`. Without `full_content`
 * one page (LOG_PAGE_BYTES) is returned from the offset the continuation token carries, so a
 * client follows a running task's log by passing the token back. With `tail_bytes` the page is
 * the log's end instead (its first line's number and a `previous_token` to page back with
 * `before`), so a viewer opens a long log at its end without reading it all.
 *
 * Where it is read: the file in the log folder the webserver reads (logging.base_log_folder) when
 * there is one (the try ran on this host, or the folder is shared); else the try's subject of the
 * task-log stream, where the worker that ran it ships every line as it writes it (the token then
 * also carries the stream position it reached, so a poll reads only what is new).
 */
import { open } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { Type } from 'typebox';
import { isUpdraftError, taskInstancePagesSql, taskLogRelativePath, type LogPosition } from '@updraft/core';
import type { Api, RouteContext } from '../api-types.js';
import type { RemoteLogReader } from '../remote-logs.js';
import { HttpProblem } from '../http/problem.js';
import { errorResponses } from './common.schemas.js';
import { readTail } from './log-tail.js';
import { LogQuery, LogResponse, TaskTryParams } from './task-instances.schemas.js';

export const LOG_PAGE_BYTES = 1024 * 1024;
const LOG_MAX_BYTES = 64 * 1024 * 1024;

const isPosition = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/** The token's byte offset (and stream sequence, for a log read from the stream). */
function decodeToken(token: string | undefined): LogPosition {
  if (token === undefined || token === '') return { offset: 0, seq: 0 };
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset?: unknown; seq?: unknown };
    if (isPosition(parsed.offset) && (parsed.seq === undefined || isPosition(parsed.seq))) return { offset: parsed.offset, seq: parsed.seq ?? 0 };
  } catch {
    // fall through
  }
  throw new HttpProblem(400, 'query.token is not a continuation token this server gave', { field: 'query.token' });
}

const encodeToken = (p: { offset: number; seq?: number }): string =>
  Buffer.from(JSON.stringify(p.seq ? { offset: p.offset, seq: p.seq } : { offset: p.offset })).toString('base64url');

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
    let n = bytesRead;
    // A page cut short by `max` ends after its last line (never inside a UTF-8 character).
    if (start + n < size && n === max) n = buffer.subarray(0, n).lastIndexOf(0x0a) + 1 || n;
    return { text: buffer.subarray(0, n).toString('utf8'), end: start + n };
  } finally {
    await handle.close();
  }
}

/** A finished try's log from S3 (logging.remote_base_log_folder); null when it is not there. */
async function readRemote(
  remote: RemoteLogReader, relativePath: string, offset: number, max: number, fallback: { log: FastifyBaseLogger } | null,
): Promise<{ text: string; token: string } | null> {
  let read;
  try {
    read = await remote.read(relativePath.split(sep).join('/'), offset, max);
  } catch (err) {
    if (!isUpdraftError(err, 'STORAGE_ERROR')) throw err;
    // The task-log stream may still have it: read there, and say why S3 was passed over.
    if (fallback) {
      fallback.log.warn({ err: err.message }, 'remote log storage unreadable: reading the task-log stream instead');
      return null;
    }
    throw new HttpProblem(503, `the log of this try is not in this webserver's log folder and the remote log storage cannot be read: ${err.message}`, { cause: err });
  }
  if (read === null) return null;
  let n = read.data.length;
  // A page cut short by `max` ends after its last line (never inside a UTF-8 character).
  if (n === max) n = read.data.lastIndexOf(0x0a) + 1 || n;
  return { text: read.data.subarray(0, n).toString('utf8'), token: encodeToken({ offset: offset + n }) };
}

export function taskLogRoutes(app: Api, ctx: RouteContext): void {
  app.get('/api/v1/dags/:dag_id/dagRuns/:dag_run_id/taskInstances/:task_id/logs/:task_try_number', {
    config: { permission: 'task_logs.read' },
    schema: {
      tags: ['TaskInstance'], summary: 'Get the log of a try (text/plain, or JSON with a continuation token)',
      description: 'From the webserver\'s log folder when the try\'s file is there, else from the task-log stream the workers ship every line to. ' +
        'A 503 says that stream (NATS) cannot be read right now.',
      params: TaskTryParams, querystring: LogQuery,
      response: {
        200: { content: { 'application/json': { schema: LogResponse }, 'text/plain': { schema: Type.String() } } },
        ...errorResponses(404, 503),
      },
    },
  }, async (request, reply) => {
    const p = request.params;
    const q = request.query;
    const key = { dagId: p.dag_id, runId: p.dag_run_id, taskId: p.task_id, mapIndex: q.map_index };
    const from = decodeToken(q.token);
    const tries = await taskInstancePagesSql.listTaskTries(ctx.db, key, p.task_try_number);
    const t = tries[0];
    if (t === undefined) throw new HttpProblem(404, `task '${p.task_id}' of run '${p.dag_run_id}' of DAG '${p.dag_id}' has no try ${p.task_try_number}`, { field: 'path.task_try_number' });
    const root = resolve(ctx.logFolder);
    const file = resolve(root, t.logPath || taskLogRelativePath(key, p.task_try_number));
    const inside = relative(root, file);
    if (inside.startsWith('..') || isAbsolute(inside)) throw new HttpProblem(404, 'the log of this try is outside the log folder');
    const wantsJson = /application\/json/i.test(request.headers.accept ?? '');
    if (q.tail_bytes !== undefined) {
      if (q.token !== undefined) throw new HttpProblem(400, 'query.tail_bytes reads from the end: it does not take query.token (use query.before)', { field: 'query.token' });
      if (q.full_content) throw new HttpProblem(400, 'query.tail_bytes and query.full_content exclude each other', { field: 'query.full_content' });
      const before = q.before === undefined ? null : decodeToken(q.before).offset;
      const tail = await readTail(file, before, q.tail_bytes, before === null);
      if (tail !== null) {
        const body = {
          continuation_token: encodeToken({ offset: tail.end }), content: tail.text,
          previous_token: tail.start === 0 ? null : encodeToken({ offset: tail.start }), first_line: tail.firstLine,
        };
        return wantsJson ? reply.type('application/json').send(body) : reply.type('text/plain; charset=utf-8').send(tail.text);
      }
    } else if (q.before !== undefined) {
      throw new HttpProblem(400, 'query.before pages back from the end: it needs query.tail_bytes', { field: 'query.before' });
    }
    // Not a local file with tail_bytes: the whole log from its start (remote storage and the
    // stream are read forward).
    const max = q.full_content || q.tail_bytes !== undefined ? LOG_MAX_BYTES : LOG_PAGE_BYTES;
    let page: { text: string; token: string } | null = null;
    const local = await readFrom(file, from.offset, max);
    if (local !== null) page = { text: local.text, token: encodeToken({ offset: local.end }) };
    // A finished try is uploaded to S3 when remote logging is on: read there before the stream,
    // whose retention may be shorter.
    if (page === null && ctx.remoteLogs && t.endedAt !== null) page = await readRemote(ctx.remoteLogs, inside, from.offset, max, ctx.logStream ? { log: request.log } : null);
    if (page === null && ctx.logStream) {
      let streamed;
      try {
        streamed = await ctx.logStream.readPage(key, p.task_try_number, from, max);
      } catch (err) {
        if (!isUpdraftError(err, 'QUEUE_ERROR')) throw err;
        throw new HttpProblem(503, `the log of try ${p.task_try_number} is not in this webserver's log folder and the task log stream cannot be read: ${err.message}`, { cause: err });
      }
      if (streamed !== null) page = { text: streamed.data.toString('utf8'), token: encodeToken(streamed.next) };
      // A try that has not ended may not have shipped its first line yet: nothing so far.
      else if (t.endedAt === null) page = { text: '', token: encodeToken(from) };
    }
    if (page === null && t.operator === 'empty' && t.worker === null && t.endedAt !== null) {
      // The UI says so without asking (TaskInstancePanel); this is what the API and the CLI see.
      throw new HttpProblem(404, `try ${p.task_try_number} of '${p.task_id}' has no log: the scheduler decided it itself (an empty task, a trigger or latest-only task, a deferred sensor), no worker ran it`);
    }
    if (page === null) {
      const where = ctx.logStream ? 'neither in this webserver\'s log folder nor in the task log stream' : 'in this webserver\'s log folder';
      throw new HttpProblem(404, `no log for try ${p.task_try_number} of '${p.task_id}' ${where} (it is written on the host of the worker that ran it${t.hostname ? `: ${t.hostname}` : ''})`);
    }
    if (wantsJson) {
      const head = q.tail_bytes !== undefined ? { previous_token: null, first_line: 1 } : {};
      return reply.type('application/json').send({ continuation_token: page.token, content: page.text, ...head });
    }
    return reply.type('text/plain; charset=utf-8').send(page.text);
  });
}
