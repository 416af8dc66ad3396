/**
 * Read-only resources: a DAG file's source by its file token, the XCom values of a task instance,
 * and the webserver's configuration (Admin only, secrets masked as `updraft config list` masks them).
 */
import { dagFilesSql, listOptions, taskInstancePagesSql, xcomSql, type UpdraftConfig } from '@updraft/core';
import type { Api, RouteContext } from '../api-types.js';
import { HttpProblem } from '../http/problem.js';
import { errorResponses } from './common.schemas.js';
import {
  ConfigOptionParams, ConfigQuery, ConfigSchema, DagSourceSchema, FileTokenParams, GetXComQuery, ListXComQuery, XComCollection, XComListParams,
  XComParams, XComSchema,
} from './reads.schemas.js';

/** 404 unless the named task instance exists. */
async function requireTaskInstance(ctx: RouteContext, p: { dag_id: string; dag_run_id: string; task_id: string }): Promise<void> {
  const page = await taskInstancePagesSql.listTaskInstancePage(ctx.db, { limit: 1, offset: 0, dagId: p.dag_id, runId: p.dag_run_id, taskIds: [p.task_id] });
  const ti = page.rows[0];
  if (ti === undefined) throw new HttpProblem(404, `task instance '${p.task_id}' of run '${p.dag_run_id}' of DAG '${p.dag_id}' not found`, { field: 'path.task_id' });
}

function configSections(cfg: UpdraftConfig, section?: string) {
  const sections = new Map<string, Array<{ key: string; value: string; source: string }>>();
  for (const row of listOptions(cfg)) {
    if (section !== undefined && row.section !== section) continue;
    const list = sections.get(row.section) ?? [];
    list.push({ key: row.key, value: row.value, source: row.source });
    sections.set(row.section, list);
  }
  return [...sections].map(([name, options]) => ({ name, options }));
}

function requireConfig(ctx: RouteContext): UpdraftConfig {
  if (ctx.config === undefined) throw new HttpProblem(503, 'this webserver was started without a configuration to show');
  return ctx.config;
}

export function readRoutes(app: Api, ctx: RouteContext): void {
  app.get('/api/v1/dagSources/:file_token', {
    config: { permission: 'dags.read' },
    schema: { tags: ['DagSource'], summary: 'Get the source of a DAG file (JSON, or text/plain when asked for)', params: FileTokenParams, response: { 200: DagSourceSchema, ...errorResponses(404) } },
  }, async (request, reply) => {
    const code = await dagFilesSql.dagCode(ctx.db, request.params.file_token);
    if (code === null) throw new HttpProblem(404, 'no DAG file source with this file_token', { field: 'path.file_token' });
    const content = code.source.toString('utf8');
    // Airflow answers text/plain to a client that asks for it (and not for JSON).
    const accept = request.headers.accept ?? '';
    if (accept.includes('text/plain') && !accept.includes('application/json')) return reply.type('text/plain; charset=utf-8').serializer((x: unknown) => String(x)).send(content as never);
    return { content };
  });

  app.get('/api/v1/dags/:dag_id/dagRuns/:dag_run_id/taskInstances/:task_id/xcomEntries', {
    config: { permission: 'xcom.read' },
    schema: {
      tags: ['XCom'], summary: 'List the XCom entries of a task instance (`~` as dag_id, dag_run_id or task_id: of every DAG, run or task)',
      params: XComListParams, querystring: ListXComQuery, response: { 200: XComCollection, ...errorResponses(404) },
    },
  }, async (request) => {
    const p = request.params;
    const q = request.query;
    const all = (id: string): string | null => (id === '~' ? null : id);
    // One named task instance that does not exist is a 404, as when getting one entry.
    if (p.dag_id !== '~' && p.dag_run_id !== '~' && p.task_id !== '~') await requireTaskInstance(ctx, p);
    const filter = { dagId: all(p.dag_id), runId: all(p.dag_run_id), taskId: all(p.task_id) ?? undefined, key: q.xcom_key, mapIndex: q.map_index };
    const [entries, total] = await Promise.all([xcomSql.xcomEntries(ctx.db, { ...filter, limit: q.limit, offset: q.offset }), xcomSql.countXComEntries(ctx.db, filter)]);
    return {
      xcom_entries: entries.map((e) => ({
        key: e.key, timestamp: e.createdAt.toISOString(), execution_date: e.logicalDate.toISOString(), map_index: e.mapIndex, task_id: e.taskId, dag_id: e.dagId,
      })),
      total_entries: total,
    };
  });

  app.get('/api/v1/dags/:dag_id/dagRuns/:dag_run_id/taskInstances/:task_id/xcomEntries/:xcom_key', {
    config: { permission: 'xcom.read' },
    schema: { tags: ['XCom'], summary: 'Get an XCom entry', params: XComParams, querystring: GetXComQuery, response: { 200: XComSchema, ...errorResponses(404) } },
  }, async (request) => {
    const p = request.params;
    await requireTaskInstance(ctx, p);
    const e = (await xcomSql.xcomEntries(ctx.db, { dagId: p.dag_id, runId: p.dag_run_id, taskId: p.task_id, key: p.xcom_key, mapIndex: request.query.map_index, limit: 1 }))[0];
    if (e === undefined) throw new HttpProblem(404, `task '${p.task_id}' of run '${p.dag_run_id}' has no XCom '${p.xcom_key}'`, { field: 'path.xcom_key' });
    return {
      key: e.key, timestamp: e.createdAt.toISOString(), execution_date: e.logicalDate.toISOString(), map_index: e.mapIndex, task_id: e.taskId, dag_id: e.dagId,
      value: request.query.deserialize ? JSON.parse(e.valueJson) as unknown : e.valueJson,
    };
  });

  app.get('/api/v1/config', {
    config: { permission: 'config.read' },
    schema: { tags: ['Config'], summary: 'Get the configuration (secrets masked)', querystring: ConfigQuery, response: { 200: ConfigSchema, ...errorResponses(404, 503) } },
  }, async (request) => {
    const sections = configSections(requireConfig(ctx), request.query.section);
    if (sections.length === 0) throw new HttpProblem(404, `no configuration section '${request.query.section}'`, { field: 'query.section' });
    return { sections };
  });

  app.get('/api/v1/config/section/:section/option/:option', {
    config: { permission: 'config.read' },
    schema: { tags: ['Config'], summary: 'Get one configuration option (a secret masked)', params: ConfigOptionParams, response: { 200: ConfigSchema, ...errorResponses(404, 503) } },
  }, async (request) => {
    const p = request.params;
    const section = configSections(requireConfig(ctx), p.section)[0];
    const option = section?.options.find((o) => o.key === p.option);
    if (section === undefined || option === undefined) throw new HttpProblem(404, `no configuration option ${p.section}.${p.option}`, { field: 'path.option' });
    return { sections: [{ name: section.name, options: [option] }] };
  });
}
