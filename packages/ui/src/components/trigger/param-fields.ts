/**
 * A trigger form's fields from a DAG's params (name -> default value): the default's JSON type
 * gives the field's type; a param whose default is null has no default and must be given.
 */
export type ParamKind = 'string' | 'number' | 'boolean' | 'json' | 'required';

export interface ParamField {
  name: string;
  kind: ParamKind;
  /** The default as the form holds it (text for string/number/json/required, boolean for boolean). */
  initial: string | boolean;
}

export function paramFields(params: Record<string, unknown>): ParamField[] {
  return Object.entries(params).map(([name, value]) => {
    if (value === null || value === undefined) return { name, kind: 'required', initial: '' };
    if (typeof value === 'boolean') return { name, kind: 'boolean', initial: value };
    if (typeof value === 'number') return { name, kind: 'number', initial: String(value) };
    if (typeof value === 'string') return { name, kind: 'string', initial: value };
    return { name, kind: 'json', initial: JSON.stringify(value, null, 2) };
  });
}

/** A field's value for the conf, or an error message naming what is wrong. */
export function fieldValue(field: ParamField, raw: string | boolean): { value: unknown } | { error: string } {
  if (field.kind === 'boolean') return { value: Boolean(raw) };
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
