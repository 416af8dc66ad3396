/**
 * The templated fields of a try as they were rendered (Airflow's "Rendered Template"), for people
 * to read later: the bash command and the environment. Secret values the templates put in (the
 * try's mask list) become `***`, and every value is cut to a bounded size so a huge command
 * cannot bloat the database.
 */
import { maskValues } from '../secrets/sensitive.js';
import type { RunnableTask } from './task-spec.js';

export interface RenderedFields {
  bash_command?: string;
  env?: Record<string, string>;
}

/** Longest rendered value kept, in characters (a longer one ends with a note of the cut). */
export const MAX_RENDERED_CHARS = 16_384;
/** Most environment variables kept. */
const MAX_ENV_ENTRIES = 100;

function masked(text: string, secrets: readonly string[]): string {
  const out = maskValues(text, secrets);
  return out.length <= MAX_RENDERED_CHARS ? out : `${out.slice(0, MAX_RENDERED_CHARS)}… (${out.length - MAX_RENDERED_CHARS} more characters not kept)`;
}

/** What a try's row keeps of its rendered spec, or null when nothing was templated. */
export function renderedFieldsOf(task: Pick<RunnableTask, 'spec' | 'mask'>): RenderedFields | null {
  const out: RenderedFields = {};
  if (task.spec.kind === 'bash') out.bash_command = masked(task.spec.bashCommand, task.mask);
  const env = Object.entries(task.spec.env).slice(0, MAX_ENV_ENTRIES);
  if (env.length > 0) out.env = Object.fromEntries(env.map(([k, v]) => [k, masked(v, task.mask)]));
  return Object.keys(out).length === 0 ? null : out;
}
