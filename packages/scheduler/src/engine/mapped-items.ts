/**
 * What a mapped task instance handles (`ctx.item`), for the claims of its instances, and what a
 * task mapped over must return. The arrays of unmapped sources are kept in memory (SourceArrays);
 * the values of mapped sources are read in bulk by concurrent claims (one statement per batch).
 */
import { xcomSql, type Queryable } from '@updraft/core';
import { mappedElement, mapSourcesOf, type MapExpansion, type SerializedTask } from '@updraft/sdk';
import { Batcher } from './batching.js';
import type { CompiledDag } from './dag-cache.js';
import { SourceArrays, type SourceRef } from './source-arrays.js';

/** Why the return value of a task mapped over cannot be expanded (not an array, too long), or undefined. */
export function mappingSourceProblem(json: string | null, mappedBy: readonly string[], max: number): string | undefined {
  const value: unknown = json === null ? null : JSON.parse(json);
  const users = mappedBy.map((t) => `'${t}'`).join(', ');
  if (!Array.isArray(value)) {
    return `the return value must be an array: ${users} ${mappedBy.length === 1 ? 'is' : 'are'} mapped over it; it returned ${value === null ? 'nothing' : typeof value === 'object' ? 'an object' : `a ${typeof value}`}`;
  }
  if (value.length > max) return `the return value has ${value.length} elements, over core.max_map_length (${max}); ${users} cannot be mapped over it`;
  return undefined;
}

export class MappedItems {
  /** Reads that concurrent claims of instances mapped over a mapped task make together. */
  private readonly mappedValues: Batcher<xcomSql.MappedItemRef, string | null>;
  /** The arrays of unmapped sources, for the elements of the mapped instances claimed. */
  private readonly sourceArrays: SourceArrays;

  constructor(private readonly db: Queryable) {
    this.mappedValues = new Batcher((inputs) => xcomSql.mappedItems(db, inputs));
    this.sourceArrays = new SourceArrays(async (ref) =>
      (await xcomSql.pullXComs(db, [{ ...ref, key: 'return_value', mapIndex: null }]))[0]);
  }

  /** A source mapped over ended a try: a later try's array is read again. */
  forget(ref: SourceRef): void {
    this.sourceArrays.forget(ref);
  }

  /** The element a mapped instance handles (JSON text), or null for an unmapped task. */
  async itemOf(compiled: CompiledDag, task: SerializedTask, key: SourceRef & { mapIndex: number }): Promise<string | null> {
    if (task.expand === undefined || key.mapIndex < 0) return null;
    if ('product' in task.expand) return this.productItem(compiled, task.expand, key);
    if ('literal' in task.expand) return JSON.stringify(task.expand.literal[key.mapIndex] ?? null);
    const sourceMapped = compiled.tasks.get(task.expand.taskId)?.expand !== undefined;
    if (!sourceMapped) return this.sourceArrays.item({ dagId: key.dagId, runId: key.runId, taskId: task.expand.taskId }, key.mapIndex);
    const item = await this.mappedValues.submit({ dagId: key.dagId, runId: key.runId, sourceTaskId: task.expand.taskId, sourceMapped, index: key.mapIndex });
    return item ?? 'null';
  }

  /** The item of a mapped instance over a cross product: one element of each named source (JSON text). */
  private async productItem(compiled: CompiledDag, expand: MapExpansion, key: SourceRef & { mapIndex: number }): Promise<string> {
    const arrays = await Promise.all(mapSourcesOf(expand).map(async ({ source }) => {
      if ('literal' in source) return source.literal;
      const ref = { dagId: key.dagId, runId: key.runId, taskId: source.taskId };
      // An unmapped source's array is kept in memory; a mapped source's values are read (rarer).
      if (compiled.tasks.get(source.taskId)?.expand === undefined) return await this.sourceArrays.array(ref) ?? [];
      const [json] = await xcomSql.pullXComs(this.db, [{ ...ref, key: 'return_value', mapIndex: null }]);
      const value: unknown = json === null || json === undefined ? null : JSON.parse(json);
      return Array.isArray(value) ? value : [];
    }));
    return JSON.stringify(mappedElement(expand, arrays, key.mapIndex) ?? null);
  }
}
