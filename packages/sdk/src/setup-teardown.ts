/**
 * Setup and teardown tasks (Airflow 2.7's): a setup creates what work tasks need, a teardown
 * removes it once the work is done whatever its outcome (trigger rule `all_done_setup_success`).
 * This file checks the roles a DAG file gave (task.asSetup() / task.asTeardown()) and serializes
 * them; core's trigger rules, run outcome and clear selection give them their meaning.
 */
import { DagDefinitionError } from './errors.js';
import type { SerializedTask } from './serialized.js';
import type { Task } from './task.js';

/** What asSetup() / asTeardown() made a task. */
export type TaskRole = 'setup' | { teardown: { onFailureFailDagrun: boolean } };

/** The trigger rule of every teardown task, and of no other. */
export const TEARDOWN_TRIGGER_RULE = 'all_done_setup_success';

/**
 * The serialized role of `task` (nothing for a task without one), after checking it: a teardown's
 * trigger rule is all_done_setup_success (set by asTeardown; another given in its options is
 * refused, as Airflow does), no other task has that rule, and a branch, short-circuit, latestOnly,
 * triggerDagRun or mapped task has no role.
 */
export function serializedRole(task: Task, givenTriggerRule: string | undefined, where: string): Partial<Pick<SerializedTask, 'setup' | 'teardown' | 'triggerRule'>> | undefined {
  const fail = (message: string): never => {
    throw new DagDefinitionError('invalid', `${where}: ${message}`, { dagId: task.dag.dagId });
  };
  const role = task.role;
  if (role === undefined) {
    if (givenTriggerRule === TEARDOWN_TRIGGER_RULE) fail(`trigger rule ${TEARDOWN_TRIGGER_RULE} is for teardown tasks (task.asTeardown())`);
    return undefined;
  }
  const name = role === 'setup' ? 'a setup' : 'a teardown';
  if (task.control !== undefined) fail(`${name} task cannot be a branch or short-circuit`);
  if (task.latestOnly === true || task.triggerDagRun !== undefined) fail(`${name} task cannot be latestOnly or triggerDagRun`);
  if (task.mapping !== undefined) fail(`${name} task cannot be mapped (expand)`);
  if (role === 'setup') return { setup: true };
  if (givenTriggerRule !== undefined && givenTriggerRule !== TEARDOWN_TRIGGER_RULE) {
    fail(`a teardown task's trigger rule is ${TEARDOWN_TRIGGER_RULE}; it cannot be '${givenTriggerRule}'`);
  }
  return { teardown: { ...role.teardown }, triggerRule: TEARDOWN_TRIGGER_RULE };
}
