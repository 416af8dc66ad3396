/** Schemas of /api/v1/dags/{dag_id}/dagVersions (Airflow 3's DagVersion, with Updraft's content hashes). */
import { Type } from 'typebox';
import { DateTime, idParam, Pagination } from './common.schemas.js';

export const DagVersionParams = Type.Object({
  dag_id: idParam('dag id', 'The DAG id.'),
  dag_hash: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'The version\'s hash (a run\'s `dag_version.dag_hash`).' }),
});

export const ListDagVersionsQuery = Type.Object({ ...Pagination });

export const DagVersionSchema = Type.Object({
  dag_id: Type.String(),
  dag_hash: Type.String({ description: 'Hash of the serialized DAG: what a run was created with.' }),
  version_number: Type.Integer({ description: '1 for the oldest version kept, counting up.' }),
  fileloc: Type.String(),
  file_token: Type.String({ description: 'Token for GET /api/v1/dagSources/{file_token}: the file as this version was parsed from it.' }),
  created_at: DateTime('When the DAG processor stored this version (parsed the file).'),
  is_current: Type.Boolean({ description: 'Whether new runs use this version.' }),
});

export const DagVersionCollection = Type.Object({ dag_versions: Type.Array(DagVersionSchema), total_entries: Type.Integer() });

/** What a run says of its version (null on a run whose version was not recorded). */
export const RunDagVersionSchema = Type.Object({
  dag_hash: Type.String(),
  fileloc: Type.String(),
  file_token: Type.String({ description: 'Token for GET /api/v1/dagSources/{file_token}: the file this run\'s version was parsed from.' }),
  created_at: DateTime('When this version was parsed.'),
});
