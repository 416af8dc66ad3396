/**
 * XCom of a run made here (`updraft dags test`): kept in memory for the run, read and written as
 * the scheduler's store is (return values under 'return_value', pushes under their key, a mapped
 * task's values in map-index order), so tasks that hand values over behave as on a worker.
 */
import { taskTemplatesOf, templateXComRefs, xcomRefText } from '@updraft/core';
import type { SerializedTask } from '@updraft/sdk';
import type { TaskXComAccess } from '@updraft/worker';

const slot = (taskId: string, mapIndex: number, key: string): string => `${taskId}\0${mapIndex}\0${key}`;

export class LocalXCom {
  private readonly values = new Map<string, string>();
  /** Instances of each mapped task that ran. */
  private readonly mapped = new Map<string, number>();

  set(taskId: string, mapIndex: number, key: string, valueJson: string): void {
    this.values.set(slot(taskId, mapIndex, key), valueJson);
  }

  markMapped(taskId: string, instances: number): void {
    this.mapped.set(taskId, instances);
  }

  /** JSON text, or null when there is none; a mapped task without mapIndex gives the array of its values. */
  get(taskId: string, key: string, mapIndex: number | null): string | null {
    const k = key === '' ? 'return_value' : key;
    const n = this.mapped.get(taskId);
    if (mapIndex === null && n !== undefined) {
      return `[${Array.from({ length: n }, (_, i) => this.values.get(slot(taskId, i, k)) ?? 'null').join(',')}]`;
    }
    return this.values.get(slot(taskId, mapIndex ?? -1, k)) ?? null;
  }

  /** What ctx.xcom of task instance (taskId, mapIndex) reads and writes. */
  access(taskId: string, mapIndex: number): TaskXComAccess {
    return {
      pull: async (fromTask, key, index) => {
        const value = this.get(fromTask, key, index);
        return value === null ? { found: false, valueJson: '' } : { found: true, valueJson: value };
      },
      push: async (key, valueJson) => this.set(taskId, mapIndex, key, valueJson),
    };
  }

  /** The values `{{ ti.xcom_pull(...) }}` in the task's templates read. */
  forTemplates(task: SerializedTask, where: string): Map<string, string | null> {
    const templates = taskTemplatesOf(task);
    const out = new Map<string, string | null>();
    if (!templates.some((t) => t.includes('xcom_pull'))) return out;
    for (const ref of templateXComRefs(templates, where)) out.set(xcomRefText(ref), this.get(ref.taskId, ref.key, ref.mapIndex));
    return out;
  }
}
