/**
 * Function tasks: run the task's function of a DAG file in a runner process from the prefork pool
 * (the worker never runs DAG code in its own process). The runner goes back to the pool when the
 * task is over; the pool decides whether it can be reused.
 */
import type { TaskIdentity } from '../identity.js';
import type { RunnerPool } from './runner-pool.js';
import type { OutputSink, ProcessEnd, TaskProcess } from './task-process.js';
import type { TaskRequestHandler } from './task-requests.js';
import type { TaskRunContext } from './types.js';

export interface FunctionTaskOptions {
  /** Absolute path of the DAG file. */
  modulePath: string;
  context: TaskRunContext;
  env: Record<string, string>;
  cwd: string;
  identity: TaskIdentity;
  umask: number;
  /** core.max_xcom_size (0 = no limit here). */
  maxXcomSize: number;
  onOutput: OutputSink;
  /** Answers the task's requests (ctx.connection(), ctx.variable(), ...). */
  onRequest?: TaskRequestHandler;
}

export async function startFunctionTask(pool: RunnerPool, opts: FunctionTaskOptions): Promise<TaskProcess> {
  const runner = await pool.acquire(opts.identity, opts.modulePath);
  let proc: TaskProcess;
  try {
    proc = runner.run(
      {
        modulePath: opts.modulePath,
        dagId: opts.context.dagId,
        taskId: opts.context.taskId,
        context: opts.context,
        env: opts.env,
        cwd: opts.cwd,
        umask: opts.umask,
        maxXcomSize: opts.maxXcomSize,
      },
      opts.onOutput,
      opts.onRequest,
    );
  } catch (err) {
    pool.release(runner);
    throw err;
  }
  const done = proc.done.then((end: ProcessEnd) => {
    pool.release(runner);
    return end;
  });
  return { pid: proc.pid, done, terminate: (graceMs) => proc.terminate(graceMs) };
}
