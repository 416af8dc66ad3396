import { describe, expect, it } from 'vitest';
import { KeyedLock } from '@updraft/scheduler';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('KeyedLock (one thing at a time per DAG)', () => {
  it('runAll holds every key: a run on any of them waits until it ends, other keys do not', async () => {
    const locks = new KeyedLock();
    const order: string[] = [];
    let release!: () => void;
    const all = locks.runAll(['b', 'a', 'c'], async () => {
      order.push('all start');
      await new Promise<void>((r) => (release = r));
      order.push('all end');
    });
    await tick();
    const onB = locks.run('b', async () => void order.push('b'));
    const onD = locks.run('d', async () => void order.push('d'));
    await onD;
    await tick();
    expect(order).toEqual(['all start', 'd']);
    release();
    await Promise.all([all, onB]);
    expect(order).toEqual(['all start', 'd', 'all end', 'b']);
  });

  it('two runAll calls over the same keys in different orders both finish, one after the other', async () => {
    const locks = new KeyedLock();
    const order: string[] = [];
    const one = locks.runAll(['x', 'y'], async () => { order.push('one'); await tick(); order.push('one end'); });
    const two = locks.runAll(['y', 'x'], async () => { order.push('two'); await tick(); order.push('two end'); });
    await Promise.all([one, two]);
    expect(order).toEqual(['one', 'one end', 'two', 'two end']);
  });

  it('a failing runAll releases its keys', async () => {
    const locks = new KeyedLock();
    await expect(locks.runAll(['a', 'b'], async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    await expect(locks.run('a', async () => 'free')).resolves.toBe('free');
  });
});
