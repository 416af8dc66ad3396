/**
 * XCom in templates: `{{ ti.xcom_pull('t') }}`, `{{ ti.xcom_pull('t', key='k') }}`,
 * `{{ ti.xcom_pull(task_ids='t', map_indexes=2) }}`. The scheduler renders a bash command when the
 * task is claimed; it first reads exactly the values the templates name (templateXComRefs), then
 * renders with a `ti.xcom_pull` that answers from what it read.
 */
import { templateCalls, templateFunction, type TemplateFunction } from '@updraft/sdk';
import type { Queryable } from '../db/types.js';
import { UpdraftError } from '../errors.js';
import { pullXComs } from '../sql/xcom.js';

/** One XCom value a template reads: a task of the same run, a key, one map index or all (null). */
export interface XComRef {
  taskId: string;
  key: string;
  mapIndex: number | null;
}

export const RETURN_VALUE_KEY = 'return_value';

export const xcomRefText = (r: XComRef): string => `${r.taskId}\u0000${r.key}\u0000${r.mapIndex ?? 'all'}`;

/** The call's arguments as an XComRef; a message when they are not (one task id, optional key / map index). */
function refOf(args: unknown[], kwargs: Record<string, unknown>): XComRef | string {
  const unknownKw = Object.keys(kwargs).filter((k) => !['task_ids', 'key', 'map_indexes'].includes(k));
  if (unknownKw.length > 0) return `unsupported argument ${unknownKw.join(', ')} (xcom_pull takes a task id, key= and map_indexes=)`;
  if (args.length > 1) return 'xcom_pull takes one positional argument, the task id (use key=... for the key)';
  const taskId = args[0] ?? kwargs.task_ids;
  if (typeof taskId !== 'string' || taskId === '') return 'the task id must be a string literal';
  const key = kwargs.key ?? RETURN_VALUE_KEY;
  if (typeof key !== 'string' || key === '') return 'key must be a string literal';
  const mapIndex = kwargs.map_indexes ?? null;
  if (mapIndex !== null && (typeof mapIndex !== 'number' || !Number.isInteger(mapIndex) || mapIndex < 0)) {
    return 'map_indexes must be an integer >= 0';
  }
  return { taskId, key, mapIndex };
}

/** The XCom values `templates` read. INVALID_ARGUMENT (naming `where`) for a call that cannot be prepared. */
export function templateXComRefs(templates: readonly string[], where: string): XComRef[] {
  const refs = new Map<string, XComRef>();
  for (const call of templateCalls(templates, 'ti.xcom_pull')) {
    if (call.dynamic) throw new UpdraftError('INVALID_ARGUMENT', `${where}: ti.xcom_pull() arguments must be literals (quoted task id, key='...')`);
    const ref = refOf(call.args, call.kwargs);
    if (typeof ref === 'string') throw new UpdraftError('INVALID_ARGUMENT', `${where}: ti.xcom_pull(): ${ref}`);
    refs.set(xcomRefText(ref), ref);
  }
  return [...refs.values()];
}

/** `ti.xcom_pull` for rendering: answers from `pulled` (JSON text by xcomRefText; null = no value). */
export function xcomPullFunction(pulled: ReadonlyMap<string, string | null>): TemplateFunction {
  return templateFunction((args, kwargs) => {
    const ref = refOf(args, kwargs);
    if (typeof ref === 'string') throw new Error(ref);
    const json = pulled.get(xcomRefText(ref));
    if (json === undefined) throw new Error(`the value of task '${ref.taskId}' key '${ref.key}' was not read for this template`);
    return json === null ? null : JSON.parse(json) as unknown;
  });
}

/**
 * The values of `run`'s XCom that `templates` read with ti.xcom_pull(), for xcomPullFunction (JSON
 * text by xcomRefText, null for none); nothing is read when no template pulls. INVALID_ARGUMENT
 * naming `where` for a call that names no literal task id.
 */
export async function templateXComValues(
  db: Queryable, run: { dagId: string; runId: string }, templates: readonly string[], where: string,
): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  if (!templates.some((t) => t.includes('xcom_pull'))) return out;
  const refs = templateXComRefs(templates, where);
  const values = await pullXComs(db, refs.map((r) => ({ dagId: run.dagId, runId: run.runId, taskId: r.taskId, key: r.key, mapIndex: r.mapIndex })));
  refs.forEach((r, i) => out.set(xcomRefText(r), values[i] ?? null));
  return out;
}
