/**
 * Who starts a ready task (task-start.ts): the one rule the admission gate and the chain fast path
 * share, over real serialized DAGs from the SDK.
 */
import { describe, expect, it } from 'vitest';
import { dag, resetRegistry, sensors, serializeDag } from '@updraft/sdk';
import { taskStart } from '../../packages/scheduler/src/engine/task-start.js';

resetRegistry();
const serialized = serializeDag(dag({ dagId: 'task_start', schedule: '@daily', startDate: '2024-01-01' }, (d) => {
  d.fn('work', () => 1);
  d.bash('shell', { command: 'true' });
  d.empty('nothing');
  d.latestOnly('gate');
  d.triggerDagRun('kick', { triggerDagId: 'other' });
  d.sensor('poke', { poke: () => true, mode: 'reschedule' });
  d.sensor('wait_other', sensors.externalTask({ dagId: 'other', taskId: 'end' }));
}), { fileloc: 'x.ts', fileHash: 'h', defaultTimezone: 'UTC' });

const startOf = (taskId: string) => taskStart(serialized.tasks.find((t) => t.taskId === taskId)!);

describe('taskStart', () => {
  it('workers start function, bash, empty and poking sensor tasks', () => {
    expect(['work', 'shell', 'nothing', 'poke'].map(startOf)).toEqual(['worker', 'worker', 'worker', 'worker']);
  });

  it('the scheduler ends trigger and latest-only tasks itself', () => {
    expect([startOf('kick'), startOf('gate')]).toEqual(['scheduler', 'scheduler']);
  });

  it('a deferred sensor waits for the scheduler, never for a worker', () => {
    expect(startOf('wait_other')).toBe('deferred');
  });
});
