/**
 * The template context of a task (what bash commands and env values render with): Airflow's names,
 * macros (ds_add, ds_format, datetime, timedelta), the date filters (tz, date, strftime), the
 * prev_*_success values, and errors naming the unknown name and the template.
 */
import { describe, expect, it } from 'vitest';
import { buildRunnableTask } from '@updraft/core';
import { formatDs, type SerializedDag, type SerializedTask } from '@updraft/sdk';

const task = (bashCommand: string): SerializedTask => ({
  taskId: 'show', kind: 'bash', bashCommand, upstream: [], downstream: [], retries: 0, retryDelayMs: 0, retryExponentialBackoff: false,
  maxRetryDelayMs: null, executionTimeoutMs: null, queue: 'default', pool: 'default_pool', priorityWeight: 1, triggerRule: 'all_success',
  owner: 'o', umask: null, runAsUser: null, runAsGroup: null, doc: null,
});

function render(command: string, previousSuccess: { dataIntervalStart: Date; dataIntervalEnd: Date; startDate: Date | null } | null = null): string {
  const dag: SerializedDag = {
    schemaVersion: 1, dagId: 'ctx', fileloc: 'ctx.ts', fileHash: 'h', schedule: '@daily', timezone: 'Asia/Seoul', startDate: null, endDate: null,
    catchup: false, maxActiveRuns: 1, tags: [], owner: 'o', description: null, params: { table: 'events' }, isPausedUponCreation: false,
    tasks: [task(command)],
  };
  return buildRunnableTask({
    dag, taskId: 'show', tryNumber: 2, maxTries: 3, mapIndex: -1,
    run: {
      runId: 'scheduled__2024-01-30T15:00:00+00:00', logicalDate: new Date('2024-01-30T15:00:00Z'),
      dataIntervalStart: new Date('2024-01-30T15:00:00Z'), dataIntervalEnd: new Date('2024-01-31T15:00:00Z'), conf: { who: 'me' }, previousSuccess,
    },
  }).spec.bashCommand;
}

describe('template context', () => {
  it('ds is the logical date\'s day in the DAG\'s timezone, for each instant and zone in turn', () => {
    const late = new Date('2024-01-30T23:30:00Z');
    const early = new Date('2024-01-30T00:30:00Z');
    expect(formatDs(late, 'UTC')).toBe('2024-01-30');
    expect(formatDs(late, 'Asia/Seoul')).toBe('2024-01-31');
    expect(formatDs(early, 'UTC')).toBe('2024-01-30');
    expect(formatDs(early, 'America/New_York')).toBe('2024-01-29');
    expect(formatDs(late, 'UTC')).toBe('2024-01-30');
    expect(formatDs(new Date('2024-02-29T12:00:00Z'), 'Asia/Seoul')).toBe('2024-02-29');
    expect(formatDs(late, 'Asia/Seoul')).toBe('2024-01-31');
    expect(() => formatDs(new Date(Number.NaN), 'UTC')).toThrow(RangeError);
  });

  it('a function task without templates gets the same context values as one with them', () => {
    const dag = (t: SerializedTask): SerializedDag => ({
      schemaVersion: 1, dagId: 'ctx', fileloc: 'ctx.ts', fileHash: 'h', schedule: '@daily', timezone: 'Asia/Seoul', startDate: null, endDate: null,
      catchup: false, maxActiveRuns: 1, tags: [], owner: 'o', description: null, params: { table: 'events' }, isPausedUponCreation: false, tasks: [t],
    });
    const run = {
      runId: 'scheduled__2024-01-30T15:00:00+00:00', logicalDate: new Date('2024-01-30T15:00:00Z'),
      dataIntervalStart: new Date('2024-01-30T15:00:00Z'), dataIntervalEnd: new Date('2024-01-31T15:00:00Z'), conf: { who: 'me' }, previousSuccess: null,
    };
    const fn: SerializedTask = { ...task('unused'), kind: 'function', bashCommand: undefined };
    const plain = buildRunnableTask({ dag: dag(fn), taskId: 'show', tryNumber: 1, maxTries: 1, mapIndex: 3, itemJson: '"a"', run });
    const withEnv = buildRunnableTask({ dag: dag({ ...fn, env: { DAY: '{{ ds }}' } }), taskId: 'show', tryNumber: 1, maxTries: 1, mapIndex: 3, itemJson: '"a"', run });
    expect(plain.context).toMatchObject({ ds: '2024-01-31', dsNodash: '20240131', ts: '2024-01-30T15:00:00.000Z', tsNodash: '20240130T150000', params: { table: 'events', who: 'me' } });
    expect(plain.context).toEqual(withEnv.context);
    expect(withEnv.spec.env).toEqual({ DAY: '2024-01-31' });
  });

  it("offers Airflow's names", () => {
    expect(render('{{ ds }} {{ ds_nodash }} {{ ts_nodash }} {{ logical_date }} {{ data_interval_start }} {{ data_interval_end }}'))
      .toBe('2024-01-31 20240131 20240130T150000 2024-01-30T15:00:00.000Z 2024-01-30T15:00:00.000Z 2024-01-31T15:00:00.000Z');
    expect(render('{{ run_id }}|{{ dag_run.conf.who }}|{{ params.table }}|{{ params.who }}|{{ task.task_id }}|{{ ti.try_number }}|{{ ti.map_index }}|{{ dag.dag_id }}'))
      .toBe('scheduled__2024-01-30T15:00:00+00:00|me|events|me|show|2|-1|ctx');
  });

  it('prev_*_success come from the latest earlier successful run (empty without one)', () => {
    const prev = { dataIntervalStart: new Date('2024-01-28T15:00:00Z'), dataIntervalEnd: new Date('2024-01-29T15:00:00Z'), startDate: new Date('2024-01-29T15:00:05Z') };
    expect(render('{{ prev_data_interval_start_success }} {{ prev_data_interval_end_success }} {{ prev_start_date_success }}', prev))
      .toBe('2024-01-28T15:00:00.000Z 2024-01-29T15:00:00.000Z 2024-01-29T15:00:05.000Z');
    expect(render('[{{ prev_data_interval_start_success }}]')).toBe('[]');
  });

  it('macros: ds_add, ds_format, datetime, timedelta with add/sub, strftime', () => {
    expect(render("{{ macros.ds_add(ds, 7) }} {{ macros.ds_add(ds, -31) }} {{ macros.ds_format(ds, '%Y-%m-%d', '%d/%m/%y %j') }}"))
      .toBe('2024-02-07 2023-12-31 31/01/24 031');
    expect(render("{{ macros.datetime(2024, 2, 29) }} {{ macros.datetime.strptime('20240301', '%Y%m%d') | date('YYYY-MM-DD') }}"))
      .toBe('2024-02-29T00:00:00.000Z 2024-03-01');
    expect(render("{{ macros.add(data_interval_start, macros.timedelta(days=1, hours=2)) }} {{ macros.sub(ds, macros.timedelta(weeks=1)) | date('YYYY-MM-DD') }}"))
      .toBe('2024-01-31T17:00:00.000Z 2024-01-24');
    expect(render("{{ macros.strftime(data_interval_end, '%Y %B %d %H:%M %a') }}")).toBe('2024 January 31 15:00 Wed');
  });

  it('filters: a date in a timezone, formatted', () => {
    expect(render("{{ data_interval_start | tz('Asia/Seoul') | date('YYYY-MM-DD HH:mm') }}")).toBe('2024-01-31 00:00');
    expect(render("{{ data_interval_start | tz('America/New_York') }} {{ data_interval_start | tz('Asia/Seoul') | date('ddd D MMM YYYY [at] h A ZZ') }}"))
      .toBe('2024-01-30T10:00:00-05:00 Wed 31 Jan 2024 at 12 AM +0900');
    expect(render("{{ data_interval_end | strftime('%Y%m%d') }} {{ params.table | upper }} {{ params.nope | default('x') }}")).toBe('20240131 EVENTS x');
  });

  it('an unknown name, filter or bad argument fails naming it and the template', () => {
    expect(() => render('echo {{ dss }}')).toThrow("DAG 'ctx' task 'show' bash_command: unknown template value '{{ dss }}' in '{{ dss }}'");
    expect(() => render("{{ ds | tz('Mars/Base') }}")).toThrow("filter 'tz' failed in '{{ ds | tz('Mars/Base') }}': unknown timezone \"Mars/Base\"");
    expect(() => render("{{ macros.ds_format(ds, '%Y', '%Q') }}")).toThrow(/does not match the format '%Y'/);
    expect(() => render('{{ macros.nope(ds) }}')).toThrow("unknown template value '{{ macros.nope }}'");
  });
});
