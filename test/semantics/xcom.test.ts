/**
 * XCom semantics on a real stack (PostgreSQL, nats-server, `updraft scheduler` and `updraft worker`
 * processes): values flow from a task to the next through the scheduler (the worker has no database
 * URL), into function tasks (`ctx.xcom.pull` / `push`) and bash templates (`ti.xcom_pull`);
 * core.max_xcom_size is exact to the byte; values that are not JSON are refused naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../e2e/stack.js';
import { runCase, tryLog, xcomValues } from './cases.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ dagFiles: ['test/fixtures/dags-semantics/xcom.ts'], workers: [{ name: 'sem-xcom-w1', concurrency: 4 }] });
});

afterAll(async () => {
  await stack?.stop();
});

describe('XCom between tasks', () => {
  it('return values and pushed values reach function tasks and bash templates', async () => {
    const r = await runCase(stack, 'sem_xcom_pass');
    expect(r.errors).toEqual({});
    expect(r.states).toEqual({ extract: 'success', quiet: 'success', use: 'success', echo: 'success' });
    const values = await xcomValues(stack.pool, 'sem_xcom_pass', r.runId);
    expect(values).toEqual({
      'extract:extra': { n: 7, when: '2024-01-02T03:04:05.000Z' },
      'extract:return_value': { rows: [1, 2, 3], tag: 'a "quoted" value' },
      'use:return_value': { sum: 6, tag: 'a "quoted" value', extra: { n: 7, when: '2024-01-02T03:04:05.000Z' }, nothing: null, missingKey: null },
    });
    const log = await tryLog(stack, 'sem_xcom_pass', r.runId, 'echo');
    expect(log).toContain('[stdout] use={"sum":6,"tag":"a \\"quoted\\" value","extra":{"n":7,"when":"2024-01-02T03:04:05.000Z"},"nothing":null,"missingKey":null}');
    expect(log).toMatch(/\[stdout\] n=7$/m);
    expect(log).toMatch(/\[stdout\] quiet=\[\]$/m);
  });

  it('core.max_xcom_size: 1 MiB of JSON is stored, 1 MiB + 1 byte fails the task naming the limit', async () => {
    const r = await runCase(stack, 'sem_xcom_limit');
    expect(r.runState).toBe('failed');
    expect(r.states).toEqual({ at_limit: 'success', over_limit: 'failed', after_over: 'upstream_failed', push_over: 'failed' });
    expect(r.errors.over_limit).toContain("the task's return value is 1048577 bytes of JSON, over core.max_xcom_size (1048576 bytes)");
    expect(r.errors.push_over).toContain("ctx.xcom.push('big') is 1228802 bytes of JSON, over core.max_xcom_size (1048576 bytes)");
    const { rows } = await stack.pool.query<{ task_id: string; n: number }>(
      'SELECT task_id, octet_length(value::text) AS n FROM xcom WHERE dag_id = $1 AND run_id = $2', ['sem_xcom_limit', r.runId]);
    expect(rows).toEqual([{ task_id: 'at_limit', n: 1024 * 1024 }]);
  });

  it('a value that is not JSON fails the task with the path of the bad field', async () => {
    const r = await runCase(stack, 'sem_xcom_not_json');
    expect(r.states).toEqual({ returns_map: 'failed', returns_nan: 'failed', pushes_fn: 'failed', pulls_unknown: 'failed' });
    expect(r.errors.returns_map).toContain("the task's return value cannot be stored as XCom: $.rows[1].seen is a Map, which is not a JSON value");
    expect(r.errors.returns_nan).toContain('$.ratio is NaN');
    expect(r.errors.pushes_fn).toContain("ctx.xcom.push('cb') cannot be stored as XCom: $.run is a function");
    expect(r.errors.pulls_unknown).toContain("DAG 'sem_xcom_not_json' has no task 'no_such_task'");
    expect(await xcomValues(stack.pool, 'sem_xcom_not_json', r.runId)).toEqual({});
  });
});
