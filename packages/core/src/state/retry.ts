/** Retry policy of a task: how many tries, and how long to wait before the next one. */
import { pokeDelayMs, type SensorSettings, type SerializedTask } from '@updraft/sdk';

/** Upper bound of any computed delay (100 years), so now + delay is always a valid Date. */
const LONGEST_DELAY_MS = 100 * 365 * 86_400_000;

export type RetryPolicy = Pick<SerializedTask, 'retries' | 'retryDelayMs' | 'retryExponentialBackoff' | 'maxRetryDelayMs'>;

/** Tries allowed in all: the first one plus the retries. */
export function maxTriesOf(task: Pick<SerializedTask, 'retries'>): number {
  return Math.max(0, task.retries) + 1;
}

/**
 * Delay before the try after `failedTry` (1 = the first try failed). With exponential backoff:
 * retryDelayMs * 2^(failedTry-1), capped by maxRetryDelayMs when set (as in Airflow, the cap applies
 * to backoff only). Without: retryDelayMs.
 */
export function retryDelayMs(policy: RetryPolicy, failedTry: number): number {
  const base = Math.min(Math.max(0, policy.retryDelayMs), LONGEST_DELAY_MS);
  if (!policy.retryExponentialBackoff) return base;
  const exponent = Math.max(0, failedTry - 1);
  const delay = Math.min(base * 2 ** Math.min(exponent, 60), LONGEST_DELAY_MS);
  return policy.maxRetryDelayMs === null ? delay : Math.min(delay, Math.max(0, policy.maxRetryDelayMs));
}

/**
 * A failed try's retry delay as the finish statement takes it (attemptsSql.FinishInput): the
 * first failed try's delay, and with backoff what the statement needs to double it per failed try
 * it counts itself (a sensor's false pokes are tries but no failures: see finish-attempts.ts).
 */
export function retryInputOf(policy: RetryPolicy): { retryDelayMs: number; backoff?: { retries: number; maxDelayMs: number | null } } {
  const first = retryDelayMs({ ...policy, retryExponentialBackoff: false }, 1);
  if (!policy.retryExponentialBackoff) return { retryDelayMs: first };
  return {
    retryDelayMs: first,
    backoff: { retries: Math.max(0, policy.retries), maxDelayMs: policy.maxRetryDelayMs === null ? null : Math.max(0, policy.maxRetryDelayMs) },
  };
}

/**
 * A reschedule-mode sensor's wait before its next poke as the finish statement takes it: the poke
 * interval, and with exponentialBackoff what the statement needs to double it per false poke it
 * counts itself (since the first poke, so a clear or failed tries do not lengthen it).
 */
export function pokeInputOf(sensor: Pick<SensorSettings, 'pokeIntervalMs' | 'exponentialBackoff'>, retries: number): ReturnType<typeof retryInputOf> {
  const first = pokeDelayMs(sensor, 1);
  if (!sensor.exponentialBackoff) return { retryDelayMs: first };
  // The longest interval pokeDelayMs gives.
  return { retryDelayMs: first, backoff: { retries: Math.max(0, retries), maxDelayMs: pokeDelayMs(sensor, Number.MAX_SAFE_INTEGER) } };
}
