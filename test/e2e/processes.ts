/**
 * Long-running `updraft` child processes for end-to-end tests (scheduler, worker, standalone):
 * spawned as `node packages/cli/bin/updraft.mjs ...` in their own process group, output appended
 * to a log file, registered with the harness cleanup so a failing or interrupted test never leaves
 * one running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { killGroup, registerLeftover, unregisterLeftover } from '../harness/cleanup.js';
import { CLI_ENTRY, REPO_ROOT } from '../harness/index.js';

export interface UpdraftProcessOptions {
  /** Added to the environment; the test process's UPDRAFT__* variables and UPDRAFT_CONFIG are not passed on. */
  env: Record<string, string>;
  /** stdout and stderr are appended here. */
  logFile: string;
  /** Default: the repository root. */
  cwd?: string;
  /** Use exactly `env` (plus nothing of this process's environment). Default false. */
  replaceEnv?: boolean;
  /** The node binary. Default: this process's. */
  nodePath?: string;
  /** Arguments for node before the CLI script (e.g. `--cpu-prof`). Default none. */
  nodeArgs?: string[];
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface UpdraftProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  readonly child: ChildProcess;
  /** Resolves when the process has ended. */
  readonly exited: Promise<Exit>;
  hasExited(): boolean;
  /** Everything it wrote so far. */
  output(): string;
  /** The last lines of its output, for error messages. */
  tail(lines?: number): string;
  /** Waits until its output matches `pattern`; fails when it exits first or after `timeoutMs`. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends `signal`, waits up to `timeoutMs` for the exit, then SIGKILLs its process group. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<Exit & { killed: boolean }>;
  /** SIGKILL of its whole process group. */
  kill(): void;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function childEnv(extra: Record<string, string>, replace: boolean): NodeJS.ProcessEnv {
  if (replace) return { ...extra };
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('UPDRAFT__') && key !== 'UPDRAFT_CONFIG') env[key] = value;
  }
  return { ...env, ...extra };
}

/** Starts `updraft <args>` in the background. */
export function spawnUpdraft(name: string, args: string[], o: UpdraftProcessOptions): UpdraftProcess {
  const fd = openSync(o.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(o.nodePath ?? process.execPath, [...(o.nodeArgs ?? []), CLI_ENTRY, ...args], {
      cwd: o.cwd ?? REPO_ROOT,
      env: childEnv(o.env, o.replaceEnv ?? false),
      detached: true,
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  if (child.pid === undefined) throw new Error(`${name}: could not spawn updraft ${args.join(' ')}`);
  const pid = child.pid;
  const leftover = registerLeftover({ pgid: pid });
  let done = false;
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      unregisterLeftover(leftover);
      resolve({ code, signal });
    });
  });
  const output = (): string => {
    try {
      return readFileSync(o.logFile, 'utf8');
    } catch {
      return '';
    }
  };
  const tail = (lines = 30): string => output().trimEnd().split('\n').slice(-lines).join('\n');
  const kill = (): void => killGroup(pid);

  return {
    name,
    pid,
    logFile: o.logFile,
    child,
    exited,
    hasExited: () => done,
    output,
    tail,
    kill,
    async waitForOutput(pattern, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const text = output();
        const match = pattern.exec(text);
        if (match) return match[0];
        if (done) throw new Error(`${name} exited before printing ${pattern}; its output:\n${tail()}`);
        if (Date.now() > deadline) throw new Error(`${name} did not print ${pattern} within ${timeoutMs} ms; its output:\n${tail()}`);
        await sleep(100);
      }
    },
    async stop(signal = 'SIGTERM', timeoutMs = 30_000) {
      if (!done) {
        try {
          process.kill(pid, signal);
        } catch {
          // already gone
        }
      }
      const result = await Promise.race([exited, sleep(timeoutMs).then(() => null)]);
      if (result !== null) {
        kill(); // helpers it may have left in its group
        return { ...result, killed: false };
      }
      kill();
      return { ...(await exited), killed: true };
    },
  };
}
