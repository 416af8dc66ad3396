/** /api/v1/dags: list, get, details, tasks, pause, delete (Airflow 2's stable API). */
import type { SerializedDag, SerializedTask } from '@updraft/sdk';
import { dagDeleteSql, dagFavoritesSql, dagRunsSql, dagsSql, nextRunOf, scheduleDescription } from '@updraft/core';

type DagView = dagsSql.DagView;
import type { FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import type { Api, RouteContext } from '../api-types.js';
import { recordEvents } from '../http/events.js';
import { HttpProblem } from '../http/problem.js';
import { Deleted, errorResponses, iso, parseOrderBy } from './common.schemas.js';
import type { TaskSchema } from './dags.schemas.js';
import {
  DagCollection, DagDetailSchema, DagIdParams, DagSchema, DagUpdateMaskQuery, ListDagsQuery, PatchDagBody, PatchDagsQuery, TaskCollection,
} from './dags.schemas.js';

type DagJson = Static<typeof DagSchema>;
type ParamSpecJson = Static<typeof DagDetailSchema>['param_specs'][string];

export function dagJson(d: DagView): DagJson {
  // The run the scheduler will really create: not a stored plan that came due during a pause.
  const next = nextRunOf(d);
  return {
    dag_id: d.dagId, dag_display_name: d.dagId, root_dag_id: null, is_paused: d.isPaused, is_active: d.isActive, is_subdag: false,
    last_parsed_time: iso(d.lastParsedAt), fileloc: d.fileloc, file_token: d.fileToken, owners: [d.owner], description: d.description,
    schedule_interval: scheduleInterval(d), timetable_description: scheduleDescription(d), tags: d.tags.map((name) => ({ name })), max_active_tasks: d.maxActiveTasks,
    max_active_runs: d.maxActiveRuns, has_task_concurrency_limits: d.hasTaskConcurrencyLimits, has_import_errors: d.hasImportErrors,
    next_dagrun: iso(next?.logicalDate ?? null), next_dagrun_data_interval_start: iso(next?.dataIntervalStart ?? null),
    next_dagrun_data_interval_end: iso(next?.dataIntervalEnd ?? null), next_dagrun_create_after: iso(next?.runAfter ?? null),
    next_run_assets: d.assetSchedule === null ? null : d.assetSchedule.map((uri) => ({ uri, updated: d.assetsUpdated?.includes(uri) === true })),
    next_run_aliases: d.aliasSchedule === null ? null : d.aliasSchedule.map((name) => ({ name, updated: d.aliasesUpdated?.includes(name) === true })),
  };
}

/** By next_dagrun (ISO strings of one format sort as their instants), DAGs without one last, then by dag id: as the SQL orders other columns. */
function byNextRun(desc: boolean): (a: DagJson, b: DagJson) => number {
  return (a, b) => {
    const x = a.next_dagrun;
    const y = b.next_dagrun;
    if (x !== y) {
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : 1) * (desc ? -1 : 1);
    }
    return a.dag_id < b.dag_id ? -1 : a.dag_id > b.dag_id ? 1 : 0;
  };
}

/** Airflow's schedule_interval: a delta timetable as a TimeDelta, a cron (schedule or cron trigger) as a CronExpression. */
function scheduleInterval(d: DagView): DagJson['schedule_interval'] {
  const t = d.timetable;
  if (t?.kind === 'delta') return timeDelta(t.everyMs);
  if (t?.kind === 'cronTrigger') return { __type: 'CronExpression', value: t.cron };
  return d.schedule === null ? null : { __type: 'CronExpression', value: d.schedule };
}

/** The params as the DAG file ordered them (stored JSON has its own key order); older versions without an order as stored. */
function inDefinitionOrder(params: Record<string, unknown>, order: readonly string[] | undefined): Record<string, unknown> {
  if (order === undefined) return params;
  const names = [...order.filter((k) => k in params), ...Object.keys(params).filter((k) => !order.includes(k))];
  return Object.fromEntries(names.map((k) => [k, params[k]]));
}

const CLASS_NAMES: Record<string, string> = { bash: 'BashTask', function: 'FunctionTask', empty: 'EmptyTask' };
const classNameOf = (t: SerializedTask): string => (t.triggerDagRun !== undefined ? 'TriggerDagRunTask'
  : t.latestOnly === true ? 'LatestOnlyTask' : CLASS_NAMES[t.kind] ?? t.kind);
const templateFieldsOf = (t: SerializedTask): string[] => (t.kind === 'bash' ? ['bash_command', 'env']
  : t.triggerDagRun !== undefined ? ['trigger_run_id', 'logical_date', 'conf'] : []);

function timeDelta(ms: number): { __type: 'TimeDelta'; days: number; seconds: number; microseconds: number };
function timeDelta(ms: number | null): { __type: 'TimeDelta'; days: number; seconds: number; microseconds: number } | null;
function timeDelta(ms: number | null) {
  if (ms === null) return null;
  const seconds = Math.floor(ms / 1000);
  return { __type: 'TimeDelta' as const, days: Math.floor(seconds / 86_400), seconds: seconds % 86_400, microseconds: Math.round((ms % 1000) * 1000) };
}

function taskJson(dag: SerializedDag, t: SerializedTask): Static<typeof TaskSchema> {
  return {
    class_ref: { module_path: '@updraft/sdk', class_name: classNameOf(t) }, task_id: t.taskId, task_display_name: t.taskId,
    owner: t.owner, start_date: dag.startDate, end_date: dag.endDate, trigger_rule: t.triggerRule, extra_links: [],
    depends_on_past: t.dependsOnPast === true, is_mapped: t.expand !== undefined, is_setup: t.setup === true, is_teardown: t.teardown !== undefined, wait_for_downstream: t.waitForDownstream === true, retries: t.retries, queue: t.queue, pool: t.pool,
    pool_slots: t.poolSlots ?? 1, execution_timeout: timeDelta(t.executionTimeoutMs),
    retry_delay: timeDelta(t.retryDelayMs), retry_exponential_backoff: t.retryExponentialBackoff, priority_weight: t.priorityWeight,
    weight_rule: t.weightRule ?? 'downstream', ui_color: '#fff', ui_fgcolor: '#000', template_fields: templateFieldsOf(t),
    sub_dag: null, downstream_task_ids: [...t.downstream], doc_md: t.doc,
  };
}

/** The DAG with its serialized form, or 404. */
async function findDag(ctx: RouteContext, dagId: string): Promise<DagView & { data: SerializedDag }> {
  const page = await dagsSql.listDagPage(ctx.db, { limit: 1, offset: 0, dagIds: [dagId], onlyActive: false }, { withData: true });
  const d = page.rows[0];
  if (d === undefined || d.data === undefined) throw new HttpProblem(404, `DAG '${dagId}' not found`, { field: 'path.dag_id' });
  return d as DagView & { data: SerializedDag };
}

/** Pauses or unpauses DAGs, writes the event log for those that changed, and wakes a scheduler for those unpaused (queued runs may start). */
async function setPaused(ctx: RouteContext, request: FastifyRequest, dagIds: readonly string[], paused: boolean): Promise<void> {
  const changed = await dagsSql.setDagsPaused(ctx.db, dagIds, paused);
  if (!paused) for (const dagId of changed) await dagRunsSql.notifyDagRuns(ctx.db, dagId);
  await recordEvents(ctx.db, request, changed.map((dagId) => ({ event: paused ? 'pause' : 'unpause', dagId })));
}

export function dagRoutes(app: Api, ctx: RouteContext): void {
  app.patch('/api/v1/dags', {
    config: { permission: 'dags.edit' },
    schema: {
      tags: ['DAG'], summary: 'Pause or unpause the DAGs matching dag_id_pattern (and tags); answers the changed DAGs',
      querystring: PatchDagsQuery, body: PatchDagBody, response: { 200: DagCollection, ...errorResponses() },
    },
  }, async (request) => {
    const q = request.query;
    const filter = { limit: q.limit, offset: q.offset, tags: q.tags, onlyActive: q.only_active, dagIdPattern: q.dag_id_pattern === '~' ? undefined : q.dag_id_pattern };
    const page = await dagsSql.listDagPage(ctx.db, filter);
    await setPaused(ctx, request, page.rows.map((d) => d.dagId), request.body.is_paused);
    const after = await dagsSql.listDagPage(ctx.db, { ...filter, offset: 0, dagIds: page.rows.map((d) => d.dagId) });
    return { dags: after.rows.map(dagJson), total_entries: page.total };
  });

  app.patch('/api/v1/dags/:dag_id', {
    config: { permission: 'dags.edit' },
    schema: {
      tags: ['DAG'], summary: 'Pause or unpause a DAG', params: DagIdParams, querystring: DagUpdateMaskQuery, body: PatchDagBody,
      response: { 200: DagSchema, ...errorResponses(404) },
    },
  }, async (request) => {
    const dagId = request.params.dag_id;
    await findDag(ctx, dagId);
    await setPaused(ctx, request, [dagId], request.body.is_paused);
    return dagJson(await findDag(ctx, dagId));
  });

  app.delete('/api/v1/dags/:dag_id', {
    config: { permission: 'dags.delete' },
    schema: {
      tags: ['DAG'], summary: 'Delete a DAG with all its records',
      description: 'Deletes the DAG\'s runs, task instances, tries, XCom, versions, backfills, callbacks and alerts (the event log and task log files stay). ' +
        '409 while any of its task instances is queued or running. A DAG whose file is still in the DAGs folder comes back, without history, at the next parse.',
      params: DagIdParams, response: { 204: Deleted, ...errorResponses(404, 409) },
    },
  }, async (request, reply) => {
    const dagId = request.params.dag_id;
    const result = await dagDeleteSql.deleteDag(ctx.db, dagId);
    if (result.outcome === 'not_found') throw new HttpProblem(404, `DAG '${dagId}' not found`, { field: 'path.dag_id' });
    if (result.outcome === 'active') {
      throw new HttpProblem(409, `DAG '${dagId}' has ${result.active} task instance(s) queued or running: wait for them to end (or mark their runs failed), then delete it`, { field: 'path.dag_id' });
    }
    await recordEvents(ctx.db, request, [{ event: 'dag.delete', dagId, extra: { runs: result.runs, task_instances: result.taskInstances } }]);
    return reply.code(204).send(null);
  });

  app.get('/api/v1/dags', {
    config: { permission: 'dags.read' },
    schema: { tags: ['DAG'], summary: 'List DAGs', querystring: ListDagsQuery, response: { 200: DagCollection, ...errorResponses() } },
  }, async (request) => {
    const q = request.query;
    const orderBy = parseOrderBy<dagsSql.DagOrderColumn>(q.order_by);
    const favorites = q.is_favorite === undefined ? undefined : await dagFavoritesSql.favoriteDagIds(ctx.db, request.user!.id);
    const filter = {
      tags: q.tags, paused: q.paused, onlyActive: q.only_active, dagIdPattern: q.dag_id_pattern, lastRunState: q.last_dag_run_state,
      ...(favorites === undefined ? {} : q.is_favorite ? { dagIds: favorites } : { excludeDagIds: favorites }),
    };
    if (orderBy?.column === 'next_dagrun') {
      // The next run shown is computed (a paused DAG's plan that came due is not what it will run),
      // so the order is too: every matching DAG is read, then sorted and paged here.
      const all = await dagsSql.listDagPage(ctx.db, { ...filter, limit: Number.MAX_SAFE_INTEGER, offset: 0 });
      const dags = all.rows.map(dagJson).sort(byNextRun(orderBy.desc));
      return { dags: dags.slice(q.offset, q.offset + q.limit), total_entries: all.total };
    }
    const page = await dagsSql.listDagPage(ctx.db, { ...filter, limit: q.limit, offset: q.offset, orderBy });
    return { dags: page.rows.map(dagJson), total_entries: page.total };
  });

  app.get('/api/v1/dags/:dag_id', {
    config: { permission: 'dags.read' },
    schema: { tags: ['DAG'], summary: 'Get a DAG', params: DagIdParams, response: { 200: DagSchema, ...errorResponses(404) } },
  }, async (request) => dagJson(await findDag(ctx, request.params.dag_id)));

  app.get('/api/v1/dags/:dag_id/details', {
    config: { permission: 'dags.read' },
    schema: { tags: ['DAG'], summary: 'Get a DAG with its details', params: DagIdParams, response: { 200: DagDetailSchema, ...errorResponses(404) } },
  }, async (request) => {
    const d = await findDag(ctx, request.params.dag_id);
    const s = d.data;
    return {
      ...dagJson(d), catchup: s.catchup, concurrency: d.maxActiveTasks, start_date: s.startDate, end_date: s.endDate,
      dag_run_timeout: timeDelta(s.dagrunTimeoutMs ?? null),
      max_consecutive_failed_dag_runs: s.maxConsecutiveFailedDagRuns ?? 0, fail_fast: s.failFast === true, doc_md: s.description, default_view: 'grid', params: inDefinitionOrder(s.params, s.paramOrder), param_specs: structuredClone(s.paramSpecs ?? {}) as Record<string, ParamSpecJson>, is_paused_upon_creation: s.isPausedUponCreation,
      timezone: s.timezone, last_parsed: iso(d.lastParsedAt), render_template_as_native_obj: false, template_search_path: null,
    };
  });

  app.get('/api/v1/dags/:dag_id/tasks', {
    config: { permission: 'dags.read' },
    schema: { tags: ['DAG'], summary: 'List the tasks of a DAG', params: DagIdParams, response: { 200: TaskCollection, ...errorResponses(404) } },
  }, async (request) => {
    const d = await findDag(ctx, request.params.dag_id);
    const tasks = d.data.tasks.map((t) => taskJson(d.data, t));
    return { tasks, total_entries: tasks.length };
  });
}
