/**
 * GET /ui/dependencies: how DAGs depend on each other (Airflow's DAG Dependencies view): trigger
 * tasks, sensors waiting for other DAGs, and assets between the DAGs that update them and those
 * scheduled on them. One graph of DAG and asset nodes; the UI lays it out.
 */
import { dagDependenciesSql } from '@updraft/core';
import { Type } from 'typebox';
import type { Api, RouteContext } from '../api-types.js';
import { Nullable } from '../routes/common.schemas.js';

const NodeSchema = Type.Object({
  id: Type.String({ description: '`dag:<dag id>`, `asset:<uri>` or `alias:<asset alias name>`.' }),
  kind: Type.Union([Type.Literal('dag'), Type.Literal('asset'), Type.Literal('alias')]),
  label: Type.String({ description: 'The DAG id, the asset URI or the asset alias name.' }),
  exists: Type.Boolean({ description: 'False for a DAG an edge names that is not in the database (e.g. a trigger of a DAG that is gone).' }),
  is_active: Type.Boolean({ description: 'A DAG whose file is still in the DAGs folder (assets: true).' }),
  is_paused: Type.Boolean(),
});

const EdgeSchema = Type.Object({
  source: Type.String({ description: 'A node id.' }),
  target: Type.String({ description: 'A node id.' }),
  kind: Type.Union([
    Type.Literal('trigger'), Type.Literal('sensor'), Type.Literal('outlet'), Type.Literal('schedule'),
    Type.Literal('alias_outlet'), Type.Literal('alias_schedule'), Type.Literal('resolves'),
  ], {
    description: 'trigger: a task of the source starts runs of the target; sensor: a sensor of the target waits for the source; outlet: a task of the source updates the asset; schedule: the target is scheduled on the asset; '
      + 'alias_outlet: a task of the source adds asset events through the alias; alias_schedule: the target is scheduled on the alias; resolves: the alias resolved to the asset (an event was added through it).',
  }),
  task_id: Nullable(Type.String({ description: 'The task that makes the edge (the trigger task, the sensor, the task with the outlet); null for schedule.' })),
});

const DependenciesSchema = Type.Object({
  nodes: Type.Array(NodeSchema, { description: 'DAGs, assets and asset aliases with at least one edge, DAGs first, then assets, then aliases, by id.' }),
  edges: Type.Array(EdgeSchema),
});

export function uiDependencyRoutes(app: Api, ctx: RouteContext): void {
  app.get('/ui/dependencies', {
    config: { permission: 'dags.read' },
    schema: { tags: ['UI'], summary: 'How DAGs depend on each other: trigger tasks, sensors on other DAGs, assets', response: { 200: DependenciesSchema } },
  }, async () => {
    const { edges, dags } = await dagDependenciesSql.dagDependencies(ctx.db);
    const dagNode = (dagId: string): string => `dag:${dagId}`;
    const assetNode = (uri: string): string => `asset:${uri}`;
    const aliasNode = (name: string): string => `alias:${name}`;
    const assets = [...new Set(edges.flatMap((e) => (e.kind === 'outlet' || e.kind === 'resolves' ? [e.target] : e.kind === 'schedule' ? [e.source] : [])))].sort();
    const aliases = [...new Set(edges.flatMap((e) => (e.kind === 'alias_outlet' ? [e.target] : e.kind === 'alias_schedule' || e.kind === 'resolves' ? [e.source] : [])))].sort();
    const sourceOf = (e: (typeof edges)[number]): string => (e.kind === 'schedule' ? assetNode(e.source)
      : e.kind === 'alias_schedule' || e.kind === 'resolves' ? aliasNode(e.source) : dagNode(e.source));
    const targetOf = (e: (typeof edges)[number]): string => (e.kind === 'outlet' || e.kind === 'resolves' ? assetNode(e.target)
      : e.kind === 'alias_outlet' ? aliasNode(e.target) : dagNode(e.target));
    return {
      nodes: [
        ...dags.map((d) => ({ id: dagNode(d.dagId), kind: 'dag' as const, label: d.dagId, exists: d.exists, is_active: d.isActive, is_paused: d.isPaused })),
        ...assets.map((uri) => ({ id: assetNode(uri), kind: 'asset' as const, label: uri, exists: true, is_active: true, is_paused: false })),
        ...aliases.map((name) => ({ id: aliasNode(name), kind: 'alias' as const, label: name, exists: true, is_active: true, is_paused: false })),
      ],
      edges: edges.map((e) => ({ kind: e.kind, task_id: e.taskId, source: sourceOf(e), target: targetOf(e) })),
    };
  });
}
