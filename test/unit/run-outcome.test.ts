import { describe, expect, it } from 'vitest';
import { finishedRunState, leafTaskIds } from '@updraft/core';

describe('a finished run\'s state (Airflow: the leaves decide)', () => {
  it('leaves are the tasks without downstream tasks', () => {
    const tasks = [{ taskId: 'a', downstream: ['b', 'c'] }, { taskId: 'b', downstream: [] }, { taskId: 'c', downstream: ['d'] }, { taskId: 'd', downstream: [] }];
    expect(leafTaskIds(tasks)).toEqual(['b', 'd']);
  });

  it('fails only for a failed or upstream_failed leaf', () => {
    expect(finishedRunState(['success', 'skipped'])).toBe('success');
    expect(finishedRunState(['skipped', 'removed'])).toBe('success');
    expect(finishedRunState([])).toBe('success');
    expect(finishedRunState(['success', 'failed'])).toBe('failed');
    expect(finishedRunState(['upstream_failed', 'skipped'])).toBe('failed');
  });
});
