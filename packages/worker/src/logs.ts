/**
 * Per-try task log files: `<logFolder>/dag_id=<d>/run_id=<r>/task_id=<t>/attempt=<n>.log`
 * (`.../task_id=<t>/map_index=<m>/attempt=<n>.log` for a mapped task). The worker writes them;
 * `readTaskLog` reads them back for `updraft tasks logs`.
 *
 * Line format: `<ISO timestamp> [<source>] <text>`, source = stdout | stderr | updraft.
 */
import { appendFileSync, close as fsClose, fstat as fsFstat, mkdirSync, open as fsOpen, write as fsWrite } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
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
/** Pending text past which a writer writes at once instead of waiting for the timer. */
const FLUSH_BYTES = 64 * 1024;

/** Writers with lines waiting, and the one timer that writes them. */
const waiting = new Set<TaskLogWriter>();
let flushTimer: NodeJS.Timeout | undefined;

function flushWaiting(): void {
  flushTimer = undefined;
  const writers = [...waiting];
  waiting.clear();
  for (const w of writers) w.flushNow();
}

function schedule(w: TaskLogWriter): void {
  if (waiting.has(w)) return;
  waiting.add(w);
  flushTimer ??= setTimeout(flushWaiting, FLUSH_MS);
}

/**
 * Log folders known to exist: the folder of a run (or of a mapped task) holds the folders of many
 * tries, so a try in a known folder makes its own folder with one mkdir, not a mkdir -p. Bounded:
 * past the limit the set starts again. A folder removed since (log retention) is made again.
 */
const knownFolders = new Set<string>();
const KNOWN_FOLDERS_MAX = 4096;

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

/** Makes a try's log folder; true when it was created now (so the log file in it is new). */
async function makeLogFolder(dir: string): Promise<boolean> {
  const parent = dirname(dir);
  let created: boolean;
  if (knownFolders.has(parent)) {
    try {
      await mkdir(dir);
      created = true;
    } catch (err) {
      if (errno(err) === 'EEXIST') created = false;
      else if (errno(err) === 'ENOENT') created = (await mkdir(dir, { recursive: true })) !== undefined;
      else throw err;
    }
  } else {
    created = (await mkdir(dir, { recursive: true })) !== undefined;
    if (knownFolders.size >= KNOWN_FOLDERS_MAX) knownFolders.clear();
    knownFolders.add(parent);
  }
  return created;
}

function openAppend(file: string): Promise<number> {
  return new Promise((resolve, reject) => fsOpen(file, 'a', (err, fd) => (err ? reject(err) : resolve(fd))));
}

function fileSize(fd: number): Promise<number> {
  return new Promise((resolve, reject) => fsFstat(fd, (err, st) => (err ? reject(err) : resolve(st.size))));
}

function closeFd(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fsClose(fd, (err) => (err ? reject(err) : resolve())));
}

/** Bytes written of `data` from `offset`, or the error with how many bytes were written before it. */
function writeFrom(fd: number, data: Buffer, offset: number): Promise<number> {
  return new Promise((resolve, reject) =>
    fsWrite(fd, data, offset, data.length - offset, null, (err, n) => (err ? reject(err) : resolve(n))),
  );
}

/**
 * Appends timestamped lines to one try's log file. The file is opened once; lines are batched and
 * written asynchronously, one write at a time, every FLUSH_MS (one timer for all writers of the
 * process), at once past FLUSH_BYTES, and at close: a task shorter than FLUSH_MS costs one write
 * for its header and footer, and nothing on the task hot path blocks the event loop. `close()`
 * leaves everything on disk (the worker reports only after that).
 */
export class TaskLogWriter {
  private fd: number | undefined;
  private closing = false;
  private pending = '';
  private writing: Promise<void> | undefined;
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
  static async open(file: string, redact: (text: string) => string = (t) => t, sink?: TaskLogSink): Promise<TaskLogWriter> {
    const dir = dirname(file);
    try {
      let created = false;
      let fd: number;
      try {
        created = await makeLogFolder(dir);
        fd = await openAppend(file);
      } catch (err) {
        if (errno(err) !== 'ENOENT') throw err;
        // The run's folder was removed meanwhile (log retention): make the whole path again.
        knownFolders.delete(dirname(dir));
        created = await makeLogFolder(dir);
        fd = await openAppend(file);
      }
      // A file left by an earlier attempt of this try (or by the dependency install before the
      // task) comes first in the shipped log too. A file in a folder created just now is new.
      const size = sink && !created ? await fileSize(fd) : 0;
      return new TaskLogWriter(file, fd, redact, sink, size);
    } catch (err) {
      throw new UpdraftError('WORKER_ERROR', `cannot open task log ${file}: ${(err as Error).message}`, { cause: err });
    }
  }

  /** One line from `source`; `text` must not contain a newline. Returns the line as written (secrets masked). */
  line(source: LogSource, text: string): string {
    const line = `${new Date().toISOString()} [${source}] ${this.redact(text)}`;
    if (this.closing) return line;
    this.pending += `${line}\n`;
    if (this.pending.length > FLUSH_BYTES) this.flushNow();
    else schedule(this);
    return line;
  }

  /** Several `updraft` lines written together (header and footer). */
  notes(lines: string[]): string[] {
    return lines.map((l) => this.line('updraft', l));
  }

  /** Starts writing the lines waiting, unless a write is under way (it schedules the rest when done). */
  flushNow(): void {
    waiting.delete(this);
    if (this.writing === undefined && this.pending !== '' && this.fd !== undefined && this.failure === undefined) {
      this.writing = this.write(this.fd);
    }
  }

  private async write(fd: number): Promise<void> {
    const data = Buffer.from(this.pending, 'utf8');
    this.pending = '';
    let done = 0;
    try {
      while (done < data.length) {
        const n = await writeFrom(fd, data, done);
        if (n === 0) throw new Error(`short write: ${done} of ${data.length} bytes`);
        done += n;
      }
    } catch (err) {
      // A log that cannot be written must not crash the worker; close() reports it.
      this.failure = err as Error;
    }
    this.writing = undefined;
    if (done > 0) {
      this.size += done;
      this.sink?.appended(done === data.length ? data : data.subarray(0, done), this.size);
    }
    if (this.pending.length > FLUSH_BYTES) this.flushNow();
    else if (this.pending !== '') schedule(this);
  }

  /** Resolves when no write is under way (one may start another when it ends). */
  private async writes(): Promise<void> {
    while (this.writing !== undefined) await this.writing;
  }

  /** Writes what is pending and closes; rejects (WORKER_ERROR) when the file could not be written. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await this.writes();
    this.flushNow();
    await this.writes();
    const fd = this.fd!;
    this.fd = undefined;
    try {
      await closeFd(fd);
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
