import { DagDefinitionError } from './errors.js';

export type DurationUnit = 'ms' | 's' | 'm' | 'h' | 'd';

/** Milliseconds as a number, or a string like `'500ms'`, `'30s'`, `'5m'`, `'2h'`, `'1d'`. */
export type Duration = number | `${number}${DurationUnit}`;

const UNIT_MS: Record<DurationUnit, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
// One or more <number><unit> parts, e.g. "1h30m" (accepted at run time for JavaScript DAG files).
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;

/** Converts a Duration to whole milliseconds; `what` names the option in the error message. */
export function parseDuration(value: Duration, what: string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) {
      throw new DagDefinitionError('invalid', `${what}: expected milliseconds >= 0, got ${value}`);
    }
    return Math.round(value);
  }
  if (typeof value !== 'string' || value.length === 0) {
    throw new DagDefinitionError('invalid', `${what}: expected a number of ms or a string like '5m', got ${String(value)}`);
  }
  let total = 0;
  PART.lastIndex = 0;
  let consumed = 0;
  for (let m = PART.exec(value); m !== null; m = PART.exec(value)) {
    total += Number(m[1]) * UNIT_MS[m[2] as DurationUnit];
    consumed = PART.lastIndex;
  }
  if (consumed !== value.length) {
    throw new DagDefinitionError(
      'invalid',
      `${what}: cannot read duration '${value}' (use a number of ms or e.g. '500ms', '30s', '5m', '2h', '1d')`,
    );
  }
  return Math.round(total);
}
