/**
 * Assets (Airflow's datasets): a name for data a task produces, by URI. A task that declares
 * `outlets: [a]` records an asset event each time it succeeds; a DAG with `schedule: [a, b]` gets a
 * run once each of its assets has had an event since its last such run.
 *
 *     const sales = asset('s3://bucket/sales/');
 *     dag({ dagId: 'produce' }, (d) => { d.bash('load', { command: '...', outlets: [sales] }); });
 *     dag({ dagId: 'report', schedule: [sales] }, (d) => { ... });
 */
import { DagDefinitionError } from './errors.js';

const ASSET_BRAND = Symbol.for('updraft.sdk.asset');

export interface Asset {
  readonly uri: string;
}

/** Longest asset URI (Airflow's limit). */
const MAX_URI = 1500;

/** An asset named by `uri` (any scheme; no whitespace, at most 1500 characters). */
export function asset(uri: string): Asset {
  const problem = uriProblem(uri);
  if (problem !== null) throw new DagDefinitionError('invalid', `asset(): ${problem}`);
  return Object.freeze({ uri, [ASSET_BRAND]: true });
}

function uriProblem(uri: unknown): string | null {
  if (typeof uri !== 'string' || uri.length === 0) return 'the URI must be a non-empty string';
  if (uri.length > MAX_URI) return `the URI is ${uri.length} characters long (at most ${MAX_URI})`;
  if (/\s/.test(uri)) return `the URI '${uri}' contains whitespace`;
  return null;
}

/** True for an asset of any copy of the SDK. */
export function isAsset(value: unknown): value is Asset {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[ASSET_BRAND] === true
    && uriProblem((value as { uri?: unknown }).uri) === null;
}

/** The URIs of a list of assets (no duplicates), or throws naming `what`. */
export function assetUris(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || !value.every(isAsset)) throw new DagDefinitionError('invalid', `${what} must be a list of asset(...) values`);
  return [...new Set(value.map((a) => a.uri))];
}
