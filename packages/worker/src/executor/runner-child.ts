/**
 * Entry point of a runner process (started by runner-process.ts as `node runner-child.js`).
 * It loads the SDK and then tsx ahead of time, then runs function tasks one at a time as the worker
 * sends them over IPC: set umask, working directory and environment for the task, import the DAG
 * file (once per runner), find the task's function through the SDK, call it with the task context,
 * and send back its JSON return value. See runner-protocol.ts for the message flow.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { Worker } from 'node:worker_threads';
import { traceMark } from '@updraft/core/trace-marks';
import { xcomJson } from './json-value.js';
import type { ImportedMessage, RequestMessage, ResponseMessage, RunTaskMessage, TaskDoneMessage, WorkerToRunner } from './runner-protocol.js';

type TaskFn = (ctx: Record<string, unknown>) => unknown;

interface SdkModule {
  getTaskFunction?: (dagId: string, taskId: string) => TaskFn | undefined;
  getTaskOutlets?: (dagId: string, taskId: string) => string[];
  getTaskOutletAliases?: (dagId: string, taskId: string) => string[];
}

const modules = new Map<string, Promise<Record<string, unknown>>>();
let current: RunTaskMessage | undefined;
let finished = false;
let baseline: Map<string, number> = new Map();

function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

/** True when the task left handles (timers, sockets, processes) behind compared to an idle runner. */
function leftWorkBehind(): boolean {
  for (const [type, n] of activeResources()) if (n > (baseline.get(type) ?? 0)) return true;
  return false;
}

function importModule(path: string): Promise<Record<string, unknown>> {
  let loaded = modules.get(path);
  if (!loaded) {
    loaded = import(pathToFileURL(path).href) as Promise<Record<string, unknown>>;
    modules.set(path, loaded);
  }
  return loaded;
}

const sdks = new Map<string, Promise<SdkModule | undefined>>();
/** The same, once resolved (read without waiting by ctx.outletEvents). */
const resolvedSdks = new Map<string, SdkModule | undefined>();

/**
 * The SDK the DAG file itself resolves (so its registry is the one the file registered into), once
 * per file: resolving it asks the file system three times (about 25 µs), and it was asked for
 * every task id a runner met the first time (5,000 of them in a DAG of 5,000 tasks).
 */
function sdkOf(modulePath: string): Promise<SdkModule | undefined> {
  let sdk = sdks.get(modulePath);
  if (sdk === undefined) {
    sdk = (async () => {
      try {
        const module = (await importModule(createRequire(modulePath).resolve('@updraft/sdk'))) as SdkModule;
        resolvedSdks.set(modulePath, module);
        return module;
      } catch {
        return undefined;
      }
    })();
    sdks.set(modulePath, sdk);
  }
  return sdk;
}

interface DagLike {
  dagId: string;
  getTaskOrUndefined(taskId: string): { callable?: TaskFn } | undefined;
}

function isDagLike(value: unknown, dagId: string): value is DagLike {
  const v = value as Partial<DagLike> | null;
  return typeof v === 'object' && v !== null && v.dagId === dagId && typeof v.getTaskOrUndefined === 'function';
}

const functions = new Map<string, TaskFn>();

/** The task's function, looked up once per runner (a runner only ever serves one DAG file version). */
async function findTaskFunction(m: RunTaskMessage): Promise<TaskFn> {
  const key = `${m.modulePath}\0${m.dagId}\0${m.taskId}`;
  let fn = functions.get(key);
  if (!fn) {
    fn = await lookupTaskFunction(m);
    functions.set(key, fn);
  }
  return fn;
}

async function lookupTaskFunction(m: RunTaskMessage): Promise<TaskFn> {
  const mod = await importModule(m.modulePath);
  const sdk = await sdkOf(m.modulePath);
  // The SDK registry holds only this file's DAGs: a runner imports exactly one DAG file.
  let lookupError: unknown;
  try {
    const fn = sdk?.getTaskFunction?.(m.dagId, m.taskId);
    if (typeof fn === 'function') return fn;
  } catch (err) {
    lookupError = err;
  }
  // Without a usable registry: look for the DAG among the file's exports.
  const exported = Object.values(mod).flatMap((v) => (Array.isArray(v) ? v : [v]));
  const dag = exported.find((v): v is DagLike => isDagLike(v, m.dagId));
  const fn = dag?.getTaskOrUndefined(m.taskId)?.callable;
  if (typeof fn === 'function') return fn;
  if (lookupError) throw lookupError;
  throw new Error(`DAG file ${m.modulePath} defines no function task '${m.taskId}' in DAG '${m.dagId}'`);
}

let nextRequestId = 1;
const pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();

/** Asks the worker (see task-requests.ts) on behalf of the running task `m`. */
function request(m: RunTaskMessage, method: string, params: Record<string, unknown>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    if (current !== m) {
      reject(new Error(`ctx.${method}() called after the task ended`));
      return;
    }
    const id = nextRequestId++;
    pending.set(id, { resolve, reject });
    const msg: RequestMessage = { type: 'request', seq: m.seq, id, method, params };
    process.send?.(msg);
  });
}

function responseReceived(msg: ResponseMessage): void {
  const p = pending.get(msg.id);
  if (!p) return;
  pending.delete(msg.id);
  if (msg.ok) p.resolve(msg.value);
  else p.reject(Object.assign(new Error(msg.error ?? 'request failed'), msg.code === undefined ? {} : { code: msg.code }));
}

interface VariableOptions {
  default?: unknown;
  json?: boolean;
}

async function variable(m: RunTaskMessage, key: string, options: VariableOptions = {}): Promise<unknown> {
  let text: string;
  try {
    text = (await request(m, 'variable', { name: key })) as string;
  } catch (err) {
    if ((err as { code?: string }).code === 'VARIABLE_NOT_FOUND' && 'default' in options) return options.default;
    throw err;
  }
  if (!options.json) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`variable '${key}' is not JSON (read it without { json: true })`);
  }
}

/** A task id from `ctx.xcom.pull(task)` (a Task object of the SDK) or `pull('id')`. */
function taskIdOf(task: unknown): string {
  if (typeof task === 'string' && task !== '') return task;
  const id = (task as { taskId?: unknown } | null)?.taskId;
  if (typeof id === 'string') return id;
  throw new Error('ctx.xcom.pull() takes a task or a task id');
}

interface PullOptions {
  key?: string;
  mapIndex?: number;
}

async function xcomPull(m: RunTaskMessage, task: unknown, options: PullOptions = {}): Promise<unknown> {
  const r = (await request(m, 'xcomPull', { taskId: taskIdOf(task), key: options.key ?? '', mapIndex: options.mapIndex ?? null })) as
    { found: boolean; valueJson: string };
  return r.found ? JSON.parse(r.valueJson) as unknown : null;
}

async function xcomPush(m: RunTaskMessage, key: unknown, value: unknown): Promise<void> {
  if (typeof key !== 'string' || key === '') throw new Error('ctx.xcom.push(key, value): key must be a non-empty string');
  const json = xcomJson(value, `ctx.xcom.push('${key}')`, m.maxXcomSize);
  if (json === '') throw new Error(`ctx.xcom.push('${key}'): the value is undefined (push null to store "no value")`);
  await request(m, 'xcomPush', { key, valueJson: json });
}

/** Largest extra of a task's asset events, as JSON (the scheduler refuses more). */
const MAX_OUTLET_EXTRAS = 64 * 1024;
/** What the current task attached to its outlets' events (ctx.outletEvents), by asset URI. */
let outletEvents = new Map<string, { extra: Record<string, unknown> }>();
/** The events the current task added through its outlet aliases, by alias name, then asset URI. */
let aliasEvents = new Map<string, Map<string, Record<string, unknown>>>();

/** Longest asset URI (the SDK's asset() limit). */
const MAX_URI = 1500;

/**
 * ctx.outletEvents(alias): adds events of assets through one of the task's outlet aliases, which
 * the DAG file's SDK names (an SDK without getTaskOutletAliases: no check).
 */
function aliasOutletEvents(m: RunTaskMessage, name: string): { add: (asset: unknown, extra?: unknown) => void } {
  const aliases = resolvedSdks.get(m.modulePath)?.getTaskOutletAliases?.(m.dagId, m.taskId);
  if (aliases !== undefined && !aliases.includes(name)) {
    throw new Error(`ctx.outletEvents(assetAlias('${name}')): not an outlet of task '${m.taskId}' (its aliases: ${aliases.join(', ') || 'none'})`);
  }
  return {
    add: (asset: unknown, extra: unknown = {}) => {
      const uri = typeof asset === 'string' ? asset : (asset as { uri?: unknown } | null)?.uri;
      if (typeof uri !== 'string' || uri === '' || uri.length > MAX_URI || /\s/.test(uri)) {
        throw new Error(`ctx.outletEvents(assetAlias('${name}')).add(): give an asset (or its URI: non-empty, no whitespace, at most ${MAX_URI} characters), got ${format(asset)}`);
      }
      if (extra === null || typeof extra !== 'object' || Array.isArray(extra)) {
        throw new Error(`ctx.outletEvents(assetAlias('${name}')).add('${uri}', extra): extra must be an object, got ${format(extra)}`);
      }
      let events = aliasEvents.get(name);
      if (events === undefined) aliasEvents.set(name, (events = new Map()));
      events.set(uri, extra as Record<string, unknown>);
    },
  };
}

/** The events added through aliases, as JSON ('' when none): [{ alias, uri, extra }]. */
function aliasEventsJson(): string {
  const list = [...aliasEvents].flatMap(([alias, events]) => [...events].map(([uri, extra]) => ({ alias, uri, extra })));
  if (list.length === 0) return '';
  const json = JSON.stringify(list);
  if (json.length > MAX_OUTLET_EXTRAS) throw new Error(`the asset events the task added through aliases are ${json.length} characters of JSON (at most ${MAX_OUTLET_EXTRAS})`);
  return json;
}

/**
 * ctx.outletEvents(asset): the event of one of the task's outlets, which the DAG file's SDK names
 * (looked up only when a task asks; an SDK without getTaskOutlets: no check). With an alias
 * (assetAlias), the events the task adds through it.
 */
function outletEvent(m: RunTaskMessage, asset: unknown): unknown {
  const alias = (asset as { name?: unknown } | null)?.name;
  if (typeof asset === 'object' && asset !== null && (asset as Record<symbol, unknown>)[Symbol.for('updraft.sdk.asset-alias')] === true && typeof alias === 'string') {
    return aliasOutletEvents(m, alias);
  }
  const uri = typeof asset === 'string' ? asset : (asset as { uri?: unknown } | null)?.uri;
  if (typeof uri !== 'string') throw new Error(`ctx.outletEvents(): give an asset (or its URI), got ${format(asset)}`);
  const outlets = resolvedSdks.get(m.modulePath)?.getTaskOutlets?.(m.dagId, m.taskId);
  if (outlets !== undefined && !outlets.includes(uri)) {
    throw new Error(`ctx.outletEvents('${uri}'): not an outlet of task '${m.taskId}' (its outlets: ${outlets.join(', ') || 'none'})`);
  }
  let event = outletEvents.get(uri);
  if (event === undefined) outletEvents.set(uri, (event = { extra: {} }));
  return event;
}

/** The extras the task set, as JSON ('' when none); throws naming the limit when they are too large to report. */
function outletExtrasJson(): string {
  for (const [uri, e] of outletEvents) {
    if (e.extra === null || typeof e.extra !== 'object' || Array.isArray(e.extra)) throw new Error(`ctx.outletEvents('${uri}').extra must be an object`);
  }
  const set = [...outletEvents].filter(([, e]) => Object.keys(e.extra).length > 0);
  if (set.length === 0) return '';
  const json = JSON.stringify(Object.fromEntries(set.map(([uri, e]) => [uri, e.extra])));
  if (json.length > MAX_OUTLET_EXTRAS) throw new Error(`the extra of the task's asset events is ${json.length} characters of JSON (at most ${MAX_OUTLET_EXTRAS})`);
  return json;
}

function taskContext(m: RunTaskMessage): Record<string, unknown> {
  const ctx = m.context;
  return {
    ...ctx,
    logicalDate: new Date(ctx.logicalDate),
    dataIntervalStart: new Date(ctx.dataIntervalStart),
    dataIntervalEnd: new Date(ctx.dataIntervalEnd),
    prevDataIntervalStartSuccess: ctx.prevDataIntervalStartSuccess ? new Date(ctx.prevDataIntervalStartSuccess) : null,
    prevDataIntervalEndSuccess: ctx.prevDataIntervalEndSuccess ? new Date(ctx.prevDataIntervalEndSuccess) : null,
    prevStartDateSuccess: ctx.prevStartDateSuccess ? new Date(ctx.prevStartDateSuccess) : null,
    item: ctx.itemJson ? JSON.parse(ctx.itemJson) as unknown : undefined,
    triggeringAssetEvents: ctx.triggeringAssetEventsJson ? JSON.parse(ctx.triggeringAssetEventsJson) as unknown : {},
    // The SDK's contract: DAG params merged with the run's conf.
    params: { ...ctx.params, ...ctx.conf },
    log: (...args: unknown[]) => {
      process.stdout.write(`${format(...args)}\n`);
    },
    connection: (connId: string) => request(m, 'connection', { name: connId }),
    variable: (key: string, options?: VariableOptions) => variable(m, key, options),
    xcom: {
      pull: (task: unknown, options?: PullOptions) => xcomPull(m, task, options),
      push: (key: unknown, value: unknown) => xcomPush(m, key, value),
    },
    outletEvents: (asset: unknown) => outletEvent(m, asset),
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : `thrown: ${format(err)}`;
}

function finish(m: RunTaskMessage, result: Omit<TaskDoneMessage, 'type' | 'seq' | 'dirty' | 'runMs'>, forceDirty = false): void {
  if (finished || current !== m) return;
  finished = true;
  current = undefined;
  // Requests the task did not wait for are dropped (never settled: a rejection nobody handles
  // would end the runner).
  pending.clear();
  const done: TaskDoneMessage = { type: 'done', seq: m.seq, ...result, dirty: forceDirty || leftWorkBehind(), runMs: performance.now() - taskBegan };
  // Two writes, and the worker reads two pipes: the result rides on stdout's marker line.
  process.stderr.write(`${m.endMarker}\n`);
  process.stdout.write(`${m.endMarker}${JSON.stringify(done)}\n`);
}

function fail(m: RunTaskMessage, err: unknown, forceDirty = false): void {
  process.stderr.write(`${err instanceof Error && err.stack ? err.stack : format(err)}\n`);
  // A failure another try cannot change (the SDK's poke-mode sensor timeout): no retry.
  const noRetry = (err as { updraftNoRetry?: unknown } | null)?.updraftNoRetry === true;
  finish(m, { ok: false, returnValueJson: '', error: errorText(err), ...(noRetry ? { noRetry } : {}) }, forceDirty);
}

/** The DAG file is imported (by this runner's first task). */
let moduleImported = false;
/** When the current task began, or its import of the DAG file ended (see TaskDoneMessage.runMs). */
let taskBegan = 0;

async function run(m: RunTaskMessage): Promise<void> {
  traceMark('task.start', m.context);
  current = m;
  finished = false;
  taskBegan = performance.now();
  try {
    process.umask(m.umask);
    process.chdir(m.cwd);
    // Only what differs from the previous task's environment is changed (each change is a setenv).
    for (const key of Object.keys(process.env)) if (!Object.hasOwn(m.env, key)) delete process.env[key];
    for (const [key, value] of Object.entries(m.env)) if (process.env[key] !== value) process.env[key] = value;
    const fn = await findTaskFunction(m);
    if (!moduleImported) {
      // The worker's pool lets tasks of this file wait for this runner while it imports (see runner-pool.ts).
      moduleImported = true;
      taskBegan = performance.now();
      process.send?.({ type: 'imported', seq: m.seq } satisfies ImportedMessage);
    }
    traceMark('task.call', m.context);
    outletEvents = new Map();
    aliasEvents = new Map();
    const value: unknown = await fn(taskContext(m));
    traceMark('task.return', m.context);
    const extras = outletEvents.size === 0 ? '' : outletExtrasJson();
    const viaAliases = aliasEvents.size === 0 ? '' : aliasEventsJson();
    finish(m, {
      ok: true, returnValueJson: xcomJson(value, "the task's return value", m.maxXcomSize), error: '',
      ...(extras === '' ? {} : { outletExtrasJson: extras }), ...(viaAliases === '' ? {} : { aliasEventsJson: viaAliases }),
    });
  } catch (err) {
    // A task that skipped itself, or a sensor whose poke was false (the SDK's TaskSkipped, SensorNotReady).
    const outcome = (err as { updraftOutcome?: unknown } | null)?.updraftOutcome;
    if (outcome === 'skipped' || outcome === 'reschedule') {
      if (outcome === 'skipped') process.stdout.write(`${errorText(err)}\n`);
      finish(m, { ok: true, returnValueJson: '', error: '', outcome });
    } else {
      fail(m, err);
    }
  }
}

// Errors escaping the task (a rejected promise nobody awaited, a throw in a timer) fail the task;
// the runner is then retired (dirty) because its state is unknown.
function onEscaped(err: unknown): void {
  if (current) fail(current, err, true);
  else {
    // Between tasks: nothing to fail; say what it was (the worker logs the runner's stderr) and leave.
    process.stderr.write(`runner: uncaught between tasks: ${err instanceof Error && err.stack ? err.stack : format(err)}\n`);
    process.exit(70);
  }
}
process.on('uncaughtException', onEscaped);
process.on('unhandledRejection', onEscaped);

process.on('message', (msg: WorkerToRunner) => {
  if (msg?.type === 'run' && !current) void run(msg);
  else if (msg?.type === 'response') responseReceived(msg);
});

// Killed (timeout, fencing, shutdown): exit at once, as without a handler, but through exit hooks.
process.on('SIGTERM', () => process.exit(143));

// A task stuck in a synchronous loop keeps 'disconnect' below from being seen: a thread watches the
// worker's pid instead and ends the runner's process group once the runner was re-parented.
const watchdog = new Worker(
  `const { workerData } = require('node:worker_threads');
   setInterval(() => { if (process.ppid !== workerData.ppid) process.kill(-workerData.pid, 'SIGKILL'); }, 1000);`,
  { eval: true, workerData: { ppid: Number(process.argv[3]) || process.ppid, pid: process.pid } });
watchdog.unref();
// A watchdog that cannot start or fails (resources) must not end the runner: 'disconnect' still works.
watchdog.on('error', (err) => process.stderr.write(`runner: orphan watchdog stopped: ${errorText(err)}\n`));

// The worker is gone (crash, kill -9): end this runner and everything its task started.
process.on('disconnect', () => {
  try {
    process.kill(-process.pid, 'SIGKILL');
  } finally {
    process.exit(137);
  }
});

async function warm(): Promise<void> {
  const sdkPath = process.argv[2];
  if (sdkPath) await importModule(sdkPath).catch(() => undefined);
  // tsx (TypeScript DAG files) is registered after the SDK: imports that go through its hooks
  // cost a round trip to the hooks thread each, and the SDK's compiled modules need none (a DAG
  // file's import of the SDK then finds it loaded). Saves about a tenth of a runner's start.
  const tsxLoader = process.argv[4];
  if (tsxLoader) await import(tsxLoader);
  baseline = activeResources();
  process.send?.({ type: 'ready' });
}

void warm();
