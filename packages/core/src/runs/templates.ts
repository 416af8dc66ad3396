/**
 * Template values of a task instance: the SDK's templateValues (ds, ds_nodash, ts, logical_date,
 * data_interval_*, run_id, dag_id, task_id, try_number, params, conf) plus Airflow's nested
 * aliases `dag.dag_id`, `dag_run.run_id`, `dag_run.conf.*` and `task.task_id`. Rendering errors
 * become UpdraftError('INVALID_ARGUMENT') with the SDK's message.
 */
import { renderTemplate, TemplateError, templateValues } from '@updraft/sdk';
import type { TemplateInput } from '@updraft/sdk';
import { UpdraftError } from '../errors.js';

export function taskTemplateValues(input: TemplateInput): Record<string, unknown> {
  return {
    ...templateValues(input),
    dag: { dag_id: input.dagId, timezone: input.timezone },
    dag_run: { run_id: input.runId, conf: input.conf, logical_date: input.logicalDate.toISOString() },
    task: { task_id: input.taskId },
  };
}

/** renderTemplate with errors as UpdraftError('INVALID_ARGUMENT'); `where` names the template. */
export function renderTaskTemplate(template: string, values: Record<string, unknown>, where: string): string {
  try {
    return renderTemplate(template, values, where);
  } catch (err) {
    if (err instanceof TemplateError) throw new UpdraftError('INVALID_ARGUMENT', err.message, { cause: err });
    throw err;
  }
}
