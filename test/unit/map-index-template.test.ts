/**
 * mapIndexTemplate (Airflow's map_index_template): a mapped task's name for each instance, checked
 * when the DAG is defined and rendered with the try's template values (item, ds, params...), secrets
 * masked and cut to 250 characters; unmapped instances and tasks without one get no name.
 */
import { describe, expect, it } from 'vitest';
import { buildRunnableTask } from '@updraft/core';
import { dag, serializeDag, type SerializedDag, type SerializedTask } from '@updraft/sdk';

const serialized = (build: Parameters<typeof dag>[1]): SerializedDag =>
  serializeDag(dag({ dagId: 'named', startDate: '2024-01-01' }, build), { fileloc: 'named.ts', fileHash: 'h', defaultTimezone: 'UTC' });

const run = {
  runId: 'manual__2024-03-01T00:00:00+00:00', logicalDate: new Date('2024-03-01T00:00:00Z'),
  dataIntervalStart: new Date('2024-03-01T00:00:00Z'), dataIntervalEnd: new Date('2024-03-01T00:00:00Z'), conf: {}, previousSuccess: null,
};

function nameOf(d: SerializedDag, taskId: string, mapIndex: number, itemJson: string | null, mask: string[] = []): string | undefined {
  return buildRunnableTask({
    dag: d, taskId, tryNumber: 1, maxTries: 1, mapIndex, itemJson, run,
    ...(mask.length > 0 ? { secrets: { conn: {}, var: { value: {}, json: {} }, mask } } : {}),
  }).renderedMapIndex;
}

describe('mapIndexTemplate', () => {
  it('names each instance of a mapped task from its item and the run, for function and bash tasks', () => {
    const d = serialized((g) => {
      g.fn('load', () => undefined, { mapIndexTemplate: 'file {{ item.name }} of {{ ds }}' }).expand([{ name: 'a.csv' }, { name: 'b.csv' }]);
      g.bash('notify', { command: 'echo {{ item }}', mapIndexTemplate: 'team {{ item | upper }}' }).expand(['ops']);
      g.fn('plain', () => undefined).expand([1, 2]);
    });
    const load = d.tasks.find((t: SerializedTask) => t.taskId === 'load')!;
    expect(load.mapIndexTemplate).toBe('file {{ item.name }} of {{ ds }}');
    expect(nameOf(d, 'load', 1, '{"name":"b.csv"}')).toBe('file b.csv of 2024-03-01');
    expect(nameOf(d, 'notify', 0, '"ops"')).toBe('team OPS');
    expect(nameOf(d, 'plain', 0, '1')).toBeUndefined();
    expect(d.tasks.find((t: SerializedTask) => t.taskId === 'plain')!.mapIndexTemplate).toBeUndefined();
  });

  it('masks secrets the templates put in, and keeps at most 250 characters', () => {
    const d = serialized((g) => {
      g.fn('load', () => undefined, { mapIndexTemplate: 'key {{ item }}' }).expand(['s3cr3t-value']);
      g.fn('long', () => undefined, { mapIndexTemplate: '{{ item }}' }).expand(['x'.repeat(400)]);
    });
    expect(nameOf(d, 'load', 0, '"s3cr3t-value"', ['s3cr3t-value'])).toBe('key ***');
    expect(nameOf(d, 'long', 0, JSON.stringify('x'.repeat(400)))).toBe('x'.repeat(250));
  });

  it('is refused on a task that is not mapped, and when it is not a non-empty string, naming the task', () => {
    expect(() => serialized((g) => { g.fn('one', () => undefined, { mapIndexTemplate: '{{ item }}' }); }))
      .toThrow(/task 'one': mapIndexTemplate names the instances of a mapped task \(expand\), and this task is not mapped/);
    expect(() => serialized((g) => { g.fn('one', () => undefined, { mapIndexTemplate: '  ' }).expand([1]); }))
      .toThrow(/mapIndexTemplate must be a non-empty string/);
    expect(() => serialized((g) => { g.fn('one', () => undefined, { mapIndexTemplate: 7 as never }).expand([1]); }))
      .toThrow(/mapIndexTemplate must be a non-empty string/);
  });

  it('a template that does not render names the task and the template', () => {
    const d = serialized((g) => { g.fn('load', () => undefined, { mapIndexTemplate: '{{ nope.x }}' }).expand([1]); });
    expect(() => nameOf(d, 'load', 0, '1')).toThrow(/task 'load' mapIndexTemplate/);
  });
});
