import { describe, expect, it } from 'vitest';
import { proto } from '@updraft/core';
import { reportOf } from '../../packages/scheduler/src/rpc/requests.js';

/** A report of a try killed for its execution timeout, with the error text a worker sent. */
function timedOut(error: string): proto.ReportTaskResultRequest {
  return {
    workerId: 'w1', key: { dagId: 'd', runId: 'r', taskId: 't', mapIndex: -1 }, tryNumber: 1, attemptToken: 'tok',
    outcome: proto.TaskOutcome.TASK_OUTCOME_FAILED, exitCode: -1, error, durationMs: 1000, returnValueJson: '',
    timedOut: true, pid: 0, handoff: undefined, noRetry: false, outletExtrasJson: '', outletAliasEventsJson: '',
  };
}

describe('the error of a try killed for its execution timeout', () => {
  it('keeps the words of a worker that already names the timeout', () => {
    const text = 'execution timeout: the task ran longer than 1.0 s and was killed';
    expect(reportOf(timedOut(text)).outcome.error).toBe(text);
    expect(reportOf(timedOut('Execution timeout of 1000 ms exceeded')).outcome.error).toBe('Execution timeout of 1000 ms exceeded');
  });

  it('names the timeout when the worker did not', () => {
    expect(reportOf(timedOut('killed by SIGKILL')).outcome.error).toBe('execution timeout exceeded: killed by SIGKILL');
    expect(reportOf(timedOut('')).outcome.error).toBe('execution timeout exceeded');
  });
});
