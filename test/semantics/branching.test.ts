/**
 * Branching and short-circuit semantics on a real stack (PostgreSQL, nats-server, `updraft
 * scheduler` and `updraft worker` processes): one small DAG per case and the final state of every
 * task instance, the same as Airflow's for the same DAG. The join after a branch is run once per
 * trigger rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TriggerRule } from '@updraft/sdk';
import { startStack, type Stack } from '../e2e/stack.js';
import { caseResult, runCase, type CaseResult } from './cases.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ dagFiles: ['test/fixtures/dags-semantics/branching.ts'], workers: [{ name: 'sem-branch-w1', concurrency: 8 }] });
});

afterAll(async () => {
  await stack?.stop();
});

/** Final states of join and after when the branch followed 'a' and skipped 'b' (Airflow's outcome). */
const JOIN_AFTER_BRANCH: Record<Exclude<TriggerRule, 'all_done_setup_success'>, [join: string, after: string]> = {
  all_success: ['skipped', 'skipped'],
  all_failed: ['skipped', 'skipped'],
  all_done: ['success', 'success'],
  all_skipped: ['skipped', 'skipped'],
  one_success: ['success', 'success'],
  one_failed: ['skipped', 'skipped'],
  one_done: ['success', 'success'],
  none_failed: ['success', 'success'],
  none_failed_min_one_success: ['success', 'success'],
  none_skipped: ['skipped', 'skipped'],
  always: ['success', 'success'],
  // Airflow's: a skipped upstream skips it.
  all_done_min_one_success: ['skipped', 'skipped'],
};

describe('branch', () => {
  it('picks one of two paths; the join follows its trigger rule (every rule)', async () => {
    const rules = Object.keys(JOIN_AFTER_BRANCH) as Array<keyof typeof JOIN_AFTER_BRANCH>;
    // Triggered one after another (eleven CLI processes at once can starve a loaded machine), then awaited together.
    const runIds: string[] = [];
    for (const rule of rules) runIds.push(await stack.trigger(`sem_branch_join_${rule}`));
    const results = await Promise.all(rules.map((rule, i) => caseResult(stack, `sem_branch_join_${rule}`, runIds[i]!)));
    const got = Object.fromEntries(rules.map((rule, i) => [rule, { run: results[i]!.runState, ...results[i]!.states }]));
    const want = Object.fromEntries(rules.map((rule) => {
      const [join, after] = JOIN_AFTER_BRANCH[rule];
      return [rule, { run: 'success', pick: 'success', a: 'success', b: 'skipped', join, after }];
    }));
    expect(got).toEqual(want);
  });

  it('all_done_min_one_success runs after all its upstreams ended when one succeeded, though another failed; with none it is upstream_failed', async () => {
    const one = await runCase(stack, 'sem_join_min_one');
    // The run's state is its leaves', as Airflow's: the join succeeded.
    expect({ run: one.runState, ...one.states }).toEqual({ run: 'success', good: 'success', bad: 'failed', join: 'success' });
    const none = await runCase(stack, 'sem_join_min_none');
    expect({ run: none.runState, ...none.states }).toEqual({ run: 'failed', good: 'failed', bad: 'failed', join: 'upstream_failed' });
  });

  it('a list of ids follows each of them', async () => {
    const r = await runCase(stack, 'sem_branch_list');
    expect(r.states).toEqual({ pick: 'success', a: 'success', b: 'skipped', c: 'success', join: 'success' });
    const conf = await runCase(stack, 'sem_branch_list', { conf: { which: ['b'] } });
    expect(conf.states).toEqual({ pick: 'success', a: 'skipped', b: 'success', c: 'skipped', join: 'success' });
  });

  it('null follows no path: the join (none_failed_min_one_success) and what follows are skipped', async () => {
    const r = await runCase(stack, 'sem_branch_null');
    expect({ run: r.runState, ...r.states }).toEqual({ run: 'success', pick: 'success', a: 'skipped', b: 'skipped', join: 'skipped', after: 'skipped' });
  });

  it('a direct downstream task that a followed path also leads to is not skipped', async () => {
    const r = await runCase(stack, 'sem_branch_direct_join');
    expect(r.states).toEqual({ pick: 'success', a: 'success', b: 'skipped', join: 'success' });
  });

  it('an id that is not a direct downstream task fails the branch, naming the valid ones', async () => {
    const r = await runCase(stack, 'sem_branch_invalid');
    expect({ run: r.runState, ...r.states }).toEqual({ run: 'failed', pick: 'failed', a: 'upstream_failed', b: 'upstream_failed', after: 'upstream_failed' });
    expect(r.errors.pick).toBe("branch 'pick' returned 'after', which is not a direct downstream task; it can follow: a, b");
  });
});

describe('short-circuit', () => {
  it('false, ignoreDownstreamTriggerRules (default): everything downstream is skipped, whatever its rule', async () => {
    const r = await runCase(stack, 'sem_short_circuit_default');
    expect({ run: r.runState, ...r.states }).toEqual({
      run: 'success', check: 'success', direct: 'skipped', other: 'success', after: 'skipped', plain_after: 'skipped', plain_end: 'skipped',
    });
  });

  it('false, ignoreDownstreamTriggerRules false: only direct downstream tasks are skipped; the rest follow their rules', async () => {
    const r = await runCase(stack, 'sem_short_circuit_rules');
    expect({ run: r.runState, ...r.states }).toEqual({
      run: 'success', check: 'success', direct: 'skipped', other: 'success', after: 'success', plain_after: 'skipped', plain_end: 'skipped',
    });
  });

  it('true: nothing is skipped', async () => {
    const r = await runCase(stack, 'sem_short_circuit_true');
    expect(Object.values(r.states).every((s) => s === 'success')).toBe(true);
    expect(Object.keys(r.states).sort()).toEqual(['after', 'check', 'direct', 'other', 'plain_after', 'plain_end']);
  });
});

/** Clears tasks of one run with `tasks clear` (the regex picks them) and waits for the run to end again. */
async function clearAndRerun(dagId: string, runId: string, regex: string, ...flags: string[]): Promise<CaseResult> {
  const cleared = await stack.cli(['tasks', 'clear', dagId, '--task-regex', regex, '--run-id', runId, ...flags, '--yes']);
  expect(cleared.code, cleared.stderr).toBe(0);
  return caseResult(stack, dagId, runId);
}

describe('clearing after a branch or short-circuit (its decision stands while it does not run again)', () => {
  it('a task the branch skipped, cleared with its downstream, is skipped again and never runs', async () => {
    const r = await runCase(stack, 'sem_branch_clear');
    expect({ run: r.runState, ...r.states }).toEqual({ run: 'success', pick: 'success', a: 'success', b: 'skipped', c: 'success', after_b: 'skipped' });
    const again = await clearAndRerun('sem_branch_clear', r.runId, '^b$', '--downstream');
    expect({ run: again.runState, ...again.states }).toEqual({ run: 'success', pick: 'success', a: 'success', b: 'skipped', c: 'success', after_b: 'skipped' });
    expect(again.tries).toMatchObject({ b: 0, after_b: 0 });
  });

  it('clearing another upstream of a skipped task with its downstream: that upstream runs again, the skipped task stays skipped', async () => {
    const r = await runCase(stack, 'sem_branch_clear');
    const again = await clearAndRerun('sem_branch_clear', r.runId, '^c$', '--downstream');
    expect({ run: again.runState, ...again.states }).toEqual({ run: 'success', pick: 'success', a: 'success', b: 'skipped', c: 'success', after_b: 'skipped' });
    expect(again.tries).toMatchObject({ c: 2, b: 0, after_b: 0 });
  });

  it('a direct downstream task a false short-circuit skipped, cleared alone, is skipped again', async () => {
    const r = await runCase(stack, 'sem_short_circuit_default');
    const again = await clearAndRerun('sem_short_circuit_default', r.runId, '^direct$');
    expect({ run: again.runState, ...again.states }).toEqual({
      run: 'success', check: 'success', direct: 'skipped', other: 'success', after: 'skipped', plain_after: 'skipped', plain_end: 'skipped',
    });
    expect(again.tries.direct).toBe(0);
  });
});
