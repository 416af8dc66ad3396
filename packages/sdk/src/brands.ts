import type { Dag } from './dag.js';
import type { Task, TaskGroup } from './task.js';
import type { NamedTaskGroup } from './task-group.js';

// Brands are global symbols so objects made by another copy of the SDK module (a DAG file may be
// loaded through a different module path) are still recognised; instanceof would not.
export const DAG_BRAND = Symbol.for('updraft.sdk.dag');
export const TASK_BRAND = Symbol.for('updraft.sdk.task');
export const GROUP_BRAND = Symbol.for('updraft.sdk.task-group');
export const NAMED_GROUP_BRAND = Symbol.for('updraft.sdk.named-task-group');

function hasBrand(value: unknown, brand: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

/** True for a Dag of any copy of the SDK. */
export function isDag(value: unknown): value is Dag {
  return hasBrand(value, DAG_BRAND);
}

/** True for a Task of any copy of the SDK. */
export function isTask(value: unknown): value is Task {
  return hasBrand(value, TASK_BRAND);
}

/** True for a TaskGroup of any copy of the SDK. */
export function isTaskGroup(value: unknown): value is TaskGroup {
  return hasBrand(value, GROUP_BRAND);
}

/** True for a named task group (`d.taskGroup()`) of any copy of the SDK. */
export function isNamedTaskGroup(value: unknown): value is NamedTaskGroup {
  return hasBrand(value, NAMED_GROUP_BRAND);
}
