/**
 * Who starts a ready task (task-start.ts): the one rule the admission gate and the chain fast path
 * share, over real serialized DAGs from the SDK.
 */
import { describe, expect, it } from 'vitest';
import { asset, dag, resetRegistry, sensors, serializeDag } from '@updraft/sdk';
import { taskStart } from '../../packages/scheduler/src/engine/task-start.js';

resetRegistry();
const serialized = serializeDag(dag({ dagId: 'task_start', schedule: '@daily', startDate: '2024-01-01' }, (d) => {
  d.fn('work', () => 1);
  d.bash('shell', { command: 'true' });
  d.empty('nothing');
  d.empty('marker', { onSuccess: () => undefined, pool: 'anywhere' });
  d.empty('announces', { outlets: [asset('s3://bucket/x')] });
  d.empty('watched', { onExecute: () => undefined });
  d.empty('each').expand([1, 2]);
  d.latestOnly('gate');
  d.triggerDagRun('kick', { triggerDagId: 'other' });
  d.sensor('poke', { poke: () => true, mode: 'reschedule' });
  d.sensor('wait_other', sensors.externalTask({ dagId: 'other', taskId: 'end' }));
}), { fileloc: 'x.ts', fileHash: 'h', defaultTimezone: 'UTC' });

const startOf = (taskId: string) => taskStart(serialized.tasks.find((t) => t.taskId === taskId)!);

describe('taskStart', () => {
  it('workers start function, bash and poking sensor tasks', () => {
    expect(['work', 'shell', 'poke'].map(startOf)).toEqual(['worker', 'worker', 'worker']);
  });

  it('the scheduler ends trigger, latest-only and empty tasks itself (an empty one with onSuccess effects or a pool too)', () => {
    expect(['kick', 'gate', 'nothing', 'marker'].map(startOf)).toEqual(['scheduler', 'scheduler', 'scheduler', 'scheduler']);
  });

  it('an empty task with outlets, an onExecute callback or mapped goes to a worker, as Airflow sends such an EmptyOperator to its executor', () => {
    expect(['announces', 'watched', 'each'].map(startOf)).toEqual(['worker', 'worker', 'worker']);
  });

  it('a deferred sensor waits for the scheduler, never for a worker', () => {
    expect(startOf('wait_other')).toBe('deferred');
  });
});
