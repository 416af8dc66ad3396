/**
 * Templates of bash commands and env values: `{{ name }}` or `{{ params.a.b }}` is replaced with a
 * value of the run. Rendered by the scheduler when a task is claimed (DAG files never do it).
 */

/** What a template can use; see templateValues. */
export interface TemplateInput {
  dagId: string;
  taskId: string;
  runId: string;
  logicalDate: Date;
  dataIntervalStart: Date;
  dataIntervalEnd: Date;
  /** The DAG's timezone: ds / ds_nodash are the logical date's calendar day there. */
  timezone: string;
  tryNumber: number;
  /** DAG params merged with the run's conf. */
  params: Record<string, unknown>;
  conf: Record<string, unknown>;
}

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** YYYY-MM-DD of `date` in `timeZone`. */
export function formatDs(date: Date, timeZone: string): string {
  let f = dayFormatters.get(timeZone);
  if (f === undefined) {
    // en-CA formats as YYYY-MM-DD.
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormatters.set(timeZone, f);
  }
  return f.format(date);
}

/**
 * The values templates see: ds, ds_nodash (calendar day of the logical date in the DAG's
 * timezone), ts / logical_date, data_interval_start, data_interval_end (ISO-8601 UTC), run_id,
 * dag_id, task_id, try_number, params.*, conf.*.
 */
export function templateValues(input: TemplateInput): Record<string, unknown> {
  const ds = formatDs(input.logicalDate, input.timezone);
  return {
    ds,
    ds_nodash: ds.replaceAll('-', ''),
    ts: input.logicalDate.toISOString(),
    logical_date: input.logicalDate.toISOString(),
    data_interval_start: input.dataIntervalStart.toISOString(),
    data_interval_end: input.dataIntervalEnd.toISOString(),
    run_id: input.runId,
    dag_id: input.dagId,
    task_id: input.taskId,
    try_number: input.tryNumber,
    params: input.params,
    conf: input.conf,
  };
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_-]+)*)\s*\}\}/g;

function lookup(values: Record<string, unknown>, path: string): { found: boolean; value: unknown } {
  let current: unknown = values;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null || !Object.prototype.hasOwnProperty.call(current, part)) {
      return { found: false, value: undefined };
    }
    current = (current as Record<string, unknown>)[part];
  }
  return { found: true, value: current };
}

/**
 * Replaces every `{{ name }}` of `template` with its value (objects as JSON). An unknown name is a
 * TemplateError naming it and `where` (e.g. "task 'x' command").
 */
export function renderTemplate(template: string, values: Record<string, unknown>, where = 'template'): string {
  return template.replace(PLACEHOLDER, (_match, path: string) => {
    const { found, value } = lookup(values, path);
    if (!found) {
      throw new TemplateError(`${where}: unknown template value '{{ ${path} }}' (known: ${Object.keys(values).join(', ')})`);
    }
    if (value === null || value === undefined) return '';
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}
