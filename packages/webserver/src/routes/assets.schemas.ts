/** Schemas of /api/v1/assets (Airflow's datasets API shape, named assets as in Airflow 3). */
import { Type } from 'typebox';
import { DateTime, Nullable, Pagination, textParam } from './common.schemas.js';

/** An asset URI as the SDK's asset() accepts it: no whitespace, at most 1500 characters. */
const AssetUri = (description: string) => Type.String({ minLength: 1, maxLength: 1500, pattern: '^\\S+$', description });

export const ListAssetsQuery = Type.Object({
  ...Pagination,
  uri_pattern: Type.Optional(textParam(1500, 'Only assets whose URI contains this text.')),
  uri: Type.Optional(AssetUri('Only the asset with exactly this URI.')),
});

export const AssetSchema = Type.Object({
  id: Type.Integer(),
  uri: Type.String(),
  created_at: DateTime(),
  updated_at: DateTime('When its latest event was recorded (when it was first named, before any event).'),
  last_event_at: Nullable(DateTime('When its latest event was recorded; null: never updated yet (a DAG names it).')),
  consuming_dags: Type.Array(Type.Object({ dag_id: Type.String() }), { description: 'DAGs scheduled on it, or on an asset alias resolved to it.' }),
  producing_tasks: Type.Array(Type.Object({ dag_id: Type.String(), task_id: Type.String() }), { description: 'Tasks that declare it as an outlet, or an asset alias resolved to it among their outlets.' }),
  aliases: Type.Array(Type.Object({ name: Type.String() }), { description: 'Asset aliases resolved to it (tasks added its events through them), by name.' }),
});

export const AssetCollection = Type.Object({ assets: Type.Array(AssetSchema), total_entries: Type.Integer() });

export const ListAssetAliasesQuery = Type.Object({
  ...Pagination,
  name_pattern: Type.Optional(textParam(1500, 'Only aliases whose name contains this text.')),
});

export const AssetAliasSchema = Type.Object({
  name: Type.String(),
  assets: Type.Array(Type.Object({ uri: Type.String() }), { description: 'The assets it resolved to (tasks added their events through it), by URI; [] before its first event.' }),
  consuming_dags: Type.Array(Type.Object({ dag_id: Type.String() }), { description: 'DAGs scheduled on it.' }),
  producing_tasks: Type.Array(Type.Object({ dag_id: Type.String(), task_id: Type.String() }), { description: 'Tasks that have it among their outlets.' }),
});

export const AssetAliasCollection = Type.Object({ asset_aliases: Type.Array(AssetAliasSchema), total_entries: Type.Integer() });

export const ListAssetEventsQuery = Type.Object({
  ...Pagination,
  asset_uri: Type.Optional(AssetUri('Only events of this asset.')),
  source_dag_id: Type.Optional(textParam(250, 'Only events recorded by this DAG\'s tasks.')),
  source_task_id: Type.Optional(textParam(250, 'Only events recorded by this task.')),
  source_run_id: Type.Optional(textParam(250, 'Only events recorded in this run.')),
  source_alias: Type.Optional(textParam(250, 'Only events added through this asset alias.')),
});

export const AssetEventSchema = Type.Object({
  id: Type.Integer(),
  asset_id: Type.Integer(),
  uri: Type.String(),
  extra: Type.Record(Type.String(), Type.Unknown()),
  source_dag_id: Nullable(Type.String()),
  source_task_id: Nullable(Type.String()),
  source_run_id: Nullable(Type.String()),
  source_map_index: Nullable(Type.Integer()),
  source_aliases: Type.Array(Type.String(), { description: 'The asset aliases its producer added it through, by name; [] for a declared outlet\'s event or one posted through the API.' }),
  timestamp: DateTime(),
  created_dagruns: Type.Array(Type.Object({ dag_id: Type.String(), dag_run_id: Type.String() }), { description: 'The runs it triggered.' }),
});

export const AssetEventCollection = Type.Object({ asset_events: Type.Array(AssetEventSchema), total_entries: Type.Integer() });

export const CreateAssetEventBody = Type.Object({
  asset_uri: AssetUri('The asset that was updated outside Updraft (created if unknown).'),
  extra: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Free JSON kept with the event.' })),
}, { additionalProperties: false });
