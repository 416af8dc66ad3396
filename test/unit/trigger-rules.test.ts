import { describe, expect, it } from 'vitest';
import { maxTriesOf, planReadiness, retryDelayMs, skippedByDecisions } from '@updraft/core';
import { canTransition, evaluateTriggerRule, summarizeUpstream, taskInstanceStateOf, TASK_INSTANCE_STATES, TASK_INSTANCE_TRANSITIONS } from '@updraft/core/internal';
import type { PlannedTask, TaskInstanceState } from '@updraft/core';
import type { TriggerDecision } from '@updraft/core/internal';
import type { SerializedTask, TriggerRule } from '@updraft/sdk';

const decide = (rule: TriggerRule, states: TaskInstanceState[]): TriggerDecision =>
  evaluateTriggerRule(rule, summarizeUpstream(states));

describe('trigger rules', () => {
  const ALL_RULES: TriggerRule[] = [
    'all_success', 'all_failed', 'all_done', 'all_skipped', 'one_success', 'one_failed', 'one_done',
    'none_failed', 'none_failed_min_one_success', 'none_skipped', 'always', 'all_done_min_one_success',
  ];

  it('a task without upstreams is ready under every rule', () => {
    for (const rule of ALL_RULES) expect(decide(rule, [])).toBe('ready');
  });

  // Each row: rule, upstream states, expected decision.
  const cases: Array<[TriggerRule, TaskInstanceState[], TriggerDecision]> = [
    ['all_success', ['success', 'success'], 'ready'],
    ['all_success', ['success', 'running'], 'wait'],
    ['all_success', ['success', 'none'], 'wait'],
    ['all_success', ['success', 'up_for_retry'], 'wait'],
    ['all_success', ['failed', 'running'], 'upstream_failed'],
    ['all_success', ['upstream_failed', 'success'], 'upstream_failed'],
    ['all_success', ['skipped', 'success'], 'skip'],
    ['all_failed', ['failed', 'upstream_failed'], 'ready'],
    ['all_failed', ['failed', 'running'], 'wait'],
    ['all_failed', ['failed', 'success'], 'skip'],
    ['all_done', ['failed', 'success', 'skipped'], 'ready'],
    ['all_done', ['failed', 'queued'], 'wait'],
    ['all_skipped', ['skipped', 'skipped'], 'ready'],
    ['all_skipped', ['skipped', 'running'], 'wait'],
    ['all_skipped', ['skipped', 'success'], 'skip'],
    ['one_success', ['running', 'success'], 'ready'],
    ['one_success', ['running', 'failed'], 'wait'],
    ['one_success', ['failed', 'skipped'], 'upstream_failed'],
    ['one_success', ['skipped', 'skipped'], 'skip'],
    ['one_failed', ['running', 'failed'], 'ready'],
    ['one_failed', ['running', 'success'], 'wait'],
    ['one_failed', ['success', 'skipped'], 'skip'],
    ['one_done', ['running', 'failed'], 'ready'],
    ['one_done', ['running', 'success'], 'ready'],
    ['one_done', ['running', 'skipped'], 'wait'],
    ['one_done', ['skipped', 'upstream_failed'], 'skip'],
    ['none_failed', ['success', 'skipped'], 'ready'],
    ['none_failed', ['success', 'running'], 'wait'],
    ['none_failed', ['failed', 'running'], 'upstream_failed'],
    ['all_done_min_one_success', ['success', 'failed', 'upstream_failed'], 'ready'],
    ['all_done_min_one_success', ['success', 'running'], 'wait'],
    ['all_done_min_one_success', ['failed', 'up_for_retry'], 'wait'],
    ['all_done_min_one_success', ['skipped', 'running'], 'skip'],
    ['all_done_min_one_success', ['success', 'skipped'], 'skip'],
    ['all_done_min_one_success', ['failed', 'upstream_failed'], 'upstream_failed'],
    ['none_failed_min_one_success', ['success', 'skipped'], 'ready'],
    ['none_failed_min_one_success', ['skipped', 'skipped'], 'skip'],
    ['none_failed_min_one_success', ['upstream_failed', 'success'], 'upstream_failed'],
    ['none_failed_min_one_success', ['success', 'scheduled'], 'wait'],
    ['none_skipped', ['success', 'failed'], 'ready'],
    ['none_skipped', ['success', 'skipped'], 'skip'],
    ['none_skipped', ['success', 'running'], 'wait'],
    ['always', ['running', 'none'], 'ready'],
  ];
  it.each(cases)('%s with upstreams %j -> %s', (rule, states, expected) => {
    expect(decide(rule, states)).toBe(expected);
  });

  it('summarizes upstream states', () => {
    expect(summarizeUpstream(['success', 'failed', 'upstream_failed', 'skipped', 'removed', 'running', 'none'])).toEqual({
      total: 7, success: 1, failed: 1, upstreamFailed: 1, skipped: 1, removed: 1, done: 5,
    });
  });
});

describe('retry delay', () => {
  const policy = { retries: 5, retryDelayMs: 1000, retryExponentialBackoff: false, maxRetryDelayMs: null };

  it('is constant without backoff', () => {
    expect([1, 2, 5].map((t) => retryDelayMs(policy, t))).toEqual([1000, 1000, 1000]);
  });

  it('doubles per try with exponential backoff and stops at maxRetryDelayMs', () => {
    const backoff = { ...policy, retryExponentialBackoff: true };
    expect([1, 2, 3, 4].map((t) => retryDelayMs(backoff, t))).toEqual([1000, 2000, 4000, 8000]);
    expect([1, 2, 3, 4].map((t) => retryDelayMs({ ...backoff, maxRetryDelayMs: 3000 }, t))).toEqual([1000, 2000, 3000, 3000]);
  });

  it('stays a valid delay for absurd try numbers', () => {
    const d = retryDelayMs({ ...policy, retryExponentialBackoff: true }, 10_000);
    expect(Number.isFinite(new Date(Date.now() + d).getTime())).toBe(true);
  });

  it('allows retries + 1 tries', () => {
    expect(maxTriesOf({ retries: 0 })).toBe(1);
    expect(maxTriesOf({ retries: 2 })).toBe(3);
  });
});

describe('task instance state machine', () => {
  it('follows the DESIGN path none -> scheduled -> queued -> running -> success and never moves a finished task on', () => {
    expect(canTransition('none', 'scheduled')).toBe(true);
    expect(canTransition('scheduled', 'queued')).toBe(true);
    expect(canTransition('queued', 'running')).toBe(true);
    expect(canTransition('running', 'success')).toBe(true);
    expect(canTransition('running', 'up_for_retry')).toBe(true);
    expect(canTransition('up_for_retry', 'scheduled')).toBe(true);
    expect(canTransition('success', 'running')).toBe(false);
    expect(canTransition('failed', 'running')).toBe(false);
    expect(canTransition('success', 'queued')).toBe(false);
    expect(canTransition('removed', 'success')).toBe(false);
    // A person's mark (REST API) may set any other state to success or failed.
    expect(canTransition('failed', 'success')).toBe(true);
    expect(canTransition('queued', 'success')).toBe(true);
    for (const s of TASK_INSTANCE_STATES) expect(TASK_INSTANCE_TRANSITIONS[s]).toBeDefined();
  });

  it('reads database states, NULL being none, and refuses unknown ones', () => {
    expect(taskInstanceStateOf(null)).toBe('none');
    expect(taskInstanceStateOf('up_for_retry')).toBe('up_for_retry');
    expect(() => taskInstanceStateOf('none')).toThrow(/unknown task instance state/);
    expect(() => taskInstanceStateOf('exploded')).toThrow(/unknown task instance state 'exploded'/);
  });
});

describe('planReadiness', () => {
  // a -> b -> d, a -> c -> d, d -> e (all_done)
  const tasks = new Map<string, PlannedTask>([
    ['a', { upstream: [], downstream: ['b', 'c'], triggerRule: 'all_success' }],
    ['b', { upstream: ['a'], downstream: ['d'], triggerRule: 'all_success' }],
    ['c', { upstream: ['a'], downstream: ['d'], triggerRule: 'all_success' }],
    ['d', { upstream: ['b', 'c'], downstream: ['e'], triggerRule: 'all_success' }],
    ['e', { upstream: ['d'], downstream: [], triggerRule: 'all_done' }],
  ]);
  const states = (s: Record<string, TaskInstanceState>) => new Map(Object.entries(s));

  it('queues the roots of a new run', () => {
    const plan = planReadiness({ tasks, states: states({ a: 'none', b: 'none', c: 'none', d: 'none', e: 'none' }), candidates: tasks.keys(), complete: true });
    expect(plan).toEqual({ queue: ['a'], skip: [], upstreamFailed: [], remove: [], needsAllStates: false });
  });

  it('waits at a join until every upstream succeeded', () => {
    const base = { a: 'success', b: 'success', c: 'running', d: 'none', e: 'none' } as const;
    expect(planReadiness({ tasks, states: states(base), candidates: ['d'], complete: false }).queue).toEqual([]);
    expect(planReadiness({ tasks, states: states({ ...base, c: 'success' }), candidates: ['d'], complete: false }).queue).toEqual(['d']);
  });

  it('cascades upstream_failed and lets an all_done task run after it', () => {
    const plan = planReadiness({ tasks, states: states({ a: 'success', b: 'failed', c: 'running', d: 'none', e: 'none' }), candidates: ['d'], complete: true });
    expect(plan.upstreamFailed).toEqual(['d']);
    expect(plan.queue).toEqual(['e']);
  });

  it('asks for all states when a decision needs one it was not given', () => {
    const plan = planReadiness({ tasks, states: states({ b: 'failed', c: 'running', d: 'none' }), candidates: ['d'], complete: false });
    expect(plan.needsAllStates).toBe(true);
  });

  it('marks task instances of tasks no longer in the DAG as removed', () => {
    const plan = planReadiness({ tasks, states: states({ a: 'success', b: 'none', c: 'none', d: 'none', e: 'none', gone: 'none' }), candidates: tasks.keys(), complete: true });
    expect(plan.remove).toEqual(['gone']);
    expect(plan.queue).toEqual(['b', 'c']);
  });

  it('skips a waiting task a control upstream skipped (whatever its rule), and what follows by the trigger rules', () => {
    const plan = planReadiness({
      tasks, states: states({ a: 'success', b: 'none', c: 'success', d: 'none', e: 'none' }), candidates: tasks.keys(), complete: true,
      skippedByControl: new Set(['b']),
    });
    expect(plan).toEqual({ queue: ['e'], skip: ['b', 'd'], upstreamFailed: [], remove: [], needsAllStates: false });
  });
});

describe('skippedByDecisions', () => {
  const task = (taskId: string, downstream: string[], control?: SerializedTask['control']): SerializedTask =>
    ({ taskId, downstream, upstream: [], ...(control === undefined ? {} : { control }) }) as unknown as SerializedTask;
  // pick (branch) -> a, b; check (short-circuit, ignoring trigger rules) -> x -> y
  const tasks = new Map([
    ['pick', task('pick', ['a', 'b'], { kind: 'branch' })], ['a', task('a', [])], ['b', task('b', [])],
    ['check', task('check', ['x'], { kind: 'short_circuit', ignoreDownstreamTriggerRules: true })], ['x', task('x', ['y'])], ['y', task('y', [])],
  ]);

  it('the direct downstream tasks each recorded decision skipped; nothing for a task without a recorded value', () => {
    expect([...skippedByDecisions(tasks, [['pick', '"a"'], ['check', 'false']])].sort()).toEqual(['b', 'x']);
    expect([...skippedByDecisions(tasks, [['pick', 'null']])].sort()).toEqual(['a', 'b']);
    expect([...skippedByDecisions(tasks, [['pick', null], ['check', 'true']])]).toEqual([]);
  });
});
