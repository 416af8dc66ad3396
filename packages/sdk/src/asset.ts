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

const ALIAS_BRAND = Symbol.for('updraft.sdk.asset-alias');

/**
 * A name for assets a task only knows when it runs (Airflow's AssetAlias), e.g. one file per day:
 * the task lists the alias among its outlets and adds the events it makes through it,
 * `ctx.outletEvents(alias).add(asset(uri), extra)`. A DAG scheduled on the alias gets a run for
 * such an event, and from then on for any event of the assets the alias resolved to.
 *
 *     const daily = assetAlias('daily-export');
 *     d.task('export', async (ctx) => { ctx.outletEvents(daily).add(asset(`s3://out/${ctx.ds}.csv`)); }, { outlets: [daily] });
 *     dag({ dagId: 'load', schedule: [daily] }, (d) => { ... });
 */
export interface AssetAlias {
  readonly name: string;
}

/** An alias named `name` (non-empty, no whitespace at its ends, at most 1500 characters). */
export function assetAlias(name: string): AssetAlias {
  const problem = aliasNameProblem(name);
  if (problem !== null) throw new DagDefinitionError('invalid', `assetAlias(): ${problem}`);
  return Object.freeze({ name, [ALIAS_BRAND]: true });
}

/** Why `name` cannot name an alias, or null. */
export function aliasNameProblem(name: unknown): string | null {
  if (typeof name !== 'string' || name.length === 0) return 'the name must be a non-empty string';
  if (name.length > MAX_URI) return `the name is ${name.length} characters long (at most ${MAX_URI})`;
  if (name.trim() !== name) return `the name '${name}' starts or ends with whitespace`;
  return null;
}

/** True for an alias of any copy of the SDK. */
export function isAssetAlias(value: unknown): value is AssetAlias {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[ALIAS_BRAND] === true
    && aliasNameProblem((value as { name?: unknown }).name) === null;
}

/** Why `uri` cannot name an asset, or null (what asset() checks). */
export function assetUriProblem(uri: unknown): string | null {
  return uriProblem(uri);
}

/** A list of assets and aliases (a task's outlets, a schedule) split into asset URIs and alias names (no duplicates), or throws naming `what`. */
export function assetTargets(value: unknown, what: string): { uris: string[]; aliases: string[] } {
  if (!Array.isArray(value) || !value.every((v) => isAsset(v) || isAssetAlias(v))) {
    throw new DagDefinitionError('invalid', `${what} must be a list of asset(...) or assetAlias(...) values`);
  }
  return {
    uris: [...new Set(value.filter(isAsset).map((a) => a.uri))],
    aliases: [...new Set(value.filter(isAssetAlias).map((a) => a.name))],
  };
}
