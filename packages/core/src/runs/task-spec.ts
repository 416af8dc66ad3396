/**
 * The one builder of a runnable task: what a claimed attempt runs (the scheduler answers a claim
 * with it) and what `updraft tasks test` / `dags test` run locally. Templates (bash command, env
 * values) are rendered against the run here and only here, with the same checks everywhere.
 */
import { formatDs, type SerializedDag, type SerializedTask, type TaskKind } from '@updraft/sdk';
import { UpdraftError } from '../errors.js';
import { maskValues } from '../secrets/sensitive.js';
import type { TemplateSecrets } from '../secrets/templates.js';
import type { TriggeringAssetEvent } from '../sql/assets.js';
import { xcomPullFunction } from './template-xcom.js';
import { renderTaskTemplate, taskTemplateValues, tsNodash, type PreviousSuccess } from './templates.js';

/** What to run, templates rendered. Empty strings / 0 mean "not set" (the executor's defaults). */
export interface TaskSpec {
  kind: TaskKind;
  /** bash tasks: the rendered command; '' otherwise. */
  bashCommand: string;
  /** Extra environment of the task process, rendered. */
  env: Record<string, string>;
  /**
   * The DAG file the task is defined in (function tasks import it), by path and content hash, and
   * the bundle version of the run ('' = none recorded): the file then runs from inside that version.
   */
  dagFile: { fileloc: string; fileHash: string; bundleVersion?: string };
  /** 0 = no timeout. */
  executionTimeoutMs: number;
  umask: string;
  runAsUser: string;
  runAsGroup: string;
  maxTries: number;
  /** Largest XCom value (JSON, UTF-8 bytes) the scheduler stores; 0 = the protocol limit. */
  maxXcomSize: number;
}

/** The run-time context of one task try (instants as ISO-8601 strings). */
export interface TaskRunContext {
  dagId: string;
  taskId: string;
  runId: string;
  /** -1 for an unmapped task. */
  mapIndex: number;
  /** 1 for the first try. */
  tryNumber: number;
  logicalDate: string;
  dataIntervalStart: string;
  dataIntervalEnd: string;
  /** YYYY-MM-DD / YYYYMMDD of the logical date in the DAG's timezone, and the ISO timestamp. */
  ds: string;
  dsNodash: string;
  ts: string;
  /** YYYYMMDDTHHMMSS (UTC). */
  tsNodash: string;
  /** Of the latest earlier successful run of the DAG (ISO-8601), '' when there is none. */
  prevDataIntervalStartSuccess: string;
  prevDataIntervalEndSuccess: string;
  prevStartDateSuccess: string;
  /** A mapped instance's element (JSON text); '' for an unmapped task. */
  itemJson: string;
  /** An asset-triggered run: the events that triggered it by asset URI (JSON text); '' or absent for any other run. */
  triggeringAssetEventsJson?: string;
  conf: Record<string, unknown>;
  /** The DAG's params overridden by the run's conf. */
  params: Record<string, unknown>;
  timezone: string;
}

export interface RunnableTask {
  spec: TaskSpec;
  context: TaskRunContext;
  /** Secret values the templates rendered into the spec: the worker masks them in the task's log. */
  mask: string[];
  /** A mapped instance's name from its task's mapIndexTemplate (at most 250 characters, secrets masked); absent without one. */
  renderedMapIndex?: string;
}

/** Longest name a mapIndexTemplate gives an instance (Airflow's rendered_map_index column). */
const MAX_RENDERED_MAP_INDEX = 250;

export interface RunnableTaskInput {
  dag: SerializedDag;
  taskId: string;
  run: {
    runId: string;
    logicalDate: Date;
    dataIntervalStart: Date;
    dataIntervalEnd: Date;
    conf: Record<string, unknown>;
    /** The latest earlier successful run of the DAG (prev_*_success); default none. */
    previousSuccess?: PreviousSuccess | null;
    /** An asset-triggered run's triggering events by asset URI (`ctx.triggeringAssetEvents`, `{{ triggering_asset_events }}`); default none. */
    triggeringAssetEvents?: Readonly<Record<string, readonly TriggeringAssetEvent[]>> | null;
  };
  /** Default -1. */
  mapIndex?: number;
  tryNumber: number;
  maxTries: number;
  /** `conn.*` and `var.*` for the templates (see ../secrets/templates.ts); without it they are unknown names. */
  secrets?: TemplateSecrets;
  /** The XCom values the templates read (see templateXComRefs), JSON text by xcomRefText. Default none. */
  xcom?: ReadonlyMap<string, string | null>;
  /** core.max_xcom_size in bytes. Default 0 (the protocol limit). */
  maxXcomSize?: number;
  /** A mapped instance's element as JSON text (`ctx.item`, `{{ item }}`). Default none. */
  itemJson?: string | null;
  /** The DAG bundle version the run started with. Default none (the DAG file alone). */
  bundleVersion?: string | null;
}

/** The templates of a task (bash command, env values, mapIndexTemplate): what templateSecretRefs scans. */
export function taskTemplatesOf(task: SerializedTask): string[] {
  return [...(task.bashCommand === undefined ? [] : [task.bashCommand]), ...Object.values(task.env ?? {}),
    ...(task.mapIndexTemplate === undefined ? [] : [task.mapIndexTemplate])];
}

/** The task of `dag` named `taskId`, or TASK_NOT_FOUND listing the DAG's tasks. */
export function findTask(dag: SerializedDag, taskId: string): SerializedTask {
  const task = dag.tasks.find((t) => t.taskId === taskId);
  if (task === undefined) {
    throw new UpdraftError('TASK_NOT_FOUND', `DAG '${dag.dagId}' has no task '${taskId}' (tasks: ${dag.tasks.map((t) => t.taskId).join(', ')})`);
  }
  return task;
}

/**
 * The spec and context of one try of a task. Errors: TASK_NOT_FOUND; INVALID_ARGUMENT naming the
 * task and template when a template does not render, or a bash task has no command.
 */
export function buildRunnableTask(input: RunnableTaskInput, task: SerializedTask = findTask(input.dag, input.taskId)): RunnableTask {
  const { dag, run } = input;
  const params = { ...dag.params, ...run.conf };
  const where = `DAG '${dag.dagId}' task '${task.taskId}'`;
  const envTemplates = Object.entries(task.env ?? {});
  // The template values (dates formatted, macros, ti.xcom_pull...) only for a task with templates:
  // a function task without env gets its context straight from the run (the hot path of wide runs).
  let values: Record<string, unknown> | undefined;
  const named = task.mapIndexTemplate !== undefined && (input.mapIndex ?? -1) >= 0;
  if (task.kind === 'bash' || envTemplates.length > 0 || named) {
    values = taskTemplateValues({
      dagId: dag.dagId, taskId: task.taskId, runId: run.runId, logicalDate: run.logicalDate,
      dataIntervalStart: run.dataIntervalStart, dataIntervalEnd: run.dataIntervalEnd, timezone: dag.timezone,
      tryNumber: input.tryNumber, params, conf: run.conf,
    }, run.previousSuccess ?? null);
    if (input.itemJson !== undefined && input.itemJson !== null) values.item = JSON.parse(input.itemJson) as unknown;
    // Airflow's names in templates: {{ triggering_asset_events['s3://b/k'][0].extra.file }}.
    values.triggering_asset_events = Object.fromEntries(Object.entries(run.triggeringAssetEvents ?? {}).map(([uri, events]) => [uri, events.map((e) => ({
      uri, timestamp: e.timestamp, extra: e.extra, source_dag_id: e.sourceDagId, source_run_id: e.sourceRunId,
      source_task_id: e.sourceTaskId, source_map_index: e.sourceMapIndex, source_aliases: e.sourceAliases,
    }))]));
    values.ti = {
      dag_id: dag.dagId, task_id: task.taskId, run_id: run.runId, try_number: input.tryNumber, map_index: input.mapIndex ?? -1,
      xcom_pull: xcomPullFunction(input.xcom ?? new Map()),
    };
    if (input.secrets !== undefined) {
      values.conn = input.secrets.conn;
      values.var = input.secrets.var;
    }
  }
  let bashCommand = '';
  if (task.kind === 'bash') {
    if (typeof task.bashCommand !== 'string' || task.bashCommand.trim() === '') {
      throw new UpdraftError('INVALID_ARGUMENT', `${where}: bash task without a command`);
    }
    bashCommand = renderTaskTemplate(task.bashCommand, values!, `${where} bash_command`);
  }
  const env: Record<string, string> = {};
  for (const [name, value] of envTemplates) env[name] = renderTaskTemplate(value, values!, `${where} env ${name}`);
  const ds = values === undefined ? formatDs(run.logicalDate, dag.timezone) : String(values.ds);
  const mask = input.secrets?.mask ?? [];
  let renderedMapIndex: string | undefined;
  if (named) {
    // A name is shown to everyone who can see the run: no secret in it.
    renderedMapIndex = maskValues(renderTaskTemplate(task.mapIndexTemplate!, values!, `${where} mapIndexTemplate`), mask).slice(0, MAX_RENDERED_MAP_INDEX);
  }
  return {
    spec: {
      kind: task.kind,
      bashCommand,
      env,
      dagFile: { fileloc: dag.fileloc, fileHash: dag.fileHash, bundleVersion: input.bundleVersion ?? '' },
      executionTimeoutMs: task.executionTimeoutMs ?? 0,
      umask: task.umask ?? '',
      runAsUser: task.runAsUser ?? '',
      runAsGroup: task.runAsGroup ?? '',
      maxTries: input.maxTries,
      maxXcomSize: input.maxXcomSize ?? 0,
    },
    context: {
      dagId: dag.dagId,
      taskId: task.taskId,
      runId: run.runId,
      mapIndex: input.mapIndex ?? -1,
      tryNumber: input.tryNumber,
      logicalDate: run.logicalDate.toISOString(),
      dataIntervalStart: run.dataIntervalStart.toISOString(),
      dataIntervalEnd: run.dataIntervalEnd.toISOString(),
      ds,
      dsNodash: ds.replaceAll('-', ''),
      ts: run.logicalDate.toISOString(),
      tsNodash: tsNodash(run.logicalDate),
      prevDataIntervalStartSuccess: run.previousSuccess?.dataIntervalStart.toISOString() ?? '',
      prevDataIntervalEndSuccess: run.previousSuccess?.dataIntervalEnd.toISOString() ?? '',
      prevStartDateSuccess: run.previousSuccess?.startDate?.toISOString() ?? '',
      itemJson: input.itemJson ?? '',
      triggeringAssetEventsJson: run.triggeringAssetEvents === undefined || run.triggeringAssetEvents === null ? '' : JSON.stringify(run.triggeringAssetEvents),
      conf: run.conf,
      params,
      timezone: dag.timezone,
    },
    mask,
    ...(renderedMapIndex === undefined ? {} : { renderedMapIndex }),
  };
}
