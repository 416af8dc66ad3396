/**
 * What every end of a task instance's try records with it, whoever ends it (a worker's report:
 * finish-attempts.ts; the scheduler: trigger and latest-only tasks, waits for other DAGs, deferred
 * waits whose time came): the callback request and the alert outbox rows of the event its
 * recorded state is, in the statement that records the state (an end never lacks its alert, an
 * alert never lacks its end). Once per try, event (and notifier): the tables' keys make a repeated
 * end add nothing.
 */
import type { SerializedTask } from '@updraft/sdk';
import { retryDelayMs } from '../state/retry.js';
import { alertRequestsOf, type AlertRequest } from './alerts.js';

/** The task events an end of a try can fire. */
export type EndEvent = 'onSuccess' | 'onRetry' | 'onFailure';
const END_EVENTS: readonly EndEvent[] = ['onSuccess', 'onRetry', 'onFailure'];

/** What an end records besides the state, from the task's definition. */
export interface EndEffects {
  /** Callbacks the task has among onSuccess / onRetry / onFailure. */
  callbacks?: readonly EndEvent[];
  /** Declarative notifiers of those events. */
  alerts?: readonly AlertRequest[];
}

/** A task's end effects and the delay before its next try when `tryNumber` fails with tries left. */
export function endEffectsOf(task: SerializedTask, tryNumber: number): EndEffects & { retryDelayMs: number } {
  return {
    callbacks: (task.callbacks ?? []).filter((e): e is EndEvent => (END_EVENTS as readonly string[]).includes(e)),
    alerts: alertRequestsOf(task.alerts, END_EVENTS),
    retryDelayMs: retryDelayMs(task, tryNumber),
  };
}

/** Placeholders of the statement's parameters that carry the effects (endEffectValues' keys, as the statement names them). */
export interface EndEffectParams {
  callbackI: string;
  callbackEvent: string;
  alertI: string;
  alertEvent: string;
  alertIndex: string;
  alertTarget: string;
}

/** Positional placeholders $n.. $n+5 (in endEffectValues' order). */
export function positionalEffectParams(first: number): EndEffectParams {
  const p = (k: number): string => `$${first + k}`;
  return { callbackI: p(0), callbackEvent: p(1), alertI: p(2), alertEvent: p(3), alertIndex: p(4), alertTarget: p(5) };
}

/** The effects' parameter values: each list's entries with the (1-based) position of their input. */
export function endEffectValues(inputs: readonly EndEffects[]): {
  callback_i: number[]; callback_event: string[]; alert_i: number[]; alert_event: string[]; alert_index: number[]; alert_target: string[];
} {
  return {
    callback_i: inputs.flatMap((x, k) => (x.callbacks ?? []).map(() => k + 1)), callback_event: inputs.flatMap((x) => [...(x.callbacks ?? [])]),
    alert_i: inputs.flatMap((x, k) => (x.alerts ?? []).map(() => k + 1)), alert_event: inputs.flatMap((x) => (x.alerts ?? []).map((a) => a.event)),
    alert_index: inputs.flatMap((x) => (x.alerts ?? []).map((a) => a.index)),
    alert_target: inputs.flatMap((x) => (x.alerts ?? []).map((a) => JSON.stringify(a.target))),
  };
}

/** endEffectValues as a positional list (for positionalEffectParams). */
export function endEffectList(inputs: readonly EndEffects[]): unknown[] {
  const v = endEffectValues(inputs);
  return [v.callback_i, v.callback_event, v.alert_i, v.alert_event, v.alert_index, v.alert_target];
}

/** True when some input has a callback or a notifier (else the statement can leave the effects out). */
export function hasEndEffects(inputs: readonly EndEffects[]): boolean {
  return inputs.some((x) => (x.callbacks?.length ?? 0) > 0 || (x.alerts?.length ?? 0) > 0);
}

/**
 * CTEs `cb` and `al` (to follow others in a WITH): the callback requests and alert outbox rows of
 * the instances in `ended`, a CTE with columns i (the input's 1-based position), dag_id, run_id,
 * task_id, map_index, try_number, state (as recorded) and error, for the event of its state.
 */
export function endEffectCtes(ended: string, p: EndEffectParams): string {
  const event = `CASE ${ended}.state WHEN 'success' THEN 'onSuccess' WHEN 'up_for_retry' THEN 'onRetry' WHEN 'failed' THEN 'onFailure' END`;
  return `
     cb AS (
       INSERT INTO callback_request (dag_id, run_id, task_id, map_index, try_number, event, exception)
       SELECT ${ended}.dag_id, ${ended}.run_id, ${ended}.task_id, ${ended}.map_index, ${ended}.try_number, e.event, ${ended}.error
       FROM ${ended} JOIN unnest(${p.callbackI}::int[], ${p.callbackEvent}::text[]) AS e(i, event) ON e.i = ${ended}.i
       WHERE e.event = ${event}
       ON CONFLICT DO NOTHING),
     al AS (
       INSERT INTO alert_outbox (dag_id, run_id, task_id, map_index, try_number, event, notifier_index, target, exception)
       SELECT ${ended}.dag_id, ${ended}.run_id, ${ended}.task_id, ${ended}.map_index, ${ended}.try_number, n.event, n.idx, n.target::jsonb, ${ended}.error
       FROM ${ended} JOIN unnest(${p.alertI}::int[], ${p.alertEvent}::text[], ${p.alertIndex}::int[], ${p.alertTarget}::text[]) AS n(i, event, idx, target)
         ON n.i = ${ended}.i
       WHERE n.event = ${event}
       ON CONFLICT DO NOTHING)`;
}
