/** d.triggerDagRun's options: what is serialized, and each mistake refused with the option's name. */
import { afterEach, describe, expect, it } from 'vitest';
import { dag, isDagDefinitionError, resetRegistry, serializeDag, type TriggerDagRunTaskOptions } from '@updraft/sdk';

afterEach(() => resetRegistry());

const serialized = (o: TriggerDagRunTaskOptions) => {
  const d = dag({ dagId: 'trig' }, (b) => {
    b.triggerDagRun('t', o);
  });
  return serializeDag(d, { fileloc: 'x.ts', fileHash: 'h', defaultTimezone: 'UTC' }).tasks[0]!;
};

function problem(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (!isDagDefinitionError(err)) throw err;
    return err.message;
  }
  throw new Error('expected a DagDefinitionError');
}

describe('d.triggerDagRun', () => {
  it('defaults: fire and forget, a run id and logical date chosen when it triggers, success allowed, failed fails', () => {
    const t = serialized({ triggerDagId: 'load' });
    expect(t.kind).toBe('empty');
    expect(t.triggerDagRun).toEqual({
      dagId: 'load', conf: {}, runId: null, logicalDate: null, resetDagRun: false, skipWhenAlreadyExists: false,
      waitForCompletion: false, allowedStates: ['success'], failedStates: ['failed'], timeoutMs: 7 * 86_400_000,
    });
  });

  it('keeps templates as written, a Date as ISO 8601, and the task\'s own arguments', () => {
    const t = serialized({
      triggerDagId: 'load', conf: { day: '{{ ds }}', n: [1, { x: null }] }, triggerRunId: 'for__{{ run_id }}', logicalDate: new Date('2024-01-02T03:04:05Z'),
      waitForCompletion: true, allowedStates: ['success', 'failed'], failedStates: ['queued'], timeout: '1h', retries: 2, pool: 'p',
    });
    expect(t.triggerDagRun).toMatchObject({
      conf: { day: '{{ ds }}', n: [1, { x: null }] }, runId: 'for__{{ run_id }}', logicalDate: '2024-01-02T03:04:05.000Z',
      waitForCompletion: true, allowedStates: ['success', 'failed'], failedStates: ['queued'], timeoutMs: 3_600_000,
    });
    expect(t).toMatchObject({ retries: 2, pool: 'p' });
    expect(serialized({ triggerDagId: 'load', logicalDate: '{{ logical_date }}' }).triggerDagRun?.logicalDate).toBe('{{ logical_date }}');
  });

  it.each([
    [{ triggerDagId: '' }, "triggerDagId '' is not a dag id: it is empty"],
    [{ triggerDagId: 'has space' }, 'triggerDagId \'has space\' is not a dag id'],
    [{ triggerDagId: 'x', conf: [] }, 'conf must be an object'],
    [{ triggerDagId: 'x', conf: { n: 1n } }, 'conf must be JSON'],
    [{ triggerDagId: 'x', triggerRunId: ' ' }, 'triggerRunId must be a non-empty string'],
    [{ triggerDagId: 'x', logicalDate: 'tomorrow' }, 'logicalDate is not a date: tomorrow'],
    [{ triggerDagId: 'x', logicalDate: new Date(Number.NaN) }, 'logicalDate is an invalid Date'],
    [{ triggerDagId: 'x', waitForCompletion: 'yes' }, 'waitForCompletion must be true or false'],
    [{ triggerDagId: 'x', allowedStates: ['done'] }, 'allowedStates must be a non-empty list of DAG run states'],
    [{ triggerDagId: 'x', failedStates: [] }, 'failedStates must be a non-empty list of DAG run states'],
    [{ triggerDagId: 'x', failedStates: ['success'] }, 'success is both allowed and failed'],
    [{ triggerDagId: 'x', timeout: 0 }, 'timeout must be at least 1ms'],
    [{ triggerDagId: 'x', trigger_dag_id: 'y' }, "unknown option 'trigger_dag_id'"],
  ])('refuses case %#: %s', (o, why) => {
    const message = problem(() => serialized(o as never));
    expect(message).toContain("dag 'trig': task 't'");
    expect(message).toContain(why);
  });

  it('cannot be mapped', () => {
    const d = dag({ dagId: 'trig_mapped' }, (b) => {
      b.triggerDagRun('t', { triggerDagId: 'load' }).expand([1, 2]);
    });
    expect(problem(() => serializeDag(d, { fileloc: 'x.ts', fileHash: 'h', defaultTimezone: 'UTC' }))).toContain('a triggerDagRun task cannot be mapped');
  });

  it('a DAG without one serializes without the field', () => {
    const d = dag({ dagId: 'plain' }, (b) => {
      b.empty('e');
    });
    expect('triggerDagRun' in serializeDag(d, { fileloc: 'x.ts', fileHash: 'h', defaultTimezone: 'UTC' }).tasks[0]!).toBe(false);
  });
});
