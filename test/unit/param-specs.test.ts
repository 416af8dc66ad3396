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
    // A null default means "no default": the run's conf must give it; a scheduled DAG's runs get the defaults only.
    expect(refusal({ a: null }, { a: { type: 'string' } })).toBe('accepted');
    resetRegistry();
    expect(() => dag({ dagId: 'sched', schedule: '@daily', startDate: '2026-01-01', params: { a: null }, paramSpecs: { a: { type: 'string' } } }))
      .toThrow("dag 'sched': paramSpecs.a: the param has no default, and the runs of a scheduled DAG get the defaults only: give it one, or make the DAG manual (schedule: null)");
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

  it('are checked when a manual run is planned (REST, CLI and triggerDagRun tasks all plan through here)', () => {
    const d = define({ region: 'eu', n: 5 }, { region: { enum: ['eu', 'us'] }, n: { maximum: 10 } });
    expect(planManualRun(d, 'h', { dagId: 'p', conf: { region: 'us' } }, new Date()).conf).toEqual({ region: 'us' });
    expect(() => planManualRun(d, 'h', { dagId: 'p', conf: { n: 50 } }, new Date()))
      .toThrow("conf of a run of DAG 'p': param 'n' must be at most 10, got 50");
  });
});
