/**
 * Conditions over assets (Airflow 2.9's `(a | b) & c` dataset expressions): a DAG scheduled on
 * `anyOf(orders, allOf(returns, refunds))` gets a run once orders was updated, or both returns and
 * refunds were, since its last asset-triggered run. A plain list `[a, b]` is `allOf(a, b)`.
 *
 *     dag({ dagId: 'reconcile', schedule: anyOf(orders, allOf(returns, refunds)) }, (d) => { ... });
 *
 * Serialized as a tree of `{ uri }`, `{ any: [...] }` and `{ all: [...] }` (the scheduler evaluates
 * it against the assets updated since the last run; the UI and REST describe it).
 */
import { isAsset, type Asset } from './asset.js';
import { DagDefinitionError } from './errors.js';

const CONDITION_BRAND = Symbol.for('updraft.sdk.asset-condition');

/** An asset condition made by anyOf / allOf. */
export interface AssetCondition {
  readonly kind: 'any' | 'all';
  readonly items: readonly (Asset | AssetCondition)[];
}

/** The stored form of a condition. */
export type SerializedAssetCondition = { uri: string } | { any: SerializedAssetCondition[] } | { all: SerializedAssetCondition[] };

/** True for a condition made by anyOf / allOf (of any copy of the SDK). */
export function isAssetCondition(value: unknown): value is AssetCondition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[CONDITION_BRAND] === true;
}

function condition(kind: 'any' | 'all', items: readonly unknown[]): AssetCondition {
  const name = kind === 'any' ? 'anyOf' : 'allOf';
  if (items.length === 0) throw new DagDefinitionError('invalid', `${name}(): give at least one asset or condition`);
  items.forEach((item, i) => {
    if (!isAsset(item) && !isAssetCondition(item)) {
      throw new DagDefinitionError('invalid', `${name}(): argument ${i + 1} is not an asset(...) or an anyOf/allOf condition`);
    }
  });
  return Object.freeze({ kind, items: Object.freeze([...items]) as readonly (Asset | AssetCondition)[], [CONDITION_BRAND]: true });
}

/** A run once any of these assets (or conditions) was updated (Airflow's `a | b`). */
export function anyOf(...items: (Asset | AssetCondition)[]): AssetCondition {
  return condition('any', items);
}

/** A run once each of these assets (or conditions) was updated (Airflow's `a & b`). */
export function allOf(...items: (Asset | AssetCondition)[]): AssetCondition {
  return condition('all', items);
}

export function serializeAssetCondition(c: Asset | AssetCondition): SerializedAssetCondition {
  if (!isAssetCondition(c)) return { uri: c.uri };
  const items = c.items.map(serializeAssetCondition);
  return c.kind === 'any' ? { any: items } : { all: items };
}

/** Every URI a condition names, once each, in order. */
export function conditionUris(c: SerializedAssetCondition): string[] {
  const out = new Set<string>();
  const walk = (x: SerializedAssetCondition): void => {
    if ('uri' in x) out.add(x.uri);
    else for (const y of 'any' in x ? x.any : x.all) walk(y);
  };
  walk(c);
  return [...out];
}

/** Whether the condition holds when the assets in `updated` were updated. */
export function assetConditionMet(c: SerializedAssetCondition, updated: ReadonlySet<string>): boolean {
  if ('uri' in c) return updated.has(c.uri);
  return 'any' in c ? c.any.some((x) => assetConditionMet(x, updated)) : c.all.every((x) => assetConditionMet(x, updated));
}

/** The condition for people, Airflow's way: `orders | (returns & refunds)`. */
export function describeAssetCondition(c: SerializedAssetCondition, nested = false): string {
  if ('uri' in c) return c.uri;
  const parts = ('any' in c ? c.any : c.all).map((x) => describeAssetCondition(x, true));
  if (parts.length === 1) return parts[0]!;
  const text = parts.join('any' in c ? ' | ' : ' & ');
  return nested ? `(${text})` : text;
}
