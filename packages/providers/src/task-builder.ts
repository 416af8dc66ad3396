/**
 * What a task type needs from a DAG: its `fn` method. A Dag and a task group's builder both have
 * it, so a task type works at the top level (`sql(d, ...)`) and in a group (`sql(g, ...)`).
 */
import { DagDefinitionError, type Params, type TaskFactory } from '@updraft/sdk';

export type TaskBuilder<P extends Params = Params> = Pick<TaskFactory<P>, 'fn'>;

/** Splits a task type's own options from the task settings it passes on to `fn`; unknown keys are left for `fn` to refuse. */
export function splitOptions<O extends object>(options: O, own: readonly string[]): { own: Partial<O>; args: Record<string, unknown> } {
  const ownPart: Record<string, unknown> = {};
  const args: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) (own.includes(k) ? ownPart : args)[k] = v;
  return { own: ownPart as Partial<O>, args };
}

/** A DagDefinitionError for a bad option of task `taskId` of a task type. */
export function invalidOption(type: string, taskId: string, message: string): DagDefinitionError {
  return new DagDefinitionError('invalid', `${type} task '${String(taskId)}': ${message}`);
}

export function assertOptionsObject(type: string, taskId: string, options: unknown): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalidOption(type, taskId, 'options must be an object');
  }
}

/** `text` cut to `max` characters for a log line, saying how much was left out. */
export function excerpt(text: string, max = 1000): string {
  return text.length <= max ? text : `${text.slice(0, max)}... (${text.length - max} more characters)`;
}
