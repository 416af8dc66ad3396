/**
 * The bad input the REST API fuzzer (api-fuzz.test.ts) draws from: strings for ids, values for
 * query parameters, JSON bodies and the ways a path segment is written. All drawing goes through a
 * seeded generator, so a failing run can be repeated with its seed.
 */

export type Random = () => number;

/** mulberry32: a small seeded generator. */
export function prng(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const BAD_STRINGS: ReadonlyArray<() => string> = [
  () => '',
  () => 'a\0b',
  () => '\0',
  () => 'a\tb',
  () => 'line\nbreak',
  () => '\r\n',
  () => '\x1b[31mred',
  () => 'a/b',
  () => '.',
  () => '..',
  () => '../../etc/passwd',
  () => 'a\\b',
  () => 'has space',
  () => '-x',
  () => '~',
  () => 'x'.repeat(251),
  () => 'x'.repeat(5000),
  () => 'ümlaut',
  () => '🙂',
  () => "'; DROP TABLE dag; --",
  () => '%',
  () => '%25',
  () => '{{ 7*7 }}',
  () => '__proto__',
  () => 'constructor',
];

export const BAD_QUERY_VALUES: ReadonlyArray<() => string> = [
  ...BAD_STRINGS,
  () => '-1',
  () => '0',
  () => '1e309',
  () => 'NaN',
  () => '99999999999999999999',
  () => '2147483648',
  () => 'true',
  () => '[]',
  () => '{}',
  () => '2024-13-45T25:61:00Z',
  () => '0000-01-01T00:00:00Z',
  () => '-dag_id',
  () => 'not-a-date',
];

/** A path segment for a string: percent-encoded, or written in ways a router may trip over. */
export function pathValue(random: Random, value: string): string {
  const r = random();
  if (r < 0.7) return encodeURIComponent(value);
  if (r < 0.8) return '%E0%A4%A'; // not valid percent-encoding
  if (r < 0.9) return encodeURIComponent(value).replace(/%2F/gi, '/'); // a real '/': another route, or none
  return '%2E%2E';
}

/** A JSON value of a wrong kind (or a right kind holding bad text). */
function badJsonValue(random: Random): unknown {
  const values: unknown[] = [
    null, true, 0, -1, 1e308, 'x', '', 'a\0b', [], [1, 2], {}, { a: 'x\0y' }, { 'k\0': 1 },
    'x'.repeat(2000), Array.from({ length: 2000 }, (_, i) => i), '2024-01-01T00:00:00Z', 'not-a-date',
  ];
  return values[Math.floor(random() * values.length)];
}

/** Nested `depth` levels deep: [[[...]]]. */
function nested(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

export interface BodyMutation {
  body: string;
  /** Sent as the content type; default application/json. */
  contentType?: string;
}

/** The bodies one mutation may send (for a route that takes a JSON body). */
export function bodyMutations(random: Random): BodyMutation[] {
  const fields = [
    'dag_run_id', 'logical_date', 'execution_date', 'conf', 'note', 'dag_ids', 'states', 'page_limit', 'page_offset', 'order_by', 'unknown_field',
    'is_paused', 'state', 'new_state', 'dry_run', 'task_ids', 'start_date', 'end_date', 'only_failed', 'include_downstream', 'map_index',
    'key', 'value', 'description', 'connection_id', 'conn_type', 'host', 'port', 'password', 'extra', 'name', 'slots',
  ];
  const one = fields[Math.floor(random() * fields.length)]!;
  const pickString = BAD_STRINGS[Math.floor(random() * BAD_STRINGS.length)]!;
  return [
    { body: JSON.stringify({ [one]: badJsonValue(random) }) },
    { body: JSON.stringify({ [one]: pickString() }) },
    { body: JSON.stringify({ conf: { [pickString()]: pickString() } }) },
    { body: JSON.stringify({ dag_run_id: pickString(), conf: { nested: badJsonValue(random) } }) },
    { body: JSON.stringify(badJsonValue(random)) },
    { body: '{"conf":' },
    { body: '{"conf":{"a":"\\ud800","\\udc00":1}}' },
    { body: '{"__proto__":{"polluted":true},"conf":{"__proto__":{"x":1}}}' },
    { body: '' },
    { body: 'null' },
    { body: '\0' },
    { body: nested(5000) },
    { body: JSON.stringify({ conf: { blob: 'x'.repeat(200_000) } }) },
    { body: 'dag_run_id=x', contentType: 'application/x-www-form-urlencoded' },
    { body: '{}', contentType: 'text/plain' },
    { body: '{}', contentType: 'application/json; charset=latin1' },
    { body: '--b\r\n\r\n--b--', contentType: 'multipart/form-data; boundary=b' },
  ];
}
