/** /api/v1/eventLogs: the audit trail of mutations (who, what, when, from where), listed and filtered, or one by id. */
import { eventLogSql } from '@updraft/core';
import type { Static } from 'typebox';
import type { Api, RouteContext } from '../api-types.js';
import { HttpProblem } from '../http/problem.js';
import { errorResponses } from './common.schemas.js';
import { EventLogCollection, EventLogIdParams, EventLogSchema, ListEventLogsQuery } from './event-logs.schemas.js';

function eventJson(e: eventLogSql.EventRow): Static<typeof EventLogSchema> {
  return {
    event_log_id: Number(e.id), when: e.dttm.toISOString(), dag_id: e.dagId, task_id: e.taskId, run_id: e.runId, map_index: e.mapIndex,
    try_number: e.tryNumber, event: e.event, execution_date: null, owner: e.owner, extra: e.extra === null ? null : JSON.stringify(e.extra),
    remote_addr: e.remoteAddr,
  };
}

const list = (value: string | undefined): string[] | undefined => value?.split(',').map((v) => v.trim()).filter((v) => v !== '');

export function eventLogRoutes(app: Api, ctx: RouteContext): void {
  app.get('/api/v1/eventLogs', {
    config: { permission: 'event_logs.read' },
    schema: { tags: ['EventLog'], summary: 'List event log entries', querystring: ListEventLogsQuery, response: { 200: EventLogCollection, ...errorResponses() } },
  }, async (request) => {
    const q = request.query;
    const page = await eventLogSql.listEventPage(ctx.db, {
      limit: q.limit, offset: q.offset, dagId: q.dag_id, taskId: q.task_id, runId: q.run_id, mapIndex: q.map_index, tryNumber: q.try_number,
      event: q.event, owner: q.owner, includedEvents: list(q.included_events), excludedEvents: list(q.excluded_events),
      when: { gte: q.after === undefined ? undefined : new Date(q.after), lte: q.before === undefined ? undefined : new Date(q.before) },
      orderDesc: q.order_by?.startsWith('-') ?? false,
    });
    return { event_logs: page.rows.map(eventJson), total_entries: page.total };
  });

  app.get('/api/v1/eventLogs/:event_log_id', {
    config: { permission: 'event_logs.read' },
    schema: { tags: ['EventLog'], summary: 'Get an event log entry', params: EventLogIdParams, response: { 200: EventLogSchema, ...errorResponses(404) } },
  }, async (request) => {
    const id = request.params.event_log_id;
    const e = (await eventLogSql.listEventPage(ctx.db, { limit: 1, offset: 0, id: String(id) })).rows[0];
    if (e === undefined) throw new HttpProblem(404, `event log entry ${id} not found`, { field: 'path.event_log_id' });
    return eventJson(e);
  });
}
