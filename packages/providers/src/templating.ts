/**
 * Templates in task-type options (`sql`, `endpoint`, ...), rendered when the task runs, from the
 * task's context, with the SDK's renderer, macros and filters (the same `{{ ... }}` language as
 * bash commands). The values are those of a bash command's template: ds, ds_nodash, ts,
 * ts_nodash, logical_date, data_interval_start/end, prev_*_success, run_id, dag_id, task_id,
 * try_number, params.*, conf.*, dag.*, dag_run.*, task.*, ti.*, item for a mapped task, macros.*
 * and the filters. Not here: conn.*, var.* and ti.xcom_pull, which the scheduler reads before it
 * renders a bash command; a task reads them with ctx.connection, ctx.variable and ctx.xcom.pull
 * (a `parameters` function gets the context).
 */
import { DagDefinitionError, renderTemplate, TEMPLATE_FILTERS, templateExpressions, TemplateError, templateMacros, type TaskContext } from '@updraft/sdk';

/** The values a template of a running task sees (see the module comment). */
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

/** `template` rendered for the running task; a TemplateError names `where` and the block. */
export function renderForTask(ctx: TaskContext, template: string, where: string): string {
  return renderTemplate(template, contextTemplateValues(ctx), `task '${ctx.taskId}' ${where}`, TEMPLATE_FILTERS);
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
