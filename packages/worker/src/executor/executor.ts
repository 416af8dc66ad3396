/**
 * The task executor: runs one task try (bash, function or empty) with its umask, identity, clean
 * environment, working directory and execution timeout, writing its log file (header, timestamped
 * output, footer). Transport-free: the worker and `runTaskLocally` both use it.
 *
 * Every task gets its own empty working directory (a temp dir owned by the run-as user, as
 * Airflow's BashOperator does; see work-dirs.ts) and its own process group; a timeout or a kill
 * ends the whole group: SIGTERM, then SIGKILL after `killGraceMs`.
 */
import { hostname, tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { assertCanSwitchTo, formatUmask, parseUmask, resolveIdentity, type TaskIdentity } from '../identity.js';
import { silentLogger, type Logger } from '@updraft/core';
import { formatDuration, TaskLogWriter } from '../logs.js';
import { buildTaskEnv } from '../task-env.js';
import { spawnBash } from './bash.js';
import { startFunctionTask } from './function-runner.js';
import type { RunnerPool } from './runner-pool.js';
import { SecretsMasker } from './secrets-masker.js';
import type { OutputSink, ProcessEnd, TaskProcess } from './task-process.js';
import { longTimeout } from './long-timeout.js';
import { taskRequestHandler } from './task-requests.js';
import { WorkDirs } from './work-dirs.js';
import type { ExecutionRequest, ExecutionResult, RunningExecution } from './types.js';

const HOST = hostname();

export interface TaskExecutorOptions {
  /** Runner processes for function tasks. */
  pool: RunnerPool;
  /** Default umask of task processes (a per-task `umask` overrides it). Default 0o022. */
  umask?: number;
  /** Default identity of task processes. Default: the worker's own user and group. */
  identity?: TaskIdentity;
  /** Between SIGTERM and SIGKILL when a task is killed. Default 5000 ms. */
  killGraceMs?: number;
  /** Named in every log header. Default: the host name. */
  workerName?: string;
  /** Where per-task working directories are created. Default: the OS temp dir. */
  workRoot?: string;
  /**
   * Fail tasks that would run as root (uid 0), with the reason in their log: a worker's
   * `worker.allow_root_tasks = false`. Default false (the executor itself allows what it is given).
   */
  refuseRootTasks?: boolean;
  logger?: Logger;
}

/** Why a task that would run as root did not run (written to its log). */
export const ROOT_TASK_REFUSED =
  'refusing to run this task as root: the worker runs as root and worker.allow_root_tasks is false. ' +
  'Set worker.run_as_user (or the task\'s runAsUser, or a queue override) to an unprivileged user, ' +
  'or set worker.allow_root_tasks = true to allow it';

export class TaskExecutor {
  private readonly pool: RunnerPool;
  private readonly umask: number;
  private readonly identity: TaskIdentity;
  private readonly killGraceMs: number;
  private readonly workerName: string;
  private readonly logger: Logger;
  private readonly identities = new Map<string, TaskIdentity>();
  private readonly workDirs: WorkDirs;
  private readonly refuseRootTasks: boolean;

  constructor(opts: TaskExecutorOptions) {
    this.refuseRootTasks = opts.refuseRootTasks ?? false;
    this.pool = opts.pool;
    this.umask = opts.umask ?? 0o022;
    this.identity = opts.identity ?? resolveIdentity({});
    this.killGraceMs = opts.killGraceMs ?? 5000;
    this.workerName = opts.workerName ?? hostname();
    this.logger = opts.logger ?? silentLogger;
    this.workDirs = new WorkDirs(opts.workRoot ?? tmpdir(), this.logger);
  }

  /** Resolves when the working directories of ended tasks are removed. */
  settled(): Promise<void> {
    return this.workDirs.settled();
  }

  /** Removes the working-directory folder (call after the last task ended). */
  close(): Promise<void> {
    return this.workDirs.close();
  }

  /** Starts a task; the returned `result` resolves when it ended and its log is closed. */
  start(req: ExecutionRequest): RunningExecution {
    const state: { pid: number; proc?: TaskProcess; killReason?: string; timedOut: boolean } = { pid: 0, timedOut: false };
    const result = this.execute(req, state);
    return {
      result,
      get pid() {
        return state.pid;
      },
      kill: (reason: string) => {
        if (state.killReason !== undefined) return;
        state.killReason = reason;
        if (state.proc) void state.proc.terminate(this.killGraceMs);
      },
    };
  }

  /** Identity and umask of one task: the executor's defaults unless the spec overrides them. */
  private taskIdentity(runAsUser: string | undefined, runAsGroup: string | undefined): TaskIdentity {
    if (!runAsUser && !runAsGroup) return this.identity;
    const key = `${runAsUser ?? ''}|${runAsGroup ?? ''}`;
    let identity = this.identities.get(key);
    if (!identity) {
      // A group-only override keeps the default user.
      identity = resolveIdentity({ runAsUser: runAsUser || String(this.identity.uid), runAsGroup }, 'task');
      assertCanSwitchTo(identity, 'task');
      this.identities.set(key, identity);
    }
    return identity;
  }

  private async execute(
    req: ExecutionRequest,
    state: { pid: number; proc?: TaskProcess; killReason?: string; timedOut: boolean },
  ): Promise<ExecutionResult> {
    const t0 = performance.now();
    const { spec, context: ctx } = req;
    let log: TaskLogWriter | undefined;
    const masker = req.masker ?? new SecretsMasker();
    const note = (lines: string[]): void => {
      for (const l of log?.notes(lines) ?? lines.map((x) => masker.redact(x))) req.onLine?.(l);
    };
    const onOutput: OutputSink = (source, line) => {
      const written = log ? log.line(source, line) : masker.redact(line);
      req.onLine?.(written);
    };
    let end: ProcessEnd = { exitCode: -1, error: '', returnValueJson: '' };
    let workDir: string | undefined;
    let identity: TaskIdentity | undefined;
    let cancelTimeout: (() => void) | undefined;
    try {
      log = await TaskLogWriter.open(req.logFile, (text) => masker.redact(text), req.logSink);
      identity = this.taskIdentity(spec.runAsUser, spec.runAsGroup);
      const umask = spec.umask ? parseUmask(spec.umask, 'task umask') : this.umask;
      note(this.header(req, identity, umask));
      if (this.refuseRootTasks && identity.uid === 0 && spec.kind !== 'empty') {
        note([ROOT_TASK_REFUSED]);
        throw new Error(ROOT_TASK_REFUSED);
      }
      if (spec.kind === 'empty') {
        req.onStart?.(0);
        end = { exitCode: 0, error: '', returnValueJson: '' };
      } else {
        workDir = await this.workDirs.take(identity);
        const env = buildTaskEnv(identity, ctx, spec.env);
        state.proc = await this.spawn(req, masker, { env, cwd: workDir, identity, umask, onOutput });
        state.pid = state.proc.pid;
        req.onStart?.(state.pid);
        const timeoutMs = spec.executionTimeoutMs ?? 0;
        if (timeoutMs > 0) {
          // Limits past a Node timer's range (24.8 days) included.
          cancelTimeout = longTimeout(() => {
            state.timedOut = true;
            void state.proc?.terminate(this.killGraceMs);
          }, timeoutMs);
        }
        // Killed while the process was starting.
        if (state.killReason !== undefined) void state.proc.terminate(this.killGraceMs);
        end = await state.proc.done;
      }
    } catch (err) {
      end = { exitCode: -1, error: err instanceof Error ? err.message : String(err), returnValueJson: '' };
    } finally {
      cancelTimeout?.();
      if (workDir && identity) this.workDirs.release(workDir, identity);
    }
    const result = this.outcome(req, end, state, performance.now() - t0);
    note(this.footer(result));
    if (log) {
      await log.close().catch((err: unknown) => {
        this.logger.error({ err, file: req.logFile }, 'task log could not be written');
      });
    }
    return result;
  }

  private spawn(
    req: ExecutionRequest,
    masker: SecretsMasker,
    opts: { env: Record<string, string>; cwd: string; identity: TaskIdentity; umask: number; onOutput: OutputSink },
  ): Promise<TaskProcess> | TaskProcess {
    const { spec } = req;
    if (spec.kind === 'bash') {
      if (!spec.bashCommand) throw new Error('bash task without a command');
      return spawnBash({ command: spec.bashCommand, ...opts });
    }
    if (!spec.dagFilePath) throw new Error('function task without a DAG file');
    return startFunctionTask(this.pool, {
      modulePath: spec.dagFilePath, context: req.context, maxXcomSize: spec.maxXcomSize ?? 0,
      onRequest: taskRequestHandler({ secrets: req.secrets, xcom: req.xcom }, masker), ...opts,
    });
  }

  private outcome(
    req: ExecutionRequest,
    end: ProcessEnd,
    state: { killReason?: string; timedOut: boolean },
    durationMs: number,
  ): ExecutionResult {
    const base = { durationMs, returnValueJson: '', timedOut: state.timedOut };
    if (state.timedOut) {
      const limit = formatDuration(req.spec.executionTimeoutMs ?? 0);
      return { ...base, outcome: 'failed', exitCode: -1, error: `execution timeout: the task ran longer than ${limit} and was killed` };
    }
    if (state.killReason !== undefined) {
      return { ...base, outcome: 'failed', exitCode: -1, error: `killed: ${state.killReason}`, killedReason: state.killReason };
    }
    if (end.exitCode !== 0 || end.error !== '') {
      return {
        ...base, outcome: 'failed', exitCode: end.exitCode, error: end.error || `exited with code ${end.exitCode}`,
        ...(end.noRetry === true ? { noRetry: true } : {}),
      };
    }
    if (end.outcome !== undefined) return { ...base, outcome: end.outcome, exitCode: 0, error: '' };
    return {
      ...base, outcome: 'success', exitCode: 0, error: '', returnValueJson: end.returnValueJson,
      ...(end.outletExtrasJson === undefined ? {} : { outletExtrasJson: end.outletExtrasJson }),
      ...(end.aliasEventsJson === undefined ? {} : { aliasEventsJson: end.aliasEventsJson }),
    };
  }

  private header(req: ExecutionRequest, identity: TaskIdentity, umask: number): string[] {
    const { spec, context: c } = req;
    const mapped = c.mapIndex >= 0 ? ` map_index=${c.mapIndex}` : '';
    const lines = [
      `task ${c.dagId}.${c.taskId}${mapped} run=${c.runId} try=${c.tryNumber}`,
      `worker=${this.workerName} host=${HOST} pid=${process.pid}`,
      `as uid=${identity.uid} gid=${identity.gid} (${identity.user}) umask=${formatUmask(umask)}` +
        (spec.executionTimeoutMs ? ` execution_timeout=${formatDuration(spec.executionTimeoutMs)}` : ''),
    ];
    if (spec.kind === 'bash') lines.push(...(spec.bashCommand ?? '').split('\n').map((l, i) => `${i === 0 ? 'command: ' : '         '}${l}`));
    else if (spec.kind === 'function') lines.push(`function: task '${c.taskId}' of ${spec.dagFilePath ?? '?'}`);
    else lines.push('empty task: nothing to run');
    return lines;
  }

  private footer(r: ExecutionResult): string[] {
    const verb = { success: 'succeeded', failed: 'failed', skipped: 'skipped itself', reschedule: 'poked: not yet, to be rescheduled' }[r.outcome];
    const lines = [`task ${verb} (exit code ${r.exitCode}) after ${formatDuration(r.durationMs)}`];
    if (r.error) lines.push(`reason: ${r.error}`);
    if (r.returnValueJson) {
      const shown = r.returnValueJson.length > 500 ? `${r.returnValueJson.slice(0, 500)}...` : r.returnValueJson;
      lines.push(`return value: ${shown}`);
    }
    return lines;
  }
}
