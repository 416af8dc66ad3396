/**
 * What the ends the scheduler records itself (waits for other DAGs, deferred waits whose time came)
 * carry from their task's definition: the callbacks and alerts of onSuccess / onRetry / onFailure
 * and the delay before a retry, as a worker's report carries them (attempts.ts).
 */
import { isUpdraftError, taskEndEffectsSql } from '@updraft/core';
import type { DagCache } from './dag-cache.js';

type Effects = taskEndEffectsSql.EndEffects & { retryDelayMs: number };

/** `rows` with their effects (none for a task no longer in its DAG), and whether any requests a callback or an alert. */
export async function withEndEffects<T extends { dagId: string; dagHash: string | null; taskId: string; tryNumber: number }>(
  dags: DagCache, rows: readonly T[],
): Promise<{ ends: Array<T & Effects>; callbacks: boolean; alerts: boolean }> {
  let callbacks = false;
  let alerts = false;
  const ends = await Promise.all(rows.map(async (r): Promise<T & Effects> => {
    // A DAG gone since (its file removed) ends its tasks with nothing more to record; any other
    // error leaves them to the next pass (nothing was written yet).
    const compiled = await dags.forRun(r.dagId, r.dagHash).catch((err: unknown) => {
      if (isUpdraftError(err) && err.code === 'DAG_NOT_FOUND') return undefined;
      throw err;
    });
    const task = compiled?.tasks.get(r.taskId);
    if (task === undefined) return { ...r, retryDelayMs: 0 };
    const effects = taskEndEffectsSql.endEffectsOf(task, r.tryNumber);
    callbacks ||= (effects.callbacks?.length ?? 0) > 0;
    alerts ||= (effects.alerts?.length ?? 0) > 0;
    return { ...r, ...effects };
  }));
  return { ends, callbacks, alerts };
}
