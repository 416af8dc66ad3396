/**
 * A trigger form's fields from a DAG's params (name -> default value): the default's JSON type
 * gives the field's type; a param whose default is null has no default and must be given. A
 * param's spec (the DAG's paramSpecs) adds a label, a description, a section, a choice (enum,
 * with its labels), proposals (examples), a picker for a date, a date and time or a time, a text
 * area (multiline), and bounds, a pattern and list lengths, checked here as the server checks them
 * (the server also checks what this does not: a list's items, const). A list of strings is edited
 * one per line, or as tags among its proposals. A param whose type allows null (['null', 'string'])
 * is optional: its field may stay empty, which gives null.
 */
export type ParamKind = 'string' | 'number' | 'boolean' | 'json' | 'required' | 'choice' | 'date' | 'datetime' | 'time' | 'email' | 'multiline' | 'lines' | 'tags';

/** What a param may hold (GET /dags/{id}/details param_specs). */
export interface ParamSpec {
  description?: string;
  type?: string | string[];
  enum?: Array<string | number | boolean | null>;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  title?: string;
  valuesDisplay?: Record<string, string>;
  examples?: string[];
  section?: string;
}

export interface ParamField {
  name: string;
  /** What the form calls it: the spec's title, else the name. */
  label: string;
  kind: ParamKind;
  /** The default as the form holds it (text for string/number/json/required/choice, boolean for boolean). */
  initial: string | boolean;
  /** No default: the form must give a value (a 'required' field, or one of a format without a default). */
  required: boolean;
  /** The spec's type allows null: an empty field gives null. */
  nullable: boolean;
  spec?: ParamSpec;
}

/** Kinds of string fields by the spec's format; a date-time is edited in UTC. */
const FORMAT_KINDS: Record<string, ParamKind> = { date: 'date', 'date-time': 'datetime', time: 'time', email: 'email', multiline: 'multiline' };

/** A date-time default as the picker holds it: UTC, to the second, without the offset. */
function pickerDateTime(value: unknown): string {
  const at = typeof value === 'string' ? new Date(value) : undefined;
  return at === undefined || Number.isNaN(at.getTime()) ? '' : at.toISOString().slice(0, 19);
}

/** The types a spec allows (none: any). */
export const typesOf = (spec: ParamSpec | undefined): string[] => (spec?.type === undefined ? [] : typeof spec.type === 'string' ? [spec.type] : spec.type);

/** The field of an optional param without a value (null), by the first type it allows besides null. */
function emptyKind(types: readonly string[]): ParamKind {
  const t = types.find((x) => x !== 'null');
  return t === 'string' ? 'string' : t === 'number' || t === 'integer' ? 'number' : t === 'array' ? 'lines' : 'json';
}

export function paramFields(params: Record<string, unknown>, specs: Record<string, ParamSpec> = {}): ParamField[] {
  const fields = Object.entries(params).map(([name, value]): ParamField => {
    const spec = specs[name];
    const nullable = typesOf(spec).includes('null');
    const empty = value === null || value === undefined;
    const required = empty && !nullable;
    const withSpec = (f: Omit<ParamField, 'label' | 'required' | 'nullable'>): ParamField =>
      ({ ...f, label: spec?.title ?? name, required, nullable, ...(spec === undefined ? {} : { spec }) });
    // A choice holds the JSON of the chosen value (enums may mix strings, numbers, booleans and null).
    if (spec?.enum !== undefined) return withSpec({ name, kind: 'choice', initial: required ? '' : JSON.stringify(value ?? null) });
    const formatKind = spec?.format === undefined ? undefined : FORMAT_KINDS[spec.format];
    if (formatKind !== undefined && (empty || typeof value === 'string')) {
      return withSpec({ name, kind: formatKind, initial: formatKind === 'datetime' ? pickerDateTime(value) : empty ? '' : String(value) });
    }
    if (required) return withSpec({ name, kind: 'required', initial: '' });
    if (empty) return withSpec({ name, kind: emptyKind(typesOf(spec)), initial: '' });
    // A list of strings (Airflow's array param): one per line, or chosen among proposals (examples) and typed.
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
      return spec?.examples !== undefined && spec.examples.length > 0
        ? withSpec({ name, kind: 'tags', initial: JSON.stringify(value) })
        : withSpec({ name, kind: 'lines', initial: value.join('\n') });
    }
    if (typeof value === 'boolean') return withSpec({ name, kind: 'boolean', initial: value });
    if (typeof value === 'number') return withSpec({ name, kind: 'number', initial: String(value) });
    if (typeof value === 'string') return withSpec({ name, kind: 'string', initial: value });
    return withSpec({ name, kind: 'json', initial: JSON.stringify(value, null, 2) });
  });
  // Params of a section go together, where the first of them is.
  const order = [...new Set(fields.map((f) => f.spec?.section ?? `\u0000${f.name}`))];
  return order.flatMap((key) => fields.filter((f) => (f.spec?.section ?? `\u0000${f.name}`) === key));
}

/** The fields in sections, in form order: [section or null (no heading), its fields]. */
export function sectionsOf(fields: readonly ParamField[]): Array<[string | null, ParamField[]]> {
  const out: Array<[string | null, ParamField[]]> = [];
  for (const f of fields) {
    const section = f.spec?.section ?? null;
    const last = out[out.length - 1];
    if (last !== undefined && last[0] === section) last[1].push(f);
    else out.push([section, [f]]);
  }
  return out;
}

/** Why a value breaks its param's bounds or pattern (the server says the same), or undefined. */
function boundsProblem(field: ParamField, value: unknown): string | undefined {
  const s = field.spec;
  const label = field.label;
  if (s === undefined) return undefined;
  if (typeof value === 'number') {
    const types = typesOf(s);
    if (types.includes('integer') && !types.includes('number') && !Number.isInteger(value)) return `${label} must be an integer`;
    if (s.minimum !== undefined && value < s.minimum) return `${label} must be at least ${s.minimum}`;
    if (s.maximum !== undefined && value > s.maximum) return `${label} must be at most ${s.maximum}`;
    if (s.exclusiveMinimum !== undefined && value <= s.exclusiveMinimum) return `${label} must be more than ${s.exclusiveMinimum}`;
    if (s.exclusiveMaximum !== undefined && value >= s.exclusiveMaximum) return `${label} must be less than ${s.exclusiveMaximum}`;
    if (s.multipleOf !== undefined) {
      const q = value / s.multipleOf;
      if (Math.abs(q - Math.round(q)) > 1e-9 * Math.max(1, Math.abs(q))) return `${label} must be a multiple of ${s.multipleOf}`;
    }
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) return `${label} must have at least ${s.minItems} item${s.minItems === 1 ? '' : 's'}`;
    if (s.maxItems !== undefined && value.length > s.maxItems) return `${label} must have at most ${s.maxItems} item${s.maxItems === 1 ? '' : 's'}`;
    const keys = value.map((v) => JSON.stringify(v));
    const twice = keys.find((k, i) => keys.indexOf(k) !== i);
    if (s.uniqueItems === true && twice !== undefined) return `${label} must not hold an item twice (${twice})`;
  }
  if (typeof value === 'string') {
    if (s.minLength !== undefined && value.length < s.minLength) return `${label} must have at least ${s.minLength} characters`;
    if (s.maxLength !== undefined && value.length > s.maxLength) return `${label} must have at most ${s.maxLength} characters`;
    if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(value)) return `${label} must match ${s.pattern}`;
  }
  return undefined;
}

/** What a field of a format expects, when its value is missing or not of it. */
const FORMAT_WORDS: Partial<Record<ParamKind, string>> = {
  date: 'a date', datetime: 'a date and time (UTC)', time: 'a time', email: 'an e-mail address',
};

/** A field's value for the conf, or an error message naming what is wrong. */
export function fieldValue(field: ParamField, raw: string | boolean): { value: unknown } | { error: string } {
  const r = rawFieldValue(field, raw);
  if ('error' in r) return r;
  const problem = boundsProblem(field, r.value);
  return problem === undefined ? r : { error: problem };
}

function rawFieldValue(field: ParamField, raw: string | boolean): { value: unknown } | { error: string } {
  const label = field.label;
  if (field.kind === 'boolean') return { value: Boolean(raw) };
  if (field.kind === 'choice') return String(raw) === '' ? { error: `${label}: choose one` } : { value: JSON.parse(String(raw)) as unknown };
  const text = String(raw);
  if (field.nullable && text.trim() === '') return { value: null };
  const words = FORMAT_WORDS[field.kind];
  if (words !== undefined) {
    if (text.trim() === '') return { error: field.required ? `${label} is required (${words})` : `${label} must be ${words}` };
    // The picker holds a UTC date and time without its offset (to the minute when the seconds are 0).
    if (field.kind === 'datetime') return { value: `${text.length === 16 ? `${text}:00` : text}Z` };
    return { value: text };
  }
  if (field.kind === 'multiline') return text === '' && field.required ? { error: `${label} is required` } : { value: text };
  if (field.kind === 'lines') return { value: text.split('\n').map((l) => l.trim()).filter((l) => l !== '') };
  if (field.kind === 'tags') return { value: JSON.parse(text === '' ? '[]' : text) as string[] };
  if (field.kind === 'string') return { value: text };
  if (text.trim() === '') return { error: field.kind === 'required' ? `${label} is required` : `${label} needs a value` };
  if (field.kind === 'number') {
    const n = Number(text);
    return Number.isFinite(n) ? { value: n } : { error: `${label} must be a number` };
  }
  if (field.kind === 'required') {
    // No default to take a type from: JSON when it parses (42, true, {"a":1}), else the text.
    try {
      return { value: JSON.parse(text) as unknown };
    } catch {
      return { value: text };
    }
  }
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return { error: `${label} must be valid JSON` };
  }
}

/** The raw conf box: empty, or a JSON object. */
export function parseConf(text: string): { conf: Record<string, unknown> } | { error: string } {
  if (text.trim() === '') return { conf: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { error: `conf is not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { error: 'conf must be a JSON object ({...})' };
  return { conf: parsed as Record<string, unknown> };
}
