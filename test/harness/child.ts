import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

export interface StartedChild {
  child: ChildProcess;
  /** Resolves with the exit code (or null when killed by a signal) when the process ends. */
  exited: Promise<number | null>;
  /** True once the process has ended. */
  hasExited(): boolean;
}

/**
 * Spawns a server detached (its own process group, so a group kill takes its helpers too) with
 * stdout and stderr appended to `logFile` (a pipe nobody reads would block the server).
 */
export function spawnServer(
  command: string,
  args: string[],
  options: { logFile: string; cwd: string; uid?: number; gid?: number; env?: NodeJS.ProcessEnv },
): StartedChild {
  const log = openSync(options.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(command, args, {
      cwd: options.cwd,
      detached: true,
      stdio: ['ignore', log, log],
      env: options.env ?? process.env,
      ...(options.uid !== undefined ? { uid: options.uid } : {}),
      ...(options.gid !== undefined ? { gid: options.gid } : {}),
    });
  } finally {
    closeSync(log);
  }
  let done = false;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      done = true;
      resolve(code);
    });
    child.once('error', () => {
      done = true;
      resolve(null);
    });
  });
  return { child, exited, hasExited: () => done };
}

/** The last `lines` lines of a log file, for error messages. */
export function tailOf(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '<no log>';
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
