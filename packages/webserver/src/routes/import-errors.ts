/** /api/v1/importErrors: the DAG files that failed to load (the DAG processor records them), listed or one by id. */
import { dagFilesSql } from '@updraft/core';
import type { Static } from 'typebox';
import type { Api, RouteContext } from '../api-types.js';
import { HttpProblem } from '../http/problem.js';
import { errorResponses, parseOrderBy } from './common.schemas.js';
import { ImportErrorCollection, ImportErrorIdParams, ImportErrorSchema, ListImportErrorsQuery } from './import-errors.schemas.js';

const importErrorJson = (e: dagFilesSql.ImportErrorView): Static<typeof ImportErrorSchema> => ({
  import_error_id: Number(e.id), timestamp: e.createdAt.toISOString(), filename: e.fileloc, stack_trace: e.message, kind: e.kind,
});

export function importErrorRoutes(app: Api, ctx: RouteContext): void {
  app.get('/api/v1/importErrors', {
    config: { permission: 'import_errors.read' },
    schema: { tags: ['ImportError'], summary: 'List DAG file import errors', querystring: ListImportErrorsQuery, response: { 200: ImportErrorCollection, ...errorResponses() } },
  }, async (request) => {
    const q = request.query;
    const page = await dagFilesSql.listImportErrorPage(ctx.db, {
      limit: q.limit, offset: q.offset, orderBy: parseOrderBy<'import_error_id' | 'timestamp' | 'filename'>(q.order_by),
    });
    return { import_errors: page.rows.map(importErrorJson), total_entries: page.total };
  });

  app.get('/api/v1/importErrors/:import_error_id', {
    config: { permission: 'import_errors.read' },
    schema: { tags: ['ImportError'], summary: 'Get an import error', params: ImportErrorIdParams, response: { 200: ImportErrorSchema, ...errorResponses(404) } },
  }, async (request) => {
    const id = request.params.import_error_id;
    const e = (await dagFilesSql.listImportErrorPage(ctx.db, { limit: 1, offset: 0, id: String(id) })).rows[0];
    if (e === undefined) throw new HttpProblem(404, `import error ${id} not found`, { field: 'path.import_error_id' });
    return importErrorJson(e);
  });
}
