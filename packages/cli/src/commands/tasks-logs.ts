/**
 * `updraft tasks logs DAG RUN TASK [--try N] [--map-index M] [--follow]`: a try's log from this
 * host's log folder (logging.base_log_folder) when its file is here, else from the task-log stream
 * of NATS JetStream (nats.url), where the worker that ran it shipped every line. Without any,
 * the metadata database (when there is one) says why. `--follow` prints lines as they are written
 * until the try's log ends (or, its worker gone, the scheduler ended the try), then exits 0.
 */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { open } from 'node:fs/promises';
import { attemptsSql, isUpdraftError, taskInstancePagesSql, taskLogRelativePath, TaskLogStreamReader, UpdraftError } from '@updraft/core';
import { listTaskLogTries, readTaskLog, resolveLogFile } from '@updraft/worker';
import { readStandaloneRuntime } from '../database.js';
import { identifierArg, integerAtLeast } from '../output.js';
import { logStreamOptions } from '../queue.js';
import { explainMissingLog } from '../task-log-diagnosis.js';
import { loadConfigForCommand } from './config.js';
import { withDatabase } from './runs.js';

interface LogKey {
  dagId: string;
  runId: string;
  taskId: string;
  mapIndex: number;
}

interface LogsOptions {
  try?: number;
  mapIndex?: number;
  logFolder?: string;
  follow?: boolean;
}

/** The footer the worker writes when a try ends (see the worker's executor). */
const WORKER_FOOTER = /\[updraft\] task (succeeded|failed) \(exit code/;
const FOLLOW_POLL_MS = 250;
/** --follow: how long a try the database says ended may stay silent before the follow stops. */
const QUIET_MS = 5000;
const PAGE_BYTES = 8 * 1024 * 1024;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const tryOfLog = (text: string): number | undefined => {
  const m = / try=(\d+)/.exec(text.slice(0, 2000));
  return m ? Number(m[1]) : undefined;
};

/**
 * A log without the worker's footer ends where its worker stopped writing (its host died, or the
 * scheduler ended the try as a zombie): add the end the scheduler recorded, if there is one.
 */
async function recordedEnd(command: Command, key: LogKey, tryNumber: number | undefined): Promise<string> {
  if (tryNumber === undefined) return '';
  try {
    const end = await withDatabase(command, (db) => attemptsSql.tryEnd(db.pool, key, tryNumber));
    if (end === null) return '';
    return `${(end.endedAt ?? new Date()).toISOString()} [scheduler] task ${end.state === 'success' ? 'succeeded' : 'failed'}` +
      ` (recorded by the scheduler; the worker did not finish this log)${end.error ? `: ${end.error}` : ''}\n`;
  } catch {
    return ''; // no database from here: the log as the worker left it
  }
}

/** The try to show: --try, else the latest one the database, this folder or the stream knows. */
async function latestTry(command: Command, key: LogKey, logFolder: string, reader: TaskLogStreamReader | undefined, hasDatabase: boolean): Promise<number | undefined> {
  const known = await listTaskLogTries({ ...key, logFolder });
  // NATS out of reach: the other sources still tell (reading the stream later says what is wrong).
  if (reader) known.push(...(await reader.tries(key).catch(() => [])));
  if (hasDatabase) {
    const tries = await withDatabase(command, (db) => taskInstancePagesSql.listTaskTries(db.pool, key)).catch(() => []);
    known.push(...tries.map((t) => t.tryNumber));
  }
  return known.length === 0 ? undefined : Math.max(...known);
}

/** Prints a local file as it grows, until the worker's footer is in it. */
async function followFile(file: string): Promise<void> {
  let offset = 0;
  let tail = '';
  for (;;) {
    const handle = await open(file, 'r');
    try {
      const size = (await handle.stat()).size;
      if (size > offset) {
        const buffer = Buffer.alloc(size - offset);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
        offset += bytesRead;
        const text = buffer.subarray(0, bytesRead);
        process.stdout.write(text);
        tail = (tail + text.toString('utf8')).slice(-4096);
        if (WORKER_FOOTER.test(tail)) return;
      }
    } finally {
      await handle.close();
    }
    await sleep(FOLLOW_POLL_MS);
  }
}

/**
 * Prints a try's log from the stream as it arrives, until its end. A worker that died never marks
 * the end: when the database says the try ended and nothing new came for QUIET_MS, the end the
 * scheduler recorded closes the output instead.
 */
async function followStream(command: Command, reader: TaskLogStreamReader, key: LogKey, tryNumber: number, hasDatabase: boolean): Promise<void> {
  const stop = new AbortController();
  let grewAt = Date.now();
  let endedByScheduler = false;
  const watcher = hasDatabase
    ? withDatabase(command, async (db) => {
      while (!stop.signal.aborted) {
        await sleep(1000);
        const end = await attemptsSql.tryEnd(db.pool, key, tryNumber).catch(() => null);
        if (end !== null && Date.now() - grewAt >= QUIET_MS && !stop.signal.aborted) {
          endedByScheduler = true;
          stop.abort();
        }
      }
    }).catch(() => undefined)
    : Promise.resolve();
  try {
    for await (const chunk of reader.follow(key, tryNumber, stop.signal)) {
      process.stdout.write(chunk);
      grewAt = Date.now();
    }
  } finally {
    stop.abort();
    await watcher;
  }
  if (endedByScheduler) process.stdout.write(await recordedEnd(command, key, tryNumber));
}

/** The whole log the stream has of a try so far (null: nothing); `complete` once its end is in. */
async function readStream(reader: TaskLogStreamReader, key: LogKey, tryNumber: number): Promise<{ text: Buffer; complete: boolean } | null> {
  let position = { offset: 0, seq: 0 };
  const parts: Buffer[] = [];
  for (;;) {
    const page = await reader.readPage(key, tryNumber, position, PAGE_BYTES);
    if (page === null) return parts.length === 0 ? null : { text: Buffer.concat(parts), complete: false };
    parts.push(page.data);
    position = page.next;
    if (page.complete || page.data.length === 0) return { text: Buffer.concat(parts), complete: page.complete };
  }
}

async function logs(command: Command, key: LogKey, o: LogsOptions): Promise<void> {
  const cfg = loadConfigForCommand(command);
  const logFolder = o.logFolder ?? cfg.logging.baseLogFolder;
  // The metadata database, when one is configured or a standalone runs here (never started just for this).
  const hasDatabase = Boolean(cfg.database.url) || readStandaloneRuntime(cfg) !== undefined;
  const streamOptions = logStreamOptions(cfg, 'cli');
  const reader = streamOptions ? new TaskLogStreamReader(streamOptions) : undefined;
  try {
    const tryNumber = o.try ?? (await latestTry(command, key, logFolder, reader, hasDatabase));
    if (tryNumber !== undefined) {
      const file = resolveLogFile(logFolder, taskLogRelativePath(key, tryNumber));
      if (o.follow) {
        const local = await open(file, 'r').then((h) => h.close().then(() => true), () => false);
        if (local || !reader) {
          if (!local) process.stderr.write(`waiting for ${file} to appear (no task log stream: nats.url is empty)\n`);
          while (!(await open(file, 'r').then((h) => h.close().then(() => true), () => false))) await sleep(FOLLOW_POLL_MS);
          await followFile(file);
          return;
        }
        await followStream(command, reader, key, tryNumber, hasDatabase);
        return;
      }
      const text = await readTaskLog({ ...key, logFolder, tryNumber }).catch((err: unknown) => {
        if (isUpdraftError(err, 'TASK_NOT_FOUND')) return undefined;
        throw err;
      });
      if (text !== undefined) {
        process.stdout.write(text);
        if (!WORKER_FOOTER.test(text) && hasDatabase) process.stdout.write(await recordedEnd(command, key, tryNumber ?? tryOfLog(text)));
        return;
      }
      const streamed = reader ? await readStream(reader, key, tryNumber) : null;
      if (streamed !== null) {
        process.stdout.write(streamed.text);
        if (!streamed.complete && hasDatabase) process.stdout.write(await recordedEnd(command, key, tryNumber));
        return;
      }
    }
    const where = `dag ${key.dagId} run ${key.runId} task ${key.taskId}`;
    const stream = reader ? ' (nor in the task log stream)' : '';
    if (!hasDatabase) {
      const missing = tryNumber === undefined
        ? `no task log for ${where} in ${resolve(logFolder)}${stream}`
        : `no log for ${where} try ${tryNumber}: ${resolveLogFile(logFolder, taskLogRelativePath(key, tryNumber))} does not exist${stream}`;
      throw new UpdraftError('TASK_NOT_FOUND',
        `${missing} (task logs are written on the host of the worker that ran the try; see \`updraft tasks states ${key.dagId} ${key.runId}\`)`);
    }
    const why = await withDatabase(command, (db) => explainMissingLog(db.pool, key, tryNumber, resolve(logFolder)));
    throw new UpdraftError('TASK_NOT_FOUND', `${why}${stream}`);
  } finally {
    await reader?.close();
  }
}

export function registerLogs(tasks: Command): void {
  tasks
    .command('logs')
    .description(
      'print the log of a task try (default: the latest try): from logging.base_log_folder when the file is on this host, ' +
        'else from the task log stream in NATS (nats.url) that workers ship every line to; without one, say why: no such DAG, ' +
        'run, task or try, not run yet, failed before it started (with the reason), or the host the log is on',
    )
    .argument('<dag_id>', 'the DAG', identifierArg('dag id', 'dag_id'))
    .argument('<run_id>', 'the run', identifierArg('run id', 'run_id'))
    .argument('<task_id>', 'the task', identifierArg('task id', 'task_id'))
    .option('-t, --try <n>', 'try number (1 = the first try)', integerAtLeast(1))
    .option('-m, --map-index <n>', 'the instance of a mapped task (default -1: not mapped)', integerAtLeast(-1))
    .option('-f, --follow', 'keep printing lines as they are written until the try\'s log ends, then exit 0')
    .option('--log-folder <dir>', 'task log root (default: logging.base_log_folder)')
    .action(async (dagId: string, runId: string, taskId: string, o: LogsOptions, command: Command) =>
      logs(command, { dagId, runId, taskId, mapIndex: o.mapIndex ?? -1 }, o),
    );
}
