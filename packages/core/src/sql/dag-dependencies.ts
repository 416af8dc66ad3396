/**
 * How DAGs depend on each other (Airflow's DAG Dependencies view), read from the current
 * serialized DAG of every active DAG, in the database (no document leaves it whole):
 * - `trigger`: a d.triggerDagRun task of `source` starts runs of `target`;
 * - `sensor`: a sensors.externalTask sensor of `target` waits for `source`;
 * - `outlet`: a task of `source` updates the asset `target` (its outlets);
 * - `schedule`: DAG `target` is scheduled on the asset `source`;
 * - `alias_outlet`: a task of `source` adds asset events through the asset alias `target`;
 * - `alias_schedule`: DAG `target` is scheduled on the asset alias `source`;
 * - `resolves`: the asset alias `source` resolved to the asset `target` (an event added through it).
 * Plus the state of every DAG those edges name (a DAG named but not there: exists false).
 */
import type { Queryable } from '../db/types.js';
import { rows } from './query.js';

export type DependencyKind = 'trigger' | 'sensor' | 'outlet' | 'schedule' | 'alias_outlet' | 'alias_schedule' | 'resolves';

export interface DagDependencyEdge {
  kind: DependencyKind;
  /** A DAG id, an asset URI for `schedule`, an alias name for `alias_schedule` and `resolves`. */
  source: string;
  /** A DAG id, an asset URI for `outlet` and `resolves`, an alias name for `alias_outlet`. */
  target: string;
  /** The task that makes the edge (trigger, sensor, outlet); null for schedule. */
  taskId: string | null;
}

export interface DependencyDag {
  dagId: string;
  /** False: an edge names a DAG that is not in the database. */
  exists: boolean;
  isActive: boolean;
  isPaused: boolean;
}

export async function dagDependencies(db: Queryable): Promise<{ edges: DagDependencyEdge[]; dags: DependencyDag[] }> {
  const edges = await rows<{ kind: DependencyKind; source: string; target: string; task_id: string | null }>(db, 'dagDependencies',
    `WITH s AS (SELECT s.dag_id, s.data FROM serialized_dag s JOIN dag d ON d.dag_id = s.dag_id WHERE d.is_active),
     t AS (SELECT s.dag_id, x.task FROM s, jsonb_array_elements(s.data -> 'tasks') AS x(task))
     SELECT DISTINCT kind, source, target, task_id FROM (
       SELECT 'trigger' AS kind, t.dag_id AS source, t.task -> 'triggerDagRun' ->> 'dagId' AS target, t.task ->> 'taskId' AS task_id
         FROM t WHERE t.task ? 'triggerDagRun'
       UNION ALL
       SELECT 'sensor', t.task #>> '{sensor,waitUntil,externalTask,dagId}', t.dag_id, t.task ->> 'taskId'
         FROM t WHERE t.task #> '{sensor,waitUntil}' ? 'externalTask'
       UNION ALL
       SELECT 'outlet', t.dag_id, o.uri, t.task ->> 'taskId'
         FROM t, jsonb_array_elements_text(CASE WHEN jsonb_typeof(t.task -> 'outlets') = 'array' THEN t.task -> 'outlets' ELSE '[]' END) AS o(uri)
       UNION ALL
       SELECT 'schedule', a.uri, s.dag_id, NULL
         FROM s, jsonb_array_elements_text(CASE WHEN jsonb_typeof(s.data -> 'assetSchedule') = 'array' THEN s.data -> 'assetSchedule' ELSE '[]' END) AS a(uri)
       UNION ALL
       SELECT 'alias_outlet', t.dag_id, o.name, t.task ->> 'taskId'
         FROM t, jsonb_array_elements_text(CASE WHEN jsonb_typeof(t.task -> 'outletAliases') = 'array' THEN t.task -> 'outletAliases' ELSE '[]' END) AS o(name)
       UNION ALL
       SELECT 'alias_schedule', a.name, s.dag_id, NULL
         FROM s, jsonb_array_elements_text(CASE WHEN jsonb_typeof(s.data -> 'aliasSchedule') = 'array' THEN s.data -> 'aliasSchedule' ELSE '[]' END) AS a(name)
       UNION ALL
       SELECT 'resolves', l.name, a.uri, NULL
         FROM asset_alias_asset x JOIN asset_alias l ON l.id = x.alias_id JOIN asset a ON a.id = x.asset_id
     ) e
     ORDER BY kind, source, target, task_id`);
  const dagIds = [...new Set(edges.flatMap((e) => (e.kind === 'resolves' ? [] : e.kind === 'outlet' || e.kind === 'alias_outlet' ? [e.source]
    : e.kind === 'schedule' || e.kind === 'alias_schedule' ? [e.target] : [e.source, e.target])))];
  const found = await rows<{ dag_id: string; is_active: boolean; is_paused: boolean }>(db, 'dependencyDags',
    'SELECT dag_id, is_active, is_paused FROM dag WHERE dag_id = ANY($1::text[])', [dagIds]);
  const byId = new Map(found.map((d) => [d.dag_id, d]));
  return {
    edges: edges.map((e) => ({ kind: e.kind, source: e.source, target: e.target, taskId: e.task_id })),
    dags: dagIds.sort().map((dagId) => {
      const d = byId.get(dagId);
      return { dagId, exists: d !== undefined, isActive: d?.is_active ?? false, isPaused: d?.is_paused ?? false };
    }),
  };
}
