/**
 * Readiness of a run whose DAG has mapped tasks (`task.expand(...)`): every task instance is read
 * (a mapped task has one per map index), trigger rules count each instance of a mapped upstream,
 * and a mapped task that becomes ready is expanded first: its array is read (a literal, or the
 * source task's XCom), an empty array skips it, one longer than core.max_map_length fails it
 * (upstream_failed with the reason), otherwise its instances 0..n-1 are created and queued. A map
 * index that is none again (cleared, or retried by the scheduler) is queued again the same way,
 * after its array is read again: a source that ran again may have returned another length
 * (instances added, or the ones past it removed).
 * Skips and failures made here are news for the downstream tasks: planning repeats until nothing
 * more changes.
 */
import {
  mapExpansionSql,
  planReadiness,
  taskInstancesSql,
  xcomSql,
  type QueuedAttempt,
  type Queryable,
  type TaskInstanceState,
} from '@updraft/core';
import { mapSourcesOf, overMaxMapLength, productLength, type SerializedTask } from '@updraft/sdk';
import type { Admission, Freed } from './admission.js';
import { skippedByControl as controlSkips } from './control-skips.js';
import type { CompiledDag } from './dag-cache.js';
import type { RunRef } from './evaluator.js';

const waiting = (s: TaskInstanceState): boolean => s === 'none' || s === 'scheduled';

/**
 * How many instances a mapped task has: the length of the array it expands over (a literal, or the
 * source task's XCom), the product of the lengths for a cross product; or why it cannot be expanded.
 */
export async function mappedLength(db: Queryable, run: RunRef, task: SerializedTask, compiled: CompiledDag): Promise<number | string> {
  const sources = mapSourcesOf(task.expand!);
  const read = sources.flatMap(({ source }) => ('taskId' in source ? [{ dagId: run.dagId, runId: run.runId, taskId: source.taskId, key: 'return_value', mapIndex: null }] : []));
  const values = read.length === 0 ? [] : await xcomSql.pullXComs(db, read);
  const lengths: number[] = [];
  let v = 0;
  for (const { name, source } of sources) {
    if ('literal' in source) {
      lengths.push(source.literal.length);
      continue;
    }
    const json = values[v++];
    const value: unknown = json === null || json === undefined ? null : JSON.parse(json);
    if (!Array.isArray(value)) {
      const sourceMapped = compiled.tasks.get(source.taskId)?.expand !== undefined;
      return `cannot expand '${task.taskId}'${name === undefined ? '' : ` over '${name}'`}: task '${source.taskId}' ${value === null ? 'returned no value' : `returned ${typeof value === 'object' ? 'an object' : `a ${typeof value}`}`}, not an array` +
        (sourceMapped ? '' : ' (a task mapped over must return an array)');
    }
    lengths.push(value.length);
  }
  return productLength(lengths);
}

export interface MappedEvaluation {
  queued: QueuedAttempt[];
  /** Tasks this evaluation skipped or removed (news for depends_on_past in the next run). */
  notRun: string[];
}

export async function evaluateMappedRun(
  db: Queryable,
  admission: Admission,
  run: RunRef,
  compiled: CompiledDag,
  maxMapLength: number,
  /** Of the tasks their trigger rules made ready, those that may be queued now (depends_on_past). */
  release: (ready: string[]) => Promise<string[]>,
  /** Places a finish freed, released by the first admission (AfterFinish.freed). */
  freed: Freed | null = null,
): Promise<MappedEvaluation> {
  const queued: QueuedAttempt[] = [];
  const notRun: string[] = [];
  for (let round = 0; round < 1000; round++) {
    const rows = await taskInstancesSql.instanceStates(db, run);
    const states = new Map<string, TaskInstanceState>();
    const instances = new Map<string, TaskInstanceState[]>();
    for (const r of rows) {
      if (r.mapIndex < 0) states.set(r.taskId, r.state);
      else instances.set(r.taskId, [...(instances.get(r.taskId) ?? []), r.state]);
    }
    // A mapped task is none (planned like an unmapped one) while all its instances wait, and also
    // while some are none again (a cleared map index, a retry no worker made) beside ended ones:
    // once ready, the admission takes exactly its none and scheduled instances.
    for (const [taskId, list] of instances) states.set(taskId, list.every(waiting) || list.includes('none') ? 'none' : 'running');
    const skippedByControl = compiled.controls.length === 0 ? undefined : await controlSkips(db, run, compiled, states);
    const plan = planReadiness({ tasks: compiled.tasks, states, candidates: compiled.tasks.keys(), complete: true, instances, skippedByControl });
    await Promise.all([
      taskInstancesSql.markNotRun(db, run, plan.remove, 'removed'),
      taskInstancesSql.markNotRun(db, run, plan.upstreamFailed, 'upstream_failed'),
      taskInstancesSql.markNotRun(db, run, plan.skip, 'skipped'),
    ]);
    notRun.push(...plan.remove, ...plan.skip);
    let changed = false;
    const toQueue: string[] = [];
    for (const taskId of await release(plan.queue)) {
      const task = compiled.tasks.get(taskId)!;
      const expanded = instances.get(taskId);
      // Instances that only wait for a place (scheduled) need no new look at the array: that is
      // for instances none again (cleared, or retried by the scheduler), whose source may have run again.
      if (task.expand === undefined || (expanded !== undefined && !expanded.includes('none'))) {
        toQueue.push(taskId);
        continue;
      }
      const length = await mappedLength(db, run, task, compiled);
      if (expanded !== undefined && typeof length === 'number' && length > 0 && length <= maxMapLength) {
        if (length !== expanded.length || expanded.includes('removed')) {
          await mapExpansionSql.reviseMapIndexes(db, run, taskId, length, task.retries + 1);
        }
        toQueue.push(taskId);
        continue;
      }
      if (typeof length === 'string' || length > maxMapLength) {
        const reason = typeof length === 'string' ? length
          : overMaxMapLength(taskId, task.expand!, length, maxMapLength);
        await mapExpansionSql.failUnmappable(db, run, taskId, reason);
        changed = true;
      } else if (length === 0) {
        await taskInstancesSql.markNotRun(db, run, [taskId], 'skipped');
        notRun.push(taskId);
        changed = true;
      } else if (await mapExpansionSql.expandMappedTask(db, run, taskId, length)) {
        toQueue.push(taskId);
      }
    }
    queued.push(...await admission.admit(run, toQueue.map((t) => compiled.tasks.get(t)!), round === 0 ? freed : null));
    if (!changed) break;
  }
  return { queued, notRun };
}
