import { describe, expect, it } from 'vitest';
import { attemptOrder, currentAttempts } from '@updraft/core/internal';

const token = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const ref = (dagId: string, runId: string, taskId: string, mapIndex: number, tryNumber: number, attemptToken = token(1)) =>
  ({ dagId, runId, taskId, mapIndex, tryNumber, attemptToken });

describe('the lock order of attempt batches', () => {
  it('orders by DAG, run, task, map index, then try (numbers as numbers)', () => {
    const sorted = [
      ref('b', 'r', 't', -1, 1), ref('a', 'r2', 't', -1, 1), ref('a', 'r1', 'u', -1, 1), ref('a', 'r1', 't', 10, 1),
      ref('a', 'r1', 't', 2, 3), ref('a', 'r1', 't', 2, 1), ref('a', 'r1', 't', -1, 12),
    ].sort(attemptOrder);
    expect(sorted.map((r) => `${r.dagId}/${r.runId}/${r.taskId}/${r.mapIndex}/${r.tryNumber}`)).toEqual([
      'a/r1/t/-1/12', 'a/r1/t/2/1', 'a/r1/t/2/3', 'a/r1/t/10/1', 'a/r1/u/-1/1', 'a/r2/t/-1/1', 'b/r/t/-1/1',
    ]);
  });

  it('a batch keeps its inputs with a usable token, in lock order, each with its position in the batch', () => {
    const batch = [ref('d', 'r', 't9', -1, 1), ref('d', 'r', 't1', -1, 1, 'not-a-token'), ref('d', 'r', 't2', -1, 1), ref('c', 'r', 't5', -1, 1)];
    expect(currentAttempts(batch).map((v) => [v.input.dagId + '.' + v.input.taskId, v.at])).toEqual([['c.t5', 3], ['d.t2', 2], ['d.t9', 0]]);
  });
});
