/**
 * Param specs (Airflow's Param(type=..., enum=..., minimum=...)) as `paramSpecs`: what the SDK
 * refuses in a DAG file (a spec of no param, a bad key, a default that breaks its spec), and the
 * check every manual run's params (defaults merged with its conf) goes through in core. The form
 * and the REST 400: e2e/ui-trigger.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { planManualRun } from '@updraft/core';
import { dag, paramsProblems, resetRegistry, serializeDag, type ParamSpec } from '@updraft/sdk';

const define = (params: Record<string, unknown>, paramSpecs: unknown) => {
  resetRegistry();
  return serializeDag(dag({ dagId: 'p', params: params as never, paramSpecs: paramSpecs as never }, (d) => { d.empty('x'); }),
    { fileloc: 'x.ts', fileHash: 'h', defaultTimezone: 'UTC' });
};
const refusal = (params: Record<string, unknown>, paramSpecs: unknown): string => {
  try {
    define(params, paramSpecs);
  } catch (err) {
    return (err as Error).message;
  }
  return 'accepted';
};

describe('paramSpecs in a DAG file', () => {
  it('are stored with the DAG', () => {
    const d = define({ region: 'eu', n: 5 }, { region: { enum: ['eu', 'us'], description: 'where' }, n: { type: 'integer', minimum: 1 } });
    expect(d.paramSpecs).toEqual({ region: { enum: ['eu', 'us'], description: 'where' }, n: { type: 'integer', minimum: 1 } });
  });

  it('are refused naming the param and what is wrong', () => {
    expect(refusal({ a: 1 }, { b: { minimum: 0 } })).toBe("dag 'p': paramSpecs.b: there is no param 'b' (give it a default in params)");
    expect(refusal({ a: 1 }, { a: { min: 0 } })).toMatch(/^dag 'p': paramSpecs\.a: unknown key min \(known: description, type, enum/);
    expect(refusal({ a: 1 }, { a: { type: 'float' } })).toMatch(/paramSpecs\.a\.type must be one of string, number, integer/);
    expect(refusal({ a: 'x' }, { a: { enum: [] } })).toMatch(/paramSpecs\.a\.enum must be a non-empty list/);
    expect(refusal({ a: 5000 }, { a: { maximum: 1000 } })).toBe("dag 'p': paramSpecs.a: the default must be at most 1000, got 5000");
    expect(refusal({ a: 'x' }, { a: { pattern: '([a-z' } })).toMatch(/^dag 'p': paramSpecs\.a\.pattern is not a valid regular expression: /);
    expect(refusal({ a: 'x' }, { a: { format: 'uuid' } })).toBe("dag 'p': paramSpecs.a.format must be one of date, date-time, time, email, multiline");
    expect(refusal({ a: 'today' }, { a: { format: 'date' } })).toBe('dag \'p\': paramSpecs.a: the default must be a date (YYYY-MM-DD), got "today"');
    expect(refusal({ a: 'x' }, { a: { valuesDisplay: { x: 'X' } } })).toBe("dag 'p': paramSpecs.a.valuesDisplay labels an enum's values: give the spec an enum");
    expect(refusal({ a: 'x' }, { a: { enum: ['x', 'y'], valuesDisplay: { x: 'X', z: 'Z' } } })).toBe('dag \'p\': paramSpecs.a.valuesDisplay: "z" is not in its enum');
    expect(refusal({ a: 'x' }, { a: { examples: 'x' } })).toBe("dag 'p': paramSpecs.a.examples must be a list of strings");
    expect(refusal({ a: 'x' }, { a: { title: '' } })).toBe("dag 'p': paramSpecs.a.title must be a non-empty string");
    expect(refusal({ a: 1 }, { a: { enum: [1, 2], valuesDisplay: { 1: 'one' }, title: 'A', section: 'S', examples: ['1'] } })).toBe('accepted');
    // A null default means "no default": the run's conf must give it; a scheduled DAG's runs get the defaults only.
    expect(refusal({ a: null }, { a: { type: 'string' } })).toBe('accepted');
    resetRegistry();
    expect(() => dag({ dagId: 'sched', schedule: '@daily', startDate: '2026-01-01', params: { a: null }, paramSpecs: { a: { type: 'string' } } }))
      .toThrow("dag 'sched': paramSpecs.a: the param has no default, and the runs of a scheduled DAG get the defaults only: give it one, allow null (type: ['null', ...]), or make the DAG manual (schedule: null)");
  });

  it('with the keywords of lists, exclusive bounds, steps and const, each checked for its kind of value', () => {
    expect(refusal({ a: 1 }, { a: { type: ['null', 'float'] } })).toBe("dag 'p': paramSpecs.a.type must be one of string, number, integer, boolean, object, array, null, or a list of them (each once)");
    expect(refusal({ a: 1 }, { a: { type: [] } })).toMatch(/paramSpecs\.a\.type must be one of/);
    expect(refusal({ a: 1 }, { a: { type: ['integer', 'integer'] } })).toMatch(/\(each once\)$/);
    expect(refusal({ a: 1 }, { a: { multipleOf: 0 } })).toBe("dag 'p': paramSpecs.a.multipleOf must be a number greater than 0");
    expect(refusal({ a: 1 }, { a: { exclusiveMinimum: '0' } })).toBe("dag 'p': paramSpecs.a.exclusiveMinimum must be a number");
    expect(refusal({ a: [] }, { a: { minItems: 1.5 } })).toBe("dag 'p': paramSpecs.a.minItems must be a whole number, 0 or more");
    expect(refusal({ a: [] }, { a: { minItems: 3, maxItems: 2 } })).toBe("dag 'p': paramSpecs.a: minItems 3 is above maxItems 2");
    expect(refusal({ a: 'x' }, { a: { minLength: 3, maxLength: 2 } })).toBe("dag 'p': paramSpecs.a: minLength 3 is above maxLength 2");
    expect(refusal({ a: [] }, { a: { uniqueItems: 'yes' } })).toBe("dag 'p': paramSpecs.a.uniqueItems must be true or false");
    expect(refusal({ a: [] }, { a: { items: 'integer' } })).toBe("dag 'p': paramSpecs.a.items must be an object: what each item of the list must be");
    expect(refusal({ a: [] }, { a: { items: { type: 'integer', title: 'x' } } })).toMatch(/^dag 'p': paramSpecs\.a\.items: unknown key title \(known: type, enum, const,/);
    expect(refusal({ a: [] }, { a: { items: { pattern: '([' } } })).toMatch(/^dag 'p': paramSpecs\.a\.items\.pattern is not a valid regular expression/);
    expect(refusal({ a: 'x' }, { a: { const: { b: 1 } } })).toBe("dag 'p': paramSpecs.a.const must be a string, a number, a boolean or null");
    expect(refusal({ a: [1, 'two'] }, { a: { items: { type: 'integer' } } })).toBe('dag \'p\': paramSpecs.a: the default item at index 1 must be an integer, got "two"');
    expect(refusal({ a: 10 }, { a: { multipleOf: 15 } })).toBe("dag 'p': paramSpecs.a: the default must be a multiple of 15, got 10");
    expect(refusal({ a: [1, 2] }, { a: { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 1, maxItems: 5, uniqueItems: true } })).toBe('accepted');
  });

  it('of an optional param (type with null): a scheduled DAG may leave it null; its null must pass the rest of the spec', () => {
    resetRegistry();
    const d = dag({ dagId: 'opt', schedule: '@daily', startDate: '2026-01-01', params: { since: null }, paramSpecs: { since: { type: ['null', 'string'], format: 'date' } } }, (x) => { x.empty('e'); });
    expect(d.dagId).toBe('opt');
    expect(refusal({ a: null }, { a: { type: ['null', 'string'], enum: ['x', 'y'] } })).toBe('dag \'p\': paramSpecs.a: the default must be one of "x", "y", got null');
    expect(refusal({ a: null }, { a: { type: ['null', 'string'], enum: [null, 'x', 'y'] } })).toBe('accepted');
  });
});

describe('a run\'s params', () => {
  const specs: Record<string, ParamSpec> = { region: { enum: ['eu', 'us'] }, n: { type: 'integer', minimum: 1, maximum: 10 }, name: { maxLength: 3 }, target: { type: 'string' } };

  it('name every broken param', () => {
    expect(paramsProblems({ region: 'eu', n: 3, name: 'abc', target: 't' }, specs)).toEqual([]);
    expect(paramsProblems({ region: 'mars', n: 2.5, name: 'abcd', target: null }, specs)).toEqual([
      'param \'region\' must be one of "eu", "us", got "mars"', "param 'n' must be an integer, got 2.5",
      "param 'name' must have at most 3 characters, got 4", "param 'target' must be a string, got null",
    ]);
    expect(paramsProblems({ n: 11 }, { n: specs.n! })).toEqual(["param 'n' must be at most 10, got 11"]);
  });

  it('of a format or pattern: dates that exist, a date-time with its offset, times, e-mail addresses, a match', () => {
    const f: Record<string, ParamSpec> = {
      d: { format: 'date' }, dt: { format: 'date-time' }, t: { format: 'time' }, e: { format: 'email' }, m: { format: 'multiline' },
      p: { pattern: '^[a-z_]+$' }, loose: { pattern: 'eu' },
    };
    expect(paramsProblems({ d: '2024-02-29', dt: '2026-01-31T02:00:00.5+05:30', t: '23:59:59', e: 'a.b@example.com', m: 'x\ny', p: 'sales_eu', loose: 'in eu-west' }, f)).toEqual([]);
    expect(paramsProblems({ d: '2026-02-29', dt: '2026-01-31T02:00:00', t: '24:00', e: 'nobody', m: 'ok', p: 'Sales', loose: 'us' }, f)).toEqual([
      'param \'d\' must be a date (YYYY-MM-DD), got "2026-02-29"',
      'param \'dt\' must be a date and time with its offset (e.g. 2026-01-31T02:00:00Z), got "2026-01-31T02:00:00"',
      'param \'t\' must be a time (HH:MM or HH:MM:SS), got "24:00"',
      'param \'e\' must be an e-mail address, got "nobody"',
      'param \'p\' must match ^[a-z_]+$, got "Sales"',
      'param \'loose\' must match eu, got "us"',
    ]);
    expect(paramsProblems({ dt: '2026-01-31 02:00Z', d: '2026-1-5' }, { dt: f.dt!, d: f.d! })).toEqual(['param \'d\' must be a date (YYYY-MM-DD), got "2026-1-5"']);
  });

  it('of optional params, lists, exclusive bounds, steps and const', () => {
    const o: Record<string, ParamSpec> = {
      since: { type: ['null', 'string'], format: 'date' }, ids: { type: 'array', items: { type: 'integer', exclusiveMinimum: 0 }, minItems: 1, maxItems: 3, uniqueItems: true },
      ratio: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 }, price: { multipleOf: 0.01 }, mode: { const: 'full' },
    };
    expect(paramsProblems({ since: null, ids: [1, 2, 3], ratio: 0.5, price: 19.99, mode: 'full' }, o)).toEqual([]);
    expect(paramsProblems({ since: '2026-01-31', ids: [7], ratio: 0.999, price: 0.3, mode: 'full' }, o)).toEqual([]);
    expect(paramsProblems({ since: 5, ids: [], ratio: 1, price: 19.999, mode: 'delta' }, o)).toEqual([
      "param 'since' must be null or a string, got 5", "param 'ids' must have at least 1 item, got 0", "param 'ratio' must be less than 1, got 1",
      "param 'price' must be a multiple of 0.01, got 19.999", 'param \'mode\' must be "full", got "delta"',
    ]);
    expect(paramsProblems({ since: 'today', ids: [1, 2, 1], ratio: 0, price: 1, mode: 'full' }, o)).toEqual([
      'param \'since\' must be a date (YYYY-MM-DD), got "today"', "param 'ids' must not hold an item twice, got 1 twice", "param 'ratio' must be more than 0, got 0",
    ]);
    expect(paramsProblems({ ids: [1, 0] }, { ids: o.ids! })).toEqual(["param 'ids' item at index 1 must be more than 0, got 0"]);
    expect(paramsProblems({ ids: [1, 2, 3, 4] }, { ids: o.ids! })).toEqual(["param 'ids' must have at most 3 items, got 4"]);
  });

  it('are checked when a manual run is planned (REST, CLI and triggerDagRun tasks all plan through here)', () => {
    const d = define({ region: 'eu', n: 5 }, { region: { enum: ['eu', 'us'] }, n: { maximum: 10 } });
    expect(planManualRun(d, 'h', { dagId: 'p', conf: { region: 'us' } }, new Date()).conf).toEqual({ region: 'us' });
    expect(() => planManualRun(d, 'h', { dagId: 'p', conf: { n: 50 } }, new Date()))
      .toThrow("conf of a run of DAG 'p': param 'n' must be at most 10, got 50");
  });
});
