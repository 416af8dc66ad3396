/** Schemas of /api/v1/dags (Airflow 2's DAG, DAGDetail, Task and their collections). */
import { Type } from 'typebox';
import { dagsSql } from '@updraft/core';
import { idParam, Nullable, textParam, NullableDateTime, orderByParam, Pagination } from './common.schemas.js';
import { DAG_RUN_STATES } from './dag-runs.schemas.js';

export const DagIdParams = Type.Object({ dag_id: idParam('dag id', 'The DAG id.') });

export const ListDagsQuery = Type.Object({
  ...Pagination,
  order_by: Type.Optional(orderByParam(Object.keys(dagsSql.DAG_ORDER_COLUMNS))),
  tags: Type.Optional(Type.Array(textParam(250, 'A tag.'), { maxItems: 100, description: 'DAGs having any of these tags.' })),
  only_active: Type.Boolean({ default: true, description: 'Only DAGs whose file is present.' }),
  paused: Type.Optional(Type.Boolean({ description: 'Only paused (true) or unpaused (false) DAGs.' })),
  dag_id_pattern: Type.Optional(textParam(250, 'Case-insensitive pattern (SQL LIKE) matched anywhere in the DAG id.')),
  is_favorite: Type.Optional(Type.Boolean({ description: 'Only the caller\'s favourite DAGs (true), or only the others (false).' })),
  last_dag_run_state: Type.Optional(Type.Union(DAG_RUN_STATES.map((s) => Type.Literal(s)), { description: 'Only DAGs whose latest run (by logical date) is in this state.' })),
});

/** `update_mask`: the fields a PATCH changes (Airflow's name); only `is_paused` can change on a DAG. */
export const DagUpdateMaskQuery = Type.Object({
  update_mask: Type.Optional(Type.Array(Type.Literal('is_paused', { description: 'A field to change.' }), { maxItems: 1, description: 'The fields to change; only `is_paused`.' })),
});

export const PatchDagBody = Type.Object({
  is_paused: Type.Boolean({ description: 'Pause (true) or unpause (false) the DAG.' }),
}, { additionalProperties: false });

export const PatchDagsQuery = Type.Object({
  ...Pagination,
  ...DagUpdateMaskQuery.properties,
  tags: ListDagsQuery.properties.tags,
  only_active: ListDagsQuery.properties.only_active,
  dag_id_pattern: textParam(250, 'The DAGs to change: their id contains this (SQL LIKE, case-insensitive); `~` for every DAG.'),
});

const TimeDelta = Type.Object({ __type: Type.Literal('TimeDelta'), days: Type.Integer(), seconds: Type.Integer(), microseconds: Type.Integer() });
/** A cron schedule or cron trigger timetable: CronExpression; a delta timetable (`timetables.every`): TimeDelta. */
const ScheduleInterval = Nullable(Type.Union([Type.Object({ __type: Type.Literal('CronExpression'), value: Type.String() }), TimeDelta], {
  description: 'When runs are created: a cron expression (schedule or cron trigger timetable) or a delta (delta timetable); null: manual only.',
}));

export const DagSchema = Type.Object({
  dag_id: Type.String(),
  dag_display_name: Type.String(),
  root_dag_id: Type.Null(),
  is_paused: Type.Boolean(),
  is_active: Type.Boolean(),
  is_subdag: Type.Boolean(),
  last_parsed_time: NullableDateTime(),
  fileloc: Type.String(),
  file_token: Nullable(Type.String({ description: 'Token for GET /api/v1/dagSources/{file_token}.' })),
  owners: Type.Array(Type.String()),
  description: Nullable(Type.String()),
  schedule_interval: ScheduleInterval,
  timetable_description: Nullable(Type.String({ description: 'The schedule: its cron expression, or a timetable in words.' })),
  tags: Type.Array(Type.Object({ name: Type.String() })),
  max_active_tasks: Type.Integer(),
  max_active_runs: Type.Integer(),
  has_task_concurrency_limits: Type.Boolean(),
  has_import_errors: Type.Boolean(),
  next_dagrun: NullableDateTime(),
  next_dagrun_data_interval_start: NullableDateTime(),
  next_dagrun_data_interval_end: NullableDateTime(),
  next_dagrun_create_after: NullableDateTime(),
  next_run_assets: Nullable(Type.Array(Type.Object({ uri: Type.String(), updated: Type.Boolean() }), {
    description: 'For a DAG scheduled on assets: each of them, and whether it was updated since the DAG\'s last asset-triggered run (Airflow\'s next_run_datasets); null for other DAGs.',
  })),
  next_run_aliases: Nullable(Type.Array(Type.Object({ name: Type.String(), updated: Type.Boolean() }), {
    description: 'For a DAG scheduled on asset aliases: each of them, and whether an asset it resolved to was updated since the DAG\'s last asset-triggered run; null for other DAGs.',
  })),
});

export const DagCollection = Type.Object({ dags: Type.Array(DagSchema), total_entries: Type.Integer() });

const ParamTypeSchema = Type.Union(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'].map((t) => Type.Literal(t)));
const ParamScalarSchema = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);

/** What one value of a param must be (also each item of a list param). */
const ParamValueSpecFields = {
  type: Type.Optional(Type.Union([ParamTypeSchema, Type.Array(ParamTypeSchema)], { description: "A JSON type, or the list of those allowed (['null', 'string']: an optional param)" })),
  enum: Type.Optional(Type.Array(ParamScalarSchema)),
  const: Type.Optional(ParamScalarSchema),
  minimum: Type.Optional(Type.Number()),
  maximum: Type.Optional(Type.Number()),
  exclusiveMinimum: Type.Optional(Type.Number()),
  exclusiveMaximum: Type.Optional(Type.Number()),
  multipleOf: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  minLength: Type.Optional(Type.Number()),
  maxLength: Type.Optional(Type.Number()),
  pattern: Type.Optional(Type.String({ description: 'A regular expression (JavaScript syntax) a string must match' })),
  format: Type.Optional(Type.Union([Type.Literal('date'), Type.Literal('date-time'), Type.Literal('time'), Type.Literal('email'), Type.Literal('multiline')])),
};

export const DagDetailSchema = Type.Object({
  ...DagSchema.properties,
  catchup: Type.Boolean(),
  concurrency: Type.Integer(),
  start_date: NullableDateTime(),
  end_date: NullableDateTime(),
  /** The DAG's dagrunTimeout: a run still running this long after it started fails; null: none. */
  dag_run_timeout: Nullable(TimeDelta),
  /** The DAG's maxConsecutiveFailedDagRuns: it is paused when that many latest runs failed; 0: never (Airflow's meaning). */
  max_consecutive_failed_dag_runs: Type.Integer({ minimum: 0 }),
  /** The DAG's failFast (Airflow's fail_fast): a task's final failure stops the run's other tasks. */
  fail_fast: Type.Boolean(),
  doc_md: Nullable(Type.String()),
  default_view: Type.String(),
  params: Type.Record(Type.String(), Type.Unknown()),
  param_specs: Type.Record(Type.String(), Type.Object({
    description: Type.Optional(Type.String()),
    ...ParamValueSpecFields,
    minItems: Type.Optional(Type.Integer({ minimum: 0 })),
    maxItems: Type.Optional(Type.Integer({ minimum: 0 })),
    uniqueItems: Type.Optional(Type.Boolean({ description: 'A list may not hold the same item twice' })),
    items: Type.Optional(Type.Object(ParamValueSpecFields, { description: 'What each item of a list must be' })),
    title: Type.Optional(Type.String({ description: "The field's label in the trigger form" })),
    valuesDisplay: Type.Optional(Type.Record(Type.String(), Type.String(), { description: "Labels of the enum's values, by the value as text" })),
    examples: Type.Optional(Type.Array(Type.String(), { description: 'Values the form proposes; others are accepted too' })),
    section: Type.Optional(Type.String({ description: 'The form shows params of one section together, under that heading' })),
  }), { description: 'What each param may hold (the DAG\'s paramSpecs): a manual run whose params break one is refused with 400.' }),
  is_paused_upon_creation: Nullable(Type.Boolean()),
  timezone: Type.String(),
  last_parsed: NullableDateTime(),
  render_template_as_native_obj: Type.Boolean(),
  template_search_path: Nullable(Type.Array(Type.String())),
});

export const TaskSchema = Type.Object({
  class_ref: Type.Object({ module_path: Type.String(), class_name: Type.String() }),
  task_id: Type.String(),
  task_display_name: Type.String(),
  owner: Type.String(),
  start_date: NullableDateTime(),
  end_date: NullableDateTime(),
  trigger_rule: Type.String(),
  extra_links: Type.Array(Type.Object({ class_ref: Type.Object({ module_path: Type.String(), class_name: Type.String() }) })),
  depends_on_past: Type.Boolean(),
  is_mapped: Type.Boolean(),
  is_setup: Type.Boolean({ description: 'A setup task (task.asSetup()): cleared with the work tasks after it.' }),
  is_teardown: Type.Boolean({ description: 'A teardown task (task.asTeardown()): runs after its work whatever its outcome, if one of its setups succeeded.' }),
  wait_for_downstream: Type.Boolean(),
  retries: Type.Integer(),
  queue: Type.String(),
  pool: Type.String(),
  pool_slots: Type.Integer(),
  execution_timeout: Nullable(TimeDelta),
  retry_delay: Nullable(TimeDelta),
  retry_exponential_backoff: Type.Boolean(),
  priority_weight: Type.Integer(),
  weight_rule: Type.String(),
  ui_color: Type.String(),
  ui_fgcolor: Type.String(),
  template_fields: Type.Array(Type.String()),
  sub_dag: Type.Null(),
  downstream_task_ids: Type.Array(Type.String()),
  doc_md: Nullable(Type.String()),
});

export const TaskCollection = Type.Object({ tasks: Type.Array(TaskSchema), total_entries: Type.Integer() });
