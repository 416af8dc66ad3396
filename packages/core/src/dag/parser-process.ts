/**
 * One long-lived parser process (a child running parser-child under tsx, for the DAG files) and the run of one
 * request on it with a per-file timeout. A timeout kills the process; a crash ends it; either way
 * the caller learns which file it happened on and which files were not parsed.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { sdkNodeModulesDir, siblingEntry, tsxLoaderUrl } from './module-loading.js';
import type { FileParseResult, ParseJob, ParserReadyMessage, ParseRequestMessage, ParseResultMessage, ParseSkipMessage } from './types.js';

const PARSER_ENTRY = siblingEntry(import.meta.url, 'parser-child');
const STDERR_TAIL = 2000;
/** How long a new parser process may take to start (loading Node, tsx and the SDK), at least. */
const MIN_STARTUP_TIMEOUT_MS = 60_000;

export interface RunOutcome {
  /** Results of the files parsed, in request order (a prefix of the jobs). */
  results: FileParseResult[];
  /** Set when the process timed out or died on job `results.length`; later jobs were not parsed. */
  failure?: { kind: 'timeout' | 'crash'; message: string };
  /** The process never became ready: no job was tried, `failure.message` says why (no file name). */
  startFailed?: boolean;
}

let nextRequestId = 1;

/** What the caller of run() learns while the request is in progress. */
export interface RunHooks {
  /** Each file's result as it arrives (index into the request's jobs). */
  onResult?: (index: number, result: FileParseResult) => void;
  /**
   * The file at `index` has been importing for `slowMs` (once per file). The files after it are
   * taken back: the process does not parse them, and the run ends after this file.
   */
  onSlow?: (index: number) => void;
  /** Default: never slow. */
  slowMs?: number;
}

export class ParserProcess {
  private readonly child: ChildProcess;
  private stderrTail = '';
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exited: Promise<void>;
  /** Resolves true when the process reported ready, false if it exited or did not start in time. */
  private readonly ready: Promise<boolean>;
  /** Files this process has imported (each stays in its module cache). */
  filesImported = 0;

  constructor() {
    const nodePath = [sdkNodeModulesDir(), process.env.NODE_PATH].filter((p) => p !== undefined && p !== '').join(':');
    // Its first argument: our pid, which it watches (orphan-watchdog.ts).
    this.child = fork(PARSER_ENTRY, [String(process.pid)], {
      execArgv: ['--import', tsxLoaderUrl()],
      // tsx's on-disk transform cache costs a file write per DAG file and is rarely hit: unchanged
      // files are skipped by hash before they reach a parser.
      env: { ...process.env, NODE_PATH: nodePath, TSX_DISABLE_CACHE: '1' },
      silent: true,
    });
    // Output of DAG files is not ours to show; keep the end of stderr for crash reports.
    this.child.stdout?.resume();
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL);
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve();
      });
    });
    this.child.on('error', () => undefined); // reported through 'exit'
    this.ready = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.kill();
        resolve(false);
      }, MIN_STARTUP_TIMEOUT_MS);
      const onMessage = (m: ParserReadyMessage): void => {
        if (m?.type !== 'ready') return;
        clearTimeout(timer);
        this.child.off('message', onMessage);
        resolve(true);
      };
      this.child.on('message', onMessage);
      void this.exited.then(() => {
        clearTimeout(timer);
        resolve(false);
      });
    });
  }

  /**
   * Parses `jobs` in order; resolves (never rejects) when all are done or the process failed.
   * Waits for the process to be ready first; a process that cannot start fails every job.
   */
  async run(jobs: ParseJob[], defaultTimezone: string, fileTimeoutMs: number, hooks: RunHooks = {}): Promise<RunOutcome> {
    if (!(await this.ready)) {
      const tail = this.stderrTail.trim().split('\n').slice(-5).join(' | ');
      const reason = `the parser process could not start${tail.length > 0 ? `: ${tail}` : ''}`;
      return { results: [], failure: { kind: 'crash', message: reason }, startFailed: true };
    }
    return this.runReady(jobs, defaultTimezone, fileTimeoutMs, hooks);
  }

  get alive(): boolean {
    return this.exitInfo === undefined && this.child.connected;
  }

  private runReady(jobs: ParseJob[], defaultTimezone: string, fileTimeoutMs: number, hooks: RunHooks): Promise<RunOutcome> {
    const requestId = nextRequestId++;
    const results: FileParseResult[] = [];
    return new Promise<RunOutcome>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      let slowTimer: NodeJS.Timeout | undefined;
      let settled = false;
      /** Jobs this run parses: all, or up to a slow file (the rest were taken back). */
      let expected = jobs.length;
      const finish = (failure?: RunOutcome['failure']): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(slowTimer);
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
        resolve(failure === undefined ? { results } : { results, failure });
      };
      const arm = (): void => {
        clearTimeout(timer);
        clearTimeout(slowTimer);
        if (hooks.onSlow !== undefined && hooks.slowMs !== undefined && hooks.slowMs < fileTimeoutMs) {
          const index = results.length;
          slowTimer = setTimeout(() => {
            if (index + 1 < expected) {
              expected = index + 1;
              const skip: ParseSkipMessage = { type: 'skip', requestId, from: expected };
              if (this.child.connected) this.child.send(skip, () => undefined);
            }
            hooks.onSlow?.(index);
          }, hooks.slowMs);
        }
        timer = setTimeout(() => {
          const job = jobs[results.length]!;
          this.kill();
          finish({
            kind: 'timeout',
            message:
              `${job.displayPath}: importing the file took longer than ${formatMs(fileTimeoutMs)} ` +
              '(core.dag_file_processor_timeout) and was stopped; a DAG file must not block at import ' +
              '(endless loop, network call, waiting for input)',
          });
        }, fileTimeoutMs);
      };
      const onMessage = (message: ParseResultMessage): void => {
        if (message?.type !== 'result' || message.requestId !== requestId) return;
        results.push(message.result);
        this.filesImported += 1;
        hooks.onResult?.(results.length - 1, message.result);
        if (results.length >= expected) finish();
        else arm();
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
        const job = jobs[results.length]!;
        const how = signal !== null ? `signal ${signal}` : `exit code ${String(code)}`;
        const tail = this.stderrTail.trim().split('\n').slice(-5).join(' | ');
        finish({
          kind: 'crash',
          message:
            `${job.displayPath}: the parser process died while importing the file (${how})` +
            (tail.length > 0 ? `; its last output: ${tail}` : '') +
            '; a DAG file must not exit the process',
        });
      };
      if (!this.alive) {
        onExit(this.exitInfo?.code ?? null, this.exitInfo?.signal ?? null);
        return;
      }
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
      const request: ParseRequestMessage = { type: 'parse', requestId, defaultTimezone, jobs };
      this.child.send(request, (err) => {
        if (err) onExit(null, null);
      });
      arm();
    });
  }

  kill(): void {
    if (this.exitInfo === undefined) this.child.kill('SIGKILL');
  }

  /** Asks the process to exit (it exits when its IPC channel closes); kills it after `graceMs`. */
  async close(graceMs = 2000): Promise<void> {
    if (this.exitInfo !== undefined) return;
    if (this.child.connected) this.child.disconnect();
    const timer = setTimeout(() => this.kill(), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
