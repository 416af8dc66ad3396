import { afterEach, describe, expect, it } from 'vitest';
import { dag, DagDefinitionError, isDagDefinitionError, parseDuration, resetRegistry, sensors, serializeDag, asset } from '@updraft/sdk';
import type { DagOptions } from '@updraft/sdk';

afterEach(() => resetRegistry());

function problem(fn: () => unknown): { kind: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (!isDagDefinitionError(err)) throw err;
    return { kind: err.kind, message: err.message };
  }
  throw new Error('expected a DagDefinitionError');
}

describe('ids', () => {
  it.each([
    ['has space', `it contains " " (U+0020) at position 4; a dag id is 1-250 characters: letters, digits, '_', '.' and '-'`],
    ['..', "it starts with '.' (U+002E)"],
    ['', 'it is empty'],
    ['x'.repeat(251), 'it is 251 characters long (at most 250)'],
  ])('refuses dag id %j', (id, why) => {
    const p = problem(() => dag({ dagId: id }));
    expect(p.kind).toBe('invalid');
    expect(p.message).toContain(why);
  });

  it('accepts letters, digits, _ . - up to 250 characters', () => {
    expect(dag({ dagId: 'a-b.c_D9' }).dagId).toBe('a-b.c_D9');
    expect(dag({ dagId: 'x'.repeat(250) }).dagId).toHaveLength(250);
  });

  it('refuses a bad task id naming the DAG', () => {
    const d = dag({ dagId: 'd' });
    expect(problem(() => d.empty('bad/id'))).toEqual({
      kind: 'invalid',
      message: "dag 'd': invalid task id 'bad/id': it contains '/' (U+002F) at position 4; a task id is 1-250 characters: letters, digits, '_', '.' and '-', starting with a letter, a digit or '_'",
    });
  });

  it('refuses a duplicate task id', () => {
    const d = dag({ dagId: 'd' });
    d.bash('t', { command: 'true' });
    expect(problem(() => d.empty('t'))).toEqual({
      kind: 'duplicate_task',
      message: "dag 'd': duplicate task id 't' (task ids must be unique within a DAG)",
    });
  });
});

describe('DAG options', () => {
  const bad: Array<[string, Record<string, unknown>, string]> = [
    ['unknown preset', { schedule: '@fortnightly', startDate: '2024-01-01' }, "unknown schedule preset '@fortnightly'"],
    ['not cron', { schedule: 'every day', startDate: '2024-01-01' }, "schedule 'every day' is not a cron expression"],
    ['schedule without startDate', { schedule: '@daily' }, "schedule '@daily' needs a startDate"],
    ['bad timezone', { timezone: 'Mars/Olympus' }, "unknown timezone 'Mars/Olympus'"],
    ['bad date', { startDate: '2024-02-30' }, "startDate: '2024-02-30' is not a valid date"],
    // Date() would read these as 1 March and 1 May: refused as their naive forms are.
    ['bad date with Z', { startDate: '2024-02-30T00:00:00Z' }, "startDate: '2024-02-30T00:00:00Z' is not a valid date"],
    ['bad date with an offset', { startDate: '2024-01-01', endDate: '2024-04-31T06:00+02:00' }, "endDate: '2024-04-31T06:00+02:00' is not a valid date"],
    ['unreadable date', { startDate: 'yesterday' }, "startDate: cannot read 'yesterday' as a date"],
    ['maxActiveRuns 0', { maxActiveRuns: 0 }, 'maxActiveRuns must be an integer >= 1'],
    ['params not JSON', { params: { f: () => 1 } }, 'params must be an object of JSON values'],
    ['unknown option', { scheduleInterval: '@daily' }, "unknown option 'scheduleInterval'"],
    ['bad default arg', { defaultArgs: { retries: -1 } }, "dag 'd': defaultArgs: retries must be an integer >= 0"],
    ['bad trigger rule', { defaultArgs: { triggerRule: 'sometimes' } }, "unknown triggerRule 'sometimes'"],
    ['bad retry delay', { defaultArgs: { retryDelay: '5 minutes' } }, "cannot read duration '5 minutes'"],
  ];
  it.each(bad)('%s', (_name, extra, message) => {
    const p = problem(() => dag({ dagId: 'd', ...extra } as DagOptions));
    expect(p.kind).toBe('invalid');
    expect(p.message).toContain(message);
  });

  it('refuses a bash task without a command and unknown task options', () => {
    const d = dag({ dagId: 'd' });
    expect(problem(() => d.bash('b', {} as never)).message).toBe("dag 'd': task 'b': command must be a non-empty string");
    expect(problem(() => d.empty('e', { retry: 1 } as never)).message).toContain("dag 'd': task 'e': unknown option 'retry'");
    expect(problem(() => d.bash('u', { command: 'x', umask: '999' })).message).toContain("umask must be an octal string like '0022'");
  });
});

describe('compile-time checks', () => {
  it('rejects misuse at compile time', () => {
    const d = dag({ dagId: 'd' });
    // @ts-expect-error a trigger rule outside the union
    expect(() => d.empty('a', { triggerRule: 'sometimes' })).toThrow(DagDefinitionError);
    // @ts-expect-error unknown option key
    expect(() => dag({ dagId: 'x', scheduleInterval: '@daily' })).toThrow(DagDefinitionError);
    // @ts-expect-error duration strings need a unit
    expect(() => d.empty('b', { retryDelay: 'soon' })).toThrow(DagDefinitionError);
    // @ts-expect-error a bash task needs a command
    expect(() => d.bash('c', { env: {} })).toThrow(DagDefinitionError);
  });
});

describe('parseDuration', () => {
  it.each([
    [1500, 1500],
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['1h30m', 5_400_000],
  ] as const)('%j -> %d ms', (input, ms) => {
    expect(parseDuration(input as never, 'x')).toBe(ms);
  });
  it('refuses negative numbers and unknown units', () => {
    expect(() => parseDuration(-1, 'retryDelay')).toThrow('retryDelay: expected milliseconds >= 0, got -1');
    expect(() => parseDuration('5w' as never, 'retryDelay')).toThrow("cannot read duration '5w'");
  });
});

describe('sensors.externalTask', () => {
  it('defaults: the same logical date, success allowed, failed and upstream_failed fail it', () => {
    expect(sensors.externalTask({ dagId: 'up', taskId: 't' }).waitUntil).toEqual({ externalTask: {
      dagId: 'up', taskId: 't', logicalDate: null, deltaMs: 0, allowedStates: ['success'], failedStates: ['failed', 'upstream_failed'],
    } });
    expect(sensors.externalTask({ dagId: 'up', executionDelta: '1d' }).waitUntil).toMatchObject({ externalTask: { taskId: null, deltaMs: 86_400_000, failedStates: ['failed'] } });
  });

  it.each([
    [{ dagId: '' }, 'dagId must be a non-empty string'],
    [{ dagId: 'up', taskId: 't', allowedStates: ['done'] }, 'allowedStates must be a list of task states'],
    [{ dagId: 'up', allowedStates: ['skipped'] }, 'allowedStates must be a list of DAG run states'],
    [{ dagId: 'up', taskId: 't', failedStates: ['success'] }, 'success is both allowed and failed'],
    [{ dagId: 'up', logicalDate: 'yesterday' }, 'logicalDate is not a date: yesterday'],
    [{ dagId: 'up', logicalDate: '2026-01-01', executionDelta: '1d' }, 'give logicalDate or executionDelta, not both'],
  ])('refuses %j', (o, why) => {
    expect(() => sensors.externalTask(o as never)).toThrow(why);
  });

  it('is a deferred sensor: no poke, no worker', () => {
    const d = dag({ dagId: 'ext_wait' }, (b) => {
      b.sensor('w', { ...sensors.externalTask({ dagId: 'up' }), timeout: '1h' });
    });
    const task = serializeDag(d, { fileloc: 'x.ts', fileHash: 'h', defaultTimezone: 'UTC' }).tasks.find((t) => t.taskId === 'w');
    expect(task?.kind).toBe('empty');
    expect(task?.sensor).toMatchObject({ mode: 'deferred', timeoutMs: 3_600_000, waitUntil: { externalTask: { dagId: 'up' } } });
  });
});

describe('assets', () => {
  const opts = { fileloc: 'x.ts', fileHash: 'h', defaultTimezone: 'UTC' };

  it('a schedule of assets and task outlets serialize as URIs (no time schedule)', () => {
    const a = asset('s3://b/a/');
    const b = asset('file:///data/b.csv');
    const producer = serializeDag(dag({ dagId: 'p' }, (d) => {
      d.fn('load', () => 1, { outlets: [a, b, a] });
      d.empty('other');
    }), opts);
    expect(producer.tasks.find((t) => t.taskId === 'load')?.outlets).toEqual(['s3://b/a/', 'file:///data/b.csv']);
    expect(producer.tasks.find((t) => t.taskId === 'other')?.outlets).toBeUndefined();
    const consumer = serializeDag(dag({ dagId: 'c', schedule: [a, b] }), opts);
    expect(consumer.schedule).toBeNull();
    expect(consumer.assetSchedule).toEqual(['s3://b/a/', 'file:///data/b.csv']);
    expect(serializeDag(dag({ dagId: 'n' }), opts).assetSchedule).toBeUndefined();
  });

  it.each([
    [() => asset(''), 'asset(): the URI must be a non-empty string'],
    [() => asset('s3://a b'), "asset(): the URI 's3://a b' contains whitespace"],
    [() => dag({ dagId: 'e', schedule: [] }), "dag 'e': a schedule of assets needs at least one asset"],
    [() => dag({ dagId: 's', schedule: ['s3://x' as never] }), "dag 's': schedule must be a list of asset(...) or assetAlias(...) values"],
    [() => dag({ dagId: 'o' }, (d) => d.fn('t', () => 1, { outlets: ['s3://x' as never] })), "dag 'o': task 't': outlets must be a list of asset(...) or assetAlias(...) values"],
  ])('refuses bad input %#', (fn, message) => {
    expect(() => fn()).toThrow(message);
  });
});

describe('deadline', () => {
  const opts = { fileloc: 'x.ts', fileHash: 'h', defaultTimezone: 'UTC' };
  const noop = (): void => undefined;

  it('serializes the deadline and its onMiss callback as the onDeadlineMiss event', () => {
    const s = serializeDag(dag({ dagId: 'dl', deadline: { after: '2h', from: 'logicalDate', onMiss: noop } }), opts);
    expect(s.deadline).toEqual({ afterMs: 7_200_000, from: 'logicalDate' });
    expect(s.callbacks).toEqual(['onDeadlineMiss']);
    expect(serializeDag(dag({ dagId: 'dq', deadline: { after: '5m', onMiss: noop } }), opts).deadline).toEqual({ afterMs: 300_000, from: 'queuedAt' });
    expect(serializeDag(dag({ dagId: 'none' }), opts).deadline).toBeUndefined();
  });

  it.each([
    [{ onMiss: noop }, "dag 'd': deadline: 'after' is required"],
    [{ after: '1h', from: 'startDate', onMiss: noop }, "deadline: from must be 'queuedAt' or 'logicalDate', got startDate"],
    [{ after: '1h' }, 'deadline: onMiss must be a function'],
    [{ after: '1h', onMiss: noop, every: '1h' }, "deadline: unknown option 'every'"],
  ])('refuses %j', (deadline, message) => {
    expect(() => dag({ dagId: 'd', deadline: deadline as never })).toThrow(message);
  });
});

describe('dagrunTimeout', () => {
  const opts = { fileloc: 'x.ts', fileHash: 'h', defaultTimezone: 'UTC' };

  it('serializes the timeout in milliseconds, and nothing without it', () => {
    expect(serializeDag(dag({ dagId: 'rt', dagrunTimeout: '90m' }), opts).dagrunTimeoutMs).toBe(5_400_000);
    expect(serializeDag(dag({ dagId: 'rn', dagrunTimeout: 2500 }), opts).dagrunTimeoutMs).toBe(2500);
    expect(serializeDag(dag({ dagId: 'none' }), opts).dagrunTimeoutMs).toBeUndefined();
  });

  it.each([
    [0, "dag 'd': dagrunTimeout must be > 0"],
    ['0s', "dag 'd': dagrunTimeout must be > 0"],
    [-5, "dag 'd': dagrunTimeout: expected milliseconds >= 0, got -5"],
    ['two hours', "dag 'd': dagrunTimeout: cannot read duration 'two hours'"],
  ])('refuses %j', (value, message) => {
    expect(() => dag({ dagId: 'd', dagrunTimeout: value as never })).toThrow(message);
  });
});

describe('maxConsecutiveFailedDagRuns', () => {
  const opts = { fileloc: 'x.ts', fileHash: 'h', defaultTimezone: 'UTC' };

  it('serializes the count, and nothing without it', () => {
    expect(serializeDag(dag({ dagId: 'mc', maxConsecutiveFailedDagRuns: 3 }), opts).maxConsecutiveFailedDagRuns).toBe(3);
    expect(serializeDag(dag({ dagId: 'none' }), opts).maxConsecutiveFailedDagRuns).toBeUndefined();
  });

  it.each([0, -1, 2.5, '3'])('refuses %j', (value) => {
    expect(() => dag({ dagId: 'd', maxConsecutiveFailedDagRuns: value as never })).toThrow(`dag 'd': maxConsecutiveFailedDagRuns must be an integer >= 1, got ${String(value)}`);
  });
});

describe('failFast', () => {
  const opts = { fileloc: 'x.ts', fileHash: 'h', defaultTimezone: 'UTC' };
  it('is serialized when true, and only then', () => {
    expect(serializeDag(dag({ dagId: 'ff', failFast: true }, (d) => { d.empty('a'); }), opts).failFast).toBe(true);
    expect('failFast' in serializeDag(dag({ dagId: 'plain', failFast: false }, (d) => { d.empty('a'); }), opts)).toBe(false);
  });

  it('needs every task on all_success (a teardown on its own rule), naming the task that is not', () => {
    const p = problem(() => serializeDag(dag({ dagId: 'ff_rules', failFast: true }, (d) => {
      d.empty('a').then(d.empty('join', { triggerRule: 'all_done' }));
    }), opts));
    expect(p).toEqual({ kind: 'invalid', message: "dag 'ff_rules': with failFast every task keeps the trigger rule all_success (a teardown all_done_setup_success); task 'join' has 'all_done'" });
    const setup = dag({ dagId: 'ff_teardown', failFast: true }, (d) => {
      const make = d.empty('make');
      make.then(d.empty('work')).then(d.empty('remove').asTeardown({ setups: make }));
    });
    expect(serializeDag(setup, opts).tasks.find((t) => t.taskId === 'remove')?.triggerRule).toBe('all_done_setup_success');
  });

  it('must be a boolean', () => {
    expect(problem(() => dag({ dagId: 'ff_bad', failFast: 'yes' as unknown as boolean })).message).toContain('failFast must be true or false');
  });
});
