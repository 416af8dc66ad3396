/**
 * A trigger form's fields from a DAG's params (name -> default value): the default's JSON type
 * gives the field's type; a param whose default is null has no default and must be given. A
 * param's spec (the DAG's paramSpecs) adds a description, a choice (enum) and bounds, checked here
 * as the server checks them.
 */
export type ParamKind = 'string' | 'number' | 'boolean' | 'json' | 'required' | 'choice';

/** What a param may hold (GET /dags/{id}/details param_specs). */
export interface ParamSpec {
  description?: string;
  type?: string;
  enum?: Array<string | number | boolean>;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
}

export interface ParamField {
  name: string;
  kind: ParamKind;
  /** The default as the form holds it (text for string/number/json/required/choice, boolean for boolean). */
  initial: string | boolean;
  spec?: ParamSpec;
}

export function paramFields(params: Record<string, unknown>, specs: Record<string, ParamSpec> = {}): ParamField[] {
  return Object.entries(params).map(([name, value]): ParamField => {
    const spec = specs[name];
    const withSpec = (f: ParamField): ParamField => (spec === undefined ? f : { ...f, spec });
    // A choice holds the JSON of the chosen value (enums may mix strings, numbers and booleans).
    if (spec?.enum !== undefined) return withSpec({ name, kind: 'choice', initial: value === null || value === undefined ? '' : JSON.stringify(value) });
    if (value === null || value === undefined) return withSpec({ name, kind: 'required', initial: '' });
    if (typeof value === 'boolean') return withSpec({ name, kind: 'boolean', initial: value });
    if (typeof value === 'number') return withSpec({ name, kind: 'number', initial: String(value) });
    if (typeof value === 'string') return withSpec({ name, kind: 'string', initial: value });
    return withSpec({ name, kind: 'json', initial: JSON.stringify(value, null, 2) });
  });
}

/** Why a value breaks its param's bounds (the server says the same), or undefined. */
function boundsProblem(field: ParamField, value: unknown): string | undefined {
  const s = field.spec;
  if (s === undefined) return undefined;
  if (typeof value === 'number') {
    if (s.type === 'integer' && !Number.isInteger(value)) return `${field.name} must be an integer`;
    if (s.minimum !== undefined && value < s.minimum) return `${field.name} must be at least ${s.minimum}`;
    if (s.maximum !== undefined && value > s.maximum) return `${field.name} must be at most ${s.maximum}`;
  }
  if (typeof value === 'string') {
    if (s.minLength !== undefined && value.length < s.minLength) return `${field.name} must have at least ${s.minLength} characters`;
    if (s.maxLength !== undefined && value.length > s.maxLength) return `${field.name} must have at most ${s.maxLength} characters`;
  }
  return undefined;
}

/** A field's value for the conf, or an error message naming what is wrong. */
export function fieldValue(field: ParamField, raw: string | boolean): { value: unknown } | { error: string } {
  const r = rawFieldValue(field, raw);
  if ('error' in r) return r;
  const problem = boundsProblem(field, r.value);
  return problem === undefined ? r : { error: problem };
}

function rawFieldValue(field: ParamField, raw: string | boolean): { value: unknown } | { error: string } {
  if (field.kind === 'boolean') return { value: Boolean(raw) };
  if (field.kind === 'choice') return String(raw) === '' ? { error: `${field.name}: choose one` } : { value: JSON.parse(String(raw)) as unknown };
  const text = String(raw);
  if (field.kind === 'string') return { value: text };
  if (text.trim() === '') return { error: field.kind === 'required' ? `${field.name} is required` : `${field.name} needs a value` };
  if (field.kind === 'number') {
    const n = Number(text);
    return Number.isFinite(n) ? { value: n } : { error: `${field.name} must be a number` };
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
    return { error: `${field.name} must be valid JSON` };
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
