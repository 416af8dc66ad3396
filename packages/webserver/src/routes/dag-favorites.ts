/**
 * Favourite DAGs (Airflow 3's POST /dags/{dag_id}/favorite and /unfavorite): each user marks the
 * DAGs they follow; their home page lists them and `GET /api/v1/dags?is_favorite=` filters by them.
 * Any user who may read DAGs may keep favourites of their own.
 */
import { Type } from 'typebox';
import { dagFavoritesSql } from '@updraft/core';
import type { Api, RouteContext } from '../api-types.js';
import { HttpProblem } from '../http/problem.js';
import { errorResponses } from './common.schemas.js';
import { DagIdParams } from './dags.schemas.js';

const Done = Type.Null({ description: 'Done (no body).' });

export function dagFavoriteRoutes(app: Api, ctx: RouteContext): void {
  for (const [action, favorite] of [['favorite', true], ['unfavorite', false]] as const) {
    app.post(`/api/v1/dags/:dag_id/${action}`, {
      config: { permission: 'dags.read' },
      schema: {
        tags: ['DAG'], summary: favorite ? 'Mark a DAG as a favourite of the caller' : 'Unmark a DAG as a favourite of the caller',
        description: 'Idempotent: marking a favourite twice, or unmarking a DAG that is not one, changes nothing.',
        params: DagIdParams, response: { 204: Done, ...errorResponses(404) },
      },
    }, async (request, reply) => {
      const dagId = request.params.dag_id;
      if (!(await dagFavoritesSql.setFavorite(ctx.db, request.user!.id, dagId, favorite))) {
        throw new HttpProblem(404, `DAG '${dagId}' not found`, { field: 'path.dag_id' });
      }
      return reply.code(204).send(null);
    });
  }
}
