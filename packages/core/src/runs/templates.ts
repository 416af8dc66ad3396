/**
 * Template values of a task instance: the SDK's templateValues (ds, ds_nodash, ts, logical_date,
 * data_interval_*, run_id, dag_id, task_id, try_number, params, conf) plus Airflow's nested
 * aliases `dag.dag_id`, `dag_run.run_id`, `dag_run.conf.*` and `task.task_id`, `ts_nodash`, the
 * `prev_*_success` values of the latest earlier successful run, `macros.*` and the date filters
 * (the SDK's template-macros.ts). Rendering errors become UpdraftError('INVALID_ARGUMENT') with the SDK's message.
 */
import { renderTemplate, TEMPLATE_FILTERS, TemplateError, templateMacros, templateValues } from '@updraft/sdk';
import type { TemplateInput } from '@updraft/sdk';
import { UpdraftError } from '../errors.js';

/** The latest earlier successful run of the same DAG (by logical date): Airflow's prev_*_success. */
export interface PreviousSuccess {
  dataIntervalStart: Date;
  dataIntervalEnd: Date;
  startDate: Date | null;
}

/** YYYYMMDDTHHMMSS of an instant in UTC (Airflow's ts_nodash). */
export const tsNodash = (d: Date): string => d.toISOString().slice(0, 19).replace(/[-:]/g, '');

export function taskTemplateValues(input: TemplateInput, prev: PreviousSuccess | null = null): Record<string, unknown> {
  return {
    ...templateValues(input),
    ts_nodash: tsNodash(input.logicalDate),
    prev_data_interval_start_success: prev?.dataIntervalStart.toISOString() ?? null,
    prev_data_interval_end_success: prev?.dataIntervalEnd.toISOString() ?? null,
    prev_start_date_success: prev?.startDate?.toISOString() ?? null,
    dag: { dag_id: input.dagId, timezone: input.timezone },
    dag_run: { run_id: input.runId, conf: input.conf, logical_date: input.logicalDate.toISOString() },
    task: { task_id: input.taskId },
    macros: templateMacros(),
  };
}

/** renderTemplate with errors as UpdraftError('INVALID_ARGUMENT'); `where` names the template. */
export function renderTaskTemplate(template: string, values: Record<string, unknown>, where: string): string {
  try {
    return renderTemplate(template, values, where, TEMPLATE_FILTERS);
  } catch (err) {
    if (err instanceof TemplateError) throw new UpdraftError('INVALID_ARGUMENT', err.message, { cause: err });
    throw err;
  }
}
