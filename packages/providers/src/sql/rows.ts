/**
 * Rows as JSON values for XCom: binary columns (Buffer) become base64 text, bigints text,
 * driver objects with their own text form (a PostgreSQL interval) that text; Dates stay Dates
 * (stored as ISO-8601) and JSON columns stay as parsed.
 */
import type { JsonValue } from '@updraft/sdk';

/** A row as the task returns it: column name to value. */
export type SqlRow = Record<string, JsonValue>;

function jsonCell(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value !== 'object' || value instanceof Date || Array.isArray(value)) return value;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto === Object.prototype || proto === null) return value;
  const toJSON = (value as { toJSON?: () => unknown }).toJSON;
  return typeof toJSON === 'function' ? toJSON.call(value) : String(value);
}

export function jsonRow(row: Record<string, unknown>): SqlRow {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = jsonCell(v);
  return out as SqlRow;
}
