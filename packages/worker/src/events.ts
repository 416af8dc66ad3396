/**
 * What a worker did, for its own execution records (tests, the CLI, metrics). Delivered
 * synchronously to `WorkerOptions.onEvent`; a listener must not throw or block.
 */
import type { TaskMessage } from '@updraft/core';
import type { ExecutionResult } from './executor/types.js';

export type WorkerEvent =
  | { type: 'registered'; workerId: string; workerName: string }
  | { type: 'claim-refused'; message: TaskMessage; reason: string }
  | { type: 'task-started'; message: TaskMessage; pid: number }
  | { type: 'task-finished'; message: TaskMessage; result: ExecutionResult; report: 'reported' | 'discarded' | 'abandoned' }
  | { type: 'draining'; reason: string }
  | { type: 'stopped' };
