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
  const watchdog = new Worker(WATCH, { eval: true, workerData: { ppid, pid: process.pid } });
  // Never what keeps the process alive.
  watchdog.unref();
}
