/**
 * The template expression language (`{{ ti.xcom_pull('t', key='k') }}`, members, indexes, filters)
 * and how the scheduler finds the XCom values a template reads; the types `Task<T>` gives
 * `ctx.xcom.pull(task)`.
 */
import { describe, expect, it } from 'vitest';
import { buildRunnableTask, templateXComRefs, xcomRefText } from '@updraft/core';
import { dag, renderTemplate, resetRegistry, templateCalls, TemplateError, templateFunction, type TaskContext } from '@updraft/sdk';
import type { SerializedDag } from '@updraft/sdk';

describe('template expressions', () => {
  const values = {
    ds: '2024-03-02',
    params: { list: ['a', 'b'], 'my-key': 'dash', nested: { n: 1 } },
    f: templateFunction((args, kwargs) => `${JSON.stringify(args)}|${JSON.stringify(kwargs)}`),
    plain: (a: number, b: number) => a + b,
  };
  const filters = { upper: (v: unknown) => String(v).toUpperCase(), suffix: (v: unknown, args: unknown[]) => `${String(v)}${String(args[0])}` };

  it('reads names, members (also with - or digits), indexes, literals, calls with keyword arguments and filters', () => {
    expect(renderTemplate('{{ds}}|{{ params.list.1 }}|{{ params.my-key }}|{{ params["list"][0] }}', values)).toBe('2024-03-02|b|dash|a');
    expect(renderTemplate("{{ f('t', 2, key='k', flag=true, none=None) }}", values)).toBe('["t",2]|{"key":"k","flag":true,"none":null}');
    expect(renderTemplate('{{ plain(2, -3) }} {{ params.nested }}', values)).toBe('-1 {"n":1}');
    expect(renderTemplate("{{ ds | upper | suffix('!') }}", values, 'x', filters)).toBe('2024-03-02!');
    expect(renderTemplate('no templates {here}', values)).toBe('no templates {here}');
  });

  it('names what is unknown or unreadable, and where', () => {
    expect(() => renderTemplate('echo {{ params.nested.m }}', values, "task 'x' command")).toThrow(
      "task 'x' command: unknown template value '{{ params.nested.m }}' in '{{ params.nested.m }}'");
    expect(() => renderTemplate('{{ ds | nope }}', values, 'w')).toThrow("w: unknown filter 'nope'");
    expect(() => renderTemplate("{{ f('a' }}", values, 'w')).toThrow(/w: cannot read '\{\{ f\('a' \}\}': expected '\)'/);
    expect(() => renderTemplate('{{ ds(1) }}', values, 'w')).toThrow("w: 'ds' is not a function");
    expect(() => renderTemplate('{{ plain(1, k=2) }}', values, 'w')).toThrow(TemplateError);
  });

  it('finds the calls of a function with their literal arguments', () => {
    expect(templateCalls(["a {{ ti.xcom_pull('x') }} {{ ti.xcom_pull('y', key='k') | upper }}", 'b {{ ti.xcom_pull(task_ids=t) }}'], 'ti.xcom_pull')).toEqual([
      { args: ['x'], kwargs: {}, dynamic: false },
      { args: ['y'], kwargs: { key: 'k' }, dynamic: false },
      { args: [], kwargs: { task_ids: undefined }, dynamic: true },
    ]);
  });
});

describe('ti.xcom_pull in bash templates', () => {
  it('lists the values to read, refusing calls that cannot be prepared', () => {
    expect(templateXComRefs(["{{ ti.xcom_pull('a') }} {{ ti.xcom_pull(task_ids='g.b', key='k', map_indexes=2) }} {{ ti.xcom_pull('a') }}"], 'w')).toEqual([
      { taskId: 'a', key: 'return_value', mapIndex: null },
      { taskId: 'g.b', key: 'k', mapIndex: 2 },
    ]);
    expect(() => templateXComRefs(['{{ ti.xcom_pull(ds) }}'], "task 'x'")).toThrow("task 'x': ti.xcom_pull() arguments must be literals");
    expect(() => templateXComRefs(["{{ ti.xcom_pull('a', 'other_dag') }}"], 'w')).toThrow('xcom_pull takes one positional argument');
  });

  it('takes lists of task ids or map indexes (Airflow\'s task_ids=[...]): each value is read, the call gives them in order', () => {
    const templates = ["{{ ti.xcom_pull(task_ids=['b', 'a']) }} {{ ti.xcom_pull('m', map_indexes=[2, 0]) | tojson }} {{ ti.xcom_pull(['a']) }}"];
    expect(templateCalls(templates, 'ti.xcom_pull')[0]).toEqual({ args: [], kwargs: { task_ids: ['b', 'a'] }, dynamic: false });
    expect(templateXComRefs(templates, 'w')).toEqual([
      { taskId: 'b', key: 'return_value', mapIndex: null },
      { taskId: 'a', key: 'return_value', mapIndex: null },
      { taskId: 'm', key: 'return_value', mapIndex: 2 },
      { taskId: 'm', key: 'return_value', mapIndex: 0 },
    ]);
    expect(() => templateXComRefs(["{{ ti.xcom_pull(task_ids=['a', ds]) }}"], 'w')).toThrow('arguments must be literals');
    expect(() => templateXComRefs(["{{ ti.xcom_pull(task_ids=['a', 1]) }}"], 'w')).toThrow('the task id must be a string literal (or a list of them)');
    expect(() => templateXComRefs(["{{ ti.xcom_pull(task_ids=[]) }}"], 'w')).toThrow('the task id must be a string literal');
    expect(() => templateXComRefs(["{{ ti.xcom_pull(task_ids=['a'], map_indexes=[0]) }}"], 'w')).toThrow('task_ids and map_indexes cannot both be lists');
    expect(() => templateXComRefs(["{{ ti.xcom_pull('m', map_indexes=[-1]) }}"], 'w')).toThrow('map_indexes must be an integer >= 0');
    expect(renderTemplate("{{ [1, 'two', [3]] }}|{{ [] }}|{{ [ds,] }}", { ds: 'x' })).toBe('[1,"two",[3]]|[]|["x"]');
    expect(() => renderTemplate('{{ [1, 2 }}', {}, 'w')).toThrow(/expected '\]'|expected ','/);
  });

  it('renders what was read (null as empty); a value that was not read is an error', () => {
    const serialized: SerializedDag = {
      schemaVersion: 1, dagId: 'd', fileloc: 'd.ts', fileHash: 'h', schedule: null, timezone: 'UTC', startDate: null, endDate: null,
      catchup: false, maxActiveRuns: 1, tags: [], owner: 'o', description: null, params: {}, isPausedUponCreation: false,
      tasks: [{
        taskId: 'b', kind: 'bash', bashCommand: "echo {{ ti.xcom_pull('a').rows }} [{{ ti.xcom_pull('a', key='none') }}] {{ ti.try_number }}",
        upstream: [], downstream: [], retries: 0, retryDelayMs: 0, retryExponentialBackoff: false, maxRetryDelayMs: null,
        executionTimeoutMs: null, queue: 'default', pool: 'default_pool', priorityWeight: 1, triggerRule: 'all_success', owner: 'o',
        umask: null, runAsUser: null, runAsGroup: null, doc: null,
      }],
    };
    const at = new Date('2024-01-01T00:00:00Z');
    const input = { dag: serialized, taskId: 'b', run: { runId: 'r', logicalDate: at, dataIntervalStart: at, dataIntervalEnd: at, conf: {} }, tryNumber: 2, maxTries: 3 };
    const xcom = new Map([
      [xcomRefText({ taskId: 'a', key: 'return_value', mapIndex: null }), '{"rows":42}'],
      [xcomRefText({ taskId: 'a', key: 'none', mapIndex: null }), null],
    ]);
    expect(buildRunnableTask({ ...input, xcom, maxXcomSize: 10 }).spec).toMatchObject({ bashCommand: 'echo 42 [] 2', maxXcomSize: 10 });
    // A list of task ids gives their values in the order named (an array, shown as JSON).
    const listed = { ...serialized, tasks: [{ ...serialized.tasks[0]!, bashCommand: "echo '{{ ti.xcom_pull(task_ids=['c', 'a']) }}'" }] };
    const both = new Map([...xcom, [xcomRefText({ taskId: 'c', key: 'return_value', mapIndex: null }), '"x"']]);
    expect(buildRunnableTask({ ...input, dag: listed, xcom: both }).spec).toMatchObject({ bashCommand: `echo '["x",{"rows":42}]'` });
    expect(() => buildRunnableTask(input)).toThrow("the value of task 'a' key 'return_value' was not read for this template");
  });
});

describe('Task<T> types ctx.xcom.pull', () => {
  it('pull(task) is typed with what the task returns; pull(id) is JSON unless told', () => {
    resetRegistry();
    dag({ dagId: 'typed' }, (d) => {
      const extract = d.fn('extract', async () => ({ rows: [1, 2] }));
      d.fn('use', async (ctx: TaskContext) => {
        const v = await ctx.xcom.pull(extract);
        const n: number | undefined = v?.rows[0];
        // @ts-expect-error rows are numbers, not strings
        const s: string | undefined = v?.rows[0];
        const byId = await ctx.xcom.pull<{ rows: number[] }>('extract');
        const keyed = await ctx.xcom.pull(extract, { key: 'other' });
        return [n, s, byId?.rows.length, keyed];
      });
    });
    expect(true).toBe(true);
  });
});
