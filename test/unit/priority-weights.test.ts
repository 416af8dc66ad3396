/**
 * Effective priority weights (Airflow's weight rules): downstream adds every task downstream of a
 * task once, upstream every task upstream, absolute nothing; the result is stored with each task
 * instance of a new run.
 */
import { describe, expect, it } from 'vitest';
import { priorityWeights, taskInstancesOf } from '@updraft/core';
import { dag, serializeDag } from '@updraft/sdk';

const serialized = (build: Parameters<typeof dag>[1]) =>
  serializeDag(dag({ dagId: 'weights' }, build), { fileloc: 'weights.ts', fileHash: 'x', defaultTimezone: 'UTC' });

describe('priority weights', () => {
  // a -> b -> d, a -> c -> d (a diamond: d counts once for a)
  const diamond = (rule?: 'downstream' | 'upstream' | 'absolute') => serialized((d) => {
    const o = rule === undefined ? {} : { weightRule: rule };
    const a = d.empty('a', { priorityWeight: 1, ...o });
    const b = d.empty('b', { priorityWeight: 2, ...o });
    const c = d.empty('c', { priorityWeight: 3, ...o });
    const e = d.empty('d', { priorityWeight: 4, ...o });
    a.then(b).then(e);
    a.then(c).then(e);
  });

  it('downstream (the default) adds each downstream task once', () => {
    expect(Object.fromEntries(priorityWeights(diamond().tasks))).toEqual({ a: 10, b: 6, c: 7, d: 4 });
  });

  it('upstream adds each upstream task once; absolute is the task\'s own weight', () => {
    expect(Object.fromEntries(priorityWeights(diamond('upstream').tasks))).toEqual({ a: 1, b: 3, c: 4, d: 10 });
    expect(Object.fromEntries(priorityWeights(diamond('absolute').tasks))).toEqual({ a: 1, b: 2, c: 3, d: 4 });
  });

  it('a new run stores the effective weight, pool slots and per-task limits with each task instance', () => {
    const s = serialized((d) => {
      d.empty('first', { poolSlots: 3, maxActiveTisPerDag: 2, maxActiveTisPerDagrun: 1 }).then(d.empty('second'));
    });
    expect(taskInstancesOf(s).map((t) => [t.taskId, t.priorityWeight, t.poolSlots, t.maxActiveTisPerDag, t.maxActiveTisPerDagrun])).toEqual([
      ['first', 2, 3, 2, 1], ['second', 1, 1, null, null],
    ]);
  });

  it('refuses a bad weightRule, poolSlots, maxActiveTisPerDag, maxActiveTisPerDagrun or maxActiveTasks, naming the option', () => {
    expect(() => serialized((d) => d.empty('x', { weightRule: 'sideways' as never }))).toThrow(/unknown weightRule 'sideways'/);
    expect(() => serialized((d) => d.empty('x', { poolSlots: 0 }))).toThrow(/poolSlots must be an integer >= 1, got 0/);
    expect(() => serialized((d) => d.empty('x', { maxActiveTisPerDag: 1.5 }))).toThrow(/maxActiveTisPerDag must be an integer >= 1/);
    expect(() => serialized((d) => d.empty('x', { maxActiveTisPerDagrun: 0 }))).toThrow(/maxActiveTisPerDagrun must be an integer >= 1, got 0/);
    expect(() => dag({ dagId: 'bad', maxActiveTasks: 0 })).toThrow(/maxActiveTasks must be an integer >= 1, got 0/);
  });
});
