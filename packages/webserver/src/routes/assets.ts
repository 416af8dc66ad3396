/**
 * /api/v1/assets: the assets, their events (recorded by tasks' outlets or posted here for updates
 * made outside Updraft) and the events that triggered a run. A posted event queues the DAGs
 * scheduled on the asset; the scheduler (woken by the notification) creates their runs.
 */
import { assetsSql, dagRunsSql } from '@updraft/core';
import type { Static } from 'typebox';
import type { Api, RouteContext } from '../api-types.js';
import { recordEvents } from '../http/events.js';
import { HttpProblem } from '../http/problem.js';
import { AssetAliasCollection, AssetCollection, AssetEventCollection, AssetEventSchema, CreateAssetEventBody, ListAssetAliasesQuery, ListAssetEventsQuery, ListAssetsQuery } from './assets.schemas.js';
import { errorResponses } from './common.schemas.js';
import { DagRunParams } from './dag-runs.schemas.js';
import { findRun } from './dag-runs.js';

function eventJson(e: assetsSql.AssetEventView): Static<typeof AssetEventSchema> {
  return {
    id: Number(e.id), asset_id: Number(e.assetId), uri: e.uri, extra: e.extra, source_dag_id: e.sourceDagId, source_task_id: e.sourceTaskId,
    source_run_id: e.sourceRunId, source_map_index: e.sourceMapIndex, source_aliases: e.sourceAliases, timestamp: e.timestamp.toISOString(),
    created_dagruns: e.createdDagRuns.map((r) => ({ dag_id: r.dagId, dag_run_id: r.runId })),
  };
}

export function assetRoutes(app: Api, ctx: RouteContext): void {
  app.get('/api/v1/assets', {
    config: { permission: 'assets.read' },
    schema: { tags: ['Asset'], summary: 'List assets by URI', querystring: ListAssetsQuery, response: { 200: AssetCollection, ...errorResponses() } },
  }, async (request) => {
    const q = request.query;
    const page = await assetsSql.listAssets(ctx.db, { limit: q.limit, offset: q.offset, uriPattern: q.uri_pattern, uri: q.uri });
    return {
      assets: page.rows.map((a) => ({
        id: Number(a.id), uri: a.uri, created_at: a.createdAt.toISOString(), updated_at: a.updatedAt.toISOString(),
        last_event_at: a.lastEventAt?.toISOString() ?? null,
        consuming_dags: a.consumingDagIds.map((dagId) => ({ dag_id: dagId })),
        producing_tasks: a.producingTasks.map((t) => ({ dag_id: t.dagId, task_id: t.taskId })),
        aliases: a.aliases.map((name) => ({ name })),
      })),
      total_entries: page.total,
    };
  });

  app.get('/api/v1/assets/aliases', {
    config: { permission: 'assets.read' },
    schema: { tags: ['Asset'], summary: 'List asset aliases by name', querystring: ListAssetAliasesQuery, response: { 200: AssetAliasCollection, ...errorResponses() } },
  }, async (request) => {
    const q = request.query;
    const page = await assetsSql.listAssetAliases(ctx.db, { limit: q.limit, offset: q.offset, namePattern: q.name_pattern });
    return {
      asset_aliases: page.rows.map((a) => ({
        name: a.name, assets: a.uris.map((uri) => ({ uri })),
        consuming_dags: a.consumingDagIds.map((dagId) => ({ dag_id: dagId })),
        producing_tasks: a.producingTasks.map((t) => ({ dag_id: t.dagId, task_id: t.taskId })),
      })),
      total_entries: page.total,
    };
  });

  app.get('/api/v1/assets/events', {
    config: { permission: 'assets.read' },
    schema: { tags: ['Asset'], summary: 'List asset events, newest first', querystring: ListAssetEventsQuery, response: { 200: AssetEventCollection, ...errorResponses() } },
  }, async (request) => {
    const q = request.query;
    const page = await assetsSql.listAssetEvents(ctx.db, {
      limit: q.limit, offset: q.offset, uri: q.asset_uri, sourceDagId: q.source_dag_id, sourceTaskId: q.source_task_id, sourceRunId: q.source_run_id, sourceAlias: q.source_alias,
    });
    return { asset_events: page.rows.map(eventJson), total_entries: page.total };
  });

  app.post('/api/v1/assets/events', {
    config: { permission: 'assets.create_event' },
    schema: {
      tags: ['Asset'], summary: 'Record an asset event for an update made outside Updraft; DAGs scheduled on the asset may get a run',
      body: CreateAssetEventBody, response: { 200: AssetEventSchema, ...errorResponses() },
    },
  }, async (request) => {
    const { asset_uri: uri, extra } = request.body;
    const made = await assetsSql.recordAssetEvents(ctx.db, [{ uri, extra: extra ?? {} }]);
    const id = made.eventIds[0];
    if (id === undefined) throw new HttpProblem(500, 'the asset event was not recorded');
    // The scheduler ticks on this notification and creates the runs that became due.
    for (const dagId of made.queuedDagIds) await dagRunsSql.notifyDagRuns(ctx.db, dagId);
    await recordEvents(ctx.db, request, [{ event: 'asset_event.create', dagId: null, extra: { uri, asset_event_id: Number(id), queued_dags: made.queuedDagIds } }]);
    const page = await assetsSql.listAssetEvents(ctx.db, { limit: 1, offset: 0, uri, eventId: id });
    return eventJson(page.rows[0]!);
  });

  app.get('/api/v1/dags/:dag_id/dagRuns/:dag_run_id/upstreamAssetEvents', {
    config: { permission: 'assets.read' },
    schema: {
      tags: ['DAGRun'], summary: 'The asset events that triggered an asset-triggered run', params: DagRunParams,
      response: { 200: AssetEventCollection, ...errorResponses(404) },
    },
  }, async (request) => {
    const { dag_id: dagId, dag_run_id: runId } = request.params;
    await findRun(ctx, dagId, runId);
    const page = await assetsSql.listAssetEvents(ctx.db, { limit: 1000, offset: 0, triggeredRun: { dagId, runId } });
    return { asset_events: page.rows.map(eventJson), total_entries: page.total };
  });
}
