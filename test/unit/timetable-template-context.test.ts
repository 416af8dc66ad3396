import { describe, expect, it } from 'vitest';
import { isUpdraftError } from '@updraft/core';
import { renderTaskTemplate, taskTemplateValues } from '@updraft/core/internal';

const values = taskTemplateValues({
  dagId: 'etl', taskId: 'load', runId: 'scheduled__2024-01-02T00:00:00.000Z', tryNumber: 2,
  logicalDate: new Date('2024-01-02T00:00:00Z'),
  dataIntervalStart: new Date('2024-01-02T00:00:00Z'),
  dataIntervalEnd: new Date('2024-01-03T00:00:00Z'),
  timezone: 'UTC',
  conf: { table: 'events', limit: 10 },
  params: { table: 'events', region: 'eu' },
});

describe('task template values', () => {
  it('renders Airflow variables and the nested aliases dag.*, dag_run.*, task.*', () => {
    const out = renderTaskTemplate(
      '{{ ds }} {{ ds_nodash }} {{ data_interval_end }} {{ dag.dag_id }}/{{ dag_id }} {{ task.task_id }} {{ dag_run.conf.table }} {{ conf.limit }} {{ params.region }} {{ run_id }} {{ try_number }}',
      values, "task 'load' bash_command");
    expect(out).toBe('2024-01-02 20240102 2024-01-03T00:00:00.000Z etl/etl load events 10 eu scheduled__2024-01-02T00:00:00.000Z 2');
  });

  it('has Jinja\'s length and tojson filters', () => {
    const v = { ...values, list: ['a', 'b'], obj: { x: 1, y: [2] } };
    expect(renderTaskTemplate('{{ list | length }} {{ obj | length }} {{ ds | length }} {{ obj | tojson }}', v, 'x')).toBe('2 2 10 {"x":1,"y":[2]}');
  });

  it('takes the calendar day in the DAG timezone', () => {
    const seoul = taskTemplateValues({
      dagId: 'd', taskId: 't', runId: 'r', tryNumber: 1, timezone: 'Asia/Seoul', conf: {}, params: {},
      logicalDate: new Date('2023-12-31T15:00:00Z'), dataIntervalStart: new Date('2023-12-31T15:00:00Z'), dataIntervalEnd: new Date('2024-01-01T15:00:00Z'),
    });
    expect(renderTaskTemplate('{{ ds }}', seoul, 'x')).toBe('2024-01-01');
  });

  it('turns an unknown variable into INVALID_ARGUMENT naming the template and the variable', () => {
    try {
      renderTaskTemplate('echo {{ params.missing }}', values, "task 'load' bash_command");
    } catch (err) {
      expect(isUpdraftError(err, 'INVALID_ARGUMENT')).toBe(true);
      expect((err as Error).message).toMatch(/task 'load' bash_command/);
      expect((err as Error).message).toMatch(/params\.missing/);
      return;
    }
    throw new Error('expected INVALID_ARGUMENT');
  });
});
