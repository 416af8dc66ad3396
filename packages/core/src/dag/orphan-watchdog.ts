/**
 * Ends a child process whose parent is gone, even while user code (a DAG file, a callback) keeps
 * its main thread busy in a synchronous loop, where the IPC 'disconnect' event would never be seen.
 * A small thread checks the parent pid once a second; when the process was re-parented (the parent
 * died, even by kill -9), it kills the process. The parent passes its pid (first argument): it may
 * have died before the child got here.
 */
import { Worker } from 'node:worker_threads';

const WATCH = `
const { workerData } = require('node:worker_threads');
setInterval(() => { if (process.ppid !== workerData.ppid) process.kill(workerData.pid, 'SIGKILL'); }, 1000);
`;

export function watchForOrphaning(parentPid = Number(process.argv[2])): void {
  const ppid = Number.isSafeInteger(parentPid) && parentPid > 0 ? parentPid : process.ppid;
  // execArgv: [] keeps the process's --import (the TypeScript loader) out of this thread: it needs
  // none, and would only load it for nothing.
  const watchdog = new Worker(WATCH, { eval: true, execArgv: [], workerData: { ppid, pid: process.pid } });
  // Never what keeps the process alive.
  watchdog.unref();
}

/**
 * The process-level handlers of a child that runs user code (a parser, a callback process): user
 * code may leave rejected promises or throw from timers, which must not end the child; the parent
 * going away must. Once the parent is gone, its end of stdout/stderr and of the IPC channel is
 * closed: a failed write (EPIPE) or send there ends the child too. Never log such a failure to
 * stderr: that write fails again, and its error came back as an uncaught exception, in a loop
 * that kept an orphaned child at full CPU.
 */
export function endWithParent(name: string): void {
  process.on('disconnect', () => process.exit(0));
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => process.exit(0));
  process.on('unhandledRejection', () => undefined);
  process.on('uncaughtException', (err) => {
    if (!process.connected) process.exit(0);
    process.stderr.write(`${name}: uncaught exception: ${err instanceof Error ? err.stack : String(err)}\n`);
  });
}

/** Sends to the parent; ends this process when the parent is gone (the channel is closed). */
export function sendToParent(message: unknown): void {
  if (!process.connected) process.exit(0);
  try {
    process.send!(message as object);
  } catch {
    process.exit(0);
  }
}
