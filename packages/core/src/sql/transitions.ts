/**
 * State guards of the compare-and-set statements, derived from the state machine. A statement
 * that moves task instances (or DAG runs) declares its transition here; declaring an edge that
 * is not in TASK_INSTANCE_TRANSITIONS (DAG_RUN_TRANSITIONS) throws when the module loads, so a
 * transition cannot be added in SQL alone. test/unit/state-guards.test.ts checks that every
 * UPDATE of task_instance / dag_run in the data-access modules uses one of these guards.
 */
import {
  DAG_RUN_TRANSITIONS,
  TASK_INSTANCE_TRANSITIONS,
  type DagRunState,
  type TaskInstanceState,
} from '../state/states.js';

export interface Transition<S extends string> {
  readonly from: readonly S[];
  readonly to: readonly S[];
  /** The WHERE condition `<alias>.state is one of from` (NULL for none). */
  guard(alias: string): string;
}

const declared: Array<{ machine: 'task_instance' | 'dag_run'; from: readonly string[]; to: readonly string[] }> = [];

/** Every transition the data-access modules declared so far (for tests). */
export function declaredTransitions(): ReadonlyArray<{ machine: 'task_instance' | 'dag_run'; from: readonly string[]; to: readonly string[] }> {
  return declared;
}

function check<S extends string>(table: Readonly<Record<S, readonly S[]>>, machine: string, from: readonly S[], to: readonly S[]): void {
  for (const f of from) {
    for (const t of to) {
      if (!table[f].includes(t)) {
        throw new Error(`${machine} transition ${f} -> ${t} is not in the state machine (core/src/state/states.ts)`);
      }
    }
  }
}

/**
 * A single-row guard is written `IS NOT DISTINCT FROM` (same meaning for a non-null literal): it
 * keeps the planner on the primary key instead of a partial index over every row in that state
 * (e.g. thousands of queued rows), whatever the table statistics say.
 */
function condition(alias: string, states: readonly string[]): string {
  const parts = states.map((s) => (s === 'none' ? `${alias}.state IS NULL` : `${alias}.state IS NOT DISTINCT FROM '${s}'`));
  return parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`;
}

/**
 * Declares a task-instance transition `from -> to` (every pair must be an edge), or, with `via`,
 * a statement that passes `from -> via -> to` at once (e.g. none -> scheduled -> queued; a list
 * passes each of its states in turn, e.g. none -> scheduled -> queued -> running).
 */
export function taskTransition(
  from: readonly TaskInstanceState[],
  to: readonly TaskInstanceState[],
  via?: TaskInstanceState | readonly TaskInstanceState[],
): Transition<TaskInstanceState> {
  if (via === undefined) {
    check(TASK_INSTANCE_TRANSITIONS, 'task instance', from, to);
  } else {
    const path = typeof via === 'string' ? [via] : via;
    check(TASK_INSTANCE_TRANSITIONS, 'task instance', from.filter((f) => f !== path[0]), [path[0]!]);
    for (let k = 1; k < path.length; k++) check(TASK_INSTANCE_TRANSITIONS, 'task instance', [path[k - 1]!], [path[k]!]);
    check(TASK_INSTANCE_TRANSITIONS, 'task instance', [path[path.length - 1]!], to);
  }
  declared.push({ machine: 'task_instance', from, to });
  return { from, to, guard: (alias) => condition(alias, from) };
}

/** Declares a DAG-run transition `from -> to` (every pair must be an edge). */
export function runTransition(from: readonly DagRunState[], to: readonly DagRunState[]): Transition<DagRunState> {
  check(DAG_RUN_TRANSITIONS, 'DAG run', from, to);
  declared.push({ machine: 'dag_run', from, to });
  return { from, to, guard: (alias) => condition(alias, from) };
}
