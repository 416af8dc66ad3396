import { afterEach, describe, expect, it } from 'vitest';
import { dag, getTaskFunction, renderTemplate, resetRegistry, SERIALIZED_DAG_SCHEMA_VERSION, serializeDag, TaskLookupError, TemplateError, templateValues } from '@updraft/sdk';
import type { TaskContext } from '@updraft/sdk';

afterEach(() => resetRegistry());

const opts = { fileloc: 'sub/file.ts', fileHash: 'abc', defaultTimezone: 'Asia/Seoul' };

describe('serializeDag', () => {
  it('applies defaults, defaultArgs and the default timezone', () => {
    const d = dag({ dagId: 'd', schedule: '@daily', startDate: '2024-01-01', defaultArgs: { retries: 3, retryDelay: '1m', owner: 'ops' } }, (d) => {
      d.bash('b', { command: 'echo {{ ds }}', env: { A: '1' }, retries: 1, doc: 'says hi' }).then(d.empty('e'));
    });
    const s = serializeDag(d, opts);
    expect(s.schemaVersion).toBe(SERIALIZED_DAG_SCHEMA_VERSION);
    expect(s).toMatchObject({
      dagId: 'd',
      fileloc: 'sub/file.ts',
      fileHash: 'abc',
      schedule: '@daily',
      timezone: 'Asia/Seoul',
      // midnight in Seoul (UTC+9) is 15:00 UTC the day before
      startDate: '2023-12-31T15:00:00.000Z',
      endDate: null,
      catchup: false,
      maxActiveRuns: 16,
      owner: 'ops',
      isPausedUponCreation: false,
    });
    expect(s.tasks).toEqual([
      {
        taskId: 'b', kind: 'bash', bashCommand: 'echo {{ ds }}', env: { A: '1' }, upstream: [], downstream: ['e'],
        retries: 1, retryDelayMs: 60_000, retryExponentialBackoff: false, maxRetryDelayMs: null, executionTimeoutMs: null,
        queue: 'default', pool: 'default_pool', priorityWeight: 1, triggerRule: 'all_success', owner: 'ops',
        umask: null, runAsUser: null, runAsGroup: null, doc: 'says hi',
      },
      {
        taskId: 'e', kind: 'empty', upstream: ['b'], downstream: [],
        retries: 3, retryDelayMs: 60_000, retryExponentialBackoff: false, maxRetryDelayMs: null, executionTimeoutMs: null,
        queue: 'default', pool: 'default_pool', priorityWeight: 1, triggerRule: 'all_success', owner: 'ops',
        umask: null, runAsUser: null, runAsGroup: null, doc: null,
      },
    ]);
    // JSON round trip is lossless: the stored form is plain data
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it('keeps the DAG timezone and reads instants and Dates as given', () => {
    const d = dag({
      dagId: 'tz', schedule: '0 6 * * *', timezone: 'Europe/Paris',
      startDate: '2024-07-01T06:00', endDate: new Date('2025-01-01T00:00:00Z'), catchup: true,
      tags: ['a', 'b'], maxActiveRuns: 2, params: { n: 1, list: [true, null] }, isPausedUponCreation: true,
      defaultArgs: { executionTimeout: '10m', maxRetryDelay: '1h', retryExponentialBackoff: true, runAsUser: 65534, umask: '0002', priorityWeight: 5, queue: 'etl', triggerRule: 'all_done' },
    }, (d) => d.empty('only'));
    const s = serializeDag(d, opts);
    expect(s.timezone).toBe('Europe/Paris');
    expect(s.startDate).toBe('2024-07-01T04:00:00.000Z'); // CEST = UTC+2
    expect(s.endDate).toBe('2025-01-01T00:00:00.000Z');
    expect(s).toMatchObject({ catchup: true, tags: ['a', 'b'], maxActiveRuns: 2, params: { n: 1, list: [true, null] }, isPausedUponCreation: true });
    expect(s.tasks[0]).toMatchObject({
      executionTimeoutMs: 600_000, maxRetryDelayMs: 3_600_000, retryExponentialBackoff: true, runAsUser: '65534',
      umask: '0002', priorityWeight: 5, queue: 'etl', triggerRule: 'all_done', owner: 'updraft',
    });
  });

  it('refuses an end date before the start date', () => {
    const d = dag({ dagId: 'd', schedule: '@daily', startDate: '2024-02-01Z', endDate: '2024-01-01Z' });
    expect(() => serializeDag(d, opts)).toThrow("dag 'd': endDate 2024-01-01T00:00:00.000Z is before startDate 2024-02-01T00:00:00.000Z");
  });

  it('serializes a manual DAG with a null schedule and start date', () => {
    const s = serializeDag(dag({ dagId: 'm' }), { ...opts, defaultTimezone: 'UTC' });
    expect(s).toMatchObject({ schedule: null, startDate: null, timezone: 'UTC', tasks: [] });
  });
});

describe('getTaskFunction', () => {
  it('returns the function of a registered function task', async () => {
    dag({ dagId: 'f', params: { n: 2 } }, (d) => {
      d.fn('double', (ctx) => ctx.params.n * 2);
      d.empty('nothing');
    });
    const fn = getTaskFunction('f', 'double');
    const ctx = { params: { n: 21 } } as unknown as TaskContext;
    expect(await fn(ctx)).toBe(42);
    expect(() => getTaskFunction('f', 'nothing')).toThrow("task 'nothing' of DAG 'f' is not a function task (kind: empty)");
    expect(() => getTaskFunction('f', 'nope')).toThrow(TaskLookupError);
    expect(() => getTaskFunction('g', 'x')).toThrow("no DAG 'g' is registered (registered: f); import its DAG file first");
  });
});

describe('templates', () => {
  const values = templateValues({
    dagId: 'etl', taskId: 'extract', runId: 'scheduled__2024-03-01T15:00:00.000Z',
    logicalDate: new Date('2024-03-01T15:00:00Z'), dataIntervalStart: new Date('2024-03-01T15:00:00Z'),
    dataIntervalEnd: new Date('2024-03-02T15:00:00Z'), timezone: 'Asia/Seoul', tryNumber: 2,
    params: { table: 'events', nested: { n: 1 } }, conf: {},
  });

  it('renders run values, with ds in the DAG timezone', () => {
    expect(renderTemplate('{{ds}} {{ ds_nodash }} {{ data_interval_start }} {{ params.table }} {{ params.nested }} {{ try_number }}', values)).toBe(
      '2024-03-02 20240302 2024-03-01T15:00:00.000Z events {"n":1} 2',
    );
  });

  it('names an unknown value', () => {
    expect(() => renderTemplate('echo {{ dsx }}', values, "task 'extract' command")).toThrow(
      "task 'extract' command: unknown template value '{{ dsx }}'",
    );
    expect(() => renderTemplate('{{ params.missing }}', values)).toThrow(TemplateError);
  });
});
