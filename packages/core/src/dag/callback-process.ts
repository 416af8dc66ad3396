/**
 * Runs DAG callbacks outside the caller's process: one long-lived child (callback-child under
 * tsx) imports the DAG file and runs the callback. A callback that does not end within the timeout
 * gets the child killed (a new one starts for the next request); a crash ends only that request.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { CallbackContext, CallbackEvent } from '@updraft/sdk';
import { sdkNodeModulesDir, siblingEntry, tsxLoaderUrl } from './module-loading.js';

const ENTRY = siblingEntry(import.meta.url, 'callback-child');
const STARTUP_TIMEOUT_MS = 60_000;
const STDERR_TAIL = 2000;
const OUTPUT_LIMIT = 4000;

export interface CallbackRequestMessage {
  type: 'run';
  id: number;
  /** Absolute path of the DAG file. */
  path: string;
  dagId: string;
  /** null: a DAG run callback. */
  taskId: string | null;
  event: CallbackEvent;
  context: CallbackContext;
}

export interface CallbackResultMessage {
  type: 'result';
  id: number;
  /** null when the callback returned; else what it threw. */
  error: string | null;
}

export interface CallbackRun {
  path: string;
  dagId: string;
  taskId: string | null;
  event: CallbackEvent;
  context: CallbackContext;
}

/** One isolated process running callbacks one at a time (never in the caller's own process). */
export class CallbackProcess {
  private child: ChildProcess | undefined;
  private ready: Promise<boolean> | undefined;
  private stderrTail = '';
  /** What the current callback printed (stdout and stderr), at most OUTPUT_LIMIT characters. */
  private output = '';
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly timeoutMs: number) {}

  /**
   * Runs one callback (requests run one after another). Resolves with its error (null when it
   * returned) and what it printed. Never rejects.
   */
  run(r: CallbackRun): Promise<{ error: string | null; output: string }> {
    const result = this.queue.then(async () => {
      this.output = '';
      const error = await this.runNow(r);
      return { error, output: this.output };
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Kills the process now (a callback in progress resolves with the error); the next run starts a new one. */
  kill(): void {
    this.stop();
  }

  private async runNow(r: CallbackRun): Promise<string | null> {
    const child = await this.start();
    if (child === undefined) return `the callback process did not start${this.stderrTail ? `: ${this.stderrTail.trim()}` : ''}`;
    const id = this.nextId++;
    return new Promise<string | null>((resolve) => {
      const done = (error: string | null): void => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(error);
      };
      const onMessage = (m: CallbackResultMessage): void => {
        if (m?.type === 'result' && m.id === id) done(m.error);
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
        this.child = undefined;
        done(`the callback process ended (${signal ?? `exit code ${String(code)}`})${this.stderrTail ? `: ${this.stderrTail.trim().slice(-500)}` : ''}`);
      };
      const timer = setTimeout(() => {
        this.stop();
        done(`timed out after ${this.timeoutMs} ms (the callback process was killed)`);
      }, this.timeoutMs);
      child.on('message', onMessage);
      child.once('exit', onExit);
      const message: CallbackRequestMessage = { type: 'run', id, ...r };
      child.send(message);
    });
  }

  private async start(): Promise<ChildProcess | undefined> {
    if (this.child !== undefined && this.ready !== undefined) return (await this.ready) ? this.child : undefined;
    const nodePath = [sdkNodeModulesDir(), process.env.NODE_PATH].filter((p) => p !== undefined && p !== '').join(':');
    this.stderrTail = '';
    // Its first argument: our pid, which it watches (orphan-watchdog.ts).
    const child = fork(ENTRY, [String(process.pid)], {
      execArgv: ['--import', tsxLoaderUrl()],
      env: { ...process.env, NODE_PATH: nodePath, TSX_DISABLE_CACHE: '1' },
      silent: true,
    });
    this.child = child;
    const keep = (chunk: string): void => {
      if (this.output.length < OUTPUT_LIMIT) this.output = (this.output + chunk).slice(0, OUTPUT_LIMIT);
    };
    child.stdout?.setEncoding('utf8').on('data', keep);
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL);
      keep(chunk);
    });
    child.on('error', () => undefined);
    child.once('exit', () => {
      if (this.child === child) {
        this.child = undefined;
        this.ready = undefined;
      }
    });
    this.ready = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), STARTUP_TIMEOUT_MS);
      child.on('message', (m: { type?: string }) => {
        if (m?.type === 'ready') {
          clearTimeout(timer);
          resolve(true);
        }
      });
      child.once('exit', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    const ok = await this.ready;
    if (!ok) this.stop();
    return ok ? child : undefined;
  }

  private stop(): void {
    const child = this.child;
    this.child = undefined;
    this.ready = undefined;
    if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
  }
}
