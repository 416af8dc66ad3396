/**
 * Trigger rules (Airflow's semantics) as a pure function of the upstream tasks' states.
 * `ready`: the task may be scheduled now. `wait`: not decidable yet. `skip` / `upstream_failed`:
 * the task will never run and ends in that state, which its own downstream then sees.
 */
import type { TriggerRule } from '@updraft/sdk';
import type { TaskInstanceState } from './states.js';

export type TriggerDecision = 'ready' | 'wait' | 'skip' | 'upstream_failed';

export interface UpstreamSummary {
  total: number;
  success: number;
  failed: number;
  upstreamFailed: number;
  skipped: number;
  removed: number;
  /** Upstreams in a finished state (success, failed, upstream_failed, skipped, removed). */
  done: number;
}

export function summarizeUpstream(states: Iterable<TaskInstanceState>): UpstreamSummary {
  const s: UpstreamSummary = { total: 0, success: 0, failed: 0, upstreamFailed: 0, skipped: 0, removed: 0, done: 0 };
  for (const state of states) {
    s.total++;
    switch (state) {
      case 'success': s.success++; s.done++; break;
      case 'failed': s.failed++; s.done++; break;
      case 'upstream_failed': s.upstreamFailed++; s.done++; break;
      case 'skipped': s.skipped++; s.done++; break;
      case 'removed': s.removed++; s.done++; break;
      default: break;
    }
  }
  return s;
}

/**
 * Decides a task's fate from its upstreams (`setups`: those of them that are setup tasks, for a
 * teardown's all_done_setup_success). A task without upstreams is always ready.
 * Failure and skip verdicts are given as soon as they are certain, before all upstreams finish.
 */
export function evaluateTriggerRule(rule: TriggerRule, up: UpstreamSummary, setups?: UpstreamSummary): TriggerDecision {
  if (up.total === 0) return 'ready';
  const allDone = up.done === up.total;
  const failures = up.failed + up.upstreamFailed;
  switch (rule) {
    case 'all_success':
      if (failures > 0) return 'upstream_failed';
      if (up.skipped > 0) return 'skip';
      return up.success + up.removed === up.total ? 'ready' : 'wait';
    case 'all_failed':
      if (up.success > 0 || up.skipped > 0) return 'skip';
      return allDone ? 'ready' : 'wait';
    case 'all_done':
      return allDone ? 'ready' : 'wait';
    case 'all_skipped':
      if (up.success > 0 || failures > 0) return 'skip';
      return allDone ? 'ready' : 'wait';
    case 'one_success':
      if (up.success > 0) return 'ready';
      if (!allDone) return 'wait';
      return up.skipped + up.removed === up.total ? 'skip' : 'upstream_failed';
    case 'one_failed':
      if (failures > 0) return 'ready';
      return allDone ? 'skip' : 'wait';
    case 'one_done':
      if (up.success > 0 || up.failed > 0) return 'ready';
      return allDone ? 'skip' : 'wait';
    case 'none_failed':
      if (failures > 0) return 'upstream_failed';
      return allDone ? 'ready' : 'wait';
    case 'none_failed_min_one_success':
      if (failures > 0) return 'upstream_failed';
      if (!allDone) return 'wait';
      return up.success > 0 ? 'ready' : 'skip';
    case 'none_skipped':
      if (up.skipped > 0) return 'skip';
      return allDone ? 'ready' : 'wait';
    case 'always':
      return 'ready';
    case 'all_done_min_one_success':
      // Airflow's: a skipped upstream skips it at once; once all are done it runs after one
      // success whatever else failed, and with none it is upstream_failed.
      if (up.skipped > 0) return 'skip';
      if (!allDone) return 'wait';
      return up.success > 0 ? 'ready' : 'upstream_failed';
    case 'all_done_setup_success':
      // A teardown (`setups`: its upstream setup tasks): once all is done, it runs when one setup
      // succeeded; skipped when they were all skipped (nothing was set up), upstream_failed when
      // none succeeded. Without setups, all_done.
      if (!allDone) return 'wait';
      if (setups === undefined || setups.total === 0) return 'ready';
      if (setups.skipped + setups.removed >= setups.total) return 'skip';
      return setups.success > 0 ? 'ready' : 'upstream_failed';
    default: {
      const unknown: never = rule;
      throw new Error(`unknown trigger rule '${String(unknown)}'`);
    }
  }
}
