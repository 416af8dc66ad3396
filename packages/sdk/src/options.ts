import type { Asset, AssetAlias } from './asset.js';
import type { AssetCondition } from './asset-condition.js';
import type { DeadlineOptions } from './deadline.js';
import type { ParamSpec } from './param-specs.js';
import type { Callbacks } from './callbacks.js';
import type { Duration } from './duration.js';
import type { TriggerRule, WeightRule } from './serialized.js';
import type { Task } from './task.js';
import type { Timetable } from './timetables.js';

/** A JSON value (params, XCom values). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Default params of a DAG: available to templates as `{{ params.x }}` and to function tasks as `ctx.params`. */
export type Params = Record<string, JsonValue>;

export type SchedulePreset = '@hourly' | '@daily' | '@weekly' | '@monthly' | '@yearly' | '@once';
export const SCHEDULE_PRESETS: readonly SchedulePreset[] = ['@hourly', '@daily', '@weekly', '@monthly', '@yearly', '@once'];

/**
 * When runs are created: a cron expression (5 fields, or 6 with seconds) evaluated in the DAG's
 * timezone, a preset, or null/undefined for a DAG that only runs when triggered.
 */
// `string & {}` keeps the presets visible to editors' completion while allowing any cron string.
/**
 * A cron string or preset, a list of assets (a run once each was updated; see asset.ts), a
 * condition over assets (`anyOf(a, allOf(b, c))`, asset-condition.ts), or null (manual only).
 */
export type Schedule = SchedulePreset | (string & {}) | readonly (Asset | AssetAlias)[] | AssetCondition | null;

/**
 * A point in time: a Date (an instant), or an ISO-8601 string. A string with `Z` or an offset is
 * an instant; a string without one (`'2024-01-01'`, `'2024-01-01T06:00'`) is a wall-clock time in
 * the DAG's timezone.
 */
export type DateInput = Date | string;

/** Per-task settings. Every one may also be given DAG-wide in `defaultArgs`. */
export interface TaskSettings {
  /** Retries after the first try. Default 0. */
  retries?: number;
  /** Wait before a retry. Default '5m'. */
  retryDelay?: Duration;
  /** Double the delay after each failed try. Default false. */
  retryExponentialBackoff?: boolean;
  /** Upper bound of the delay with exponential backoff. Default none. */
  maxRetryDelay?: Duration;
  /** Kill the task after this long. Default none. */
  executionTimeout?: Duration;
  /** Queue the task is routed to; workers serve queues. Default 'default'. */
  queue?: string;
  /** Pool limiting concurrency (`updraft pools set`). Default 'default_pool' (128 slots). */
  pool?: string;
  /** Slots of its pool the task takes while queued or running. Default 1. */
  poolSlots?: number;
  /** Most instances of this task queued or running at once, across the DAG's runs. Default none. */
  maxActiveTisPerDag?: number;
  /**
   * Most instances of this task queued or running at once within one run (a mapped task's
   * instances; Airflow's max_active_tis_per_dagrun). Default none.
   */
  maxActiveTisPerDagrun?: number;
  /** Higher runs first when slots are scarce (see weightRule). Default 1. */
  priorityWeight?: number;
  /**
   * How the priority that orders waiting tasks is made (Airflow's weight rules): 'downstream'
   * (default) adds the weights of every task downstream, so tasks that unblock more work go first;
   * 'upstream' adds those upstream (runs finish before new ones start); 'absolute' is the task's
   * own priorityWeight.
   */
  weightRule?: WeightRule;
  /** When the task may run given its upstream states. Default 'all_success'. */
  triggerRule?: TriggerRule;
  /**
   * Run only when this task succeeded or was skipped in the previous run (by logical date) of the
   * DAG; the first run, and a previous run without this task, do not hold it back. Default false.
   */
  dependsOnPast?: boolean;
  /**
   * Also wait until this task's direct downstream tasks succeeded or were skipped in the previous
   * run. Implies dependsOnPast. Default false.
   */
  waitForDownstream?: boolean;
  /**
   * Callbacks (a function or a notifier, or an array of them), run once per event outside the
   * scheduler: when a try starts (onExecute), succeeds (onSuccess), fails with tries left
   * (onRetry), fails for good (onFailure). A callback that throws or hangs is logged; it never
   * changes the task's state. slack(), email() and webhook() are delivered by the scheduler's
   * alert outbox (retried, sent once).
   */
  onExecute?: Callbacks;
  onSuccess?: Callbacks;
  onRetry?: Callbacks;
  onFailure?: Callbacks;
  /** Default: the DAG's owner. */
  owner?: string;
  /** Octal umask of the task process, e.g. '0002'. Default: the worker's. */
  umask?: string;
  /** User (name or uid) the task process runs as. Default: the worker's. */
  runAsUser?: string | number;
  /** Group (name or gid) the task process runs as. Default: the worker's. */
  runAsGroup?: string | number;
}

/** Settings of one task: the shared settings plus a documentation string. */
export interface TaskArgs extends TaskSettings {
  /** Free text shown in the UI. */
  doc?: string;
  /**
   * A mapped task's name for each of its instances, shown instead of the map index (Airflow's
   * map_index_template): a template rendered when the instance's try is claimed, with what bash
   * commands render (`{{ item }}`, `{{ ds }}`, `{{ params.x }}`...), e.g. 'file {{ item }}'. Default none.
   */
  mapIndexTemplate?: string;
  /**
   * Assets this task updates: each success records an event for each (DAGs scheduled on them may
   * run). An assetAlias(...) among them lets a function task name the assets when it runs:
   * `ctx.outletEvents(alias).add(asset(uri))` records an event of that asset on success.
   */
  outlets?: (Asset | AssetAlias)[];
}

/** Options of a bash task. `command` and `env` values are templates (`{{ ds }}`, `{{ params.x }}`...). */
export interface BashTaskOptions extends TaskArgs {
  command: string;
  env?: Record<string, string>;
}

export interface DagOptions<P extends Params = Params> {
  /** Unique id: letters, digits, `_`, `.`, `-`, at most 250 characters. */
  dagId: string;
  /** Default null: runs only when triggered. */
  schedule?: Schedule;
  /**
   * Instead of `schedule` (not both): `timetables.every('6h')` (intervals every 6 hours from
   * startDate) or `timetables.cronTrigger('0 2 * * *', { dataInterval: 'previousDay' })` (a run at
   * 02:00 whose logical date is the trigger time). See timetables.ts.
   */
  timetable?: Timetable;
  /** First logical date; required when `schedule` or `timetable` is set. */
  startDate?: DateInput;
  /** No runs after this. Default none. */
  endDate?: DateInput;
  /** Create the runs of every missed interval since startDate. Default false (only the latest). */
  catchup?: boolean;
  /** IANA timezone of the schedule and of naive dates. Default: `core.default_timezone`. */
  timezone?: string;
  tags?: string[];
  /** Default: defaultArgs.owner, else 'updraft'. */
  owner?: string;
  description?: string;
  /** Most runs of this DAG active at once. Default 16. */
  maxActiveRuns?: number;
  /** Most task instances of this DAG queued or running at once, across its runs. Default 16. */
  maxActiveTasks?: number;
  params?: P;
  /**
   * What each param may hold (Airflow's Param(type=..., enum=..., minimum=...)): the trigger form
   * shows it, and a run whose params break it is refused with the reason. See param-specs.ts.
   */
  paramSpecs?: { [K in keyof P]?: ParamSpec };
  /** Whether a DAG seen for the first time starts paused. Default false. */
  isPausedUponCreation?: boolean;
  /** Defaults for every task of the DAG. */
  defaultArgs?: TaskSettings;
  /** Called once when a run of this DAG ends success / failed (see TaskSettings.onFailure). */
  onDagRunSuccess?: Callbacks;
  onDagRunFailure?: Callbacks;
  /** A run not ended `after` its queued time (or logical date) fires `onMiss` once (see deadline.ts). */
  deadline?: DeadlineOptions;
  /**
   * Airflow's dagrun_timeout: a run still running this long after it started fails: its running
   * tasks fail (their workers kill them), its other unfinished tasks are skipped, and
   * onDagRunFailure fires with the reason. Default none (a run may take as long as it takes).
   */
  dagrunTimeout?: Duration;
  /**
   * Airflow's max_consecutive_failed_dag_runs: when a run fails and the DAG's latest this-many runs
   * (by logical date) all failed, the scheduler pauses the DAG. Default none (never paused for it).
   */
  maxConsecutiveFailedDagRuns?: number;
  /**
   * Airflow's fail_fast (fail_stop before 3.0): when a task fails for good (no tries left), the run
   * stops instead of going on with its other branches: its running tasks fail (their workers kill
   * them) and its tasks not yet run are skipped; the failed task's downstream tasks end
   * upstream_failed, teardown tasks still run, and the run fails. Every task then keeps the
   * default trigger rule all_success (a teardown its all_done_setup_success). Default false.
   */
  failFast?: boolean;
}

/**
 * A connection as a task reads it (`await ctx.connection('slack')`): Airflow's fields, the extra
 * parsed (`extraDejson`) and the connection's URI.
 */
export interface TaskConnection {
  connId: string;
  connType: string;
  description: string | null;
  host: string | null;
  schema: string | null;
  login: string | null;
  password: string | null;
  port: number | null;
  /** The extra as text (usually a JSON object). */
  extra: string | null;
  /** The extra as an object ({} when empty or not an object). */
  extraDejson: Record<string, unknown>;
  /** `type://login:password@host:port/schema?extra`. */
  uri: string;
}

/** Options of `d.shortCircuit()`: the task's settings and how far a false condition skips. */
export interface ShortCircuitOptions extends TaskArgs {
  /**
   * true (default, as in Airflow): a false condition skips every task downstream, whatever its
   * trigger rule. false: only the direct downstream tasks are skipped; the others follow their
   * trigger rules (a join with `none_failed_min_one_success` may still run).
   */
  ignoreDownstreamTriggerRules?: boolean;
}

/** Options of `ctx.variable()`. */
export interface VariableOptions<T> {
  /** Returned when the variable does not exist (instead of throwing). */
  default?: T;
  /** Parse the value as JSON. */
  json?: boolean;
}

/** Options of `ctx.xcom.pull()`. */
export interface XComPullOptions {
  /** The XCom key. Default 'return_value' (what the task returned). */
  key?: string;
  /** One instance of a mapped task. Default: all of them, as an array in map-index order. */
  mapIndex?: number;
}

/**
 * XCom: values the tasks of one DAG run pass to each other, read and written through the
 * scheduler while the task runs. Values are JSON; each is at most `core.max_xcom_size` bytes.
 */
export interface XComAccess {
  /**
   * What `task` returned in this run (null when it stored nothing). Pass the Task object to get
   * its return type: `const rows = await ctx.xcom.pull(extract)` is typed as extract's result.
   */
  pull<T>(task: Task<T>, options?: { key?: undefined; mapIndex?: number }): Promise<T | null>;
  /** A value of a task of this run by task id (`'group.task'` inside groups) and key; null when there is none. */
  pull<T = JsonValue>(task: string | Task<unknown>, options?: XComPullOptions): Promise<T | null>;
  /**
   * Stores `value` under `key` for this task instance (replacing an earlier one). Refused when it
   * is not JSON (the error names the bad field) or larger than `core.max_xcom_size`.
   */
  push(key: string, value: unknown): Promise<void>;
}

/** What a function task receives when it runs (filled in by the worker). */
export interface TaskContext<P extends Params = Params> {
  dagId: string;
  taskId: string;
  runId: string;
  /** Logical date of the run (start of its data interval for scheduled runs). */
  logicalDate: Date;
  dataIntervalStart: Date;
  dataIntervalEnd: Date;
  /** Logical date as YYYY-MM-DD in the DAG's timezone, and as YYYYMMDD. */
  ds: string;
  dsNodash: string;
  /** Logical date as ISO-8601 (UTC), and as YYYYMMDDTHHMMSS. */
  ts: string;
  tsNodash: string;
  /** The data interval and start of the latest earlier successful run of this DAG; null when there is none. */
  prevDataIntervalStartSuccess: Date | null;
  prevDataIntervalEndSuccess: Date | null;
  prevStartDateSuccess: Date | null;
  /** -1 for a task that is not mapped. */
  mapIndex: number;
  /** DAG params merged with the run's conf. */
  params: P;
  /** The conf the run was triggered with. */
  conf: Record<string, unknown>;
  /** 1 for the first try. */
  tryNumber: number;
  /** Writes a line to the task's log. */
  log: (...args: unknown[]) => void;
  /**
   * A connection, read through the scheduler while the task runs (`UPDRAFT_CONN_<ID>` of the
   * scheduler, else the metadata database). Its password and sensitive extra fields are masked as
   * `***` in this task's log. Throws when it is not defined.
   */
  connection(connId: string): Promise<TaskConnection>;
  /**
   * A variable's value (`UPDRAFT_VAR_<KEY>` of the scheduler, else the metadata database). Throws
   * when it does not exist unless a `default` is given; `json: true` parses it. A value whose key
   * is sensitive (e.g. contains `token`) is masked as `***` in this task's log.
   */
  variable(key: string, options?: VariableOptions<string> & { json?: false }): Promise<string>;
  variable<T = JsonValue>(key: string, options: VariableOptions<T> & { json: true }): Promise<T>;
  /** Values of other tasks of this run (`ctx.xcom.pull(task)`), and values to leave for them (`ctx.xcom.push`). */
  xcom: XComAccess;
  /**
   * A run an asset update triggered (a DAG scheduled on assets): the events that triggered it, by
   * asset URI, oldest first (Airflow's triggering_asset_events), e.g. the file an event's `extra`
   * names. `{}` for any other run.
   */
  triggeringAssetEvents: Readonly<Record<string, readonly TriggeringAssetEvent[]>>;
  /**
   * The asset event this task records for one of its outlets when it succeeds (Airflow's
   * outlet_events[asset]): set its `extra` (a JSON object, at most 64 KiB for all outlets) and the
   * runs the event triggers read it in `ctx.triggeringAssetEvents`. Throws for an asset that is not
   * among the task's outlets.
   */
  outletEvents(asset: Asset | string): OutletEvent;
  /**
   * The events this task adds through one of its outlet aliases (Airflow's
   * outlet_events[AssetAlias(...)].add(...)): each asset added gets an event when the task
   * succeeds, and DAGs scheduled on the alias may run. Throws for an alias that is not among the
   * task's outlets.
   */
  outletEvents(alias: AssetAlias): AliasOutletEvents;
}

/** The events a task adds through one of its outlet aliases (`ctx.outletEvents(alias)`). */
export interface AliasOutletEvents {
  /**
   * Records an event of `asset` (an asset or its URI) when the task succeeds, with `extra` (a JSON
   * object; default {}). Adding the same asset again replaces its extra.
   */
  add(asset: Asset | string, extra?: Record<string, unknown>): void;
}

/** The event a task records for one of its outlets (`ctx.outletEvents(asset)`). */
export interface OutletEvent {
  /** Attached to the event (default {}). */
  extra: Record<string, unknown>;
}

/** An asset event that triggered the run (`ctx.triggeringAssetEvents[uri]`). */
export interface TriggeringAssetEvent {
  /** When it was recorded, ISO-8601 (UTC). */
  timestamp: string;
  /** What its producer attached (`POST /api/v1/assets/events` body's extra); {} when nothing. */
  extra: Record<string, unknown>;
  /** The task try that recorded it; null for an event posted through the REST API. */
  sourceDagId: string | null;
  sourceRunId: string | null;
  sourceTaskId: string | null;
  sourceMapIndex: number | null;
  /**
   * The aliases its producer added it through (`ctx.outletEvents(alias).add(asset)`), in name
   * order: a DAG scheduled on an alias tells the events it came for from other updates of the same
   * asset. [] for a declared outlet's event and for one posted through the REST API.
   */
  sourceAliases: string[];
}

/** The context of a mapped function task's instance (`task.expand(source)`): `item` is its element. */
export type MappedTaskContext<I, P extends Params = Params> = TaskContext<P> & {
  /** The element of the mapped-over array this instance handles (`ctx.mapIndex` is its index); undefined when the task is not mapped. */
  item: I;
};

/**
 * A function task: its (awaited) return value is stored as XCom `return_value` and must be a JSON
 * value (plain objects, arrays, strings, finite numbers, booleans, null; a Date is stored as its
 * ISO string); `undefined` stores nothing.
 */
export type TaskFunction<P extends Params = Params, R = unknown> = (ctx: TaskContext<P>) => R;
