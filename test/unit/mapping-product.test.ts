/**
 * Mapping over several named sources (`expand({ city: cities, day: [...] })`, Airflow's
 * `expand(city=..., day=...)`): the SDK serializes the named sources, the pure functions number
 * the cross product as Airflow does (first source outermost, last varying fastest), and what
 * cannot be mapped is refused naming the source. The run-time behaviour is in
 * semantics/mapping.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { dag, mappedElement, mapSourcesOf, mapSourceTaskIds, productLength, resetRegistry, serializeDag, type MappedTaskContext, type MapExpansion } from '@updraft/sdk';

describe('the cross product of named sources', () => {
  const expand: MapExpansion = { product: [{ name: 'x', literal: [2, 4, 8] }, { name: 'y', taskId: 'ys' }] };

  it('numbers combinations with the first source outermost and the last varying fastest', () => {
    const arrays = [[2, 4, 8], [5, 10]];
    expect(productLength(arrays.map((a) => a.length))).toBe(6);
    expect(Array.from({ length: 6 }, (_, i) => mappedElement(expand, arrays, i))).toEqual([
      { x: 2, y: 5 }, { x: 2, y: 10 }, { x: 4, y: 5 }, { x: 4, y: 10 }, { x: 8, y: 5 }, { x: 8, y: 10 },
    ]);
    expect(mappedElement(expand, arrays, 6)).toBeUndefined();
    expect(mappedElement(expand, arrays, -1)).toBeUndefined();
  });

  it('has no combination when one source is empty', () => {
    expect(productLength([3, 0, 2])).toBe(0);
    expect(mappedElement(expand, [[2, 4, 8], []], 0)).toBeUndefined();
  });

  it('a single source keeps its element as the item', () => {
    expect(mappedElement({ literal: ['a', 'b'] }, [['a', 'b']], 1)).toBe('b');
    expect(mapSourcesOf({ taskId: 'files' })).toEqual([{ name: undefined, source: { taskId: 'files' } }]);
  });

  it('names its sources and the tasks it reads', () => {
    expect(mapSourcesOf(expand)).toEqual([{ name: 'x', source: { literal: [2, 4, 8] } }, { name: 'y', source: { taskId: 'ys' } }]);
    expect(mapSourceTaskIds(expand)).toEqual(['ys']);
  });
});

describe('expand() with named sources in a DAG file', () => {
  it('serializes them in order, the tasks made upstream of the mapped task', () => {
    resetRegistry();
    const d = dag({ dagId: 'product' }, (b) => {
      const cities = b.fn('cities', () => ['Oslo', 'Lima']);
      b.fn('visit', (ctx: MappedTaskContext<{ city: string; day: string }>) => `${ctx.item.city} ${ctx.item.day}`)
        .expand({ city: cities, day: ['mon', 'tue', 'wed'] });
    });
    const visit = serializeDag(d, { fileloc: 'x.ts', fileHash: 'h', defaultTimezone: 'UTC' }).tasks.find((t) => t.taskId === 'visit')!;
    expect(visit.expand).toEqual({ product: [{ name: 'city', taskId: 'cities' }, { name: 'day', literal: ['mon', 'tue', 'wed'] }] });
    expect(visit.upstream).toEqual(['cities']);
  });

  it('refuses an empty object, a source that is neither a task nor an array, and a value that is not JSON, naming the source', () => {
    resetRegistry();
    const refused = (sources: unknown): string => {
      try {
        dag({ dagId: `bad_${Math.random().toString(36).slice(2)}` }, (b) => {
          (b.fn('each', () => 1).expand as (s: unknown) => unknown)(sources);
        });
      } catch (err) {
        return (err as Error).message;
      }
      return 'accepted';
    };
    expect(refused({})).toMatch(/task 'each'\.expand\(\): expected an upstream task, an array, or an object naming at least one of them/);
    expect(refused({ city: ['Oslo'], day: 'mon' })).toMatch(/task 'each'\.expand\(\): source 'day': expected an upstream task or an array, got string mon/);
    expect(refused({ big: [10n] })).toMatch(/task 'each'\.expand\(\): source 'big' must hold JSON values/);
    expect(refused(new Map())).toMatch(/expected an upstream task, an array, or an object naming them, got an object \(\[object Map\]\)/);
  });

  it('is typed: each named source must give the item\'s type for its key (tsc -b compiles this file)', () => {
    resetRegistry();
    dag({ dagId: 'typed_product' }, (b) => {
      const cities = b.fn('cities', () => ['Oslo', 'Lima']);
      const counts = b.fn('counts', () => 3);
      const visit = b.fn('visit', (ctx: MappedTaskContext<{ city: string; day: number }>) => `${ctx.item.city} ${ctx.item.day}`);
      const compileOnly = (): void => {
        // @ts-expect-error day must be numbers
        visit.expand({ city: cities, day: ['mon'] });
        // @ts-expect-error a Task<number> is no source of strings
        visit.expand({ city: counts, day: [1] });
        // @ts-expect-error day is missing
        visit.expand({ city: cities });
      };
      expect(typeof compileOnly).toBe('function');
      visit.expand({ city: cities, day: [1, 2] });
    });
  });
});
