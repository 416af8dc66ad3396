/**
 * Which names hold secrets (Airflow's `sensitive_var_conn_names`): a variable whose key, or an
 * extra field of a connection whose name, contains one of the configured words (case-insensitive)
 * is shown as `***` by the API and the CLI and masked in task logs.
 */
import { extraDejson, type Connection } from './connection.js';

export const MASK = '***';

/** The default of `security.sensitive_var_conn_names`. */
export const DEFAULT_SENSITIVE_NAMES: readonly string[] = [
  'password', 'secret', 'token', 'api_key', 'apikey', 'passwd', 'passphrase', 'private_key', 'authorization',
];

/** `text` with each of `secrets` replaced by `***`, longest first (a secret containing another is replaced whole). */
export function maskValues(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of [...secrets].filter((x) => x !== '').sort((a, b) => b.length - a.length)) out = out.split(s).join(MASK);
  return out;
}

/** True when `name` contains one of `words` (case-insensitive). */
export function isSensitiveName(name: string, words: readonly string[]): boolean {
  const n = name.toLowerCase();
  return words.some((w) => w !== '' && n.includes(w.toLowerCase()));
}

/** `value` with every field whose name is sensitive replaced by `***`, at any depth. */
export function redactSensitiveFields(value: unknown, words: readonly string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => redactSensitiveFields(v, words));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isSensitiveName(k, words) ? MASK : redactSensitiveFields(v, words)]));
}

/** The string values of fields with sensitive names, at any depth (what a task log must mask). */
export function sensitiveFieldValues(value: unknown, words: readonly string[], sensitive = false): string[] {
  if (typeof value === 'string') return sensitive ? [value] : [];
  if (typeof value === 'number' || typeof value === 'boolean') return sensitive ? [String(value)] : [];
  if (Array.isArray(value)) return value.flatMap((v) => sensitiveFieldValues(v, words, sensitive));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => sensitiveFieldValues(v, words, sensitive || isSensitiveName(k, words)));
}

/** A connection as people see it (API, CLI): password `***`, sensitive fields of the extra `***`. */
export function maskConnection<C extends Connection>(c: C, words: readonly string[]): C {
  const dejson = extraDejson(c.extra);
  const extra = c.extra === null ? null
    : Object.keys(dejson).length > 0 ? JSON.stringify(redactSensitiveFields(dejson, words)) : c.extra;
  return { ...c, password: c.password === null ? null : MASK, extra };
}

/** A variable's value as people see it: `***` when its key is sensitive. */
export function maskVariableValue(key: string, value: string, words: readonly string[]): string {
  return isSensitiveName(key, words) ? MASK : value;
}

/** Values of a connection a task log must mask: its password and its extra's sensitive fields. */
export function connectionMaskValues(c: Connection, words: readonly string[]): string[] {
  return [...(c.password === null ? [] : [c.password]), ...sensitiveFieldValues(extraDejson(c.extra), words)];
}

/** Values of a variable a task log must mask: all of it when its key is sensitive, else its JSON's sensitive fields. */
export function variableMaskValues(key: string, value: string, words: readonly string[]): string[] {
  if (isSensitiveName(key, words)) return [value];
  try {
    return sensitiveFieldValues(JSON.parse(value) as unknown, words);
  } catch {
    return [];
  }
}
