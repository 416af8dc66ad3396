/** Schemas of /api/v1/backfills (Airflow 3's Backfill API shape, with the states of the runs). */
import { Type } from 'typebox';
import { DateTime, idParam, Nullable, NullableDateTime, Pagination } from './common.schemas.js';

const ReprocessBehavior = Type.Union([Type.Literal('none'), Type.Literal('failed'), Type.Literal('completed')], {
  description: 'Existing runs to rerun: none, failed, or completed (failed and successful). Queued and running runs are never touched.',
});

export const BackfillIdParams = Type.Object({
  backfill_id: Type.String({ pattern: '^[1-9][0-9]{0,17}$', description: 'The backfill id.' }),
});

export const ListBackfillsQuery = Type.Object({
  ...Pagination,
  dag_id: Type.Optional(idParam('dag id', 'Only this DAG\'s backfills.')),
  active: Type.Optional(Type.Boolean({ description: 'Only running and paused ones.' })),
});

export const BackfillBody = Type.Object({
  dag_id: idParam('dag id', 'The DAG.'),
  from_date: DateTime('First logical date (inclusive).'),
  to_date: DateTime('Last logical date (inclusive).'),
  run_backwards: Type.Optional(Type.Boolean({ default: false, description: 'Newest interval first.' })),
  dag_run_conf: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'conf of the runs it creates.' })),
  reprocess_behavior: Type.Optional(ReprocessBehavior),
  max_active_runs: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, description: 'Runs of this backfill at once (default: the DAG\'s max_active_runs).' })),
}, { additionalProperties: false });

export const BackfillSchema = Type.Object({
  id: Type.Integer(),
  dag_id: Type.String(),
  from_date: DateTime(),
  to_date: DateTime(),
  dag_run_conf: Type.Record(Type.String(), Type.Unknown()),
  is_paused: Type.Boolean(),
  reprocess_behavior: ReprocessBehavior,
  max_active_runs: Type.Integer(),
  run_backwards: Type.Boolean(),
  state: Type.Union([Type.Literal('running'), Type.Literal('paused'), Type.Literal('completed'), Type.Literal('cancelled')]),
  created_at: DateTime(),
  completed_at: NullableDateTime(),
  updated_at: DateTime(),
  created_by: Nullable(Type.String()),
  total_intervals: Type.Integer({ description: 'Intervals in the range.' }),
  skipped_intervals: Type.Integer({ description: 'Intervals skipped because a run existed there (or was in flight).' }),
  runs: Type.Object({
    total: Type.Integer(), queued: Type.Integer(), running: Type.Integer(), success: Type.Integer(), failed: Type.Integer(),
  }, { description: 'The states of its runs.' }),
});

export const BackfillCollection = Type.Object({ backfills: Type.Array(BackfillSchema), total_entries: Type.Integer() });

export const DryRunCollection = Type.Object({
  backfills: Type.Array(Type.Object({
    logical_date: DateTime(),
    data_interval_start: DateTime(),
    data_interval_end: DateTime(),
    action: Type.Union([Type.Literal('create'), Type.Literal('reprocess'), Type.Literal('skip')]),
    reason: Nullable(Type.String({ description: 'Why it is skipped: a run exists there, or is in flight.' })),
  })),
  total_entries: Type.Integer(),
});
