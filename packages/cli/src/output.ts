/** Small output and argument helpers shared by the run/task/worker command groups. */
import { InvalidArgumentError } from 'commander';
import { assertIdentifier, UpdraftError, type IdentifierKind } from '@updraft/core/data';
import { resolveDate } from '@updraft/sdk';

/** Columns padded to their widest cell; the last column is not padded. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd())
    .join('\n');
}

/** A commander argument parser accepting one of `allowed`. */
export function oneOf<T extends string>(option: string, allowed: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(allowed as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`${option} must be one of ${allowed.join(', ')}, got "${value}"`);
    }
    return value as T;
  };
}

/** A commander argument parser for integers >= min. */
export function integerAtLeast(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer >= ${min}, got "${value}"`);
    return n;
  };
}

/**
 * A date given on the command line: ISO-8601 with `Z` or an offset as that instant; a naive one
 * ('2024-01-01', '2024-01-01T06:00') as wall-clock time in `timeZone` (the DAG's).
 */
export function parseDateArgument(value: string, timeZone: string, what: string): Date {
  try {
    return resolveDate(value, timeZone, what);
  } catch (err) {
    throw new UpdraftError('INVALID_ARGUMENT', err instanceof Error ? err.message : String(err), { cause: err });
  }
}

/** `--conf JSON`: a JSON object. */
export function parseConf(value: string | undefined): Record<string, unknown> {
  if (value === undefined) return {};
  let conf: unknown;
  try {
    conf = JSON.parse(value);
  } catch (err) {
    throw new UpdraftError('INVALID_ARGUMENT', `--conf is not valid JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (conf === null || typeof conf !== 'object' || Array.isArray(conf)) {
    throw new UpdraftError('INVALID_ARGUMENT', `--conf must be a JSON object such as '{"key": "value"}', got ${Array.isArray(conf) ? 'an array' : JSON.stringify(conf)}`);
  }
  return conf as Record<string, unknown>;
}

/** 850 ms, 12.3 s, 4 min 05 s; '' for null. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** ISO instant without milliseconds; '' for null. */
export const formatInstant = (d: Date | null): string => (d === null ? '' : d.toISOString().replace(/\.\d{3}Z$/, 'Z'));

/** Command-line DAG ids and the like: a clear error for an empty one. */
export function requireNonEmpty(value: string, what: string): string {
  if (value.trim() === '') throw new UpdraftError('INVALID_ARGUMENT', `${what} must not be empty`);
  return value;
}

/**
 * A commander parser for an id argument or option: checked against the identifier grammar
 * (docs/identifiers.md) before anything runs; a refusal names `name`, what is wrong and the rule.
 */
export function identifierArg(kind: IdentifierKind, name: string): (value: string) => string {
  return (value) => assertIdentifier(kind, value, name);
}
