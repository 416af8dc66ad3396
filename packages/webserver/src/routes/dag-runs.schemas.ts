/** Schemas of /api/v1/dags/{dag_id}/dagRuns (Airflow 2's DAGRun and its collection). */
import { Type } from 'typebox';
import { dagRunsSql } from '@updraft/core';
import { RunDagVersionSchema } from './dag-versions.schemas.js';
import { DateTime, idParam, Nullable, textParam, NullableDateTime, orderByParam, Pagination, rangeParams } from './common.schemas.js';

export const RunListParams = Type.Object({ dag_id: idParam('dag id', 'The DAG id, or `~` for every DAG.', { orAll: true }) });
export const DagRunParams = Type.Object({
  dag_id: idParam('dag id', 'The DAG id.'),
  dag_run_id: idParam('run id', 'The run id.'),
});

export const DAG_RUN_STATES = ['queued', 'running', 'success', 'failed'] as const;

export const ListDagRunsQuery = Type.Object({
  ...Pagination,
  ...rangeParams('execution_date'),
  ...rangeParams('start_date'),
  ...rangeParams('end_date'),
  state: Type.Optional(Type.Array(Type.Union(DAG_RUN_STATES.map((s) => Type.Literal(s))), { maxItems: 10 })),
  order_by: Type.Optional(orderByParam(Object.keys(dagRunsSql.DAG_RUN_ORDER_COLUMNS))),
});

export const DagRunSchema = Type.Object({
  dag_run_id: Type.String(),
  dag_id: Type.String(),
  logical_date: DateTime(),
  execution_date: DateTime(),
  start_date: NullableDateTime(),
  end_date: NullableDateTime(),
  data_interval_start: NullableDateTime(),
  data_interval_end: NullableDateTime(),
  last_scheduling_decision: NullableDateTime(),
  queued_at: NullableDateTime(),
  run_type: Type.String(),
  state: Type.String(),
  external_trigger: Type.Boolean(),
  conf: Type.Record(Type.String(), Type.Unknown()),
  note: Nullable(Type.String()),
  deadline_missed_at: NullableDateTime('When the run, still unfinished, passed its DAG\'s deadline (the onMiss callback fired then); null otherwise.'),
  dag_version: Nullable(RunDagVersionSchema),
  bundle_version: Nullable(Type.String({ description: 'The DAG bundle version (a content hash of the bundle\'s files) every task of the run executes against; null when none was recorded.' })),
  bundle_commit: Nullable(Type.String({ description: 'The git commit that bundle version was read from (`core.dags_bundle = git:...`); null for the local DAGs folder.' })),
});

export const DagRunCollection = Type.Object({ dag_runs: Type.Array(DagRunSchema), total_entries: Type.Integer() });

export const TriggerDagRunBody = Type.Object({
  dag_run_id: Type.Optional(Nullable(idParam('run id', 'Run id; default `manual__<logical date>`.'))),
  logical_date: Type.Optional(Nullable(DateTime('Default: now.'))),
  execution_date: Type.Optional(Nullable(DateTime('Airflow 1 name of logical_date.'))),
  conf: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'A JSON object given to the run\'s tasks.' })),
  note: Type.Optional(Nullable(textParam(1000, 'A note on the run (at most 1000 characters).'))),
}, { additionalProperties: false });

export const ListDagRunsBatchBody = Type.Object({
  page_offset: Type.Optional(Pagination.offset),
  page_limit: Type.Optional(Pagination.limit),
  order_by: Type.Optional(orderByParam(Object.keys(dagRunsSql.DAG_RUN_ORDER_COLUMNS))),
  dag_ids: Type.Optional(Type.Array(idParam('dag id', 'DAG id'), { maxItems: 1000 })),
  states: Type.Optional(Type.Array(Type.Union(DAG_RUN_STATES.map((s) => Type.Literal(s))), { maxItems: 10 })),
  execution_date_gte: Type.Optional(DateTime()),
  execution_date_lte: Type.Optional(DateTime()),
  start_date_gte: Type.Optional(DateTime()),
  start_date_lte: Type.Optional(DateTime()),
  end_date_gte: Type.Optional(DateTime()),
  end_date_lte: Type.Optional(DateTime()),
}, { additionalProperties: false });

/** Airflow 2's SetDagRunNote: the run's note (null or empty clears it). */
export const SetDagRunNoteBody = Type.Object({
  note: Nullable(textParam(1000, 'A note on the run (at most 1000 characters); null or empty clears it.')),
}, { additionalProperties: false });
