/** Schemas of /api/v1/eventLogs (Airflow 2's EventLog and EventLogCollection). */
import { Type } from 'typebox';
import { DateTime, idParam, Nullable, Pagination, textParam } from './common.schemas.js';

export const EventLogIdParams = Type.Object({ event_log_id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'The event log id.' }) });

export const ListEventLogsQuery = Type.Object({
  ...Pagination,
  order_by: Type.Optional(Type.String({ pattern: '^-?(event_log_id|when|dttm)$', description: '`event_log_id` or `when` (the same order); prefix `-` for newest first.' })),
  dag_id: Type.Optional(idParam('dag id', 'Only events of this DAG.')),
  task_id: Type.Optional(idParam('task id', 'Only events of this task.')),
  run_id: Type.Optional(idParam('run id', 'Only events of this run.')),
  map_index: Type.Optional(Type.Integer({ minimum: -1, maximum: 2_147_483_647 })),
  try_number: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_147_483_647 })),
  event: Type.Optional(textParam(250, 'Only this event.')),
  owner: Type.Optional(textParam(250, 'Only events by this user.')),
  before: Type.Optional(DateTime('Only events at or before this instant.')),
  after: Type.Optional(DateTime('Only events at or after this instant.')),
  included_events: Type.Optional(Type.String({ maxLength: 2000, pattern: '^[^\\u0000]*$', description: 'Comma-separated events to keep.' })),
  excluded_events: Type.Optional(Type.String({ maxLength: 2000, pattern: '^[^\\u0000]*$', description: 'Comma-separated events to leave out.' })),
});

export const EventLogSchema = Type.Object({
  event_log_id: Type.Integer(),
  when: DateTime(),
  dag_id: Nullable(Type.String()),
  task_id: Nullable(Type.String()),
  run_id: Nullable(Type.String()),
  map_index: Nullable(Type.Integer()),
  try_number: Nullable(Type.Integer()),
  event: Type.String(),
  execution_date: Type.Null(),
  owner: Nullable(Type.String()),
  extra: Nullable(Type.String({ description: 'Details of the change as JSON text (never a secret).' })),
  remote_addr: Nullable(Type.String({ description: 'Where the request came from.' })),
});

export const EventLogCollection = Type.Object({ event_logs: Type.Array(EventLogSchema), total_entries: Type.Integer() });
