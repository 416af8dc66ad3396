/**
 * Setup and teardown tasks, pure parts: the SDK's asSetup() / asTeardown() (serialized roles and
 * what is refused), a teardown's trigger rule all_done_setup_success, the leaves that decide a run
 * (a teardown's failure does not count unless onFailureFailDagrun), and what a clear selects (a
 * work task's setups and their teardowns). The same on a real stack: semantics/setup-teardown.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { leafTaskIds, planReadiness, selectTasks, type TaskInstanceState } from '@updraft/core';
import { dag, resetRegistry, serializeDag, type SerializedDag, type SerializedTask } from '@updraft/sdk';

const serialize = (build: Parameters<typeof dag>[1]): SerializedDag => {
  resetRegistry();
  return serializeDag(dag({ dagId: 'st' }, build), { fileloc: 'x.ts', fileHash: 'h', defaultTimezone: 'UTC' });
};
const task = (d: SerializedDag, id: string): SerializedTask => d.tasks.find((t) => t.taskId === id)!;
const refusal = (build: Parameters<typeof dag>[1]): string => {
  try {
    serialize(build);
  } catch (err) {
    return (err as Error).message;
  }
  return 'accepted';
};

// create (setup) -> work -> delete (teardown of create)
const cluster = (teardown: { onFailureFailDagrun?: boolean } = {}) => serialize((d) => {
  const create = d.fn('create', () => 1);
  const remove = d.fn('delete', () => 1).asTeardown({ setups: create, ...teardown });
  create.then(d.fn('work', () => 1)).then(remove);
});

describe('asSetup() and asTeardown() in a DAG file', () => {
  it('serialize the roles: a teardown\'s setups are made setups and upstream of it, its rule is all_done_setup_success', () => {
    const d = cluster();
    expect(task(d, 'create')).toMatchObject({ setup: true, triggerRule: 'all_success' });
    expect(task(d, 'delete')).toMatchObject({ teardown: { onFailureFailDagrun: false }, triggerRule: 'all_done_setup_success', upstream: ['create', 'work'] });
    expect(task(d, 'work').setup).toBeUndefined();
    expect(task(d, 'work').teardown).toBeUndefined();
    expect(task(cluster({ onFailureFailDagrun: true }), 'delete').teardown).toEqual({ onFailureFailDagrun: true });
  });

  it('refuse what Airflow refuses, naming the task', () => {
    expect(refusal((d) => { d.fn('t', () => 1, { triggerRule: 'all_done' }).asTeardown(); }))
      .toMatch(/task 't': a teardown task's trigger rule is all_done_setup_success; it cannot be 'all_done'/);
    expect(refusal((d) => { d.fn('t', () => 1, { triggerRule: 'all_done_setup_success' }); }))
      .toMatch(/task 't': trigger rule all_done_setup_success is for teardown tasks \(task.asTeardown\(\)\)/);
    expect(refusal((d) => { d.fn('t', () => 1).asSetup().asTeardown(); })).toMatch(/task 't'.asTeardown\(\): the task is already a setup task/);
    expect(refusal((d) => { d.fn('t', () => [1]).asSetup().expand([1, 2]); })).toMatch(/task 't': a setup task cannot be mapped/);
    expect(refusal((d) => { d.branch('b', () => null).asSetup(); })).toMatch(/task 'b': a setup task cannot be a branch or short-circuit/);
    expect(refusal((d) => { d.fn('t', () => 1).asTeardown({ setups: ['x'] as never }); })).toMatch(/task 't'.asTeardown\(\): setups must be tasks, got string x/);
  });
});

describe("teardown.around(build): Airflow's `with setup >> teardown:`", () => {
  it('puts the work tasks it defines between the setups and the teardown: roots after the setups, leaves before the teardown', () => {
    const d = serialize((b) => {
      const create = b.fn('create', () => 1).asSetup();
      const table = b.fn('table', () => 1).asSetup();
      b.fn('delete', () => 1).asTeardown({ setups: [create, table] }).around(() => {
        const load = b.fn('load', () => 1);
        load.then([b.fn('report', () => 1), b.fn('audit', () => 1)]);
        b.fn('alone', () => 1);
      });
      b.fn('after', () => 1);
    });
    expect(task(d, 'load').upstream).toEqual(['create', 'table']);
    expect(task(d, 'report').upstream).toEqual(['load']);
    expect(task(d, 'alone').upstream).toEqual(['create', 'table']);
    expect([...task(d, 'delete').upstream].sort()).toEqual(['alone', 'audit', 'create', 'report', 'table']);
    expect(task(d, 'after').upstream).toEqual([]);
  });

  it('is refused on a task that is no teardown, for a function that defines nothing, and for a Promise', () => {
    expect(refusal((b) => { b.fn('t', () => 1).around(() => { b.fn('w', () => 1); }); })).toMatch(/task 't'.around\(\): only a teardown task \(asTeardown\) wraps work tasks/);
    expect(refusal((b) => { b.fn('t', () => 1).asTeardown().around(() => undefined); })).toMatch(/task 't'.around\(\): the function defined no task/);
    expect(refusal((b) => { b.fn('t', () => 1).asTeardown().around((async () => { b.fn('w', () => 1); }) as never); }))
      .toMatch(/task 't'.around\(\): the function must define its tasks synchronously/);
  });
});

describe('all_done_setup_success', () => {
  const d = cluster();
  const tasks = new Map(d.tasks.map((t) => [t.taskId, t]));
  const decide = (create: TaskInstanceState, work: TaskInstanceState): string => {
    const plan = planReadiness({ tasks, states: new Map<string, TaskInstanceState>([['create', create], ['work', work], ['delete', 'none']]), candidates: ['delete'], complete: true });
    return plan.queue.includes('delete') ? 'ready' : plan.skip.includes('delete') ? 'skip' : plan.upstreamFailed.includes('delete') ? 'upstream_failed' : 'wait';
  };

  it('runs the teardown once all is done, whatever the work did, when its setup succeeded', () => {
    expect(decide('success', 'success')).toBe('ready');
    expect(decide('success', 'failed')).toBe('ready');
    expect(decide('success', 'upstream_failed')).toBe('ready');
    expect(decide('success', 'running')).toBe('wait');
  });

  it('skips it when its setups were skipped, and fails it upstream when none succeeded', () => {
    expect(decide('skipped', 'skipped')).toBe('skip');
    expect(decide('failed', 'upstream_failed')).toBe('upstream_failed');
  });

  it('without setups it is all_done', () => {
    const lone = serialize((b) => { b.fn('w', () => 1).then(b.fn('t', () => 1).asTeardown()); });
    const plan = planReadiness({ tasks: new Map(lone.tasks.map((t) => [t.taskId, t])), states: new Map<string, TaskInstanceState>([['w', 'failed'], ['t', 'none']]), candidates: ['t'], complete: true });
    expect(plan.queue).toEqual(['t']);
  });
});

describe('the leaves that decide a run', () => {
  it('a teardown does not count, the work before it does; with onFailureFailDagrun it counts', () => {
    expect(leafTaskIds(cluster().tasks)).toEqual(['work']);
    expect(leafTaskIds(cluster({ onFailureFailDagrun: true }).tasks)).toEqual(['delete']);
  });

  it('a DAG of teardowns only: its plain leaves', () => {
    const only = serialize((b) => { b.fn('a', () => 1).asTeardown().then(b.fn('b', () => 1).asTeardown()); });
    expect(leafTaskIds(only.tasks)).toEqual(['b']);
  });
});

describe('a clear', () => {
  const d = serialize((b) => {
    const create = b.fn('create', () => 1);
    const remove = b.fn('delete', () => 1).asTeardown({ setups: create });
    const work = b.fn('work', () => 1);
    create.then(b.fn('prepare', () => 1)).then(work).then(remove);
    b.fn('other', () => 1);
  });
  const select = (id: string, downstream = false) => [...selectTasks(d, (t) => t === id, downstream, false)].sort();

  it('of a work task takes its setups (through any path) and their teardowns', () => {
    expect(select('work')).toEqual(['create', 'delete', 'work']);
  });

  it('of a setup takes its teardowns; of a teardown or an unrelated task, nothing more', () => {
    expect(select('create')).toEqual(['create', 'delete']);
    expect(select('delete')).toEqual(['delete']);
    expect(select('other')).toEqual(['other']);
  });
});

describe('a task group with a setup and a teardown, in a dependency', () => {
  const upstreamOf = (d: SerializedDag, id: string) => [...task(d, id).upstream].sort();

  it('stands for the work before its teardown, not the teardown (Airflow ignores teardowns in dependencies on groups)', () => {
    const d = serialize((b) => {
      const g = b.taskGroup('cluster', (c) => {
        const create = c.fn('create', () => 1).asSetup();
        const remove = c.fn('delete', () => 1).asTeardown({ setups: create });
        create.then([c.fn('load', () => 1), c.fn('index', () => 1)]).then(remove);
      });
      g.then(b.fn('report', () => 1));
      b.fn('prepare', () => 1).then(g);
    });
    expect(upstreamOf(d, 'report')).toEqual(['cluster.index', 'cluster.load']);
    // Its roots are as before: the setup is where the group starts.
    expect(upstreamOf(d, 'cluster.create')).toEqual(['prepare']);
  });

  it('through teardowns in a row, to the last work task only (one already upstream of other work is not a leaf)', () => {
    const d = serialize((b) => {
      const g = b.taskGroup('g', (c) => {
        const s = c.fn('s', () => 1).asSetup();
        const t1 = c.fn('t1', () => 1).asTeardown({ setups: s });
        const t2 = c.fn('t2', () => 1).asTeardown();
        s.then(c.fn('w1', () => 1)).then(c.fn('w2', () => 1)).then(t1).then(t2);
      });
      g.then(b.fn('after', () => 1));
    });
    expect(upstreamOf(d, 'after')).toEqual(['g.w2']);
  });

  it('a group of a setup and its teardown only: the teardown', () => {
    const d = serialize((b) => {
      const g = b.taskGroup('g', (c) => {
        const s = c.fn('s', () => 1).asSetup();
        s.then(c.fn('t', () => 1).asTeardown({ setups: s }));
      });
      g.then(b.fn('after', () => 1));
    });
    expect(upstreamOf(d, 'after')).toEqual(['g.t']);
  });
});
