/** /api/v1/dags/{dag_id}/dagVersions: every stored version of a DAG, newest first, and one by hash. */
import { dagVersionsSql } from '@updraft/core';
import type { Static } from 'typebox';
import type { Api, RouteContext } from '../api-types.js';
import { HttpProblem } from '../http/problem.js';
import { DagIdParams } from './dags.schemas.js';
import { errorResponses } from './common.schemas.js';
import { DagVersionCollection, DagVersionParams, DagVersionSchema, ListDagVersionsQuery } from './dag-versions.schemas.js';

function dagVersionJson(v: dagVersionsSql.DagVersion): Static<typeof DagVersionSchema> {
  return {
    dag_id: v.dagId, dag_hash: v.dagHash, version_number: v.versionNumber, fileloc: v.fileloc, file_token: v.fileHash,
    created_at: v.createdAt.toISOString(), is_current: v.isCurrent,
  };
}

export function dagVersionRoutes(app: Api, ctx: RouteContext): void {
  app.get('/api/v1/dags/:dag_id/dagVersions', {
    config: { permission: 'dags.read' },
    schema: {
      tags: ['DagVersion'], summary: 'List the stored versions of a DAG, newest first', params: DagIdParams, querystring: ListDagVersionsQuery,
      response: { 200: DagVersionCollection, ...errorResponses() },
    },
  }, async (request) => {
    const page = await dagVersionsSql.listDagVersions(ctx.db, request.params.dag_id, { limit: request.query.limit, offset: request.query.offset });
    return { dag_versions: page.rows.map(dagVersionJson), total_entries: page.total };
  });

  app.get('/api/v1/dags/:dag_id/dagVersions/:dag_hash', {
    config: { permission: 'dags.read' },
    schema: { tags: ['DagVersion'], summary: 'Get one version of a DAG', params: DagVersionParams, response: { 200: DagVersionSchema, ...errorResponses(404) } },
  }, async (request) => {
    const v = await dagVersionsSql.findDagVersion(ctx.db, request.params.dag_id, request.params.dag_hash);
    if (v === null) throw new HttpProblem(404, `DAG '${request.params.dag_id}' has no version '${request.params.dag_hash}'`, { field: 'path.dag_hash' });
    return dagVersionJson(v);
  });
}
