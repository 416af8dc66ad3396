/**
 * One runner process: a warm `node runner-child.js` (tsx registered inside) that runs function tasks one at
 * a time over IPC (see runner-protocol.ts). It leads its own process group, so killing the group
 * ends the runner together with everything its task started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { siblingEntry, tsxLoaderUrl, UpdraftError } from '@updraft/core';
import { TRACE_MARKS_ENV, traceMark, traceMarksFolder } from '@updraft/core/trace-marks';
import { identityKey, spawnIdentity, type TaskIdentity } from '../identity.js';
import type { Logger } from '@updraft/core';
import { LineSplitter } from './output.js';
import { terminateGroup } from './process-tree.js';
import type { RequestMessage, ResponseMessage, RunnerToWorker, RunTaskMessage, TaskDoneMessage } from './runner-protocol.js';
import type { TaskRequestHandler } from './task-requests.js';
import { describeExit, type OutputSink, type ProcessEnd, type TaskProcess } from './task-process.js';

const CHILD_SCRIPT = siblingEntry(import.meta.url, 'runner-child');
/** Compiled runner code loads without tsx; the TypeScript sources (tests) need it to start. */
const CHILD_NEEDS_TSX = CHILD_SCRIPT.endsWith('.ts');

export interface RunnerStartOptions {
  identity: TaskIdentity;
  /** Environment the runner starts with (each task replaces it with its own). */
  env: Record<string, string>;
  /** Working directory the runner starts in (each task chdirs to its own). */
  cwd: string;
  /** Absolute path of the SDK to load ahead of time (empty: none). */
  sdkPath: string;
  startTimeoutMs: number;
  logger: Logger;
  /** The runner's first task imported its DAG file, or ended without (see `importing`). */
  onImportEnded?: (runner: RunnerProcess) => void;
}

interface CurrentTask {
  message: RunTaskMessage;
  onOutput: OutputSink;
  onRequest: TaskRequestHandler | undefined;
  markers: number;
  done?: TaskDoneMessage;
  resolve: (end: ProcessEnd) => void;
}

export type RunTaskInput = Omit<RunTaskMessage, 'type' | 'seq' | 'endMarker'>;

let nextRunnerId = 1;

/** How a task ended, from its TaskDoneMessage. */
function endOf(done: TaskDoneMessage): ProcessEnd {
  return {
    exitCode: done.ok ? 0 : 1,
    error: done.ok ? '' : done.error,
    returnValueJson: done.returnValueJson,
    ...(done.ok && done.outcome !== undefined ? { outcome: done.outcome } : {}),
    ...(!done.ok && done.noRetry === true ? { noRetry: true } : {}),
    ...(done.ok && done.outletExtrasJson !== undefined ? { outletExtrasJson: done.outletExtrasJson } : {}),
    ...(done.ok && done.aliasEventsJson !== undefined ? { aliasEventsJson: done.aliasEventsJson } : {}),
  };
}

/** The result after a stdout marker; one that cannot be read fails the task (and retires the runner). */
function parseDone(json: string, seq: number): TaskDoneMessage {
  try {
    const msg = JSON.parse(json) as TaskDoneMessage;
    if (msg?.type === 'done' && typeof msg.seq === 'number') return msg;
  } catch {
    // below
  }
  return { type: 'done', seq, ok: false, returnValueJson: '', error: `the runner ended the task with an unreadable result: ${json.slice(0, 200)}`, dirty: true, runMs: 0 };
}

export class RunnerProcess {
  readonly id = nextRunnerId++;
  readonly identityKey: string;
  readonly ready: Promise<void>;
  /** The DAG file this runner imported (a runner only ever serves one file version). */
  boundModule: string | undefined;
  tasksRun = 0;
  /** How long its last task took in the runner (TaskDoneMessage.runMs); undefined: no task ended yet. */
  lastRunMs: number | undefined;
  /** Its first task is importing the DAG file (from run() until 'imported' or the task's end). */
  importing = false;
  /** The last task left work behind, or escaped its error handling: do not reuse. */
  dirty = false;
  lastUsed = 0;
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private readonly nonce = randomBytes(6).toString('hex');
  private seq = 0;
  private current: CurrentTask | undefined;
  private alive = true;
  private exitDescription = '';

  constructor(private readonly opts: RunnerStartOptions) {
    this.identityKey = identityKey(opts.identity);
    // A worker started with --cpu-prof profiles its runners too when UPDRAFT_PROFILE_RUNNERS=1 (off by
    // default: a profiled runner burns CPU while idle, which skews the profile of everything else).
    const profiling = process.env.UPDRAFT_PROFILE_RUNNERS === '1' ? process.execArgv.filter((a) => a.startsWith('--cpu-prof')) : [];
    // After the SDK path: our pid, which the runner watches (it ends itself if we die), and the
    // tsx loader the runner registers once the SDK is loaded (see runner-child.ts), unless it
    // needed it to start.
    const loader = tsxLoaderUrl();
    const args = CHILD_NEEDS_TSX
      ? [...profiling, '--import', loader, CHILD_SCRIPT, opts.sdkPath, String(process.pid), '']
      : [...profiling, CHILD_SCRIPT, opts.sdkPath, String(process.pid), loader];
    this.child = spawn(process.execPath, args, {
      cwd: opts.cwd,
      // A benchmark's timing marks (off by default) reach the runner, not its tasks (each gets its own environment).
      env: traceMarksFolder === undefined ? opts.env : { ...opts.env, [TRACE_MARKS_ENV]: traceMarksFolder },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      ...spawnIdentity(opts.identity),
    });
    const marker = { text: () => this.current?.message.endMarker, onMarker: (rest: string) => this.markerSeen(rest) };
    const out = new LineSplitter((line) => this.output('stdout', line), marker);
    const err = new LineSplitter((line) => this.output('stderr', line), marker);
    this.child.stdout!.on('data', (chunk: Buffer) => out.push(chunk));
    this.child.stderr!.on('data', (chunk: Buffer) => err.push(chunk));
    this.exited = new Promise<void>((resolve) => {
      const onEnd = (description: string): void => {
        if (!this.alive) return;
        this.alive = false;
        this.exitDescription = description;
        out.flush();
        err.flush();
        this.taskLost();
        resolve();
      };
      this.child.once('exit', (code, signal) => onEnd(describeExit(code, signal)));
      this.child.once('error', (e) => onEnd(`could not start: ${e.message}`));
    });
    this.ready = this.waitReady();
    this.child.on('message', (msg: RunnerToWorker) => {
      if (msg.type === 'request') this.requestReceived(msg);
      else if (msg.type === 'imported') this.importEnded();
    });
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** Resolves when the runner process has ended. */
  get whenExited(): Promise<void> {
    return this.exited;
  }

  get isAlive(): boolean {
    return this.alive;
  }

  get busy(): boolean {
    return this.current !== undefined;
  }

  private waitReady(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        void this.kill();
        reject(new UpdraftError('WORKER_ERROR', `runner process did not start within ${this.opts.startTimeoutMs} ms`));
      }, this.opts.startTimeoutMs);
      this.child.on('message', (msg: RunnerToWorker) => {
        if (msg.type !== 'ready') return;
        clearTimeout(timer);
        resolve();
      });
      void this.exited.then(() => {
        clearTimeout(timer);
        reject(new UpdraftError('WORKER_ERROR', `runner process ${this.exitDescription} before it was ready (uid ${this.opts.identity.uid})`));
      });
    });
  }

  /** Runs one task; the runner must be ready and idle. `onRequest` answers what the task asks for. */
  run(input: RunTaskInput, onOutput: OutputSink, onRequest?: TaskRequestHandler): TaskProcess {
    if (!this.alive || this.current) throw new UpdraftError('WORKER_ERROR', `runner ${this.id} is not available`);
    const message: RunTaskMessage = {
      ...input,
      type: 'run',
      seq: ++this.seq,
      endMarker: `\u001eupdraft-task-end:${this.nonce}:${this.seq}\u001e`,
    };
    this.boundModule = input.modulePath;
    this.importing = this.tasksRun === 0;
    this.lastRunMs = undefined;
    this.tasksRun += 1;
    const done = new Promise<ProcessEnd>((resolve) => {
      this.current = { message, onOutput, onRequest, markers: 0, resolve };
    });
    traceMark('worker.runner', message.context);
    this.child.send(message);
    return {
      pid: this.pid,
      done,
      // A handle outlives its task: once the runner went back to the pool and took another task,
      // killing it would kill that other task.
      terminate: (graceMs) => (this.current?.message.seq === message.seq ? this.kill(graceMs) : Promise.resolve()),
    };
  }

  /** Ends the runner and its whole process group. */
  async kill(graceMs = 2000): Promise<void> {
    this.dirty = true;
    if (this.alive && this.child.pid !== undefined) await terminateGroup(this.child.pid, this.exited, graceMs);
  }

  private output(source: 'stdout' | 'stderr', line: string): void {
    if (this.current) this.current.onOutput(source, line);
    else if (line !== '') this.opts.logger.debug({ runner: this.pid, source, line }, 'output of an idle runner process (dropped)');
  }

  /** A marker line: `rest` is empty on stderr, the task's TaskDoneMessage on stdout. */
  private markerSeen(rest: string): void {
    const task = this.current;
    if (!task) return;
    if (rest !== '') this.doneReceived(parseDone(rest, task.message.seq));
    task.markers += 1;
    this.maybeComplete();
  }

  /** Answers a request of the current task; a request of a task that is over gets no answer. */
  private requestReceived(msg: RequestMessage): void {
    const task = this.current;
    if (!task || msg.seq !== task.message.seq) return;
    const answer = (response: ResponseMessage): void => {
      if (!this.alive || this.current !== task) return;
      try {
        this.child.send(response);
      } catch (err) {
        this.opts.logger.debug({ runner: this.pid, err }, 'could not answer a runner request (it is gone)');
      }
    };
    if (task.onRequest === undefined) {
      answer({ type: 'response', id: msg.id, ok: false, error: `${msg.method} is not available here (the task does not run under a worker)` });
      return;
    }
    task.onRequest(msg.method, msg.params).then(
      (value) => answer({ type: 'response', id: msg.id, ok: true, value }),
      (err: unknown) => answer({
        type: 'response', id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err),
        code: typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : undefined,
      }),
    );
  }

  private importEnded(): void {
    if (!this.importing) return;
    this.importing = false;
    this.opts.onImportEnded?.(this);
  }

  private doneReceived(msg: TaskDoneMessage): void {
    if (!this.current || msg.seq !== this.current.message.seq) return;
    this.importEnded();
    this.lastRunMs = msg.runMs;
    this.current.done = msg;
    this.maybeComplete();
  }

  private maybeComplete(): void {
    const task = this.current;
    if (!task?.done || task.markers < 2) return;
    traceMark('worker.ended', task.message.context);
    this.current = undefined;
    this.lastUsed = Date.now();
    if (task.done.dirty) this.dirty = true;
    task.resolve(endOf(task.done));
  }

  /** The runner died while a task was running: that task ends with how the process ended. */
  private taskLost(): void {
    this.importEnded();
    const task = this.current;
    if (!task) return;
    this.current = undefined;
    if (task.done) {
      task.resolve(endOf(task.done));
      return;
    }
    const code = this.child.exitCode;
    task.resolve({
      exitCode: this.child.signalCode ? -1 : (code ?? -1),
      error: `the task's process ${this.exitDescription} before the task function returned`,
      returnValueJson: '',
    });
  }
}
