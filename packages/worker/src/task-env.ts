/**
 * The clean environment of a task process: nothing of the worker's environment leaks in except
 * PATH, LANG and TZ; HOME/USER/LOGNAME are those of the run-as user; the task's own env and the
 * UPDRAFT_* context variables (Airflow's AIRFLOW_CTX_* equivalent) are added.
 */
import type { TaskIdentity } from './identity.js';
import type { TaskRunContext } from './executor/types.js';

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Environment of a process of `identity` before any task env (runner processes start with it). */
export function baseTaskEnv(identity: TaskIdentity, workerEnv: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {
    PATH: workerEnv.PATH || DEFAULT_PATH,
    HOME: identity.home,
    USER: identity.user,
    LOGNAME: identity.user,
    LANG: workerEnv.LANG || 'C.UTF-8',
  };
  if (workerEnv.TZ) env.TZ = workerEnv.TZ;
  return env;
}

/** Context variables every task process gets. */
export function contextEnv(ctx: TaskRunContext): Record<string, string> {
  return {
    UPDRAFT_DAG_ID: ctx.dagId,
    UPDRAFT_TASK_ID: ctx.taskId,
    UPDRAFT_RUN_ID: ctx.runId,
    UPDRAFT_MAP_INDEX: String(ctx.mapIndex),
    UPDRAFT_TRY_NUMBER: String(ctx.tryNumber),
    UPDRAFT_LOGICAL_DATE: ctx.logicalDate,
    UPDRAFT_DATA_INTERVAL_START: ctx.dataIntervalStart,
    UPDRAFT_DATA_INTERVAL_END: ctx.dataIntervalEnd,
    UPDRAFT_DS: ctx.ds,
  };
}

/** Full environment of one task: base, then the task's env, then the context (which wins). */
export function buildTaskEnv(
  identity: TaskIdentity,
  ctx: TaskRunContext,
  taskEnv: Record<string, string> = {},
  workerEnv: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  return { ...baseTaskEnv(identity, workerEnv), ...taskEnv, ...contextEnv(ctx) };
}
