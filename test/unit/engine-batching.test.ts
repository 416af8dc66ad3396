import { describe, expect, it } from 'vitest';
import { Coalescer } from '@updraft/core';
import { Batcher } from '@updraft/scheduler';

const deferred = <T>() => {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
};

describe('Batcher (group commit)', () => {
  it('writes a lone input at once and gathers inputs that arrive while a batch is written', async () => {
    const batches: number[][] = [];
    const gate = deferred<void>();
    const b = new Batcher<number, number>(async (xs) => {
      batches.push(xs);
      if (batches.length === 1) await gate.promise;
      return xs.map((x) => x * 10);
    });
    const first = b.submit(1);
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[1]]);
    const rest = [b.submit(2), b.submit(3), b.submit(4)];
    gate.resolve();
    expect(await first).toBe(10);
    expect(await Promise.all(rest)).toEqual([20, 30, 40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('rejects every input of a failed batch and goes on with the next', async () => {
    let fail = true;
    const b = new Batcher<number, number>(async (xs) => {
      if (fail) throw new Error('db down');
      return xs;
    });
    const failed = [b.submit(1), b.submit(2)];
    await expect(Promise.all(failed)).rejects.toThrow('db down');
    fail = false;
    expect(await b.submit(3)).toBe(3);
  });
});

describe('Coalescer', () => {
  it('answers every request with an execution that started after it, sharing one follow-up', async () => {
    let executions = 0;
    const gates: Array<ReturnType<typeof deferred<void>>> = [];
    const c = new Coalescer<number>();
    const fn = async () => {
      const n = ++executions;
      const g = deferred<void>();
      gates.push(g);
      await g.promise;
      return n;
    };
    const a = c.run('run-1', fn);
    const b1 = c.run('run-1', fn);
    const b2 = c.run('run-1', fn);
    expect(executions).toBe(1);
    gates[0]!.resolve();
    expect(await a).toBe(1);
    await new Promise((r) => setImmediate(r));
    expect(executions).toBe(2);
    gates[1]!.resolve();
    expect(await b1).toBe(2);
    expect(await b2).toBe(2);
    const other = c.run('run-2', fn);
    gates[2]!.resolve();
    expect(await other).toBe(3);
  });
});
