/**
 * Task group semantics on a real stack (PostgreSQL, nats-server, `updraft scheduler` and `updraft
 * worker` processes): ids `group.task`, nesting, groups as dependency ends, group default arguments,
 * XCom between tasks of different groups, skips through groups, a branch naming a group; the
 * serialized DAG keeps the group tree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../e2e/stack.js';
import { runCase, xcomValues } from './cases.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ dagFiles: ['test/fixtures/dags-semantics/groups.ts'], workers: [{ name: 'sem-groups-w1', concurrency: 4 }] });
});

afterAll(async () => {
  await stack?.stop();
});

describe('task groups', () => {
  it('run in dependency order with group ids, nested groups, group defaults and XCom across groups', async () => {
    const r = await runCase(stack, 'sem_groups_etl');
    expect(r.errors).toEqual({});
    expect(r.states).toEqual({
      extract: 'success', 'transform.clean': 'success', 'transform.checks.count': 'success', 'transform.checks.schema': 'success', write: 'success',
    });
    const values = await xcomValues(stack.pool, 'sem_groups_etl', r.runId);
    expect(values['write:return_value']).toEqual({ n: 3, rows: [2, 4, 6] });
    // Order: each task started after its upstream ended (groups stand for their roots / leaves).
    const { rows: times } = await stack.pool.query<{ task_id: string; started_at: Date; ended_at: Date; max_tries: number }>(
      'SELECT task_id, started_at, ended_at, max_tries FROM task_instance WHERE dag_id = $1 AND run_id = $2', ['sem_groups_etl', r.runId]);
    const t = Object.fromEntries(times.map((x) => [x.task_id, x]));
    const before = (a: string, b: string): boolean => t[a]!.ended_at.getTime() <= t[b]!.started_at.getTime();
    expect([before('extract', 'transform.clean'), before('transform.clean', 'transform.checks.count'),
      before('transform.clean', 'transform.checks.schema'), before('transform.checks.count', 'write'), before('transform.checks.schema', 'write')])
      .toEqual([true, true, true, true, true]);
    // Group defaults over the DAG's: checks retry 3 times, the others once.
    expect(Object.fromEntries(times.map((x) => [x.task_id, x.max_tries]))).toEqual({
      extract: 2, 'transform.clean': 2, 'transform.checks.count': 4, 'transform.checks.schema': 4, write: 2,
    });
  });

  it('the serialized DAG keeps the group tree', async () => {
    const { rows } = await stack.pool.query<{ data: { taskGroups: unknown; tasks: Array<{ taskId: string; groupId?: string; upstream: string[] }> } }>(
      "SELECT data FROM serialized_dag WHERE dag_id = 'sem_groups_etl'");
    const data = rows[0]!.data;
    expect(data.taskGroups).toEqual([
      { groupId: 'transform', label: 'transform', parentId: null, prefixGroupId: true, tooltip: null,
        taskIds: ['transform.clean'], childGroupIds: ['transform.checks'] },
      { groupId: 'transform.checks', label: 'checks', parentId: 'transform', prefixGroupId: true, tooltip: 'data checks',
        taskIds: ['transform.checks.count', 'transform.checks.schema'], childGroupIds: [] },
      { groupId: 'load', label: 'load', parentId: null, prefixGroupId: false, tooltip: null, taskIds: ['write'], childGroupIds: [] },
    ]);
    expect(Object.fromEntries(data.tasks.map((x) => [x.taskId, [x.groupId ?? null, [...x.upstream].sort()]]))).toEqual({
      extract: [null, []],
      'transform.clean': ['transform', ['extract']],
      'transform.checks.count': ['transform.checks', ['transform.clean']],
      'transform.checks.schema': ['transform.checks', ['transform.clean']],
      write: ['load', ['transform.checks.count', 'transform.checks.schema']],
    });
  });

  it('skips propagate through a group by the trigger rules of its tasks', async () => {
    const r = await runCase(stack, 'sem_groups_skip');
    expect({ run: r.runState, ...r.states }).toEqual({
      run: 'success', gate: 'success', 'work.a': 'skipped', 'work.b': 'skipped', 'work.c': 'success', end: 'success',
    });
  });

  it('a branch naming a group follows its tasks and skips the other group', async () => {
    const r = await runCase(stack, 'sem_groups_branch');
    expect(r.states).toEqual({
      pick: 'success', 'left.one': 'success', 'left.two': 'success', 'right.one': 'skipped', join: 'success',
    });
  });
});
