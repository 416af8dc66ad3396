/** /api/v1/dags/{dag_id}/dagRuns: list (also `~` for every DAG), get, trigger, set a run's note. */
import { DuplicateRunError, dagRunsSql, isUpdraftError, triggerDagRun } from '@updraft/core';

type DagRunView = dagRunsSql.DagRunView;
import type { Static } from 'typebox';
import type { Api, RouteContext } from '../api-types.js';
import { recordEvents } from '../http/events.js';
import { HttpProblem } from '../http/problem.js';
import { DagIdParams } from './dags.schemas.js';
import { errorResponses, iso, parseOrderBy, range } from './common.schemas.js';
import { DagRunCollection, DagRunParams, DagRunSchema, ListDagRunsQuery, RunListParams, SetDagRunNoteBody, TriggerDagRunBody } from './dag-runs.schemas.js';

export function dagRunJson(r: DagRunView): Static<typeof DagRunSchema> {
  const logical = r.logicalDate.toISOString();
  return {
    dag_run_id: r.runId, dag_id: r.dagId, logical_date: logical, execution_date: logical, start_date: iso(r.startDate),
    end_date: iso(r.endDate), data_interval_start: iso(r.dataIntervalStart), data_interval_end: iso(r.dataIntervalEnd),
    last_scheduling_decision: null, queued_at: iso(r.queuedAt), run_type: r.runType, state: r.state,
    external_trigger: r.runType === 'manual', conf: r.conf, note: r.note, deadline_missed_at: iso(r.deadlineMissedAt),
    dag_version: r.version === null || r.dagHash === null ? null
      : { dag_hash: r.dagHash, fileloc: r.version.fileloc, file_token: r.version.fileHash, created_at: r.version.createdAt.toISOString() },
    bundle_version: r.bundleVersion, bundle_commit: r.bundleCommit,
  };
}

/** One run, or 404 naming what is missing. */
export async function findRun(ctx: RouteContext, dagId: string, runId: string): Promise<DagRunView> {
  const page = await dagRunsSql.listDagRunPage(ctx.db, { limit: 1, offset: 0, dagIds: [dagId], runIds: [runId] });
  const run = page.rows[0];
  if (run === undefined) throw new HttpProblem(404, `DAG run '${runId}' of DAG '${dagId}' not found`, { field: 'path.dag_run_id' });
  return run;
}

export function dagRunRoutes(app: Api, ctx: RouteContext): void {
  app.get('/api/v1/dags/:dag_id/dagRuns', {
    config: { permission: 'dag_runs.read' },
    schema: {
      tags: ['DAGRun'], summary: 'List DAG runs (`~` as dag_id: of every DAG)', params: RunListParams, querystring: ListDagRunsQuery,
      response: { 200: DagRunCollection, ...errorResponses() },
    },
  }, async (request) => {
    const q = request.query;
    const page = await dagRunsSql.listDagRunPage(ctx.db, {
      limit: q.limit, offset: q.offset, dagIds: request.params.dag_id === '~' ? null : [request.params.dag_id], states: q.state,
      logicalDate: range(q, 'execution_date'), startDate: range(q, 'start_date'), endDate: range(q, 'end_date'),
      orderBy: parseOrderBy<dagRunsSql.DagRunOrderColumn>(q.order_by),
    });
    return { dag_runs: page.rows.map(dagRunJson), total_entries: page.total };
  });

  app.get('/api/v1/dags/:dag_id/dagRuns/:dag_run_id', {
    config: { permission: 'dag_runs.read' },
    schema: { tags: ['DAGRun'], summary: 'Get a DAG run', params: DagRunParams, response: { 200: DagRunSchema, ...errorResponses(404) } },
  }, async (request) => dagRunJson(await findRun(ctx, request.params.dag_id, request.params.dag_run_id)));

  app.post('/api/v1/dags/:dag_id/dagRuns', {
    config: { permission: 'dag_runs.create' },
    schema: {
      tags: ['DAGRun'], summary: 'Trigger a DAG run', params: DagIdParams, body: TriggerDagRunBody,
      response: { 200: DagRunSchema, ...errorResponses(404, 409) },
    },
  }, async (request) => {
    const dagId = request.params.dag_id;
    const b = request.body ?? {};
    const logical = b.logical_date ?? b.execution_date ?? undefined;
    let runId: string;
    try {
      const run = await triggerDagRun({
        db: ctx.db, dagId, conf: b.conf ?? {}, logicalDate: logical ? new Date(logical) : undefined, runId: b.dag_run_id ?? undefined,
      });
      runId = run.runId;
    } catch (err) {
      if (isUpdraftError(err, 'DAG_NOT_FOUND')) throw new HttpProblem(404, err.message, { field: 'path.dag_id', cause: err });
      if (isUpdraftError(err, 'ALREADY_EXISTS')) {
        const field = err instanceof DuplicateRunError && err.field === 'logical_date' ? 'body.logical_date' : 'body.dag_run_id';
        throw new HttpProblem(409, err.message, { field, cause: err });
      }
      if (isUpdraftError(err, 'INVALID_ARGUMENT') && err.message.startsWith('conf ')) throw new HttpProblem(400, err.message, { field: 'body.conf', cause: err });
      throw err;
    }
    if (b.note !== undefined && b.note !== null) await dagRunsSql.setDagRunNote(ctx.db, dagId, runId, b.note);
    await recordEvents(ctx.db, request, [{ event: 'trigger', dagId, runId, extra: { conf_keys: Object.keys(b.conf ?? {}) } }]);
    return dagRunJson(await findRun(ctx, dagId, runId));
  });

  app.patch('/api/v1/dags/:dag_id/dagRuns/:dag_run_id/setNote', {
    config: { permission: 'dag_runs.edit' },
    schema: {
      tags: ['DAGRun'], summary: 'Set the note of a DAG run', params: DagRunParams, body: SetDagRunNoteBody,
      response: { 200: DagRunSchema, ...errorResponses(404) },
    },
  }, async (request) => {
    const { dag_id: dagId, dag_run_id: runId } = request.params;
    const note = request.body.note?.trim() ? request.body.note : null;
    if (!(await dagRunsSql.setDagRunNote(ctx.db, dagId, runId, note))) await findRun(ctx, dagId, runId);
    await recordEvents(ctx.db, request, [{ event: 'dag_run.note', dagId, runId, extra: { cleared: note === null } }]);
    return dagRunJson(await findRun(ctx, dagId, runId));
  });
}

