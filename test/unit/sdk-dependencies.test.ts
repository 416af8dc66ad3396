import { afterEach, describe, expect, it } from 'vitest';
import { chain, collectDags, dag, DagDefinitionError, group, resetRegistry, serializeDag, topologicalOrder } from '@updraft/sdk';
import type { Dag } from '@updraft/sdk';

afterEach(() => resetRegistry());

function edges(d: Dag): string[] {
  return d.tasks.flatMap((t) => [...t.downstreamIds].map((down) => `${t.taskId}->${down}`)).sort();
}

describe('dependency API', () => {
  it('a.then(b).then(c) chains left to right', () => {
    const d = dag({ dagId: 'd' }, (d) => {
      d.empty('a').then(d.empty('b')).then(d.empty('c'));
    });
    expect(edges(d)).toEqual(['a->b', 'b->c']);
  });

  it('a.then([b, c]).then(d) fans out and joins', () => {
    const d = dag({ dagId: 'd' }, (d) => {
      const [a, b, c, e] = [d.empty('a'), d.empty('b'), d.empty('c'), d.empty('e')];
      a.then([b, c]).then(e);
    });
    expect(edges(d)).toEqual(['a->b', 'a->c', 'b->e', 'c->e']);
  });

  it('group(a, b).then(c) and b.after(a)', () => {
    const d = dag({ dagId: 'd' });
    const a = d.empty('a');
    const b = d.empty('b');
    const c = d.empty('c');
    const x = d.empty('x');
    expect(group(a, b).then(c)).toBe(c);
    expect(x.after(c)).toBe(c);
    expect(edges(d)).toEqual(['a->c', 'b->c', 'c->x']);
  });

  it('c.after(b).after(a) reads right to left', () => {
    const d = dag({ dagId: 'd' });
    const [a, b, c] = [d.empty('a'), d.empty('b'), d.empty('c')];
    c.after(b).after(a);
    expect(edges(d)).toEqual(['a->b', 'b->c']);
  });

  it('chain accepts tasks, arrays and groups', () => {
    const d = dag({ dagId: 'd' });
    const [s, x, y, e, z] = [d.empty('s'), d.empty('x'), d.empty('y'), d.empty('e'), d.empty('z')];
    chain(s, [x, y], e, group(z));
    expect(edges(d)).toEqual(['e->z', 's->x', 's->y', 'x->e', 'y->e']);
  });

  it('adding the same edge twice keeps one edge', () => {
    const d = dag({ dagId: 'd' });
    const [a, b] = [d.empty('a'), d.empty('b')];
    a.then(b);
    b.after(a);
    expect(edges(d)).toEqual(['a->b']);
  });

  it('refuses a dependency on a task of another DAG', () => {
    const one = dag({ dagId: 'one' });
    const two = dag({ dagId: 'two' });
    const a = one.empty('a');
    const b = two.empty('b');
    const err = catchError(() => a.then(b));
    expect(err).toBeInstanceOf(DagDefinitionError);
    expect(err.kind).toBe('unknown_dependency');
    expect(err.message).toContain("task 'b' cannot depend on task 'a' of dag 'one'");
  });

  it('getTask names the known tasks when the id is unknown', () => {
    const d = dag({ dagId: 'd' });
    d.empty('a');
    const err = catchError(() => d.getTask('nope'));
    expect(err.kind).toBe('unknown_dependency');
    expect(err.message).toBe("dag 'd' has no task 'nope' (its tasks: a)");
  });

  it('refuses values that are not tasks (JavaScript DAG files)', () => {
    const d = dag({ dagId: 'd' });
    const a = d.empty('a');
    const err = catchError(() => a.then(undefined as never));
    expect(err.kind).toBe('invalid');
    expect(err.message).toContain('expected a task, a group or an array of tasks, got undefined');
    expect(catchError(() => chain(a, ['x'] as never)).message).toContain('element 0 of the array is string x');
  });

  it('reports a cycle with the path of tasks', () => {
    const d = dag({ dagId: 'cyc' });
    const [a, b, c] = [d.empty('a'), d.empty('b'), d.empty('c')];
    d.empty('free').then(a);
    chain(a, b, c, a);
    const err = catchError(() => topologicalOrder(d));
    expect(err.kind).toBe('cycle');
    expect(err.message).toBe("dag 'cyc': cycle between tasks a -> b -> c -> a");
  });

  it('a self-dependency is a cycle', () => {
    const d = dag({ dagId: 'self' });
    const a = d.empty('a');
    a.then(a);
    expect(catchError(() => serializeDag(d, { fileloc: 'f.ts', fileHash: 'h', defaultTimezone: 'UTC' })).message).toBe(
      "dag 'self': cycle between tasks a -> a",
    );
  });

  it('topological order puts upstream first and keeps creation order among equals', () => {
    const d = dag({ dagId: 'd' });
    const [z, y, x] = [d.empty('z'), d.empty('y'), d.empty('x')];
    x.then(y);
    expect(topologicalOrder(d).map((t) => t.taskId)).toEqual(['z', 'x', 'y']);
    expect(z.upstreamIds.size).toBe(0);
  });
});

describe('registry', () => {
  it('collects constructed DAGs and exported DAGs once each', () => {
    const a = dag({ dagId: 'a' });
    const b = dag({ dagId: 'b' });
    const found = collectDags({ default: a, list: [a, b], other: 42 });
    expect(found.map((d) => d.dagId)).toEqual(['a', 'b']);
    resetRegistry();
    expect(collectDags()).toEqual([]);
    expect(collectDags({ a }).map((d) => d.dagId)).toEqual(['a']);
  });
});

function catchError(fn: () => unknown): DagDefinitionError {
  try {
    fn();
  } catch (err) {
    return err as DagDefinitionError;
  }
  throw new Error('expected an error');
}
