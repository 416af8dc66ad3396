/**
 * Dynamic task mapping on a real stack (PostgreSQL, nats-server, `updraft scheduler` and `updraft
 * worker` processes): one instance per element with map_index 0..n-1 (0, 1 and 100 elements),
 * results pulled in map-index order, per-instance tries and logs (element 3 fails and retries),
 * mapping over mapped results, bash `{{ item }}`, the cross product of named sources, and
 * core.max_map_length.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../e2e/stack.js';
import { caseResult, runCase, taskStates, tryLog, xcomValues } from './cases.js';

let stack: Stack;

beforeAll(async () => {
  // A publish window smaller than the widest mapping: most instances of the 100-element cases go
  // from the scheduler's backlog to the worker in its reports' answers, or out as others are claimed.
  stack = await startStack({
    dagFiles: ['test/fixtures/dags-semantics/mapping.ts'], workers: [{ name: 'sem-map-w1', concurrency: 8 }],
    schedulerEnv: { UPDRAFT__SCHEDULER__PUBLISH_WINDOW: '8' },
  });
});

afterAll(async () => {
  await stack?.stop();
});

const instances = (prefix: string, n: number, state: string): Record<string, string> =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}[${i}]`, state]));

describe('dynamic task mapping', () => {
  it('over 0 elements: the mapped task is skipped, and what follows by its trigger rule', async () => {
    const r = await runCase(stack, 'sem_map_counts', { conf: { n: 0 } });
    expect({ run: r.runState, ...r.states }).toEqual({ run: 'success', numbers: 'success', square: 'skipped', total: 'skipped' });
  });

  it('over 1 element: one instance, map index 0', async () => {
    const r = await runCase(stack, 'sem_map_counts', { conf: { n: 1 } });
    expect(r.states).toEqual({ numbers: 'success', 'square[0]': 'success', total: 'success' });
    expect((await xcomValues(stack.pool, 'sem_map_counts', r.runId))['total:return_value']).toEqual({ count: 1, sum: 0, indexes: -1 });
  });

  it('over 100 elements: 100 instances, results in map-index order', async () => {
    const r = await runCase(stack, 'sem_map_counts', { conf: { n: 100 } });
    expect(r.states).toEqual({ numbers: 'success', ...instances('square', 100, 'success'), total: 'success' });
    const values = await xcomValues(stack.pool, 'sem_map_counts', r.runId);
    expect(values['total:return_value']).toEqual({ count: 100, sum: 328350, indexes: -1 });
    expect(values['square[7]:return_value']).toBe(49);
  });

  it('element 3 fails and retries on its own: its own tries and logs', async () => {
    const r = await runCase(stack, 'sem_map_retry');
    expect(r.states).toEqual({ ...instances('work', 5, 'success'), collect: 'success' });
    expect(r.tries).toEqual({ 'work[0]': 1, 'work[1]': 1, 'work[2]': 1, 'work[3]': 2, 'work[4]': 1, collect: 1 });
    expect((await xcomValues(stack.pool, 'sem_map_retry', r.runId))['collect:return_value']).toEqual([0, 10, 20, 30, 40]);
    const first = await tryLog(stack, 'sem_map_retry', r.runId, 'work', 1, 3);
    expect(first).toContain('element 3 at index 3, try 1');
    expect(first).toContain('Error: element 3 fails on its first try');
    expect(await tryLog(stack, 'sem_map_retry', r.runId, 'work', 2, 3)).toContain('element 3 at index 3, try 2');
    expect(await tryLog(stack, 'sem_map_retry', r.runId, 'work', 1, 4)).toContain('element 4 at index 4, try 1');
  });

  it('maps over a mapped task\'s results; a bash task gets {{ item }}', async () => {
    const r = await runCase(stack, 'sem_map_chain');
    expect(r.states).toEqual({
      ...instances('double', 3, 'success'), ...instances('inc', 3, 'success'), collect: 'success', ...instances('echo', 2, 'success'),
    });
    expect((await xcomValues(stack.pool, 'sem_map_chain', r.runId))['collect:return_value']).toEqual([3, 5, 7]);
    expect(await tryLog(stack, 'sem_map_chain', r.runId, 'echo', 1, 1)).toMatch(/\[stdout\] item=b index=1$/m);
  });

  it('core.max_map_length and non-arrays fail with the reason', async () => {
    const r = await runCase(stack, 'sem_map_limits');
    expect({ run: r.runState, ...r.states }).toEqual({
      run: 'failed', many: 'failed', each_many: 'upstream_failed', not_array: 'failed', each_not_array: 'upstream_failed', each_literal: 'upstream_failed',
    });
    expect(r.errors.many).toBe("the return value has 1025 elements, over core.max_map_length (1024); 'each_many' cannot be mapped over it");
    expect(r.errors.not_array).toBe("the return value must be an array: 'each_not_array' is mapped over it; it returned an object");
    expect(r.errors.each_literal).toBe("cannot expand 'each_literal': 1025 elements, over core.max_map_length (1024)");
  });

  it('maps over the cross product of named sources, the first outermost, for function and bash tasks; an empty source skips, too many combinations fail', async () => {
    const r = await runCase(stack, 'sem_map_product');
    expect({ run: r.runState, ...r.states }).toEqual({
      run: 'failed', cities: 'success', ...instances('visit', 6, 'success'), collect: 'success', ...instances('echo_pair', 4, 'success'),
      none: 'skipped', too_many: 'upstream_failed', ...instances('double', 2, 'success'), ...instances('over_mapped', 4, 'success'),
    });
    const values = await xcomValues(stack.pool, 'sem_map_product', r.runId);
    expect([0, 1, 2, 3].map((i) => values[`over_mapped[${i}]:return_value`])).toEqual(['2 Oslo', '2 Lima', '4 Oslo', '4 Lima']);
    expect(values['collect:return_value']).toEqual([
      'Oslo/mon@0', 'Oslo/tue@1', 'Oslo/wed@2', 'Lima/mon@3', 'Lima/tue@4', 'Lima/wed@5',
    ]);
    expect(await tryLog(stack, 'sem_map_product', r.runId, 'echo_pair', 1, 2)).toMatch(/\[stdout\] city=Lima n=1 index=2$/m);
    expect(r.errors.too_many).toBe("cannot expand 'too_many': 1200 combinations, over core.max_map_length (1024)");
    const { rows } = await stack.pool.query<{ rendered_map_index: string }>(
      "SELECT rendered_map_index FROM task_instance WHERE dag_id = 'sem_map_product' AND run_id = $1 AND task_id = 'visit' ORDER BY map_index", [r.runId]);
    expect(rows.map((x) => x.rendered_map_index)).toEqual(['Oslo on mon', 'Oslo on tue', 'Oslo on wed', 'Lima on mon', 'Lima on tue', 'Lima on wed']);
    // `tasks states` names them too (a NAME column, only when some instance has a name).
    const table = await stack.cli(['tasks', 'states', 'sem_map_product', r.runId]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^TASK_ID\s+NAME\s+STATE\s/m);
    expect(table.stdout).toMatch(/^visit\[4\]\s+Lima on tue\s+success\s/m);
    expect(table.stdout).toMatch(/^cities\s+success\s/m);
  });

  it('one failed map index cleared alone runs again beside the ones that succeeded, and its run goes on', async () => {
    const r = await runCase(stack, 'sem_map_clear_one');
    expect({ run: r.runState, ...r.states }).toEqual({
      run: 'failed', 'work[0]': 'success', 'work[1]': 'success', 'work[2]': 'failed', collect: 'upstream_failed',
    });
    const cleared = await stack.cli(['tasks', 'clear', 'sem_map_clear_one', '--run-id', r.runId, '--only-failed', '--downstream', '--yes']);
    expect(cleared.code, cleared.stderr).toBe(0);
    // The clear put the run back to queued: its end now is the end of the cleared instances.
    const again = await caseResult(stack, 'sem_map_clear_one', r.runId);
    expect(again.runState).toBe('success');
    // Only the cleared index ran again (its second try); the others kept their one try.
    expect(again.tries).toMatchObject({ 'work[0]': 1, 'work[1]': 1, 'work[2]': 2, collect: 1 });
    expect(again.states).toMatchObject({ 'work[0]': 'success', 'work[1]': 'success', 'work[2]': 'success', collect: 'success' });
    expect((await xcomValues(stack.pool, 'sem_map_clear_one', r.runId))['collect:return_value']).toEqual([0, 10, 20]);
  });

  it('a source run again with an array of another length: the mapped task follows it (the index past it removed, or one added)', async () => {
    for (const [next, values, last] of [[2, [10, 20], { 'work[2]': 'removed' }], [4, [10, 20, 30, 40], { 'work[3]': 'success' }]] as const) {
      const r = await runCase(stack, 'sem_map_resize', { conf: { next } });
      expect(r.runState).toBe('success');
      expect((await xcomValues(stack.pool, 'sem_map_resize', r.runId))['collect:return_value']).toEqual([10, 20, 30]);
      const cleared = await stack.cli(['tasks', 'clear', 'sem_map_resize', '--task-regex', '^numbers$', '--downstream', '--run-id', r.runId, '--yes']);
      expect(cleared.code, cleared.stderr).toBe(0);
      const again = await caseResult(stack, 'sem_map_resize', r.runId);
      expect(again.runState).toBe('success');
      expect(again.states).toMatchObject({ numbers: 'success', 'work[0]': 'success', 'work[1]': 'success', collect: 'success', ...last });
      // The removed index's value is gone with it: collect pulls the new array's results only.
      expect((await xcomValues(stack.pool, 'sem_map_resize', r.runId))['collect:return_value']).toEqual(values);
    }
  });

  it('a source cleared and run again: the new instances get the elements of its new array', async () => {
    const r = await runCase(stack, 'sem_map_rerun');
    expect((await xcomValues(stack.pool, 'sem_map_rerun', r.runId))['collect:return_value']).toEqual([10, 11]);
    const cleared = await stack.cli(['tasks', 'clear', 'sem_map_rerun', '--task-regex', '^numbers$', '--downstream',
      '--start-date', '2000-01-01', '--end-date', '2100-01-01', '--yes']);
    expect(cleared.code, cleared.stderr).toBe(0);
    const deadline = Date.now() + 120_000;
    let again = await taskStates(stack.pool, 'sem_map_rerun', r.runId);
    while (!(again.tries.collect === 2 && again.states.collect === 'success') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      again = await taskStates(stack.pool, 'sem_map_rerun', r.runId);
    }
    expect(again.tries).toMatchObject({ numbers: 2, collect: 2 });
    expect((await xcomValues(stack.pool, 'sem_map_rerun', r.runId))['collect:return_value']).toEqual([20, 21]);
  });
});
