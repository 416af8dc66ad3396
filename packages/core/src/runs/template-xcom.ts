/**
 * XCom in templates: `{{ ti.xcom_pull('t') }}`, `{{ ti.xcom_pull('t', key='k') }}`,
 * `{{ ti.xcom_pull(task_ids='t', map_indexes=2) }}`, `{{ ti.xcom_pull(task_ids=['a', 'b']) }}` (an
 * array, one value per task), `{{ ti.xcom_pull('t', map_indexes=[0, 2]) }}`. The scheduler renders a bash command when the
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

/**
 * The call's arguments as the XComRefs it reads (`many`: it returns an array, one value per task id
 * or map index given as a list, as Airflow's xcom_pull); a message when they are not (task ids,
 * optional key and map indexes).
 */
function refsOf(args: unknown[], kwargs: Record<string, unknown>): { refs: XComRef[]; many: boolean } | string {
  const unknownKw = Object.keys(kwargs).filter((k) => !['task_ids', 'key', 'map_indexes'].includes(k));
  if (unknownKw.length > 0) return `unsupported argument ${unknownKw.join(', ')} (xcom_pull takes a task id, key= and map_indexes=)`;
  if (args.length > 1) return 'xcom_pull takes one positional argument, the task id (use key=... for the key)';
  const taskIds = args[0] ?? kwargs.task_ids;
  const ids = Array.isArray(taskIds) ? taskIds : [taskIds];
  if (ids.length === 0 || ids.some((id) => typeof id !== 'string' || id === '')) {
    return 'the task id must be a string literal (or a list of them)';
  }
  const key = kwargs.key ?? RETURN_VALUE_KEY;
  if (typeof key !== 'string' || key === '') return 'key must be a string literal';
  const mapIndexes = kwargs.map_indexes ?? null;
  const indexes = Array.isArray(mapIndexes) ? mapIndexes : [mapIndexes];
  if (indexes.length === 0 || indexes.some((m) => m !== null && (typeof m !== 'number' || !Number.isInteger(m) || m < 0))) {
    return 'map_indexes must be an integer >= 0 (or a list of them)';
  }
  if (Array.isArray(taskIds) && Array.isArray(mapIndexes)) return 'task_ids and map_indexes cannot both be lists';
  const refs = (ids as string[]).flatMap((taskId) => (indexes as Array<number | null>).map((mapIndex) => ({ taskId, key, mapIndex })));
  return { refs, many: Array.isArray(taskIds) || Array.isArray(mapIndexes) };
}

/** The XCom values `templates` read. INVALID_ARGUMENT (naming `where`) for a call that cannot be prepared. */
export function templateXComRefs(templates: readonly string[], where: string): XComRef[] {
  const refs = new Map<string, XComRef>();
  for (const call of templateCalls(templates, 'ti.xcom_pull')) {
    if (call.dynamic) throw new UpdraftError('INVALID_ARGUMENT', `${where}: ti.xcom_pull() arguments must be literals (quoted task id, key='...')`);
    const read = refsOf(call.args, call.kwargs);
    if (typeof read === 'string') throw new UpdraftError('INVALID_ARGUMENT', `${where}: ti.xcom_pull(): ${read}`);
    for (const ref of read.refs) refs.set(xcomRefText(ref), ref);
  }
  return [...refs.values()];
}

/** `ti.xcom_pull` for rendering: answers from `pulled` (JSON text by xcomRefText; null = no value). */
export function xcomPullFunction(pulled: ReadonlyMap<string, string | null>): TemplateFunction {
  return templateFunction((args, kwargs) => {
    const read = refsOf(args, kwargs);
    if (typeof read === 'string') throw new Error(read);
    const values = read.refs.map((ref) => {
      const json = pulled.get(xcomRefText(ref));
      if (json === undefined) throw new Error(`the value of task '${ref.taskId}' key '${ref.key}' was not read for this template`);
      return json === null ? null : JSON.parse(json) as unknown;
    });
    return read.many ? values : values[0];
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
