/**
 * Per-try task log files: `<logFolder>/dag_id=<d>/run_id=<r>/task_id=<t>/attempt=<n>.log`
 * (`.../task_id=<t>/map_index=<m>/attempt=<n>.log` for a mapped task). The worker writes them;
 * `readTaskLog` reads them back for `updraft tasks logs`.
 *
 * Line format: `<ISO timestamp> [<source>] <text>`, source = stdout | stderr | updraft.
 */
import { appendFileSync, closeSync, fstatSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { taskLogFolder, taskLogRelativePath, UpdraftError, type TaskLogKey } from '@updraft/core';

export type LogSource = 'stdout' | 'stderr' | 'updraft';

/** Hears what a TaskLogWriter put in its file (the worker ships it to the task-log stream). */
export interface TaskLogSink {
  /** `chunk` was appended; the file is `end` bytes long after it. */
  appended(chunk: Buffer, end: number): void;
  /** The log is complete at `size` bytes. */
  closed(size: number): void;
}

/** Absolute path of a log file below logFolder; a relative path that escapes the folder is refused. */
export function resolveLogFile(logFolder: string, relativePath: string): string {
  const rel = normalize(relativePath);
  if (rel === '' || isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`)) {
    throw new UpdraftError('INVALID_ARGUMENT', `task log path ${JSON.stringify(relativePath)} is not a relative path inside the log folder`);
  }
  return join(resolve(logFolder), rel);
}

/**
 * Appends one line to a log file before its TaskLogWriter opens it (that writer appends after it,
 * and ships the file from its start). Never throws: a line that cannot be written is dropped.
 */
export function appendLogLine(file: string, source: LogSource, text: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, `${new Date().toISOString()} [${source}] ${text.replace(/\r?\n/g, ' ')}\n`);
  } catch {
    // The task's log is best effort here; the task's outcome carries any failure.
  }
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Formats a duration for people: 850 ms, 12.3 s, 4 min 05 s. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${pad(s % 60)} s`;
}

/** How long appended lines may wait before they are written (one timer for all open logs). */
const FLUSH_MS = 50;

/** Writers with lines waiting, and the one timer that writes them. */
const waiting = new Set<TaskLogWriter>();
let flushTimer: NodeJS.Timeout | undefined;

function flushWaiting(): void {
  flushTimer = undefined;
  const writers = [...waiting];
  waiting.clear();
  for (const w of writers) w.flushNow();
}

/**
 * Appends timestamped lines to one try's log file. Lines are batched and written with one
 * synchronous append every FLUSH_MS (one timer for all writers of the process), at once past
 * 64 KiB, and at close: a short task's header and footer are then one write instead of one per
 * event-loop turn. Task logs are small appends to a local file, and going through the libuv
 * thread pool costs far more than the write itself on the task hot path. `close()` leaves
 * everything on disk (the worker reports only after that).
 */
export class TaskLogWriter {
  private fd: number | undefined;
  private pending = '';
  private failure: Error | undefined;
  /** File size (kept only with a sink). */
  private size = 0;

  private constructor(
    readonly file: string,
    fd: number,
    private readonly redact: (text: string) => string,
    private readonly sink: TaskLogSink | undefined,
    created: boolean,
  ) {
    this.fd = fd;
    // A file left by an earlier attempt of this try: its bytes come first in the shipped log too.
    // (A file in a folder created just now is new: empty.)
    if (sink && !created) this.size = fstatSync(fd).size;
  }

  /** `redact` is applied to every line's text (the task's secrets masker); `sink` hears every append and the end. */
  static async open(file: string, redact: (text: string) => string = (t) => t, sink?: TaskLogSink): Promise<TaskLogWriter> {
    try {
      return new TaskLogWriter(file, openSync(file, 'a'), redact, sink, false);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new UpdraftError('WORKER_ERROR', `cannot open task log ${file}: ${(err as Error).message}`, { cause: err });
      }
    }
    // First try of this task: create its folder (cheaper than a mkdir -p before every open).
    try {
      mkdirSync(dirname(file), { recursive: true });
      return new TaskLogWriter(file, openSync(file, 'a'), redact, sink, true);
    } catch (err) {
      throw new UpdraftError('WORKER_ERROR', `cannot open task log ${file}: ${(err as Error).message}`, { cause: err });
    }
  }

  /** One line from `source`; `text` must not contain a newline. Returns the line as written (secrets masked). */
  line(source: LogSource, text: string): string {
    const line = `${new Date().toISOString()} [${source}] ${this.redact(text)}`;
    if (this.fd === undefined) return line;
    this.pending += `${line}\n`;
    if (this.pending.length > 64 * 1024) this.flushNow();
    else if (!waiting.has(this)) {
      waiting.add(this);
      flushTimer ??= setTimeout(flushWaiting, FLUSH_MS);
    }
    return line;
  }

  /** Several `updraft` lines written together (header and footer). */
  notes(lines: string[]): string[] {
    return lines.map((l) => this.line('updraft', l));
  }

  /** Writes the lines waiting (the shared timer, a large batch, close). */
  flushNow(): void {
    waiting.delete(this);
    if (this.fd === undefined || this.pending === '' || this.failure) return;
    const data = this.pending;
    this.pending = '';
    try {
      if (this.sink === undefined) {
        writeSync(this.fd, data);
        return;
      }
      const bytes = Buffer.from(data, 'utf8');
      const n = writeSync(this.fd, bytes);
      this.size += n;
      if (n > 0) this.sink.appended(n === bytes.length ? bytes : bytes.subarray(0, n), this.size);
      if (n < bytes.length) throw new Error(`short write: ${n} of ${bytes.length} bytes`);
    } catch (err) {
      // A log that cannot be written must not crash the worker; close() reports it.
      this.failure = err as Error;
    }
  }

  /** Writes what is pending and closes; rejects (WORKER_ERROR) when the file could not be written. */
  async close(): Promise<void> {
    if (this.fd === undefined) return;
    this.flushNow();
    const fd = this.fd;
    this.fd = undefined;
    try {
      closeSync(fd);
    } catch (err) {
      this.failure ??= err as Error;
    }
    this.sink?.closed(this.size);
    if (this.failure) {
      throw new UpdraftError('WORKER_ERROR', `cannot write task log ${this.file}: ${this.failure.message}`, { cause: this.failure });
    }
  }
}

export interface ReadTaskLogOptions extends TaskLogKey {
  logFolder: string;
  /** Default: the highest try that has a log file. */
  tryNumber?: number;
}

/** Try numbers that have a log file, ascending. */
export async function listTaskLogTries(opts: Omit<ReadTaskLogOptions, 'tryNumber'>): Promise<number[]> {
  const dir = resolveLogFile(opts.logFolder, taskLogFolder(opts));
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  return names
    .map((n) => /^attempt=(\d+)\.log$/.exec(n)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** The content of a try's log file; TASK_NOT_FOUND naming the file when there is none. */
export async function readTaskLog(opts: ReadTaskLogOptions): Promise<string> {
  const where = `dag ${opts.dagId} run ${opts.runId} task ${opts.taskId}`;
  let tryNumber = opts.tryNumber;
  if (tryNumber === undefined) {
    const tries = await listTaskLogTries(opts);
    tryNumber = tries.at(-1);
    if (tryNumber === undefined) {
      throw new UpdraftError('TASK_NOT_FOUND', `no task log for ${where} in ${resolve(opts.logFolder)}`);
    }
  }
  const file = resolveLogFile(opts.logFolder, taskLogRelativePath(opts, tryNumber));
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new UpdraftError('TASK_NOT_FOUND', `no log for ${where} try ${tryNumber}: ${file} does not exist`, { cause: err });
  }
}
