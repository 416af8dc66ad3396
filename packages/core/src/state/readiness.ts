/**
 * Which tasks of a DAG run to queue, skip or fail as upstream_failed, given the tasks' states.
 * Pure: the engine reads the states, calls planReadiness, and applies the plan with the
 * compare-and-set statements of ./task-instance-sql.ts.
 */
import type { SerializedTask } from '@updraft/sdk';
import type { TaskInstanceState } from './states.js';
import { evaluateTriggerRule, summarizeUpstream } from './trigger-rules.js';

export type PlannedTask = Pick<SerializedTask, 'upstream' | 'downstream' | 'triggerRule' | 'setup'>;

export interface ReadinessInput {
  tasks: ReadonlyMap<string, PlannedTask>;
  /** Known states; with `complete: false` only those of the candidates and their upstreams. */
  states: ReadonlyMap<string, TaskInstanceState>;
  /** Tasks to look at (e.g. the downstream of a task that just finished). */
  candidates: Iterable<string>;
  /** true when `states` holds every task instance of the run (a missing upstream = removed). */
  complete: boolean;
  /**
   * The states of each instance of expanded mapped tasks (map_index >= 0). As an upstream such a
   * task counts once per instance (Airflow's trigger rules over mapped instances); its own entry in
   * `states` is 'none' while all its instances wait.
   */
  instances?: ReadonlyMap<string, readonly TaskInstanceState[]>;
  /**
   * Direct downstream tasks that a branch or short-circuit upstream, in success, skipped (see
   * branching.ts skippedByDecisions): while that decision stands (the task is not run again), such
   * a task that waits again (cleared or marked back) is skipped whatever its trigger rule, as
   * Airflow's NotPreviouslySkippedDep does.
   */
  skippedByControl?: ReadonlySet<string>;
}

export interface ReadinessPlan {
  queue: string[];
  skip: string[];
  upstreamFailed: string[];
  /** Task instances of the run whose task is no longer in the DAG (only with complete states). */
  remove: string[];
  /** true: a decision needs states that were not given; read all states and plan again. */
  needsAllStates: boolean;
}

const waiting = (s: TaskInstanceState | undefined): boolean => s === 'none' || s === 'scheduled';

export function planReadiness(input: ReadinessInput): ReadinessPlan {
  const plan: ReadinessPlan = { queue: [], skip: [], upstreamFailed: [], remove: [], needsAllStates: false };
  const states = new Map(input.states);
  if (input.complete) {
    for (const [taskId, state] of states) {
      if (!input.tasks.has(taskId) && waiting(state)) {
        plan.remove.push(taskId);
        states.set(taskId, 'removed');
      }
    }
  }
  const work = [...input.candidates];
  const seen = new Set<string>();
  while (work.length > 0) {
    const taskId = work.shift()!;
    const task = input.tasks.get(taskId);
    const state = states.get(taskId);
    if (task === undefined || seen.has(taskId)) continue;
    if (state === undefined) {
      if (input.complete) continue; // no task instance (added to the DAG after the run was created)
      plan.needsAllStates = true;
      return plan;
    }
    if (!waiting(state)) continue;
    if (input.skippedByControl?.has(taskId) === true) {
      seen.add(taskId);
      plan.skip.push(taskId);
      states.set(taskId, 'skipped');
      work.push(...task.downstream);
      continue;
    }
    const upstream: TaskInstanceState[] = [];
    // A teardown's rule also looks at its setups apart.
    const setups: TaskInstanceState[] | undefined = task.triggerRule === 'all_done_setup_success' ? [] : undefined;
    for (const u of task.upstream) {
      const from = upstream.length;
      const mapped = input.instances?.get(u);
      if (mapped !== undefined && !plan.skip.includes(u) && !plan.upstreamFailed.includes(u)) {
        upstream.push(...mapped);
      } else {
        const s = states.get(u);
        if (s === undefined && !input.complete) {
          plan.needsAllStates = true;
          return plan;
        }
        upstream.push(s ?? 'removed');
      }
      if (setups !== undefined && input.tasks.get(u)?.setup === true) setups.push(...upstream.slice(from));
    }
    const decision = evaluateTriggerRule(task.triggerRule, summarizeUpstream(upstream), setups === undefined ? undefined : summarizeUpstream(setups));
    if (decision === 'wait') continue;
    seen.add(taskId);
    if (decision === 'ready') {
      plan.queue.push(taskId);
      states.set(taskId, 'queued');
      continue;
    }
    // Never runs: its end is news for its own downstream.
    (decision === 'skip' ? plan.skip : plan.upstreamFailed).push(taskId);
    states.set(taskId, decision === 'skip' ? 'skipped' : 'upstream_failed');
    work.push(...task.downstream);
  }
  return plan;
}
