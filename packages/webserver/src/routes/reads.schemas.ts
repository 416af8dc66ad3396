/** Schemas of the read-only resources /api/v1/dagSources, .../xcomEntries and /api/v1/config (Airflow 2's names). */
import { Type } from 'typebox';
import { DateTime, idParam, Pagination, textParam } from './common.schemas.js';

export const FileTokenParams = Type.Object({ file_token: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'A DAG\'s file_token (GET /api/v1/dags/{dag_id}).' }) });
export const DagSourceSchema = Type.Object({ content: Type.String() });

export const XComListParams = Type.Object({
  dag_id: idParam('dag id', 'The DAG id, or `~` for every DAG.', { orAll: true }),
  dag_run_id: idParam('run id', 'The run id, or `~` for every run.', { orAll: true }),
  task_id: idParam('task id', 'The task id, or `~` for every task.', { orAll: true }),
});
export const XComParams = Type.Object({
  dag_id: idParam('dag id', 'The DAG id.'),
  dag_run_id: idParam('run id', 'The run id.'),
  task_id: idParam('task id', 'The task id.'),
  xcom_key: textParam(250, 'The XCom key.'),
});

const MapIndex = Type.Integer({ minimum: -1, maximum: 2_147_483_647, description: 'The map index (-1: not mapped).' });
export const ListXComQuery = Type.Object({ ...Pagination, map_index: Type.Optional(MapIndex), xcom_key: Type.Optional(textParam(250, 'Only this key.')) });
export const GetXComQuery = Type.Object({
  map_index: Type.Integer({ ...MapIndex, default: -1 }),
  deserialize: Type.Boolean({ default: false, description: 'true: `value` is the stored JSON value; false: its JSON text.' }),
});

const XComBase = {
  key: Type.String(), timestamp: DateTime(), execution_date: DateTime(), map_index: Type.Integer(), task_id: Type.String(), dag_id: Type.String(),
};
export const XComCollectionItem = Type.Object(XComBase);
export const XComCollection = Type.Object({ xcom_entries: Type.Array(XComCollectionItem), total_entries: Type.Integer() });
export const XComSchema = Type.Object({ ...XComBase, value: Type.Unknown({ description: 'The value: JSON text, or the JSON value with deserialize=true.' }) });

export const ConfigQuery = Type.Object({ section: Type.Optional(textParam(100, 'Only this section.')) });
export const ConfigOptionParams = Type.Object({ section: textParam(100, 'The section.'), option: textParam(100, 'The option.') });
const ConfigOption = Type.Object({ key: Type.String(), value: Type.String({ description: 'Secrets are `***`; URL passwords masked.' }), source: Type.String() });
export const ConfigSchema = Type.Object({ sections: Type.Array(Type.Object({ name: Type.String(), options: Type.Array(ConfigOption) })) });
