/**
 * A syntax and range check of cron expressions, so a DAG file gets a DagDefinitionError where it
 * is written (the SDK has no dependencies; the scheduler evaluates cron with cron-parser and checks
 * again when the DAG is parsed).
 */

const PRESETS = ['@hourly', '@daily', '@weekly', '@monthly', '@yearly'];
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface Field { name: string; min: number; max: number; names?: string[] }
const SECOND: Field = { name: 'second', min: 0, max: 59 };
const FIELDS: Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 0, max: 7, names: DAYS },
];

function valueOf(token: string, f: Field): number | null {
  if (/^\d+$/.test(token)) return Number(token);
  const i = f.names?.indexOf(token.toUpperCase()) ?? -1;
  return i < 0 ? null : i + (f.names === MONTHS ? 1 : 0);
}

/** The problem with one comma-separated item of field `f`, or null. */
function itemProblem(item: string, f: Field): string | null {
  // cron-parser's extras: L (last), nW (weekday nearest), nL and n#k (day of week).
  if (f.name === 'day-of-month' && /^(L|LW|\d{1,2}W)$/i.test(item)) return null;
  if (f.name === 'day-of-week' && /^([0-7]L|[0-7]#[1-5]|L)$/i.test(item)) return null;
  const [range, step, extra] = item.split('/');
  if (extra !== undefined || range === undefined || range === '') return `'${item}' in the ${f.name} field`;
  if (step !== undefined && !(/^\d+$/.test(step) && Number(step) > 0)) return `step '${step}' in the ${f.name} field must be a whole number > 0`;
  if (range === '*' || range === '?') return null;
  const bounds = range.split('-');
  if (bounds.length > 2) return `'${item}' in the ${f.name} field`;
  const values = bounds.map((b) => valueOf(b, f));
  for (const [i, v] of values.entries()) {
    if (v === null) return `'${bounds[i]}' in the ${f.name} field is not a number${f.names ? ' or a name' : ''}`;
    if (v < f.min || v > f.max) return `${v} is out of range for the ${f.name} field (${f.min}-${f.max})`;
  }
  if (values.length === 2 && values[0]! > values[1]!) return `range '${range}' in the ${f.name} field runs backwards`;
  return null;
}

/**
 * Null when `expression` is a preset (@hourly @daily @weekly @monthly @yearly) or a cron expression
 * of 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first) with values in
 * range; else what is wrong, in words.
 */
export function checkCronExpression(expression: string): string | null {
  const trimmed = expression.trim();
  if (trimmed.startsWith('@')) return PRESETS.includes(trimmed) ? null : `unknown preset (known: ${PRESETS.join(', ')})`;
  const parts = trimmed.split(/\s+/).filter((p) => p.length > 0);
  if (parts.length !== 5 && parts.length !== 6) {
    return `a cron expression has 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first), got ${parts.length}`;
  }
  const fields = parts.length === 6 ? [SECOND, ...FIELDS] : FIELDS;
  for (const [i, part] of parts.entries()) {
    for (const item of part.split(',')) {
      const problem = itemProblem(item, fields[i]!);
      if (problem !== null) return problem;
    }
  }
  return null;
}
