/** The `timetable` DAG option in the SDK: what it accepts, what it refuses (naming the field), what it stores. */
import { afterEach, describe, expect, it } from 'vitest';
import { checkCronExpression, dag, isDagDefinitionError, resetRegistry, serializeDag, timetables } from '@updraft/sdk';
import type { Timetable } from '@updraft/sdk';

afterEach(() => resetRegistry());

function problem(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (!isDagDefinitionError(err)) throw err;
    expect(err.kind).toBe('invalid');
    return err.message;
  }
  throw new Error('expected a DagDefinitionError');
}

const serialize = (timetable: Timetable | undefined, timezone = 'Europe/Berlin') =>
  serializeDag(dag({ dagId: 'tt', timetable, startDate: '2024-01-01', timezone }, (d) => { d.empty('a'); }),
    { fileloc: 'tt.ts', fileHash: 'h', defaultTimezone: 'UTC' });

describe('timetable option', () => {
  it('stores a delta in ms and a cron trigger with its data interval; the schedule stays null', () => {
    const delta = serialize(timetables.every('6h'));
    expect(delta).toMatchObject({ schedule: null, timetable: { kind: 'delta', everyMs: 21_600_000 }, startDate: '2023-12-31T23:00:00.000Z' });
    expect(serialize(timetables.cronTrigger('0 2 * * *', { dataInterval: 'previousDay' })).timetable)
      .toEqual({ kind: 'cronTrigger', cron: '0 2 * * *', dataInterval: 'previousDay' });
    expect(serialize(timetables.cronTrigger('@hourly', { dataInterval: '1h' })).timetable).toEqual({ kind: 'cronTrigger', cron: '@hourly', dataInterval: { ms: 3_600_000 } });
    expect(serialize(timetables.cronTrigger('0 2 * * *')).timetable).toEqual({ kind: 'cronTrigger', cron: '0 2 * * *', dataInterval: { ms: 0 } });
    // A DAG without a timetable serializes without the key (its hash does not change).
    expect('timetable' in serialize(undefined)).toBe(false);
  });

  it('refuses a timetable with a schedule, without a start date, or that is not one', () => {
    expect(problem(() => dag({ dagId: 'x', schedule: '@daily', timetable: timetables.every('1h'), startDate: '2024-01-01' })))
      .toBe("dag 'x': give either schedule or timetable, not both (timetable replaces schedule)");
    expect(problem(() => dag({ dagId: 'x', timetable: timetables.every('1h') }))).toBe("dag 'x': timetable needs a startDate (the first logical date)");
    expect(problem(() => dag({ dagId: 'x', timetable: '6h' as unknown as Timetable, startDate: '2024-01-01' })))
      .toMatch(/^dag 'x': timetable must be made by timetables.every/);
  });

  it.each([
    [0, "timetables.every(delta): the delta must be at least 1s, got 0 (e.g. '30m', '6h', '1d')"],
    ['0s', "timetables.every(delta): the delta must be at least 1s, got 0s (e.g. '30m', '6h', '1d')"],
    [-3_600_000, 'timetables.every(delta): expected milliseconds >= 0, got -3600000'],
    ['6 hours', "timetables.every(delta): cannot read duration '6 hours'"],
  ])('refuses the delta %j', (delta, message) => {
    expect(problem(() => timetables.every(delta as never))).toContain(message);
  });

  it.each([
    ['61 2 * * *', '61 is out of range for the minute field (0-59)'],
    ['0 2 * *', 'a cron expression has 5 fields'],
    ['0 2 31 13 *', '13 is out of range for the month field (1-12)'],
    ['0 2 * * FUNDAY', "'FUNDAY' in the day-of-week field is not a number or a name"],
    ['*/0 * * * *', "step '0' in the minute field must be a whole number > 0"],
    ['@once', 'unknown preset'],
  ])('refuses the cron %j', (cron, message) => {
    const m = problem(() => timetables.cronTrigger(cron));
    expect(m).toMatch(/^timetables.cronTrigger\(cron\): '.*' is not a valid cron expression: /);
    expect(m).toContain(message);
  });

  it('refuses a bad data interval and unknown options', () => {
    expect(problem(() => timetables.cronTrigger('0 2 * * *', { dataInterval: 'yesterday' as never }))).toContain("dataInterval (a duration or 'previousDay')");
    expect(problem(() => timetables.cronTrigger('0 2 * * *', { interval: '1d' } as never))).toContain('unknown option interval');
  });

  it('accepts the cron forms the scheduler evaluates', () => {
    for (const cron of ['0 2 * * *', '*/15 9-17 * * MON-FRI', '0 0 1,15 JAN,jul *', '0 0 L * *', '0 0 * * 5L', '0 0 * * 1#2', '30 0 2 * * *', '@daily']) {
      expect(checkCronExpression(cron), cron).toBeNull();
    }
  });
});
