/**
 * Templates of bash commands and env values: `{{ name }}` or `{{ params.a.b }}` is replaced with a
 * value of the run. Rendered by the scheduler when a task is claimed (DAG files never do it).
 */
import { exprPath, parseTemplateExpr, TemplateSyntaxError, walkTemplateExpr, type TemplateExpr } from './template-parse.js';

export type { TemplateExpr } from './template-parse.js';

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

/**
 * Per timezone: its formatter, and the last instant formatted with its day. Every task of a run is
 * rendered with the run's logical date, and Intl's format costs tens of microseconds per call on
 * the claim's path; the last answer is reused for the same instant.
 */
const dayFormatters = new Map<string, { format: Intl.DateTimeFormat; lastMs: number; lastDay: string }>();

/** YYYY-MM-DD of `date` in `timeZone`. */
export function formatDs(date: Date, timeZone: string): string {
  let f = dayFormatters.get(timeZone);
  if (f === undefined) {
    // en-CA formats as YYYY-MM-DD.
    f = { format: new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }), lastMs: NaN, lastDay: '' };
    dayFormatters.set(timeZone, f);
  }
  const ms = date.getTime();
  if (ms !== f.lastMs) {
    f.lastDay = f.format.format(date);
    f.lastMs = ms;
  }
  return f.lastDay;
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

const BLOCK = /\{\{([\s\S]*?)\}\}/g;
const TEMPLATE_FN = Symbol.for('updraft.templateFunction');

/** A function templates may call with Jinja-style keyword arguments: `f('a', key='k')`. */
export type TemplateFunction = ((args: unknown[], kwargs: Record<string, unknown>) => unknown) & { [TEMPLATE_FN]: true };

/** Marks `impl` as callable from templates with (positional args, keyword args). */
export function templateFunction(impl: (args: unknown[], kwargs: Record<string, unknown>) => unknown): TemplateFunction {
  return Object.assign((args: unknown[], kwargs: Record<string, unknown>) => impl(args, kwargs), { [TEMPLATE_FN]: true as const });
}

const isTemplateFunction = (v: unknown): v is TemplateFunction => typeof v === 'function' && (v as Partial<TemplateFunction>)[TEMPLATE_FN] === true;

/** A filter: `{{ value | name(args) }}` calls it with the value first. */
export type TemplateFilter = (value: unknown, args: unknown[], kwargs: Record<string, unknown>) => unknown;

function show(e: TemplateExpr): string {
  switch (e.type) {
    case 'name': return e.name;
    case 'literal': return typeof e.value === 'string' ? `'${e.value}'` : String(e.value);
    case 'list': return `[${e.items.map(show).join(', ')}]`;
    case 'member': return `${show(e.object)}.${e.property}`;
    case 'index': return `${show(e.object)}[${show(e.index)}]`;
    case 'call': return `${show(e.callee)}(${[...e.args.map(show), ...Object.entries(e.kwargs).map(([k, v]) => `${k}=${show(v)}`)].join(', ')})`;
    case 'filter': return `${show(e.input)} | ${e.name}`;
  }
}

const hasOwn = (o: unknown, k: string): boolean =>
  ((typeof o === 'object' && o !== null) || typeof o === 'function') && Object.prototype.hasOwnProperty.call(o, k);

interface EvalScope {
  values: Record<string, unknown>;
  filters: Record<string, TemplateFilter>;
  where: string;
  block: string;
}

function evaluate(e: TemplateExpr, s: EvalScope): unknown {
  const unknown = (path: string, extra = ''): never => {
    throw new TemplateError(`${s.where}: unknown template value '{{ ${path} }}' in '{{${s.block}}}'${extra}`);
  };
  switch (e.type) {
    case 'literal':
      return e.value;
    case 'list':
      return e.items.map((item) => evaluate(item, s));
    case 'name':
      if (!hasOwn(s.values, e.name)) unknown(e.name, ` (known: ${Object.keys(s.values).join(', ')})`);
      return s.values[e.name];
    case 'member': {
      const path = exprPath(e);
      if (path !== undefined) {
        // A plain path (`conn.c.password`): an unknown part names the whole path.
        const parts = path.split('.');
        let current: unknown = s.values;
        for (const part of parts) {
          if (!hasOwn(current, part)) unknown(path, current === s.values ? ` (known: ${Object.keys(s.values).join(', ')})` : '');
          current = (current as Record<string, unknown>)[part];
        }
        return current;
      }
      const object = evaluate(e.object, s);
      if (!hasOwn(object, e.property)) unknown(show(e));
      return (object as Record<string, unknown>)[e.property];
    }
    case 'index': {
      const object = evaluate(e.object, s);
      const index = evaluate(e.index, s);
      const k = String(index);
      if (!hasOwn(object, k)) unknown(show(e));
      return (object as Record<string, unknown>)[k];
    }
    case 'call': {
      const fn = evaluate(e.callee, s);
      if (typeof fn !== 'function') throw new TemplateError(`${s.where}: '${show(e.callee)}' is not a function in '{{${s.block}}}'`);
      const args = e.args.map((a) => evaluate(a, s));
      const kwargs = Object.fromEntries(Object.entries(e.kwargs).map(([k, v]) => [k, evaluate(v, s)]));
      try {
        if (isTemplateFunction(fn)) return fn(args, kwargs);
        if (Object.keys(kwargs).length > 0) throw new Error(`${show(e.callee)}() takes no keyword arguments`);
        return (fn as (...a: unknown[]) => unknown)(...args);
      } catch (err) {
        if (err instanceof TemplateError) throw err;
        throw new TemplateError(`${s.where}: ${show(e)} failed in '{{${s.block}}}': ${(err as Error).message}`);
      }
    }
    case 'filter': {
      const filter = Object.prototype.hasOwnProperty.call(s.filters, e.name) ? s.filters[e.name] : undefined;
      if (filter === undefined) {
        throw new TemplateError(`${s.where}: unknown filter '${e.name}' in '{{${s.block}}}' (known: ${Object.keys(s.filters).join(', ') || 'none'})`);
      }
      // `x | default(y)` accepts an unknown x, as Jinja's default filter does.
      const input = e.name === 'default' ? evaluateOrUndefined(e.input, s) : evaluate(e.input, s);
      const args = e.args.map((a) => evaluate(a, s));
      const kwargs = Object.fromEntries(Object.entries(e.kwargs).map(([k, v]) => [k, evaluate(v, s)]));
      try {
        return filter(input, args, kwargs);
      } catch (err) {
        if (err instanceof TemplateError) throw err;
        throw new TemplateError(`${s.where}: filter '${e.name}' failed in '{{${s.block}}}': ${(err as Error).message}`);
      }
    }
  }
}

function evaluateOrUndefined(e: TemplateExpr, s: EvalScope): unknown {
  try {
    return evaluate(e, s);
  } catch (err) {
    if (err instanceof TemplateError && err.message.includes('unknown template value')) return undefined;
    throw err;
  }
}

function parseBlock(block: string, where: string): TemplateExpr {
  try {
    return parseTemplateExpr(block);
  } catch (err) {
    if (err instanceof TemplateSyntaxError) throw new TemplateError(`${where}: cannot read '{{${block}}}': ${err.message}`);
    throw err;
  }
}

/** The parsed expressions of every `{{ ... }}` of `template` (TemplateError when one does not parse). */
export function templateExpressions(template: string, where = 'template'): TemplateExpr[] {
  return [...template.matchAll(BLOCK)].map((m) => parseBlock(m[1]!, where));
}

/**
 * The literal arguments of every call of `calleePath` (e.g. 'ti.xcom_pull') in `templates`:
 * what the scheduler must read before rendering. A call whose arguments are not all literals
 * gives `dynamic: true` (it cannot be prepared).
 */
export function templateCalls(templates: Iterable<string>, calleePath: string): Array<{ args: unknown[]; kwargs: Record<string, unknown>; dynamic: boolean }> {
  const out: Array<{ args: unknown[]; kwargs: Record<string, unknown>; dynamic: boolean }> = [];
  for (const t of templates) {
    if (!t.includes('{{')) continue;
    let exprs: TemplateExpr[];
    try {
      exprs = templateExpressions(t);
    } catch {
      continue; // rendering reports it
    }
    for (const e of exprs) {
      for (const node of walkTemplateExpr(e)) {
        if (node.type !== 'call' || exprPath(node.callee) !== calleePath) continue;
        const all = [...node.args, ...Object.values(node.kwargs)];
        // A list of literals is a literal too (`task_ids=['a', 'b']`).
        const literal = (a: TemplateExpr): boolean => a.type === 'literal' || (a.type === 'list' && a.items.every(literal));
        const dynamic = !all.every(literal);
        const lit = (a: TemplateExpr): unknown => (a.type === 'literal' ? a.value : a.type === 'list' ? a.items.map(lit) : undefined);
        out.push({ args: node.args.map(lit), kwargs: Object.fromEntries(Object.entries(node.kwargs).map(([k, v]) => [k, lit(v)])), dynamic });
      }
    }
  }
  return out;
}

function display(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== 'object') return String(value);
  // A value with its own text form (a zoned date, a duration) shows as that text.
  const own = typeof (value as { toJSON?: unknown }).toJSON === 'function' ? (value as { toJSON(): unknown }).toJSON() : undefined;
  return typeof own === 'string' ? own : JSON.stringify(value);
}

/**
 * Replaces every `{{ expression }}` of `template` with its value (objects as JSON, null as '').
 * An unknown name, filter or unreadable expression is a TemplateError naming it, the block and
 * `where` (e.g. "task 'x' command").
 */
export function renderTemplate(template: string, values: Record<string, unknown>, where = 'template', filters: Record<string, TemplateFilter> = {}): string {
  if (!template.includes('{{')) return template;
  return template.replace(BLOCK, (_match, block: string) => display(evaluate(parseBlock(block, where), { values, filters, where, block })));
}
