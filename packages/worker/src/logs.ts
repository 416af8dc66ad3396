/**
 * Per-try task log files: `<logFolder>/dag_id=<d>/run_id=<r>/task_id=<t>/attempt=<n>.log`
 * (`.../task_id=<t>/map_index=<m>.attempt=<n>.log` for a mapped task). The worker writes them;
 * `readTaskLog` reads them back for `updraft tasks logs`.
 *
 * Line format: `<ISO timestamp> [<source>] <text>`, source = stdout | stderr | updraft.
 */
import { appendFileSync, closeSync, fstatSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { SharedTimer } from './shared-timer.js';
import { taskLogFilePrefix, taskLogFolder, taskLogRelativePath, UpdraftError, type TaskLogKey } from '@updraft/core';

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
/** Pending text past which a writer writes at once instead of waiting for the timer. */
const FLUSH_BYTES = 64 * 1024;

/** Writers with lines waiting, and the one timer that writes them. */
const waiting = new SharedTimer<TaskLogWriter>(FLUSH_MS, (w) => w.flushNow());

/**
 * Log folders known to exist: a task's folder holds the logs of all its tries and map indexes, and
 * a run's folder the folders of its tasks, so most tries need no mkdir, or one, not a mkdir -p.
 * Bounded: past the limit the set starts again. A folder removed since (log retention) shows up
 * as ENOENT when the file is opened, and is made again.
 */
const knownFolders = new Set<string>();
const KNOWN_FOLDERS_MAX = 4096;

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

function remember(dir: string): void {
  if (knownFolders.size >= KNOWN_FOLDERS_MAX) knownFolders.clear();
  knownFolders.add(dir);
}

/** Makes sure a try's log folder exists. */
function makeLogFolder(dir: string): void {
  if (knownFolders.has(dir)) return;
  const parent = dirname(dir);
  if (knownFolders.has(parent)) {
    try {
      mkdirSync(dir);
    } catch (err) {
      if (errno(err) === 'ENOENT') mkdirSync(dir, { recursive: true });
      else if (errno(err) !== 'EEXIST') throw err;
    }
  } else {
    mkdirSync(dir, { recursive: true });
    remember(parent);
  }
  remember(dir);
}

/**
 * Opens a log file for appending; `created` says it did not exist (one call in the usual case: an
 * exclusive create, which fails only for a file left by an earlier attempt of the same try).
 */
function openLogFile(file: string): { fd: number; created: boolean } {
  try {
    return { fd: openSync(file, 'wx'), created: true };
  } catch (err) {
    if (errno(err) !== 'EEXIST') throw err;
    return { fd: openSync(file, 'a'), created: false };
  }
}

/** Writes all of `data`; on failure, the error carries how many bytes were written before it. */
function writeAll(fd: number, data: Buffer): { done: number; error?: Error } {
  let done = 0;
  try {
    while (done < data.length) {
      const n = writeSync(fd, data, done, data.length - done);
      if (n === 0) throw new Error(`short write: ${done} of ${data.length} bytes`);
      done += n;
    }
    return { done };
  } catch (err) {
    return { done, error: err as Error };
  }
}

/**
 * Appends timestamped lines to one try's log file. The file is opened once; lines are batched and
 * written every FLUSH_MS (one timer for all writers of the process), at once past FLUSH_BYTES, and
 * at close: a task shorter than FLUSH_MS costs one write for its header and footer. `close()`
 * leaves everything on disk (the worker reports only after that).
 *
 * The file calls are synchronous. The log folder is a local disk (remote copies are shipped or
 * uploaded), where a mkdir, open, write or close of a few KB costs microseconds; the same call on
 * libuv's thread pool costs more in thread hand-offs than the call itself (measured with the
 * mapping bench: these calls were a fifth of the worker's samples).
 */
export class TaskLogWriter {
  private fd: number | undefined;
  private closing = false;
  private pending = '';
  private failure: Error | undefined;
  /** File size (kept only with a sink). */
  private size: number;

  private constructor(
    readonly file: string,
    fd: number,
    private readonly redact: (text: string) => string,
    private readonly sink: TaskLogSink | undefined,
    size: number,
  ) {
    this.fd = fd;
    this.size = size;
  }

  /** `redact` is applied to every line's text (the task's secrets masker); `sink` hears every append and the end. */
  static open(file: string, redact: (text: string) => string = (t) => t, sink?: TaskLogSink): Promise<TaskLogWriter> {
    const dir = dirname(file);
    try {
      let opened: { fd: number; created: boolean };
      try {
        makeLogFolder(dir);
        opened = openLogFile(file);
      } catch (err) {
        if (errno(err) !== 'ENOENT') throw err;
        // The folder was removed meanwhile (log retention): make the whole path again.
        knownFolders.delete(dir);
        knownFolders.delete(dirname(dir));
        makeLogFolder(dir);
        opened = openLogFile(file);
      }
      const { fd, created } = opened;
      // A file left by an earlier attempt of this try (or by the dependency install before the
      // task) comes first in the shipped log too.
      const size = sink && !created ? fstatSync(fd).size : 0;
      return Promise.resolve(new TaskLogWriter(file, fd, redact, sink, size));
    } catch (err) {
      return Promise.reject(new UpdraftError('WORKER_ERROR', `cannot open task log ${file}: ${(err as Error).message}`, { cause: err }));
    }
  }

  /** One line from `source`; `text` must not contain a newline. Returns the line as written (secrets masked). */
  line(source: LogSource, text: string): string {
    const line = `${new Date().toISOString()} [${source}] ${this.redact(text)}`;
    if (this.closing) return line;
    this.pending += `${line}\n`;
    if (this.pending.length > FLUSH_BYTES) this.flushNow();
    else waiting.add(this);
    return line;
  }

  /** Several `updraft` lines written together (header and footer). */
  notes(lines: string[]): string[] {
    return lines.map((l) => this.line('updraft', l));
  }

  /** Writes the lines waiting. */
  flushNow(): void {
    waiting.delete(this);
    if (this.pending === '' || this.fd === undefined || this.failure !== undefined) return;
    const data = Buffer.from(this.pending, 'utf8');
    this.pending = '';
    // A log that cannot be written must not crash the worker; close() reports it.
    const { done, error } = writeAll(this.fd, data);
    this.failure = error;
    if (done > 0) {
      this.size += done;
      this.sink?.appended(done === data.length ? data : data.subarray(0, done), this.size);
    }
  }

  /** Writes what is pending and closes; rejects (WORKER_ERROR) when the file could not be written. */
  close(): Promise<void> {
    if (this.closing) return Promise.resolve();
    this.closing = true;
    this.flushNow();
    const fd = this.fd!;
    this.fd = undefined;
    try {
      closeSync(fd);
    } catch (err) {
      this.failure ??= err as Error;
    }
    this.sink?.closed(this.size);
    if (this.failure) {
      return Promise.reject(new UpdraftError('WORKER_ERROR', `cannot write task log ${this.file}: ${this.failure.message}`, { cause: this.failure }));
    }
    return Promise.resolve();
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
  const prefix = taskLogFilePrefix(opts);
  return names
    .map((n) => (n.startsWith(prefix) ? /^attempt=(\d+)\.log$/.exec(n.slice(prefix.length))?.[1] : undefined))
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
