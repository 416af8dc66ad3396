/**
 * What a DAG's params may hold (Airflow's `Param(default, type=..., enum=..., minimum=...)`), for
 * `dag({ params: { region: 'eu' }, paramSpecs: { region: { enum: ['eu', 'us'] } } })`: the trigger
 * form shows a choice, a description and bounds, and a run whose params (defaults merged with its
 * conf) break a spec is refused with the reason, whoever triggers it (UI, REST, CLI, a
 * triggerDagRun task). Pure: the SDK checks the specs and defaults, core checks each run's params.
 */
import { DagDefinitionError } from './errors.js';

export type ParamType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';

/**
 * A string's format (JSON schema's, as Airflow's form knows them): 'date' (2026-01-31), 'date-time'
 * (2026-01-31T02:00:00Z, with its offset), 'time' (14:30 or 14:30:15), 'email'; 'multiline' holds
 * any text and gets a text area in the form. The form gives date, date-time and time a picker.
 */
export type ParamFormat = 'date' | 'date-time' | 'time' | 'email' | 'multiline';

/** A JSON-schema subset, with Airflow's names. */
export interface ParamSpec {
  /** Shown beside the field in the trigger form. */
  description?: string;
  /** The JSON type the value must have. Default: any. */
  type?: ParamType;
  /** The only values allowed (the form shows a choice). */
  enum?: readonly (string | number | boolean)[];
  /** Bounds of a number. */
  minimum?: number;
  maximum?: number;
  /** Bounds of a string's length. */
  minLength?: number;
  maxLength?: number;
  /** A regular expression (JavaScript syntax) a string must match somewhere (anchor it with ^...$ for the whole). */
  pattern?: string;
  /** What a string holds (see ParamFormat). */
  format?: ParamFormat;
  /** The field's label in the trigger form. Default: the param's name. */
  title?: string;
  /** Labels of an enum's values in the form's choice (Airflow's values_display), by the value as text. */
  valuesDisplay?: Readonly<Record<string, string>>;
  /** Values the form proposes for a field that takes others too (Airflow's examples). */
  examples?: readonly string[];
  /** The form shows params of the same section together, under that heading (Airflow's section). */
  section?: string;
}

const KEYS: ReadonlySet<string> = new Set(['description', 'type', 'enum', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'format', 'title',
  'valuesDisplay', 'examples', 'section']);
const TYPES: readonly ParamType[] = ['string', 'number', 'integer', 'boolean', 'object', 'array'];
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

/** Why `value` breaks `spec` (a sentence without the name), or undefined when it holds. */
export function paramProblem(value: unknown, spec: ParamSpec): string | undefined {
  const t = spec.type;
  if (t !== undefined) {
    const ok = t === 'integer' ? Number.isInteger(value) : t === 'number' ? typeof value === 'number' && Number.isFinite(value) : typeOf(value) === t;
    if (!ok) return `must be ${t === 'integer' || t === 'array' || t === 'object' ? 'an' : 'a'} ${t}, got ${JSON.stringify(value) ?? 'nothing'}`;
  }
  if (spec.enum !== undefined && !spec.enum.some((e) => e === value)) {
    return `must be one of ${spec.enum.map((e) => JSON.stringify(e)).join(', ')}, got ${JSON.stringify(value) ?? 'nothing'}`;
  }
  if (typeof value === 'number') {
    if (spec.minimum !== undefined && value < spec.minimum) return `must be at least ${spec.minimum}, got ${value}`;
    if (spec.maximum !== undefined && value > spec.maximum) return `must be at most ${spec.maximum}, got ${value}`;
  }
  if (typeof value === 'string') {
    if (spec.minLength !== undefined && value.length < spec.minLength) return `must have at least ${spec.minLength} characters, got ${value.length}`;
    if (spec.maxLength !== undefined && value.length > spec.maxLength) return `must have at most ${spec.maxLength} characters, got ${value.length}`;
    const format = spec.format === undefined ? undefined : formatProblem(value, spec.format);
    if (format !== undefined) return `must be ${format}, got ${JSON.stringify(value)}`;
    if (spec.pattern !== undefined && !new RegExp(spec.pattern, 'u').test(value)) return `must match ${spec.pattern}, got ${JSON.stringify(value)}`;
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

/**
 * Checks the specs of a DAG file and that its defaults hold them; returns them as stored.
 * `scheduled`: the DAG has runs nobody triggers (a schedule, timetable or assets), which get the
 * defaults only, so a spec'd param must have one (Airflow refuses the same).
 */
export function checkParamSpecs(specs: unknown, params: Readonly<Record<string, unknown>>, where: string, scheduled = false): Record<string, ParamSpec> {
  const fail = (message: string): never => {
    throw new DagDefinitionError('invalid', `${where}: paramSpecs${message}`);
  };
  if (typeof specs !== 'object' || specs === null || Array.isArray(specs)) return fail(' must be an object: param name -> spec');
  const out: Record<string, ParamSpec> = {};
  for (const [name, spec] of Object.entries(specs as Record<string, unknown>)) {
    if (!(name in params)) fail(`.${name}: there is no param '${name}' (give it a default in params)`);
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) fail(`.${name} must be an object`);
    const s = spec as Record<string, unknown>;
    const unknown = Object.keys(s).filter((k) => !KEYS.has(k));
    if (unknown.length > 0) fail(`.${name}: unknown key ${unknown.join(', ')} (known: ${[...KEYS].join(', ')})`);
    if (s.type !== undefined && !TYPES.includes(s.type as ParamType)) fail(`.${name}.type must be one of ${TYPES.join(', ')}`);
    if (s.description !== undefined && typeof s.description !== 'string') fail(`.${name}.description must be a string`);
    if (s.enum !== undefined && (!Array.isArray(s.enum) || s.enum.length === 0 || !s.enum.every((e) => ['string', 'number', 'boolean'].includes(typeof e)))) {
      fail(`.${name}.enum must be a non-empty list of strings, numbers or booleans`);
    }
    for (const k of ['minimum', 'maximum', 'minLength', 'maxLength'] as const) {
      if (s[k] !== undefined && (typeof s[k] !== 'number' || !Number.isFinite(s[k]))) fail(`.${name}.${k} must be a number`);
    }
    for (const k of ['title', 'section', 'pattern'] as const) {
      if (s[k] !== undefined && (typeof s[k] !== 'string' || s[k] === '')) fail(`.${name}.${k} must be a non-empty string`);
    }
    if (typeof s.pattern === 'string') {
      try {
        new RegExp(s.pattern, 'u');
      } catch (err) {
        fail(`.${name}.pattern is not a valid regular expression: ${(err as Error).message}`);
      }
    }
    if (s.format !== undefined && !FORMATS.includes(s.format as ParamFormat)) fail(`.${name}.format must be one of ${FORMATS.join(', ')}`);
    if (s.examples !== undefined && (!Array.isArray(s.examples) || !s.examples.every((e) => typeof e === 'string'))) fail(`.${name}.examples must be a list of strings`);
    if (s.valuesDisplay !== undefined) {
      const labels = s.valuesDisplay;
      if (typeof labels !== 'object' || labels === null || Array.isArray(labels) || !Object.values(labels).every((l) => typeof l === 'string')) {
        fail(`.${name}.valuesDisplay must be an object: value (as text) -> label`);
      }
      const values = Array.isArray(s.enum) ? s.enum.map(String) : undefined;
      if (values === undefined) fail(`.${name}.valuesDisplay labels an enum's values: give the spec an enum`);
      const strays = Object.keys(labels as object).filter((k) => !values!.includes(k));
      if (strays.length > 0) fail(`.${name}.valuesDisplay: ${strays.map((k) => JSON.stringify(k)).join(', ')} ${strays.length === 1 ? 'is' : 'are'} not in its enum`);
    }
    const clean = JSON.parse(JSON.stringify(s)) as ParamSpec;
    // A null default means "no default": the run's conf must give it.
    if (params[name] === null && scheduled) {
      fail(`.${name}: the param has no default, and the runs of a scheduled DAG get the defaults only: give it one, or make the DAG manual (schedule: null)`);
    }
    const problem = params[name] === null ? undefined : paramProblem(params[name], clean);
    if (problem !== undefined) fail(`.${name}: the default ${problem}`);
    out[name] = clean;
  }
  return out;
}
