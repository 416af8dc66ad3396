/**
 * Conditions over assets (Airflow 2.9's `(a | b) & c` dataset expressions): a DAG scheduled on
 * `anyOf(orders, allOf(returns, refunds))` gets a run once orders was updated, or both returns and
 * refunds were, since its last asset-triggered run. A plain list `[a, b]` is `allOf(a, b)`.
 *
 *     dag({ dagId: 'reconcile', schedule: anyOf(orders, allOf(returns, refunds)) }, (d) => { ... });
 *
 * Serialized as a tree of `{ uri }`, `{ alias }`, `{ any: [...] }` and `{ all: [...] }` (the
 * scheduler evaluates it against the assets updated since the last run; the UI and REST describe
 * it). An alias (assetAlias) holds once an asset it resolved to was updated.
 */
import { assetTargets, isAsset, isAssetAlias, type Asset, type AssetAlias } from './asset.js';
import { DagDefinitionError } from './errors.js';

const CONDITION_BRAND = Symbol.for('updraft.sdk.asset-condition');

/** An asset condition made by anyOf / allOf. */
export interface AssetCondition {
  readonly kind: 'any' | 'all';
  readonly items: readonly (Asset | AssetAlias | AssetCondition)[];
}

/** The stored form of a condition. */
export type SerializedAssetCondition = { uri: string } | { alias: string } | { any: SerializedAssetCondition[] } | { all: SerializedAssetCondition[] };

/** True for a condition made by anyOf / allOf (of any copy of the SDK). */
export function isAssetCondition(value: unknown): value is AssetCondition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[CONDITION_BRAND] === true;
}

function condition(kind: 'any' | 'all', items: readonly unknown[]): AssetCondition {
  const name = kind === 'any' ? 'anyOf' : 'allOf';
  if (items.length === 0) throw new DagDefinitionError('invalid', `${name}(): give at least one asset or condition`);
  items.forEach((item, i) => {
    if (!isAsset(item) && !isAssetAlias(item) && !isAssetCondition(item)) {
      throw new DagDefinitionError('invalid', `${name}(): argument ${i + 1} is not an asset(...), an assetAlias(...) or an anyOf/allOf condition`);
    }
  });
  return Object.freeze({ kind, items: Object.freeze([...items]) as readonly (Asset | AssetAlias | AssetCondition)[], [CONDITION_BRAND]: true });
}

/** A run once any of these assets (or aliases, or conditions) was updated (Airflow's `a | b`). */
export function anyOf(...items: (Asset | AssetAlias | AssetCondition)[]): AssetCondition {
  return condition('any', items);
}

/** A run once each of these assets (or aliases, or conditions) was updated (Airflow's `a & b`). */
export function allOf(...items: (Asset | AssetAlias | AssetCondition)[]): AssetCondition {
  return condition('all', items);
}

export function serializeAssetCondition(c: Asset | AssetAlias | AssetCondition): SerializedAssetCondition {
  if (isAssetAlias(c)) return { alias: c.name };
  if (!isAssetCondition(c)) return { uri: (c as Asset).uri };
  const items = c.items.map(serializeAssetCondition);
  return c.kind === 'any' ? { any: items } : { all: items };
}

function leaves(c: SerializedAssetCondition, pick: (x: SerializedAssetCondition) => string | undefined): string[] {
  const out = new Set<string>();
  const walk = (x: SerializedAssetCondition): void => {
    if ('any' in x || 'all' in x) for (const y of 'any' in x ? x.any : x.all) walk(y);
    else {
      const v = pick(x);
      if (v !== undefined) out.add(v);
    }
  };
  walk(c);
  return [...out];
}

/** Every URI a condition names, once each, in order. */
export function conditionUris(c: SerializedAssetCondition): string[] {
  return leaves(c, (x) => ('uri' in x ? x.uri : undefined));
}

/** Every alias a condition names, once each, in order. */
export function conditionAliases(c: SerializedAssetCondition): string[] {
  return leaves(c, (x) => ('alias' in x ? x.alias : undefined));
}

/**
 * Whether the condition holds when the assets in `updated` were updated, and the aliases in
 * `aliasesUpdated` had an event of an asset they resolved to.
 */
export function assetConditionMet(c: SerializedAssetCondition, updated: ReadonlySet<string>, aliasesUpdated: ReadonlySet<string> = new Set()): boolean {
  if ('uri' in c) return updated.has(c.uri);
  if ('alias' in c) return aliasesUpdated.has(c.alias);
  const met = (x: SerializedAssetCondition): boolean => assetConditionMet(x, updated, aliasesUpdated);
  return 'any' in c ? c.any.some(met) : c.all.every(met);
}

/** The condition for people, Airflow's way: `orders | (returns & refunds)`; an alias as `alias:name`. */
export function describeAssetCondition(c: SerializedAssetCondition, nested = false): string {
  if ('uri' in c) return c.uri;
  if ('alias' in c) return `alias:${c.alias}`;
  const parts = ('any' in c ? c.any : c.all).map((x) => describeAssetCondition(x, true));
  if (parts.length === 1) return parts[0]!;
  const text = parts.join('any' in c ? ' | ' : ' & ');
  return nested ? `(${text})` : text;
}

/**
 * A schedule's list of assets and aliases as a condition (each of them), or throws naming `what`.
 * A list without aliases serializes as before: the URIs alone (no condition).
 */
export function listSchedule(value: unknown, what: string): { uris: string[]; condition?: SerializedAssetCondition } {
  const { uris, aliases } = assetTargets(value, what);
  if (aliases.length === 0) return { uris };
  return { uris, condition: { all: [...uris.map((uri) => ({ uri })), ...aliases.map((alias) => ({ alias }))] } };
}
