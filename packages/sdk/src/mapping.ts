/**
 * What a mapped task is mapped over (`task.expand(...)`), as serialized, and the cross product of
 * several named sources (Airflow's `expand(x=..., y=...)`): one instance per combination, the
 * first source outermost and the last one varying fastest, as Airflow numbers them. Pure: the
 * scheduler and `updraft dags test` read the arrays, these functions combine them.
 */

/** One array: an upstream task's return value (of all its instances, for a mapped source) or a literal. */
export type MapSource = { taskId: string } | { literal: unknown[] };

/** A named source of a cross product. */
export type NamedMapSource = { name: string } & MapSource;

/** `task.expand(...)` serialized: one source, or the cross product of named sources. */
export type MapExpansion = MapSource | { product: NamedMapSource[] };

/** The sources of an expansion, each with its name (undefined: the single source, whose element is the item). */
export function mapSourcesOf(expand: MapExpansion): Array<{ name: string | undefined; source: MapSource }> {
  if ('product' in expand) return expand.product.map(({ name, ...source }) => ({ name, source: source as MapSource }));
  return [{ name: undefined, source: expand }];
}

/** The upstream tasks an expansion reads. */
export function mapSourceTaskIds(expand: MapExpansion): string[] {
  return mapSourcesOf(expand).flatMap(({ source }) => ('taskId' in source ? [source.taskId] : []));
}

/** Why a mapped task is not expanded: more instances than core.max_map_length (the scheduler and `dags test` say the same). */
export function overMaxMapLength(taskId: string, expand: MapExpansion, length: number, max: number): string {
  return `cannot expand '${taskId}': ${length} ${'product' in expand ? 'combinations' : 'elements'}, over core.max_map_length (${max})`;
}

/** How many instances a cross product of arrays of these lengths has (0 when one is empty). */
export function productLength(lengths: readonly number[]): number {
  return lengths.reduce((n, l) => n * l, 1);
}

/**
 * The item of instance `index`: the element of the single source, or for a cross product an
 * object with one element of each named source. Undefined when `index` is past the end.
 */
export function mappedElement(expand: MapExpansion, arrays: readonly (readonly unknown[])[], index: number): unknown {
  if (!('product' in expand)) return arrays[0]?.[index];
  if (index < 0 || index >= productLength(arrays.map((a) => a.length))) return undefined;
  const item: Record<string, unknown> = {};
  let rest = index;
  for (let k = expand.product.length - 1; k >= 0; k--) {
    const array = arrays[k]!;
    item[expand.product[k]!.name] = array[rest % array.length];
    rest = Math.floor(rest / array.length);
  }
  // Keys in the order the sources were named.
  return Object.fromEntries(expand.product.map(({ name }) => [name, item[name]]));
}
