/**
 * Templates in task-type options (`sql`, `endpoint`, ...), rendered when the task runs, from the
 * task's context, with the SDK's renderer, macros and filters: the same `{{ ... }}` language and
 * values as a bash command's template (ds, ds_nodash, ts, ts_nodash, logical_date,
 * data_interval_start/end, prev_*_success, run_id, dag_id, task_id, try_number, params.*,
 * conf.*, dag.*, dag_run.*, task.*, ti.*, item for a mapped task, macros.*, the filters).
 * `conn.<id>.<field>`, `var.value.<key>`, `var.json.<key>` and `ti.xcom_pull('task', key=...)`
 * are read first through the task's context (ctx.connection, ctx.variable, ctx.xcom.pull: only
 * what the templates name), as the scheduler does before rendering a bash command; connection
 * passwords and sensitive variables read so are masked in the task's log.
 */
import {
  DagDefinitionError, renderTemplate, TEMPLATE_FILTERS, templateCalls, templateExpressions, TemplateError, templateFunction,
  templateMacros, type TaskConnection, type TaskContext,
} from '@updraft/sdk';

/** The values a template of a running task sees, without conn, var and ti.xcom_pull (see the module comment). */
export function contextTemplateValues(ctx: TaskContext): Record<string, unknown> {
  const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());
  const values: Record<string, unknown> = {
    ds: ctx.ds,
    ds_nodash: ctx.dsNodash,
    ts: ctx.ts,
    ts_nodash: ctx.tsNodash,
    logical_date: iso(ctx.logicalDate),
    data_interval_start: iso(ctx.dataIntervalStart),
    data_interval_end: iso(ctx.dataIntervalEnd),
    prev_data_interval_start_success: iso(ctx.prevDataIntervalStartSuccess),
    prev_data_interval_end_success: iso(ctx.prevDataIntervalEndSuccess),
    prev_start_date_success: iso(ctx.prevStartDateSuccess),
    run_id: ctx.runId,
    dag_id: ctx.dagId,
    task_id: ctx.taskId,
    try_number: ctx.tryNumber,
    params: ctx.params,
    conf: ctx.conf,
    // The worker's context carries the DAG's timezone (not part of the SDK's TaskContext type).
    dag: { dag_id: ctx.dagId, timezone: (ctx as { timezone?: unknown }).timezone ?? 'UTC' },
    dag_run: { run_id: ctx.runId, conf: ctx.conf, logical_date: iso(ctx.logicalDate) },
    task: { task_id: ctx.taskId },
    ti: { dag_id: ctx.dagId, task_id: ctx.taskId, run_id: ctx.runId, try_number: ctx.tryNumber, map_index: ctx.mapIndex },
    macros: templateMacros(),
  };
  const item = (ctx as { item?: unknown }).item;
  if (item !== undefined) values.item = item;
  return values;
}

const SECRET_REF = /\{\{\s*(?:conn\.([A-Za-z0-9_-]+)|var\.(value|json)\.([A-Za-z0-9_-]+))/g;

const connectionValues = (c: TaskConnection): Record<string, unknown> => ({
  conn_id: c.connId, conn_type: c.connType, description: c.description, host: c.host, schema: c.schema, login: c.login,
  password: c.password, port: c.port, extra: c.extra, extra_dejson: c.extraDejson,
});

const xcomKey = (taskId: unknown, key: unknown, mapIndex: unknown): string => JSON.stringify([taskId, key ?? 'return_value', mapIndex ?? null]);

/** `conn`, `var` and `ti.xcom_pull` for `templates`, read through `ctx` (only what they name). */
async function readValues(ctx: TaskContext, templates: readonly string[], values: Record<string, unknown>): Promise<void> {
  const conn: Record<string, unknown> = {};
  const vars = { value: {} as Record<string, unknown>, json: {} as Record<string, unknown> };
  for (const t of templates) {
    for (const m of t.matchAll(SECRET_REF)) {
      if (m[1] !== undefined) conn[m[1]] ??= connectionValues(await ctx.connection(m[1]));
      else if (m[2] === 'json') vars.json[m[3]!] ??= await ctx.variable(m[3]!, { json: true });
      else vars.value[m[3]!] ??= await ctx.variable(m[3]!);
    }
  }
  if (Object.keys(conn).length > 0) values.conn = conn;
  if (Object.keys(vars.value).length + Object.keys(vars.json).length > 0) values.var = vars;
  const pulled = new Map<string, unknown>();
  for (const call of templateCalls(templates, 'ti.xcom_pull')) {
    if (call.dynamic) throw new TemplateError(`task '${ctx.taskId}': ti.xcom_pull() arguments must be literals (quoted task id, key='...')`);
    const taskId = call.args[0] ?? call.kwargs.task_ids;
    if (typeof taskId !== 'string') throw new TemplateError(`task '${ctx.taskId}': ti.xcom_pull() needs a task id`);
    const { key, map_indexes: mapIndex } = call.kwargs;
    if (pulled.has(xcomKey(taskId, key, mapIndex))) continue;
    pulled.set(xcomKey(taskId, key, mapIndex), await ctx.xcom.pull(taskId, {
      ...(typeof key === 'string' ? { key } : {}), ...(typeof mapIndex === 'number' ? { mapIndex } : {}),
    }));
  }
  (values.ti as Record<string, unknown>).xcom_pull = templateFunction((args, kwargs) =>
    pulled.get(xcomKey(args[0] ?? kwargs.task_ids, kwargs.key, kwargs.map_indexes)) ?? null);
}

/**
 * Renders the templates of a running task (see the module comment): `{ sql: '...' }` gives
 * `{ sql: rendered }`. A TemplateError names the task, the option and the block.
 */
export async function renderForTask<K extends string>(ctx: TaskContext, templates: Readonly<Record<K, string>>): Promise<Record<K, string>> {
  const values = contextTemplateValues(ctx);
  const texts = Object.values<string>(templates).filter((t) => t.includes('{{'));
  if (texts.length > 0) await readValues(ctx, texts, values);
  const out = {} as Record<K, string>;
  for (const [what, template] of Object.entries<string>(templates)) {
    out[what as K] = renderTemplate(template, values, `task '${ctx.taskId}' ${what}`, TEMPLATE_FILTERS);
  }
  return out;
}

/** Definition-time check that every `{{ ... }}` of `template` parses (a DAG import error otherwise). */
export function assertTemplateParses(template: string, where: string): void {
  try {
    templateExpressions(template, where);
  } catch (err) {
    if (err instanceof TemplateError) throw new DagDefinitionError('invalid', err.message, { cause: err });
    throw err;
  }
}
