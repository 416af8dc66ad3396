/**
 * Last-resort cleanup of what the harness started: on process exit, on SIGINT/SIGTERM/SIGHUP and
 * when a forked test worker loses its parent,
 * every registered server's process group is SIGKILLed and its temp directory removed, so that a
 * failing or interrupted test run leaves no servers or files behind. Normal teardown (stop())
 * unregisters first; this only catches what was left.
 */
import { rmSync } from 'node:fs';

export interface Leftover {
  /** Process group id (the server is started detached, as group leader), when running. */
  pgid?: number;
  /** Directory to remove. */
  dir?: string;
}

const leftovers = new Set<Leftover>();
let installed = false;

export function registerLeftover(leftover: Leftover): Leftover {
  install();
  leftovers.add(leftover);
  return leftover;
}

export function unregisterLeftover(leftover: Leftover): void {
  leftovers.delete(leftover);
}

/** Whether a process with this pid exists (signal 0: checked, nothing sent). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGKILLs a process group, ignoring one that is already gone. */
export function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function cleanupSync(): void {
  for (const leftover of leftovers) if (leftover.pgid) killGroup(leftover.pgid);
  for (const leftover of leftovers) {
    if (leftover.dir) rmSync(leftover.dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  }
  leftovers.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', cleanupSync);
  // A forked test worker whose parent (the vitest main process) died loses its IPC channel.
  if (process.send) process.once('disconnect', cleanupSync);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      cleanupSync();
      // Keep the default behaviour (die by the signal) unless someone else handles it.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}
