/**
 * A small pool of long-lived parser processes fed from one queue of files. Files are handed out
 * in batches (several files per IPC round trip). Nothing one file does delays the others:
 * - a file that hangs or crashes its process is reported as such, the process is replaced, and
 *   the rest of its batch goes back to the queue;
 * - a file still importing after `slowFileMs` stops counting against `processes`: the rest of
 *   its batch goes back to the queue and another process takes over, so new files keep being
 *   parsed while the slow one runs into its timeout (at most MAX_STALLED such extra processes);
 * - several parse calls may be in progress at once (the DAG processor's passes overlap).
 */
import { ParserProcess } from './parser-process.js';
import type { FileParseResult, ImportErrorKind, ParseJob } from './types.js';

export interface ParserPoolOptions {
  /** Parser processes importing at once (slow files aside). Default 2 (core.parsing_processes). */
  processes?: number;
  /** How long importing one file may take before its process is killed. Default 30000 (core.dag_file_processor_timeout). */
  fileTimeoutMs?: number;
  /** A file importing this long is set aside: another process takes the rest of the queue. Default 1000. */
  slowFileMs?: number;
  /** Most files sent to a process in one request. Default 25. */
  filesPerRequest?: number;
  /** A process is replaced after importing this many files (ESM modules stay cached: bounds memory). Default 2000. */
  maxFilesPerProcess?: number;
  /** Timezone of DAGs that name none. Default 'UTC' (core.default_timezone). */
  defaultTimezone?: string;
}

export const PARSER_POOL_DEFAULTS = {
  processes: 2,
  fileTimeoutMs: 30_000,
  slowFileMs: 1000,
  filesPerRequest: 25,
  maxFilesPerProcess: 2000,
  defaultTimezone: 'UTC',
} as const satisfies Required<ParserPoolOptions>;

/** Processes busy with a slow file, beyond `processes` (each ends at the latest at its file's timeout). */
const MAX_STALLED = 8;

/** What a caller of parseEach() hears about each of its files. */
export interface ParseListener {
  /** The file's result (exactly once per job). */
  onResult(job: ParseJob, result: FileParseResult): void;
  /** The file has been importing for `slowFileMs`; its result comes later. */
  onSlow?(job: ParseJob): void;
}

interface Entry {
  job: ParseJob;
  listener: ParseListener;
  done: boolean;
  queued: boolean;
}

export class ParserPool {
  private readonly options: Required<ParserPoolOptions>;
  private readonly queue: Entry[] = [];
  private readonly idle: ParserProcess[] = [];
  private readonly busy = new Set<ParserProcess>();
  private readonly workers = new Set<Promise<void>>();
  private active = 0;
  private stalled = 0;
  private closed = false;

  constructor(options: ParserPoolOptions = {}) {
    this.options = { ...PARSER_POOL_DEFAULTS, ...stripUndefined(options) };
    this.options.processes = Math.max(1, this.options.processes);
  }

  /** Starts the parser processes now (they load Node, tsx and the SDK), so the first files do not wait for that. */
  prewarm(): void {
    while (!this.closed && this.idle.length + this.busy.size < this.options.processes) this.idle.push(new ParserProcess());
  }

  /** Parses `jobs`; results are in the order of `jobs`. */
  async parse(jobs: readonly ParseJob[]): Promise<FileParseResult[]> {
    const results = new Array<FileParseResult>(jobs.length);
    const index = new Map(jobs.map((job, i) => [job, i]));
    await this.parseEach(jobs, { onResult: (job, result) => (results[index.get(job)!] = result) });
    return results;
  }

  /** Queues `jobs`; resolves once every job's result was given to `listener`. */
  parseEach(jobs: readonly ParseJob[], listener: ParseListener): Promise<void> {
    if (this.closed) return Promise.reject(new Error('ParserPool is closed'));
    if (jobs.length === 0) return Promise.resolve();
    let left = jobs.length;
    return new Promise<void>((resolve) => {
      const counting: ParseListener = {
        onResult: (job, result) => {
          listener.onResult(job, result);
          if (--left === 0) resolve();
        },
        onSlow: (job) => listener.onSlow?.(job),
      };
      for (const job of jobs) this.queue.push({ job, listener: counting, done: false, queued: true });
      this.pump();
    });
  }

  private pump(): void {
    while (
      !this.closed &&
      this.pending() > 0 &&
      this.active < this.options.processes &&
      this.stalled < MAX_STALLED
    ) {
      this.active += 1;
      const worker = this.work().finally(() => this.workers.delete(worker));
      this.workers.add(worker);
    }
  }

  private pending(): number {
    while (this.queue.length > 0 && this.queue[0]!.done) this.queue.shift();
    return this.queue.length;
  }

  private takeBatch(): Entry[] {
    const left = this.pending();
    // Even shares while much is left, smaller batches towards the end so processes finish together.
    const size = Math.max(1, Math.min(this.options.filesPerRequest, Math.ceil(left / (this.options.processes * 2))));
    const batch: Entry[] = [];
    while (batch.length < size && this.queue.length > 0) {
      const entry = this.queue.shift()!;
      entry.queued = false;
      if (!entry.done) batch.push(entry);
    }
    return batch;
  }

  private requeue(entries: readonly Entry[]): void {
    if (this.closed) {
      for (const e of entries) this.complete(e, stopped(e.job));
      return;
    }
    const back = entries.filter((e) => !e.done && !e.queued);
    for (const e of back) e.queued = true;
    this.queue.unshift(...back);
  }

  private complete(entry: Entry, result: FileParseResult): void {
    if (entry.done) return;
    entry.done = true;
    entry.listener.onResult(entry.job, result);
  }

  /** One slot: takes batches until the queue is empty, or its file turned slow. */
  private async work(): Promise<void> {
    let parser: ParserProcess | undefined = this.idle.pop();
    let slow = false;
    try {
      while (!slow && !this.closed) {
        const batch = this.takeBatch();
        if (batch.length === 0) break;
        if (parser === undefined || !parser.alive) parser = new ParserProcess();
        const running = parser;
        this.busy.add(running);
        const outcome = await running.run(batch.map((b) => b.job), this.options.defaultTimezone, this.options.fileTimeoutMs, {
          slowMs: this.options.slowFileMs,
          onResult: (i, result) => this.complete(batch[i]!, result),
          onSlow: (i) => {
            if (slow || this.closed) return;
            slow = true;
            this.active -= 1;
            this.stalled += 1;
            batch[i]!.listener.onSlow?.(batch[i]!.job);
            this.requeue(batch.slice(i + 1));
            // A process ready for the next files (a new one takes a while to load on a busy machine).
            if (this.idle.length === 0) this.idle.push(new ParserProcess());
            this.pump();
          },
        });
        this.busy.delete(running);
        if (slow) {
          // Its files after the slow one were taken back, but the process may have started one of
          // them already: never reuse it (a later request would wait behind that file).
          running.kill();
          parser = undefined;
        }
        if (this.closed) {
          for (const b of batch) this.complete(b, stopped(b.job));
          break;
        }
        if (outcome.startFailed === true && outcome.failure !== undefined) {
          // Nothing can be parsed without a parser process: fail the batch, not one file per new process.
          for (const b of batch) this.complete(b, failed(b.job, 'crash', `${b.job.displayPath}: ${outcome.failure.message}`, 0));
          parser = undefined;
        } else if (outcome.failure !== undefined) {
          const culprit = batch[outcome.results.length]!;
          const ms = outcome.failure.kind === 'timeout' ? this.options.fileTimeoutMs : 0;
          this.complete(culprit, failed(culprit.job, outcome.failure.kind, outcome.failure.message, ms));
          this.requeue(batch.slice(outcome.results.length + 1));
          parser = undefined; // killed or dead: the next request starts a new one
        } else if (running.filesImported >= this.options.maxFilesPerProcess) {
          void running.close();
          parser = undefined;
        }
      }
    } finally {
      if (slow) this.stalled -= 1;
      else this.active -= 1;
      if (parser !== undefined && parser.alive && !this.closed && this.idle.length < this.options.processes) this.idle.push(parser);
      else void parser?.close();
      this.pump();
    }
  }

  /** Ends every parser process; files still queued or importing get a 'crash' result saying so. */
  async close(): Promise<void> {
    this.closed = true;
    for (const entry of this.queue.splice(0)) {
      entry.queued = false;
      this.complete(entry, stopped(entry.job));
    }
    for (const parser of this.busy) parser.kill();
    await Promise.all([...this.workers]);
    await Promise.all(this.idle.splice(0).map((p) => p.close()));
  }
}

function failed(job: ParseJob, kind: ImportErrorKind, message: string, durationMs: number): FileParseResult {
  return { ok: false, fileloc: job.fileloc, fileHash: job.fileHash, kind, message, durationMs };
}

function stopped(job: ParseJob): FileParseResult {
  return failed(job, 'crash', `${job.displayPath}: not parsed: the DAG processor stopped`, 0);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
