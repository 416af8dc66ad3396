/**
 * /api/v1/backfills: create (and dry-run), list, get, pause, unpause, cancel — Airflow 3's Backfill
 * API over the same job `updraft dags backfill` creates; the scheduler works through it.
 */
import { backfillsSql, createBackfill, planBackfill, type BackfillRequest } from '@updraft/core';
import type { Static } from 'typebox';
import type { Api, RouteContext } from '../api-types.js';
import { recordEvents } from '../http/events.js';
import { HttpProblem } from '../http/problem.js';
import { BackfillBody, BackfillCollection, BackfillIdParams, BackfillSchema, DryRunCollection, ListBackfillsQuery } from './backfills.schemas.js';
import { errorResponses } from './common.schemas.js';

export function backfillJson(b: backfillsSql.BackfillView): Static<typeof BackfillSchema> {
  return {
    id: Number(b.id), dag_id: b.dagId, from_date: b.fromDate.toISOString(), to_date: b.toDate.toISOString(), dag_run_conf: b.conf,
    is_paused: b.state === 'paused', reprocess_behavior: b.reprocessBehavior, max_active_runs: b.maxActiveRuns, run_backwards: b.runBackwards,
    state: b.state, created_at: b.createdAt.toISOString(), completed_at: b.completedAt?.toISOString() ?? null, updated_at: b.updatedAt.toISOString(),
    created_by: b.createdBy, total_intervals: b.totalIntervals, skipped_intervals: b.skippedIntervals, runs: b.runs,
  };
}

function requestOf(body: Static<typeof BackfillBody>, createdBy: string | null): BackfillRequest {
  const fromDate = new Date(body.from_date);
  const toDate = new Date(body.to_date);
  if (fromDate > toDate) throw new HttpProblem(400, 'from_date is after to_date', { field: 'body.from_date' });
  return {
    dagId: body.dag_id, fromDate, toDate, runBackwards: body.run_backwards, conf: body.dag_run_conf,
    reprocessBehavior: body.reprocess_behavior, maxActiveRuns: body.max_active_runs, createdBy,
  };
}

async function findBackfill(ctx: RouteContext, id: string): Promise<backfillsSql.BackfillView> {
  const b = await backfillsSql.getBackfill(ctx.db, id);
  if (b === null) throw new HttpProblem(404, `backfill ${id} not found`, { field: 'path.backfill_id' });
  return b;
}

export function backfillRoutes(app: Api, ctx: RouteContext): void {
  app.post('/api/v1/backfills', {
    config: { permission: 'dag_runs.create' },
    schema: {
      tags: ['Backfill'], summary: 'Create a backfill: one run per schedule interval in the range (409 when the DAG has an active one)',
      body: BackfillBody, response: { 200: BackfillSchema, ...errorResponses(404, 409) },
    },
  }, async (request) => {
    const made = await createBackfill(ctx.db, requestOf(request.body, request.user?.username ?? null));
    await recordEvents(ctx.db, request, [{
      event: 'backfill.create', dagId: request.body.dag_id,
      extra: { backfill_id: Number(made.backfillId), created: made.created, reprocessed: made.reprocessed, skipped: made.skipped },
    }]);
    return backfillJson(await findBackfill(ctx, made.backfillId));
  });

  app.post('/api/v1/backfills/dry_run', {
    config: { permission: 'dag_runs.read' },
    schema: {
      tags: ['Backfill'], summary: 'The logical dates a backfill would cover, and what it would do with each; creates nothing',
      body: BackfillBody, response: { 200: DryRunCollection, ...errorResponses(404) },
    },
  }, async (request) => {
    const plan = await planBackfill(ctx.db, requestOf(request.body, null));
    return {
      backfills: plan.intervals.map((i) => ({
        logical_date: i.logicalDate.toISOString(), data_interval_start: i.dataIntervalStart.toISOString(),
        data_interval_end: i.dataIntervalEnd.toISOString(), action: i.action, reason: i.reason,
      })),
      total_entries: plan.intervals.length,
    };
  });

  app.get('/api/v1/backfills', {
    config: { permission: 'dag_runs.read' },
    schema: { tags: ['Backfill'], summary: 'List backfills, newest first', querystring: ListBackfillsQuery, response: { 200: BackfillCollection, ...errorResponses() } },
  }, async (request) => {
    const q = request.query;
    const page = await backfillsSql.listBackfills(ctx.db, { dagId: q.dag_id, active: q.active === true, limit: q.limit, offset: q.offset });
    return { backfills: page.rows.map(backfillJson), total_entries: page.total };
  });

  app.get('/api/v1/backfills/:backfill_id', {
    config: { permission: 'dag_runs.read' },
    schema: { tags: ['Backfill'], summary: 'Get a backfill with the states of its runs', params: BackfillIdParams, response: { 200: BackfillSchema, ...errorResponses(404) } },
  }, async (request) => backfillJson(await findBackfill(ctx, request.params.backfill_id)));

  const action = (name: 'pause' | 'unpause' | 'cancel', summary: string): void => {
    app.put(`/api/v1/backfills/:backfill_id/${name}`, {
      config: { permission: 'dag_runs.edit' },
      schema: { tags: ['Backfill'], summary, params: BackfillIdParams, response: { 200: BackfillSchema, ...errorResponses(404, 409) } },
    }, async (request) => {
      const id = request.params.backfill_id;
      const before = await findBackfill(ctx, id);
      if (before.state === 'completed' || before.state === 'cancelled') {
        throw new HttpProblem(409, `backfill ${id} is already ${before.state}`, { field: 'path.backfill_id' });
      }
      if (name === 'cancel') await backfillsSql.cancelBackfill(ctx.db, id);
      else await backfillsSql.setBackfillPaused(ctx.db, id, name === 'pause');
      await recordEvents(ctx.db, request, [{ event: `backfill.${name}`, dagId: before.dagId, extra: { backfill_id: Number(id) } }]);
      return backfillJson(await findBackfill(ctx, id));
    });
  };
  action('pause', 'Pause a backfill: no new run of it starts; running ones finish');
  action('unpause', 'Resume a paused backfill');
  action('cancel', 'Cancel a backfill: its queued runs end failed, running ones finish');
}
