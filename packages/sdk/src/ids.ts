import { DagDefinitionError } from './errors.js';

/** Allowed dag ids and task ids (as in Airflow): letters, digits, `_`, `.`, `-`; 1 to 250 characters. */
export const ID_PATTERN = /^[A-Za-z0-9_.-]{1,250}$/;

export function assertValidId(what: 'dag id' | 'task id', value: unknown, dagId?: string): asserts value is string {
  if (typeof value === 'string' && ID_PATTERN.test(value)) return;
  const where = dagId === undefined ? '' : `dag '${dagId}': `;
  const shown = typeof value === 'string' ? `'${value}'` : String(value);
  const why =
    typeof value !== 'string'
      ? 'it must be a string'
      : value.length === 0
        ? 'it is empty'
        : value.length > 250
          ? `it is ${value.length} characters long (at most 250)`
          : `it may only contain letters, digits, '_', '.' and '-'`;
  throw new DagDefinitionError('invalid', `${where}invalid ${what} ${shown}: ${why}`, dagId === undefined ? {} : { dagId });
}
