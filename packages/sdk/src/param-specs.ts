/**
 * What a DAG's params may hold (Airflow's `Param(default, type=..., enum=..., minimum=...)`), for
 * `dag({ params: { region: 'eu' }, paramSpecs: { region: { enum: ['eu', 'us'] } } })`: the trigger
 * form shows a choice, a description and bounds, and a run whose params (defaults merged with its
 * conf) break a spec is refused with the reason, whoever triggers it (UI, REST, CLI, a
 * triggerDagRun task). Pure: the SDK checks the specs and defaults, core checks each run's params.
 */
import { DagDefinitionError } from './errors.js';

export type ParamType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

/**
 * A string's format (JSON schema's, as Airflow's form knows them): 'date' (2026-01-31), 'date-time'
 * (2026-01-31T02:00:00Z, with its offset), 'time' (14:30 or 14:30:15), 'email'; 'multiline' holds
 * any text and gets a text area in the form. The form gives date, date-time and time a picker.
 */
export type ParamFormat = 'date' | 'date-time' | 'time' | 'email' | 'multiline';

/** A value an enum or const may name. */
export type ParamScalar = string | number | boolean | null;

/** What one value must be: the part of a spec that also applies to each item of a list (`items`). */
export interface ParamValueSpec {
  /**
   * The JSON type the value must have, or a list of types it may have: `['null', 'string']` is
   * Airflow's optional param, whose default may be null (no value) even in a scheduled DAG. Default: any.
   */
  type?: ParamType | readonly ParamType[];
  /** The only values allowed (the form shows a choice). */
  enum?: readonly ParamScalar[];
  /** The one value allowed. */
  const?: ParamScalar;
  /** Bounds of a number (inclusive). */
  minimum?: number;
  maximum?: number;
  /** Bounds of a number the value must be beyond (exclusive). */
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  /** A number must be a whole multiple of this (greater than 0): 0.01 for cents, 15 for quarter hours. */
  multipleOf?: number;
  /** Bounds of a string's length. */
  minLength?: number;
  maxLength?: number;
  /** A regular expression (JavaScript syntax) a string must match somewhere (anchor it with ^...$ for the whole). */
  pattern?: string;
  /** What a string holds (see ParamFormat). */
  format?: ParamFormat;
}

/** A JSON-schema subset, with Airflow's names. */
export interface ParamSpec extends ParamValueSpec {
  /** Shown beside the field in the trigger form. */
  description?: string;
  /** Bounds of a list's length. */
  minItems?: number;
  maxItems?: number;
  /** A list may not hold the same item twice. */
  uniqueItems?: boolean;
  /** What each item of a list must be. */
  items?: ParamValueSpec;
  /** The field's label in the trigger form. Default: the param's name. */
  title?: string;
  /** Labels of an enum's values in the form's choice (Airflow's values_display), by the value as text. */
  valuesDisplay?: Readonly<Record<string, string>>;
  /** Values the form proposes for a field that takes others too (Airflow's examples). */
  examples?: readonly string[];
  /** The form shows params of the same section together, under that heading (Airflow's section). */
  section?: string;
}

const VALUE_KEYS: readonly string[] = ['type', 'enum', 'const', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
  'minLength', 'maxLength', 'pattern', 'format'];
const KEYS: ReadonlySet<string> = new Set(['description', ...VALUE_KEYS, 'minItems', 'maxItems', 'uniqueItems', 'items', 'title',
  'valuesDisplay', 'examples', 'section']);
const TYPES: readonly ParamType[] = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'];
const FORMATS: readonly ParamFormat[] = ['date', 'date-time', 'time', 'email', 'multiline'];

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d+)?)?$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[Tt ]([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d+)?)?([Zz]|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** A calendar date that exists (2026-02-30 does not). */
function isDate(text: string): boolean {
  const m = DATE.exec(text);
  if (m === null) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const at = new Date(Date.UTC(y, mo - 1, d));
  return at.getUTCFullYear() === y && at.getUTCMonth() === mo - 1 && at.getUTCDate() === d;
}

/** Why `text` is not of `format` (what is expected), or undefined. */
function formatProblem(text: string, format: ParamFormat): string | undefined {
  switch (format) {
    case 'date':
      return isDate(text) ? undefined : 'a date (YYYY-MM-DD)';
    case 'time':
      return TIME.test(text) ? undefined : 'a time (HH:MM or HH:MM:SS)';
    case 'date-time': {
      const m = DATE_TIME.exec(text);
      return m !== null && isDate(m[1]!) ? undefined : 'a date and time with its offset (e.g. 2026-01-31T02:00:00Z)';
    }
    case 'email':
      return EMAIL.test(text) ? undefined : 'an e-mail address';
    default:
      return undefined;
  }
}

const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** The types a spec allows, as a list (undefined: any). */
export function paramTypes(spec: ParamValueSpec): readonly ParamType[] | undefined {
  return spec.type === undefined ? undefined : typeof spec.type === 'string' ? [spec.type] : spec.type;
}

function isOfType(value: unknown, t: ParamType): boolean {
  if (t === 'integer') return Number.isInteger(value);
  if (t === 'number') return typeof value === 'number' && Number.isFinite(value);
  return typeOf(value) === t;
}

/** "a string", "an integer", "null"; a list: "a string or null". */
function typeWords(types: readonly ParamType[]): string {
  return types.map((t) => (t === 'null' ? 'null' : `${t === 'integer' || t === 'array' || t === 'object' ? 'an' : 'a'} ${t}`)).join(' or ');
}

const shown = (v: unknown): string => JSON.stringify(v) ?? 'nothing';

/** Whether `value` is a whole multiple of `step` (up to the rounding of decimal fractions: 0.3 of 0.1 is). */
function isMultiple(value: number, step: number): boolean {
  const q = value / step;
  return Math.abs(q - Math.round(q)) <= 1e-9 * Math.max(1, Math.abs(q));
}

/** Why `value` breaks `spec` (a sentence without the name), or undefined when it holds. */
export function paramProblem(value: unknown, spec: ParamSpec): string | undefined {
  const types = paramTypes(spec);
  if (types !== undefined && !types.some((t) => isOfType(value, t))) return `must be ${typeWords(types)}, got ${shown(value)}`;
  if (spec.enum !== undefined && !spec.enum.some((e) => e === value)) {
    return `must be one of ${spec.enum.map((e) => JSON.stringify(e)).join(', ')}, got ${shown(value)}`;
  }
  if (spec.const !== undefined && value !== spec.const) return `must be ${JSON.stringify(spec.const)}, got ${shown(value)}`;
  if (typeof value === 'number') return numberProblem(value, spec);
  if (typeof value === 'string') return stringProblem(value, spec);
  if (Array.isArray(value)) return listProblem(value, spec);
  return undefined;
}

function numberProblem(value: number, spec: ParamValueSpec): string | undefined {
  if (spec.minimum !== undefined && value < spec.minimum) return `must be at least ${spec.minimum}, got ${value}`;
  if (spec.maximum !== undefined && value > spec.maximum) return `must be at most ${spec.maximum}, got ${value}`;
  if (spec.exclusiveMinimum !== undefined && value <= spec.exclusiveMinimum) return `must be more than ${spec.exclusiveMinimum}, got ${value}`;
  if (spec.exclusiveMaximum !== undefined && value >= spec.exclusiveMaximum) return `must be less than ${spec.exclusiveMaximum}, got ${value}`;
  if (spec.multipleOf !== undefined && !isMultiple(value, spec.multipleOf)) return `must be a multiple of ${spec.multipleOf}, got ${value}`;
  return undefined;
}

function stringProblem(value: string, spec: ParamValueSpec): string | undefined {
  if (spec.minLength !== undefined && value.length < spec.minLength) return `must have at least ${spec.minLength} characters, got ${value.length}`;
  if (spec.maxLength !== undefined && value.length > spec.maxLength) return `must have at most ${spec.maxLength} characters, got ${value.length}`;
  const format = spec.format === undefined ? undefined : formatProblem(value, spec.format);
  if (format !== undefined) return `must be ${format}, got ${JSON.stringify(value)}`;
  if (spec.pattern !== undefined && !new RegExp(spec.pattern, 'u').test(value)) return `must match ${spec.pattern}, got ${JSON.stringify(value)}`;
  return undefined;
}

function listProblem(value: readonly unknown[], spec: ParamSpec): string | undefined {
  if (spec.minItems !== undefined && value.length < spec.minItems) return `must have at least ${spec.minItems} item${spec.minItems === 1 ? '' : 's'}, got ${value.length}`;
  if (spec.maxItems !== undefined && value.length > spec.maxItems) return `must have at most ${spec.maxItems} item${spec.maxItems === 1 ? '' : 's'}, got ${value.length}`;
  if (spec.uniqueItems === true) {
    const seen = new Set<string>();
    for (const item of value) {
      const key = JSON.stringify(item) ?? 'undefined';
      if (seen.has(key)) return `must not hold an item twice, got ${key} twice`;
      seen.add(key);
    }
  }
  if (spec.items !== undefined) {
    for (const [i, item] of value.entries()) {
      const problem = paramProblem(item, spec.items);
      if (problem !== undefined) return `item at index ${i} ${problem}`;
    }
  }
  return undefined;
}

/**
 * The problems of a run's params (`params` merged with its conf) under `specs`, one per param,
 * each naming it; empty when all hold.
 */
export function paramsProblems(params: Readonly<Record<string, unknown>>, specs: Readonly<Record<string, ParamSpec>>): string[] {
  return Object.entries(specs).flatMap(([name, spec]) => {
    const problem = paramProblem(params[name], spec);
    return problem === undefined ? [] : [`param '${name}' ${problem}`];
  });
}

type Fail = (message: string) => never;

const isScalar = (e: unknown): boolean => e === null || ['string', 'number', 'boolean'].includes(typeof e);

/** Checks the keys of `s` that say what a value is (ParamValueSpec), `at` naming it (".region", ".ids.items"). */
function checkValueKeys(s: Record<string, unknown>, at: string, fail: Fail): void {
  const types = typeof s.type === 'string' ? [s.type] : s.type;
  if (s.type !== undefined && (!Array.isArray(types) || types.length === 0 || !types.every((t) => TYPES.includes(t as ParamType))
    || new Set(types).size !== types.length)) {
    fail(`${at}.type must be one of ${TYPES.join(', ')}, or a list of them (each once)`);
  }
  if (s.enum !== undefined && (!Array.isArray(s.enum) || s.enum.length === 0 || !s.enum.every(isScalar))) {
    fail(`${at}.enum must be a non-empty list of strings, numbers, booleans or null`);
  }
  if ('const' in s && !isScalar(s.const)) fail(`${at}.const must be a string, a number, a boolean or null`);
  for (const k of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'] as const) {
    if (s[k] !== undefined && (typeof s[k] !== 'number' || !Number.isFinite(s[k]))) fail(`${at}.${k} must be a number`);
  }
  if (s.multipleOf !== undefined && (typeof s.multipleOf !== 'number' || !Number.isFinite(s.multipleOf) || s.multipleOf <= 0)) {
    fail(`${at}.multipleOf must be a number greater than 0`);
  }
  checkCounts(s, at, ['minLength', 'maxLength'], fail);
  if (s.pattern !== undefined && (typeof s.pattern !== 'string' || s.pattern === '')) fail(`${at}.pattern must be a non-empty string`);
  if (typeof s.pattern === 'string') {
    try {
      new RegExp(s.pattern, 'u');
    } catch (err) {
      fail(`${at}.pattern is not a valid regular expression: ${(err as Error).message}`);
    }
  }
  if (s.format !== undefined && !FORMATS.includes(s.format as ParamFormat)) fail(`${at}.format must be one of ${FORMATS.join(', ')}`);
}

/** Lengths and counts: whole numbers, 0 or more, the lower bound not above the upper one. */
function checkCounts(s: Record<string, unknown>, at: string, [lo, hi]: readonly [string, string], fail: Fail): void {
  for (const k of [lo, hi]) {
    if (s[k] !== undefined && !(Number.isInteger(s[k]) && (s[k] as number) >= 0)) fail(`${at}.${k} must be a whole number, 0 or more`);
  }
  if (typeof s[lo] === 'number' && typeof s[hi] === 'number' && s[lo] > s[hi]) fail(`${at}: ${lo} ${s[lo]} is above ${hi} ${s[hi]}`);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks the keys of `s` beyond what a value is: a list's, the form's. */
function checkFormKeys(s: Record<string, unknown>, at: string, fail: Fail): void {
  if (s.description !== undefined && typeof s.description !== 'string') fail(`${at}.description must be a string`);
  checkCounts(s, at, ['minItems', 'maxItems'], fail);
  if (s.uniqueItems !== undefined && typeof s.uniqueItems !== 'boolean') fail(`${at}.uniqueItems must be true or false`);
  if (s.items !== undefined) {
    if (!isRecord(s.items)) fail(`${at}.items must be an object: what each item of the list must be`);
    const unknown = Object.keys(s.items as object).filter((k) => !VALUE_KEYS.includes(k));
    if (unknown.length > 0) fail(`${at}.items: unknown key ${unknown.join(', ')} (known: ${VALUE_KEYS.join(', ')})`);
    checkValueKeys(s.items as Record<string, unknown>, `${at}.items`, fail);
  }
  for (const k of ['title', 'section'] as const) {
    if (s[k] !== undefined && (typeof s[k] !== 'string' || s[k] === '')) fail(`${at}.${k} must be a non-empty string`);
  }
  if (s.examples !== undefined && (!Array.isArray(s.examples) || !s.examples.every((e) => typeof e === 'string'))) fail(`${at}.examples must be a list of strings`);
  if (s.valuesDisplay !== undefined) {
    const labels = s.valuesDisplay;
    if (!isRecord(labels) || !Object.values(labels).every((l) => typeof l === 'string')) fail(`${at}.valuesDisplay must be an object: value (as text) -> label`);
    const values = Array.isArray(s.enum) ? s.enum.map(String) : undefined;
    if (values === undefined) fail(`${at}.valuesDisplay labels an enum's values: give the spec an enum`);
    const strays = Object.keys(labels as object).filter((k) => !values!.includes(k));
    if (strays.length > 0) fail(`${at}.valuesDisplay: ${strays.map((k) => JSON.stringify(k)).join(', ')} ${strays.length === 1 ? 'is' : 'are'} not in its enum`);
  }
}

/**
 * Checks the specs of a DAG file and that its defaults hold them; returns them as stored.
 * `scheduled`: the DAG has runs nobody triggers (a schedule, timetable or assets), which get the
 * defaults only, so a spec'd param must have one (Airflow refuses the same) unless its type allows null.
 */
export function checkParamSpecs(specs: unknown, params: Readonly<Record<string, unknown>>, where: string, scheduled = false): Record<string, ParamSpec> {
  const fail: Fail = (message) => {
    throw new DagDefinitionError('invalid', `${where}: paramSpecs${message}`);
  };
  if (!isRecord(specs)) return fail(' must be an object: param name -> spec');
  const out: Record<string, ParamSpec> = {};
  for (const [name, spec] of Object.entries(specs)) {
    if (!(name in params)) fail(`.${name}: there is no param '${name}' (give it a default in params)`);
    if (!isRecord(spec)) return fail(`.${name} must be an object`);
    const unknown = Object.keys(spec).filter((k) => !KEYS.has(k));
    if (unknown.length > 0) fail(`.${name}: unknown key ${unknown.join(', ')} (known: ${[...KEYS].join(', ')})`);
    checkValueKeys(spec, `.${name}`, fail);
    checkFormKeys(spec, `.${name}`, fail);
    const clean = JSON.parse(JSON.stringify(spec)) as ParamSpec;
    // A null default means "no default": the run's conf must give it; unless null is one of its types (an optional param).
    const nullable = paramTypes(clean)?.includes('null') === true;
    if (params[name] === null && scheduled && !nullable) {
      fail(`.${name}: the param has no default, and the runs of a scheduled DAG get the defaults only: give it one, allow null (type: ['null', ...]), or make the DAG manual (schedule: null)`);
    }
    const problem = params[name] === null && !nullable ? undefined : paramProblem(params[name], clean);
    if (problem !== undefined) fail(`.${name}: the default ${problem}`);
    out[name] = clean;
  }
  return out;
}
