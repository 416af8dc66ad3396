/**
 * The serialized form of a DAG: what the DAG processor stores (JSON, in serialized_dag.data) and
 * what the scheduler, webserver and monitor read. They never execute DAG code.
 * Bump SERIALIZED_DAG_SCHEMA_VERSION on any incompatible change.
 */
import type { DagCallbackEvent, TaskCallbackEvent } from './callbacks.js';
import type { AlertTarget } from './notifiers.js';
import type { MapExpansion } from './mapping.js';
import type { SerializedAssetCondition } from './asset-condition.js';
import type { ParamSpec } from './param-specs.js';

export const SERIALIZED_DAG_SCHEMA_VERSION = 1;

export type TaskKind = 'bash' | 'function' | 'empty';

export type SensorMode = 'poke' | 'reschedule';

/**
 * A deferred wait, decided by the scheduler alone (no worker): until the run's data interval end
 * plus `deltaMs` (sensors.timeDelta), until the instant `at` (sensors.dateTime, ISO 8601), or
 * until another DAG's task or run reaches an allowed state (sensors.externalTask).
 */
export type DeferredWait = { deltaMs: number } | { at: string } | { externalTask: ExternalTaskWait };

/** What sensors.externalTask waits for; the scheduler resolves it from its own database. */
export interface ExternalTaskWait {
  dagId: string;
  /** Null: the whole DAG run. */
  taskId: string | null;
  /** Fixed logical date (ISO 8601) of the run waited for; null: this run's logical date less `deltaMs`. */
  logicalDate: string | null;
  deltaMs: number;
  /** States of the task (or run) that end the wait success. */
  allowedStates: string[];
  /** States that end the wait failed at once. */
  failedStates: string[];
}

/** What the scheduler knows of a sensor (`d.sensor`, sensor.ts). */
export interface SensorSettings {
  /** 'deferred': a wait the scheduler decides (`waitUntil`); the task never reaches a worker. */
  mode: SensorMode | 'deferred';
  waitUntil?: DeferredWait;
  pokeIntervalMs: number;
  /** From the first poke, across reschedules. */
  timeoutMs: number;
  /** Skipped instead of failed on timeout. */
  softFail: boolean;
  /** The interval doubles after each false poke. */
  exponentialBackoff: boolean;
}

/**
 * What `d.triggerDagRun` starts (the scheduler creates the run; no worker runs the task). `conf`
 * string values, `runId` and `logicalDate` are templates rendered with the triggering task's values.
 */
export interface TriggerDagRunSettings {
  dagId: string;
  conf: Record<string, unknown>;
  /** Null: `manual__<logical date>`. */
  runId: string | null;
  /** An ISO 8601 date or a template rendering to one; null: when the task triggers. */
  logicalDate: string | null;
  resetDagRun: boolean;
  skipWhenAlreadyExists: boolean;
  waitForCompletion: boolean;
  /** With waitForCompletion: run states that end the task success / failed, and the longest wait. */
  allowedStates: string[];
  failedStates: string[];
  timeoutMs: number;
}

/** Airflow's trigger rules; the scheduler implements them in core/state. */
/** How a task's priority is computed from its priorityWeight and its neighbours' (Airflow's weight_rule). */
export type WeightRule = 'downstream' | 'upstream' | 'absolute';

export type TriggerRule =
  | 'all_success'
  | 'all_failed'
  | 'all_done'
  | 'all_skipped'
  | 'one_success'
  | 'one_failed'
  | 'one_done'
  | 'none_failed'
  | 'none_failed_min_one_success'
  | 'none_skipped'
  | 'always'
  /** Airflow 3.1's: no upstream skipped, all done, and at least one succeeded (failures allowed). */
  | 'all_done_min_one_success'
  /** Teardown tasks only: all upstream done, and one setup among them succeeded. */
  | 'all_done_setup_success';

/**
 * What a branching task decides (it runs as a function task; the scheduler reads its return value):
 * - `branch`: the id(s) of direct downstream tasks to follow (string, string[] or null); the other
 *   direct downstream tasks are skipped, except those downstream of a followed one (Airflow's rule);
 * - `short_circuit`: a falsy return value skips everything downstream
 *   (`ignoreDownstreamTriggerRules`, Airflow's default) or only the direct downstream tasks, the
 *   rest following their trigger rules.
 */
export type TaskControl =
  | { kind: 'branch' }
  | { kind: 'short_circuit'; ignoreDownstreamTriggerRules: boolean };

export interface SerializedTask {
  taskId: string;
  kind: TaskKind;
  /** bash: the command template (rendered at claim time with the run's context). */
  bashCommand?: string;
  /** Extra environment variables for the task process (templates allowed in values). */
  env?: Record<string, string>;
  /** Task ids this task depends on / that depend on it. */
  upstream: string[];
  downstream: string[];
  /** Retries after the first try (tries allowed = retries + 1). */
  retries: number;
  retryDelayMs: number;
  retryExponentialBackoff: boolean;
  /** Upper bound of the retry delay with exponential backoff; null = none. */
  maxRetryDelayMs: number | null;
  /** Kill the task's process tree after this long; null = no timeout. */
  executionTimeoutMs: number | null;
  queue: string;
  pool: string;
  priorityWeight: number;
  /** Slots of the pool taken while queued or running. Absent = 1. */
  poolSlots?: number;
  /** Most instances of this task queued or running at once across the DAG's runs. Absent = no limit. */
  maxActiveTisPerDag?: number;
  /** Most instances of this task queued or running at once within one run. Absent = no limit. */
  maxActiveTisPerDagrun?: number;
  /** Absent = 'downstream'. */
  weightRule?: WeightRule;
  triggerRule: TriggerRule;
  owner: string;
  /** Per-task overrides of the worker's umask / user / group; null = worker default. */
  umask: string | null;
  runAsUser: string | null;
  runAsGroup: string | null;
  doc: string | null;
  /** A mapped task's template naming each instance (rendered at claim; see TaskArgs.mapIndexTemplate). Absent = none. */
  mapIndexTemplate?: string;
  /** Set for `d.branch` / `d.shortCircuit` (kind 'function'); absent for other tasks. */
  control?: TaskControl;
  /** The innermost task group the task belongs to (see SerializedDag.taskGroups); absent at the top level. */
  groupId?: string;
  /** URIs of the assets a success of this task updates. Absent = none. */
  outlets?: string[];
  /** Names of the asset aliases it adds events through (a function task's `ctx.outletEvents(alias).add(...)`). Absent = none. */
  outletAliases?: string[];
  /** A setup task (`task.asSetup()`): cleared with the work tasks downstream of it. Absent = false. */
  setup?: true;
  /**
   * A teardown task (`task.asTeardown()`, trigger rule all_done_setup_success): its failure fails
   * the run only with `onFailureFailDagrun`. Absent = not a teardown.
   */
  teardown?: { onFailureFailDagrun: boolean };
  /** Set for sensors (`d.sensor`): how the scheduler reschedules, times out or skips it. */
  sensor?: SensorSettings;
  /** Set for `d.triggerDagRun` (kind 'empty'): the run the scheduler starts. */
  triggerDagRun?: TriggerDagRunSettings;
  /** Set for `d.latestOnly` (kind 'empty'): the scheduler skips its direct downstream tasks in a run that is not the latest. */
  latestOnly?: true;
  /**
   * Dynamic task mapping (`task.expand(source)`): one instance per element, map_index 0..n-1,
   * created when the task becomes ready. The source is an upstream task's return value (an array;
   * the values of all instances of a mapped source) or a literal array; or the cross product of
   * named sources (mapping.ts).
   */
  expand?: MapExpansion;
  /**
   * Runs only when this task ended success or skipped in the previous run by logical date
   * (`waitForDownstream`: its direct downstream tasks too). Absent = false.
   */
  dependsOnPast?: boolean;
  waitForDownstream?: boolean;
  /** Events this task has a code callback for (run by the scheduler in an isolated process). Absent = none. */
  callbacks?: TaskCallbackEvent[];
  /** Declarative notifiers per event (delivered through the alert outbox), timezone resolved. Absent = none. */
  alerts?: Partial<Record<TaskCallbackEvent, AlertTarget[]>>;
}

/**
 * A task group (`d.taskGroup`), for drawing and collapsing: the tree is given by `parentId`; each
 * task names its innermost group (SerializedTask.groupId). Groups have no scheduling meaning: their
 * dependencies are the edges between their tasks.
 */
export interface SerializedTaskGroup {
  /** Full id (`outer.inner` when the parent prefixes). */
  groupId: string;
  /** The id as given to taskGroup(). */
  label: string;
  /** The enclosing group, or null at the top level. */
  parentId: string | null;
  prefixGroupId: boolean;
  tooltip: string | null;
  /** Tasks directly in this group and the group's nested groups, in creation order. */
  taskIds: string[];
  childGroupIds: string[];
}

/**
 * A timetable (`timetable` option, see timetables.ts), the scheduler's input:
 * - delta: intervals [startDate + k·everyMs, startDate + (k+1)·everyMs), logical date = interval start;
 * - cronTrigger: a run at each tick of `cron` (the DAG's timezone), logical date = the tick, data
 *   interval ending at the tick: the previous calendar day, or `ms` long ({ ms: 0 }: empty).
 */
export type SerializedTimetable =
  | { kind: 'delta'; everyMs: number }
  | { kind: 'cronTrigger'; cron: string; dataInterval: 'previousDay' | { ms: number } };

/** A DAG's deadline (`deadline` option): runs not ended `afterMs` after `from` fire onDeadlineMiss once. */
export interface DeadlineSettings {
  afterMs: number;
  from: 'queuedAt' | 'logicalDate';
}

export interface SerializedDag {
  schemaVersion: number;
  dagId: string;
  /** Path of the DAG file relative to the DAGs folder. */
  fileloc: string;
  /** sha256 hex of the file's content. */
  fileHash: string;
  /** Cron expression, a preset (@hourly, @daily, @weekly, @monthly, @yearly, @once) or null (manual or asset-driven). */
  schedule: string | null;
  /** Set for a DAG with a `timetable` (then `schedule` is null). Absent = the schedule decides. */
  timetable?: SerializedTimetable;
  /** URIs of the assets the DAG is scheduled on (`schedule: [asset(...)]`, or those a condition names). Absent = none. */
  assetSchedule?: string[];
  /** Set for `schedule: anyOf(...)` / `allOf(...)`: when a run is due. Absent with assetSchedule = every asset. */
  assetCondition?: SerializedAssetCondition;
  /** Names of the asset aliases the condition names (set with assetCondition when it names one). Absent = none. */
  aliasSchedule?: string[];
  /** IANA timezone the schedule is evaluated in. */
  timezone: string;
  /** ISO-8601 instants (UTC); startDate null only for unscheduled DAGs. */
  startDate: string | null;
  endDate: string | null;
  catchup: boolean;
  maxActiveRuns: number;
  /** Most task instances queued or running at once across the DAG's runs. Absent = 16. */
  maxActiveTasks?: number;
  tags: string[];
  owner: string;
  description: string | null;
  /** Default params (available to templates as params.*), JSON values. */
  params: Record<string, unknown>;
  /**
   * The params' names as the DAG file defines them (the database's JSON keeps keys in its own
   * order): the trigger form follows it. Absent with fewer than two params.
   */
  paramOrder?: string[];
  /** What params may hold (`paramSpecs`): checked on every manual run's params. Absent = anything. */
  paramSpecs?: Record<string, ParamSpec>;
  isPausedUponCreation: boolean;
  /** Tasks in topological order. */
  tasks: SerializedTask[];
  /** Task groups in creation order (parents before children); absent when the DAG has none. */
  taskGroups?: SerializedTaskGroup[];
  /** Set when the DAG has a `deadline`. */
  deadline?: DeadlineSettings;
  /** Set when the DAG has a `dagrunTimeout`: a run running longer than this (from its start) fails. */
  dagrunTimeoutMs?: number;
  /** Set when the DAG has `maxConsecutiveFailedDagRuns`: it is paused when that many latest runs failed. */
  maxConsecutiveFailedDagRuns?: number;
  /** Set when the DAG has `failFast`: a task's final failure stops the run's other tasks. */
  failFast?: true;
  /** DAG run events this DAG has a code callback for. Absent = none. */
  callbacks?: DagCallbackEvent[];
  /** Declarative notifiers per DAG run event (the alert outbox), timezone resolved. Absent = none. */
  alerts?: Partial<Record<DagCallbackEvent, AlertTarget[]>>;
}
