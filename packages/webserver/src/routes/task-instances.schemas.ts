/** Schemas of .../taskInstances (Airflow 2's TaskInstance and its collection), tries and logs. */
import { Type } from 'typebox';
import { taskInstancePagesSql, type IdentifierKind } from '@updraft/core';
import { idParam, Nullable, NullableDateTime, orderByParam, Pagination, rangeParams, textParam } from './common.schemas.js';

export const TASK_INSTANCE_STATES = ['none', 'scheduled', 'queued', 'running', 'success', 'failed', 'up_for_retry',
  'up_for_reschedule', 'skipped', 'upstream_failed', 'removed', 'deferred'] as const;

export const TaskInstanceListParams = Type.Object({
  dag_id: idParam('dag id', 'The DAG id, or `~` for every DAG.', { orAll: true }),
  dag_run_id: idParam('run id', 'The run id, or `~` for every run.', { orAll: true }),
});

export const TaskInstanceParams = Type.Object({
  dag_id: idParam('dag id', 'The DAG id.'),
  dag_run_id: idParam('run id', 'The run id.'),
  task_id: idParam('task id', 'The task id.'),
});

export const TryNumber = Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'The try number (1 for the first try).' });
export const TaskTryParams = Type.Object({ ...TaskInstanceParams.properties, task_try_number: TryNumber });
export const MapIndexQuery = Type.Object({ map_index: Type.Integer({ minimum: -1, maximum: 1_000_000, default: -1 }) });

export const SetTaskInstanceNoteBody = Type.Object({
  note: Nullable(textParam(1000, 'A note on the task instance (at most 1000 characters), kept across its tries; null or empty clears it.')),
}, { additionalProperties: false });

const IdList = (kind: IdentifierKind, what: string) => Type.Optional(Type.Array(idParam(kind, `A ${kind}.`), { maxItems: 100, description: what }));

export const ListTaskInstancesQuery = Type.Object({
  ...Pagination,
  ...rangeParams('execution_date'),
  ...rangeParams('start_date'),
  ...rangeParams('end_date'),
  duration_gte: Type.Optional(Type.Number({ minimum: 0, description: 'Seconds.' })),
  duration_lte: Type.Optional(Type.Number({ minimum: 0, description: 'Seconds.' })),
  state: Type.Optional(Type.Array(Type.Union(TASK_INSTANCE_STATES.map((s) => Type.Literal(s))), { maxItems: 20 })),
  pool: IdList('pool', 'Pools.'),
  queue: IdList('queue', 'Queues.'),
  task_ids: IdList('task id', 'Task ids.'),
  order_by: Type.Optional(orderByParam(Object.keys(taskInstancePagesSql.TASK_INSTANCE_ORDER_COLUMNS))),
});

export const TaskInstanceSchema = Type.Object({
  task_id: Type.String(),
  task_display_name: Type.String(),
  dag_id: Type.String(),
  dag_run_id: Type.String(),
  execution_date: Type.String({ format: 'date-time' }),
  start_date: NullableDateTime(),
  end_date: NullableDateTime(),
  duration: Nullable(Type.Number({ description: 'Seconds.' })),
  state: Nullable(Type.String()),
  try_number: Type.Integer(),
  map_index: Type.Integer(),
  max_tries: Type.Integer(),
  hostname: Nullable(Type.String()),
  unixname: Nullable(Type.String()),
  pool: Type.String(),
  pool_slots: Type.Integer(),
  queue: Nullable(Type.String()),
  priority_weight: Nullable(Type.Integer()),
  operator: Nullable(Type.String()),
  queued_when: NullableDateTime(),
  pid: Nullable(Type.Integer()),
  executor: Nullable(Type.String()),
  executor_config: Nullable(Type.String()),
  sla_miss: Type.Null(),
  rendered_map_index: Nullable(Type.String()),
  rendered_fields: Type.Record(Type.String(), Type.Unknown(), { description: 'Of a try: its templated fields as rendered for it (`bash_command`, `env`; long values cut, secrets `***`; of a trigger task, the run it triggered: `trigger_dag_id`, `trigger_run_id`, `logical_date`, `conf`). Empty on a task instance and before a try is claimed.' }),
  trigger: Type.Null(),
  triggerer_job: Type.Null(),
  note: Nullable(Type.String()),
  worker: Nullable(Type.String({ description: 'Updraft: the worker that runs or ran this try.' })),
  pending_reason: Nullable(Type.String({ description: 'Updraft: why a ready task waits (e.g. its pool does not exist).' })),
  exit_code: Nullable(Type.Integer({ description: 'Updraft: exit code of the task process (-1: killed by a signal, or no process); null until it ended.' })),
  end_reason: Nullable(Type.String({ description: 'Updraft: why the try ended as it did, when not a plain success: its error, zombie, execution timeout, killed, marked or cleared by a person, a sensor\'s timeout, a sensor not ready yet (rescheduled), skipped itself.' })),
  requeue_count: Type.Integer({ description: 'Updraft: how often this try\'s queued message was lost and published again (same try, new attempt token).' }),
  last_requeue_reason: Nullable(Type.String({ description: 'Updraft: why it was last requeued.' })),
});

export const TaskInstanceCollection = Type.Object({ task_instances: Type.Array(TaskInstanceSchema), total_entries: Type.Integer() });

export const LogQuery = Type.Object({
  full_content: Type.Boolean({ default: false, description: 'The whole log at once (else at most one page from `token`).' }),
  map_index: Type.Integer({ minimum: -1, maximum: 1_000_000, default: -1 }),
  token: Type.Optional(Type.String({ maxLength: 200, pattern: '^[A-Za-z0-9_-]*$', description: 'The continuation_token of the previous page.' })),
  tail_bytes: Type.Optional(Type.Integer({
    minimum: 1, maximum: 1024 * 1024,
    description: 'Updraft: read from the end instead: at most this many bytes ending at the log\'s end (or at `before`), from the start of a line. ' +
      'A log that is not in the webserver\'s log folder is read whole from its start instead. Not with `token` or `full_content`.',
  })),
  before: Type.Optional(Type.String({ maxLength: 200, pattern: '^[A-Za-z0-9_-]*$', description: 'Updraft: with `tail_bytes`, the previous_token of a page read from the end: the page before it.' })),
});

export const LogResponse = Type.Object({
  continuation_token: Nullable(Type.String()),
  content: Type.String(),
  previous_token: Type.Optional(Nullable(Type.String({ description: 'Updraft: with `tail_bytes`, pass as `before` for the page before this content; null when it starts the log.' }))),
  first_line: Type.Optional(Nullable(Type.Integer({ description: 'Updraft: with `tail_bytes` and no `before`, the line number (from 1) of the content\'s first line.' }))),
});
