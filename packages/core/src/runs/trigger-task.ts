/**
 * `d.triggerDagRun` tasks, run by the scheduler (they hold no code and reach no worker): for each
 * ready one, in one transaction, its templates are rendered with its run's values (and the XCom
 * values of the run's tasks that they pull), the run it triggers is created (or, with resetDagRun,
 * an existing one cleared), XCom `trigger_run_id` is stored, the event log says who triggered it,
 * and the task ends success, or waits deferred for the triggered run to end (waitForCompletion,
 * resolved as sensors.externalTask waits are). A trigger that cannot be made (no such DAG, a run
 * already there, a template that does not render) fails the task (up_for_retry while it has tries
 * left: the retry tries again), or skips it (skipWhenAlreadyExists), with the reason on its try.
 * Its callbacks and alerts are recorded with its end, as for a worker's try. A database error
 * rolls everything back: the tasks stay ready and the caller's next evaluation tries again.
 */
import type { SerializedDag, SerializedTask, TriggerDagRunSettings } from '@updraft/sdk';
import type pg from 'pg';
import { withTransaction } from '../db/transaction.js';
import { isUpdraftError, UpdraftError } from '../errors.js';
import { variableMaskValues } from '../secrets/sensitive.js';
import type { SecretsContext } from '../secrets/store.js';
import { resolveTemplateSecrets, templateSecretRefs } from '../secrets/templates.js';
import { clearTaskInstances } from '../sql/clear.js';
import { currentDag } from '../sql/dags.js';
import { insertEvents, type NewEvent } from '../sql/event-log.js';
import { deferExternalWaits, type ExternalWaitInput } from '../sql/external-waits.js';
import { endReadyTasks, findCollidingRun, lockReadyTasks, type LockedReadyTask, type ReadyTaskEnd } from '../sql/scheduler-tasks.js';
import { endEffectsOf } from '../sql/task-end-effects.js';
import { recordRenderedFields } from '../sql/try-details.js';
import { pushXComs, type XComPush } from '../sql/xcom.js';
import type { RunKey } from '../state/keys.js';
import { clearItems, instancesToClear } from './clear-selection.js';
import { templateXComValues, xcomPullFunction } from './template-xcom.js';
import { renderTaskTemplate, taskTemplateValues } from './templates.js';
import { triggerDagRun } from './trigger.js';

export interface TriggerTaskOutcome {
  taskId: string;
  /** As recorded: a failure with tries left is up_for_retry. */
  state: 'success' | 'failed' | 'skipped' | 'deferred' | 'up_for_retry';
  /** The run it triggered (or reset); null when it failed or was skipped. */
  triggered: { dagId: string; runId: string } | null;
  error: string | null;
}

export interface TriggerTasksResult {
  outcomes: TriggerTaskOutcome[];
  /** The triggering run's DAG version (for its evaluation). */
  dagHash: string | null;
  /** Ms until the earliest timeout of the waits created; null when none waits. */
  waitTimeoutMs: number | null;
  /** Ms until the earliest retry of the tasks that failed with tries left; null when none did. */
  retryInMs: number | null;
}

export interface TriggerTasksInput {
  run: RunKey;
  /** The triggering run's serialized DAG (its params and timezone feed the templates). */
  dag: SerializedDag;
  /** Ready tasks of the run that have `triggerDagRun`. */
  tasks: readonly SerializedTask[];
  /** Default: () => new Date(). */
  clock?: () => Date;
  /**
   * Where `{{ var.value.<key> }}` / `{{ var.json.<key> }}` are read (the scheduler's secrets
   * context). Without it a template naming a variable fails the task.
   */
  secrets?: SecretsContext;
}

type Trigger = { runId: string; logicalDate: Date; conf: Record<string, unknown>; reset: boolean } | { end: ReadyTaskEnd };

export async function runTriggerTasks(pool: pg.Pool, input: TriggerTasksInput): Promise<TriggerTasksResult> {
  const byId = new Map(input.tasks.filter((t) => t.triggerDagRun !== undefined).map((t) => [t.taskId, t]));
  return withTransaction(pool, async (db) => {
    const locked = await lockReadyTasks(db, input.run, [...byId.keys()]);
    const outcomes: TriggerTaskOutcome[] = [];
    const ends: ReadyTaskEnd[] = [];
    const fields: Array<Parameters<typeof recordRenderedFields>[1][number]> = [];
    const events: NewEvent[] = [];
    const xcoms: XComPush[] = [];
    const waits: ExternalWaitInput[] = [];
    for (const ti of locked) {
      const task = byId.get(ti.taskId)!;
      const s = task.triggerDagRun!;
      // Callbacks, alerts and retries as for a try a worker ran.
      const effects = endEffectsOf(task, ti.tryNumber);
      const made = await trigger(db, input, ti, s);
      if ('end' in made) {
        ends.push({ ...made.end, ...effects });
        outcomes.push({ taskId: ti.taskId, state: made.end.state, triggered: null, error: made.end.error });
        continue;
      }
      const key = { dagId: input.run.dagId, runId: input.run.runId, taskId: ti.taskId, mapIndex: -1 };
      xcoms.push({ ...key, key: 'trigger_run_id', valueJson: JSON.stringify(made.runId) });
      const triggered = { dagId: s.dagId, runId: made.runId };
      // The try shows what it triggered (the UI links the run), as a bash try shows its command.
      fields.push({ ...key, tryNumber: ti.tryNumber, fields: { trigger_dag_id: s.dagId, trigger_run_id: made.runId, logical_date: made.logicalDate.toISOString(), conf: made.conf } });
      // The event log says who triggered it, as it does for a person's trigger ('trigger').
      events.push({
        event: made.reset ? 'dag_run.clear' : 'trigger', owner: 'scheduler', dagId: s.dagId, runId: made.runId,
        extra: { by_dag_id: input.run.dagId, by_run_id: input.run.runId, by_task_id: ti.taskId, try_number: ti.tryNumber, conf_keys: Object.keys(made.conf) },
      });
      if (!s.waitForCompletion) {
        ends.push({ taskId: ti.taskId, state: 'success', error: null, ...effects });
        outcomes.push({ taskId: ti.taskId, state: 'success', triggered, error: null });
        continue;
      }
      waits.push({
        taskId: ti.taskId, extDagId: s.dagId, extTaskId: null, logicalDate: made.logicalDate.toISOString(), deltaMs: 0,
        allowedStates: s.allowedStates, failedStates: s.failedStates, softFail: false, timeoutMs: s.timeoutMs,
      });
      outcomes.push({ taskId: ti.taskId, state: 'deferred', triggered, error: null });
    }
    // The tries exist once the tasks ended or were deferred: then their rendered fields.
    const ended = await endReadyTasks(db, input.run, ends);
    const waitTimeoutMs = await deferExternalWaits(db, input.run, waits);
    await recordRenderedFields(db, fields);
    await pushXComs(db, xcoms);
    await insertEvents(db, events);
    for (const e of ended) outcomes.find((o) => o.taskId === e.taskId)!.state = e.state;
    const retries = ended.filter((e) => e.retryInMs !== null).map((e) => e.retryInMs!);
    return { outcomes, dagHash: locked[0]?.dagHash ?? null, waitTimeoutMs, retryInMs: retries.length > 0 ? Math.min(...retries) : null };
  });
}

/** Creates (or resets) the run one task triggers, or says how the task ends instead. */
async function trigger(db: pg.PoolClient, input: TriggerTasksInput, ti: LockedReadyTask, s: TriggerDagRunSettings): Promise<Trigger> {
  const fail = (error: string, state: 'failed' | 'skipped' = 'failed'): Trigger => ({ end: { taskId: ti.taskId, state, error } });
  let request: { conf: Record<string, unknown>; runId?: string; logicalDate?: Date };
  try {
    const where = `DAG '${input.dag.dagId}' task '${ti.taskId}'`;
    const vars = await templateVariables(db, input.secrets, templatesOf(s), where);
    request = render(input, ti, s, await templateXComValues(db, input.run, templatesOf(s), where), vars);
  } catch (err) {
    // A template that does not render fails the task; a database error rolls the transaction back.
    if (isUpdraftError(err) && err.code !== 'DB_ERROR') return fail(err.message);
    throw err;
  }
  try {
    const made = await triggerDagRun({ db, dagId: s.dagId, ...request, clock: input.clock });
    return { runId: made.runId, logicalDate: made.logicalDate, conf: made.conf, reset: false };
  } catch (err) {
    if (!isUpdraftError(err)) throw err;
    if (err.code !== 'ALREADY_EXISTS') return fail(`could not trigger DAG '${s.dagId}': ${err.message}`);
    const there = await findCollidingRun(db, s.dagId, request.runId ?? null, request.logicalDate ?? null);
    if (s.resetDagRun && there !== null) {
      const target = await currentDag(db, s.dagId, { withData: true });
      if (target === null) return fail(`could not reset DAG '${s.dagId}' run '${there.runId}': the DAG is gone`);
      await clearTaskInstances(db, s.dagId, clearItems(target.dag, await instancesToClear(db, target.dag, { runId: there.runId })));
      return { ...there, reset: true };
    }
    return fail(`${err.message}${s.skipWhenAlreadyExists ? '' : ' (resetDagRun clears it; skipWhenAlreadyExists skips this task)'}`,
      s.skipWhenAlreadyExists ? 'skipped' : 'failed');
  }
}

/** Every template of the settings: conf's strings at any depth, the run id and the logical date. */
function templatesOf(s: TriggerDagRunSettings): string[] {
  const out: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') out.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(s.conf);
  if (s.runId !== null) out.push(s.runId);
  if (s.logicalDate !== null) out.push(s.logicalDate);
  return out;
}

/**
 * The `var.*` values the templates name, as Airflow's TriggerDagRunOperator renders them. A
 * triggered run's conf is shown in the UI, the API and the event log, so nothing secret may be
 * rendered into it: a `conn.*` template, or a variable whose name (or a field of its JSON) is
 * sensitive, fails the task with the reason; pass the name instead and read it in the triggered
 * DAG's tasks, where values are masked in logs.
 */
async function templateVariables(
  db: pg.PoolClient, secrets: SecretsContext | undefined, templates: readonly string[], where: string,
): Promise<Record<string, unknown> | undefined> {
  const refs = templateSecretRefs(templates);
  const conn = refs.connections[0];
  if (conn !== undefined) {
    throw new UpdraftError('INVALID_ARGUMENT', `${where}: '{{ conn.${conn}... }}' cannot be rendered into a triggered run (its conf is shown in the UI and the API); pass the connection id and read it in the triggered DAG's tasks`);
  }
  if (refs.variables.length === 0) return undefined;
  if (secrets === undefined) throw new UpdraftError('INVALID_ARGUMENT', `${where}: variables cannot be read here ({{ var.* }})`);
  const values = await resolveTemplateSecrets(db, secrets, refs);
  for (const key of refs.variables) {
    if (variableMaskValues(key, values.var.value[key]!, secrets.sensitiveNames).length > 0) {
      throw new UpdraftError('INVALID_ARGUMENT', `${where}: variable '${key}' holds a secret (its name or a field of its JSON is sensitive) and cannot be rendered into a triggered run (its conf is shown in the UI and the API); pass the variable's name and read it in the triggered DAG's tasks`);
    }
  }
  return values.var;
}

/** The run's conf, id and logical date, rendered with the triggering task's template values. */
function render(
  input: TriggerTasksInput, ti: LockedReadyTask, s: TriggerDagRunSettings, xcom: ReadonlyMap<string, string | null>,
  vars: Record<string, unknown> | undefined,
): { conf: Record<string, unknown>; runId?: string; logicalDate?: Date } {
  const { dag, run } = input;
  const values = taskTemplateValues({
    dagId: dag.dagId, taskId: ti.taskId, runId: run.runId, logicalDate: ti.logicalDate, dataIntervalStart: ti.dataIntervalStart,
    dataIntervalEnd: ti.dataIntervalEnd, timezone: dag.timezone, tryNumber: ti.tryNumber, params: { ...dag.params, ...ti.conf }, conf: ti.conf,
  });
  values.ti = { dag_id: dag.dagId, task_id: ti.taskId, run_id: run.runId, try_number: ti.tryNumber, map_index: -1, xcom_pull: xcomPullFunction(xcom) };
  if (vars !== undefined) values.var = vars;
  const where = `DAG '${dag.dagId}' task '${ti.taskId}'`;
  const deep = (value: unknown, path: string): unknown => {
    if (typeof value === 'string') return renderTaskTemplate(value, values, `${where} conf${path}`);
    if (Array.isArray(value)) return value.map((v, i) => deep(v, `${path}[${i}]`));
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deep(v, `${path}.${k}`)]));
    return value;
  };
  const out: { conf: Record<string, unknown>; runId?: string; logicalDate?: Date } = { conf: deep(s.conf, '') as Record<string, unknown> };
  if (s.runId !== null) out.runId = renderTaskTemplate(s.runId, values, `${where} triggerRunId`);
  if (s.logicalDate !== null) {
    const text = renderTaskTemplate(s.logicalDate, values, `${where} logicalDate`);
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) throw new UpdraftError('INVALID_ARGUMENT', `${where} logicalDate: '${text}' is not a date`);
    out.logicalDate = new Date(ms);
  }
  return out;
}
