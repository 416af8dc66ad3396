/**
 * What a function task may store as XCom (its return value, `ctx.xcom.push`): JSON values only.
 * JSON.stringify alone would silently turn a Map into {}, NaN into null or drop a function; here
 * such a value is refused with the path of the bad field (`$.rows[3].when`). Allowed: null,
 * booleans, strings, finite numbers, arrays, plain objects, and Dates (stored as ISO strings).
 * An object property that is undefined is left out, as JSON.stringify does.
 */

function describe(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'bigint') return 'a bigint';
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'symbol') return 'a symbol';
  const name = (v as object).constructor?.name;
  return name ? `a ${name}` : 'an object without a prototype of Object';
}

/** The first non-JSON field of `value` as "path: what it is", or undefined when it is JSON. */
export function jsonProblem(value: unknown, path = '$', seen = new Set<object>()): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${path} is ${describe(value)}`;
  if (typeof value !== 'object') return `${path} is ${describe(value)}`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? `${path} is an invalid Date` : undefined;
  if (seen.has(value)) return `${path} refers back to a containing object (a cycle)`;
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const p = jsonProblem(value[i], `${path}[${i}]`, seen);
        if (p !== undefined) return p;
      }
      return undefined;
    }
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return `${path} is ${describe(value)}`;
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      const p = jsonProblem(v, /^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`, seen);
      if (p !== undefined) return p;
    }
    return undefined;
  } finally {
    seen.delete(value);
  }
}

/**
 * `value` as JSON text for XCom ('' for undefined: no value), or an Error naming `what`, the bad
 * field, or the size over `maxBytes` (core.max_xcom_size; 0 = no limit here).
 */
export function xcomJson(value: unknown, what: string, maxBytes: number): string {
  if (value === undefined) return '';
  const problem = jsonProblem(value);
  if (problem !== undefined) throw new Error(`${what} cannot be stored as XCom: ${problem}, which is not a JSON value`);
  const json = JSON.stringify(value);
  if (maxBytes > 0) {
    const bytes = Buffer.byteLength(json, 'utf8');
    if (bytes > maxBytes) throw new Error(`${what} is ${bytes} bytes of JSON, over core.max_xcom_size (${maxBytes} bytes); it was not stored`);
  }
  return json;
}
