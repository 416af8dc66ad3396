/**
 * A small pool of long-lived parser processes. Files are handed out in batches (several files per
 * IPC round trip); a file that hangs or crashes its process is reported as such, the process is
 * replaced, and the rest of its batch goes to the next request. Nothing one file does stops the
 * other files from being parsed.
 */
import { ParserProcess } from './parser-process.js';
import type { FileParseResult, ImportErrorKind, ParseJob } from './types.js';

export interface ParserPoolOptions {
  /** Parser processes run at most at once. Default 2 (core.parsing_processes). */
  processes?: number;
  /** How long importing one file may take before its process is killed. Default 30000 (core.dag_file_processor_timeout). */
  fileTimeoutMs?: number;
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
  filesPerRequest: 25,
  maxFilesPerProcess: 2000,
  defaultTimezone: 'UTC',
} as const satisfies Required<ParserPoolOptions>;

interface QueuedJob {
  job: ParseJob;
  index: number;
}

export class ParserPool {
  private readonly options: Required<ParserPoolOptions>;
  private readonly slots: Array<ParserProcess | undefined>;
  private running: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(options: ParserPoolOptions = {}) {
    this.options = { ...PARSER_POOL_DEFAULTS, ...stripUndefined(options) };
    this.slots = new Array<ParserProcess | undefined>(Math.max(1, this.options.processes)).fill(undefined);
  }

  /** Parses `jobs`; results are in the order of `jobs`. Calls run one after another. */
  parse(jobs: readonly ParseJob[]): Promise<FileParseResult[]> {
    const run = this.running.then(() => this.parseNow(jobs));
    this.running = run.catch(() => undefined);
    return run;
  }

  private async parseNow(jobs: readonly ParseJob[]): Promise<FileParseResult[]> {
    if (this.closed) throw new Error('ParserPool is closed');
    const results = new Array<FileParseResult>(jobs.length);
    const queue: QueuedJob[] = jobs.map((job, index) => ({ job, index }));
    const slotCount = Math.min(this.slots.length, jobs.length);
    const work = async (slot: number): Promise<void> => {
      while (queue.length > 0) {
        // Even shares while much is left, smaller batches towards the end so both processes finish together.
        const size = Math.max(1, Math.min(this.options.filesPerRequest, Math.ceil(queue.length / (slotCount * 2))));
        const batch = queue.splice(0, size);
        const parser = this.processFor(slot);
        const outcome = await parser.run(
          batch.map((b) => b.job),
          this.options.defaultTimezone,
          this.options.fileTimeoutMs,
        );
        outcome.results.forEach((r, i) => (results[batch[i]!.index] = r));
        if (outcome.startFailed === true && outcome.failure !== undefined) {
          // Nothing can be parsed without a parser process: fail the batch, not one file per new process.
          for (const b of batch) results[b.index] = failed(b.job, 'crash', `${b.job.displayPath}: ${outcome.failure.message}`, 0);
          this.slots[slot] = undefined;
        } else if (outcome.failure !== undefined) {
          const culprit = batch[outcome.results.length]!;
          const ms = outcome.failure.kind === 'timeout' ? this.options.fileTimeoutMs : 0;
          results[culprit.index] = failed(culprit.job, outcome.failure.kind, outcome.failure.message, ms);
          queue.unshift(...batch.slice(outcome.results.length + 1));
          this.slots[slot] = undefined; // killed or dead: the next request starts a new one
        } else if (parser.filesImported >= this.options.maxFilesPerProcess) {
          this.slots[slot] = undefined;
          void parser.close();
        }
      }
    };
    await Promise.all(Array.from({ length: slotCount }, (_, slot) => work(slot)));
    return results;
  }

  private processFor(slot: number): ParserProcess {
    const current = this.slots[slot];
    if (current !== undefined && current.alive) return current;
    current?.kill();
    const fresh = new ParserProcess();
    this.slots[slot] = fresh;
    return fresh;
  }

  /** Ends every parser process. */
  async close(): Promise<void> {
    this.closed = true;
    await this.running;
    const parsers = this.slots.filter((p): p is ParserProcess => p !== undefined);
    this.slots.fill(undefined);
    await Promise.all(parsers.map((p) => p.close()));
  }
}

function failed(job: ParseJob, kind: ImportErrorKind, message: string, durationMs: number): FileParseResult {
  return { ok: false, fileloc: job.fileloc, fileHash: job.fileHash, kind, message, durationMs };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
