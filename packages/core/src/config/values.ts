/**
 * Parsing and formatting of one option value, per option type. Pure functions: text in,
 * typed value (or what was expected) out, and back to text for `updraft config list`.
 */
import { isAbsolute, resolve } from 'node:path';
import { identifierProblem, identifierRule } from '@updraft/sdk';
import type { OptionType } from './options.js';
import { parseDagsBundle } from '../dag/git-spec.js';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export type OptionValue = string | number | boolean | readonly string[] | HostPort;

export type ParseResult =
  | { readonly ok: true; readonly value: OptionValue }
  | { readonly ok: false; readonly expected: string };

const DURATION_UNITS_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type DurationUnit = keyof typeof DURATION_UNITS_MS;
const DURATION_RE = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/i;
const BOOLS: Record<string, boolean> = {
  true: true, yes: true, on: true, '1': true,
  false: false, no: false, off: false, '0': false,
};

/** Human description of what a type accepts; used in error messages and the docs. */
export function describeType(type: OptionType): string {
  switch (type.kind) {
    case 'string': return type.expected ?? 'string';
    case 'path': return 'path';
    case 'int': return intRange(type.min, type.max);
    case 'bool': return 'bool';
    case 'duration': return 'duration';
    case 'umask': return 'octal umask';
    case 'list': return type.item ? `list of names (${type.item.expected})` : 'list';
    case 'hostPort': return 'host:port';
    case 'url': return `URL (${type.protocols.map((p) => `${p}//`).join(', ')}${type.allowEmpty ? ' or empty' : ''})`;
    case 'enum': return `one of ${type.values.join(', ')}`;
    case 'timezone': return 'IANA time zone';
    case 'identifier': return `${type.identifier} (see docs/identifiers.md)${type.allowEmpty ? ' or empty' : ''}`;
    case 'dagsBundle': return 'empty or git:<url>#<branch>[:<subdir>]';
  }
}

function intRange(min?: number, max?: number): string {
  if (min !== undefined && max !== undefined) return `integer ${min}..${max}`;
  if (min !== undefined) return `integer >= ${min}`;
  if (max !== undefined) return `integer <= ${max}`;
  return 'integer';
}

export function parseDurationMs(raw: string): number | undefined {
  const m = DURATION_RE.exec(raw.trim());
  if (!m) return undefined;
  const unit = (m[2]?.toLowerCase() ?? 's') as DurationUnit;
  return Math.round(Number(m[1]) * DURATION_UNITS_MS[unit]);
}

export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const size = DURATION_UNITS_MS[unit];
    if (ms !== 0 && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/** `host:port` or `[ipv6]:port`; port 0..65535 (0 asks the OS for a free port). */
export function parseHostPort(raw: string): HostPort | undefined {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:/[\]]+)):(\d{1,5})$/.exec(raw.trim());
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port > 65535) return undefined;
  return { host: m[1] ?? m[2] ?? '', port };
}

export function formatHostPort({ host, port }: HostPort): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function formatUmask(umask: number): string {
  return umask.toString(8).padStart(4, '0');
}

/** Parses one raw text value; relative paths are resolved against `cwd`. */
export function parseOptionValue(type: OptionType, raw: string, cwd: string): ParseResult {
  const text = raw.trim();
  const fail = (expected: string): ParseResult => ({ ok: false, expected });
  const ok = (value: OptionValue): ParseResult => ({ ok: true, value });
  switch (type.kind) {
    case 'string':
      // Kept as written: quotes in the file are the way to keep spaces.
      if (type.pattern !== undefined && !type.pattern.test(raw)) return fail(type.expected ?? `text matching ${String(type.pattern)}`);
      return ok(raw);
    case 'path':
      if (text === '') return type.allowEmpty ? ok('') : fail('a non-empty path');
      return ok(isAbsolute(text) ? text : resolve(cwd, text));
    case 'int': {
      const n = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
      const inRange = Number.isSafeInteger(n) && (type.min === undefined || n >= type.min)
        && (type.max === undefined || n <= type.max);
      return inRange ? ok(n) : fail(`an ${intRange(type.min, type.max)}`);
    }
    case 'bool': {
      const b = BOOLS[text.toLowerCase()];
      return b === undefined ? fail('true or false (also yes/no, on/off, 1/0)') : ok(b);
    }
    case 'duration': {
      const ms = parseDurationMs(text);
      const expected = 'a duration such as 500ms, 30s, 5m, 1h or a number of seconds';
      if (ms === undefined) return fail(expected);
      if (type.minMs !== undefined && ms < type.minMs) return fail(`${expected}, at least ${formatDuration(type.minMs)}`);
      return ok(ms);
    }
    case 'umask': {
      const m = /^(?:0o)?([0-7]{1,4})$/i.exec(text);
      const value = m?.[1] === undefined ? NaN : parseInt(m[1], 8);
      return value <= 0o777 ? ok(value) : fail('an octal umask such as 0022 (digits 0-7, at most 0777)');
    }
    case 'list': {
      const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
      if (items.length < (type.minItems ?? 0)) return fail(`a comma-separated list of at least ${type.minItems} item(s)`);
      const bad = type.item ? items.find((s) => !type.item?.pattern.test(s)) : undefined;
      if (bad !== undefined) return fail(`a comma-separated list of names made of ${type.item?.expected} ("${bad}" is not)`);
      return ok(items);
    }
    case 'hostPort': {
      const hp = parseHostPort(text);
      return hp ? ok(hp) : fail('host:port such as 127.0.0.1:8080 (port 0-65535, IPv6 as [::1]:8080)');
    }
    case 'url': {
      const expected = `a URL starting with ${type.protocols.map((p) => `${p}//`).join(' or ')}${type.allowEmpty ? ', or empty' : ''}`;
      if (text === '') return type.allowEmpty ? ok('') : fail(expected);
      let protocol: string;
      try {
        protocol = new URL(text).protocol;
      } catch {
        return fail(expected);
      }
      return type.protocols.includes(protocol) ? ok(text) : fail(`${expected} (got ${protocol}//)`);
    }
    case 'enum': {
      const v = type.values.find((candidate) => candidate === text.toLowerCase());
      return v === undefined ? fail(`one of ${type.values.join(', ')}`) : ok(v);
    }
    case 'timezone': {
      try {
        if (text === '') throw new RangeError('empty');
        return ok(new Intl.DateTimeFormat('en-US', { timeZone: text }).resolvedOptions().timeZone);
      } catch {
        return fail('an IANA time zone name such as UTC or Asia/Seoul');
      }
    }
    case 'identifier': {
      if (text === '' && type.allowEmpty) return ok('');
      const problem = identifierProblem(type.identifier, text);
      return problem === undefined ? ok(text) : fail(`${identifierRule(type.identifier)} (${problem})`);
    }
    case 'dagsBundle': {
      const parsed = parseDagsBundle(text);
      return parsed.ok ? ok(text) : fail(parsed.problem);
    }
  }
}

/** Text form of a typed value, as it could be written back into updraft.cfg. */
export function formatOptionValue(type: OptionType, value: OptionValue): string {
  switch (type.kind) {
    case 'duration': return formatDuration(value as number);
    case 'umask': return formatUmask(value as number);
    case 'list': return (value as readonly string[]).join(',');
    case 'hostPort': return formatHostPort(value as HostPort);
    default: return String(value);
  }
}

/** Whether the raw text of a value may be echoed in an error message (URLs may hold passwords). */
export function mayEcho(type: OptionType): boolean {
  return type.kind !== 'url' && type.kind !== 'dagsBundle';
}
