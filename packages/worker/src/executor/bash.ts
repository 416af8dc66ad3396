/**
 * Bash tasks: `bash -c <rendered command>` in its own process group, with the task's umask,
 * uid/gid, clean environment and working directory. The command runs under a small sh wrapper:
 *
 *   setpriv --pdeathsig SIGUSR1 -- /bin/sh -c '<WRAPPER>' updraft-task <umask> <worker pid> bash -c <command>
 *
 * - the umask is set by the wrapper, so the worker's own umask is never touched (changing it around
 *   spawn() would race with the worker's other file writes);
 * - if the worker dies (kill -9, OOM), the kernel sends SIGUSR1 to the wrapper (parent-death
 *   signal), which SIGKILLs the task's whole process group: no orphan keeps running a task the
 *   scheduler will retry elsewhere. Where setpriv is missing, that protection is skipped;
 * - a worker that died before setpriv asked for that signal sends none: the wrapper then finds
 *   another parent than the worker's pid ($PPID) and exits before the command starts.
 * The wrapper starts bash in the background and waits for it, because a shell runs traps only
 * between commands; its exit status is bash's.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { formatUmask, spawnIdentity, type TaskIdentity } from '../identity.js';
import { LineSplitter } from './output.js';
import { signalGroup, terminateGroup } from './process-tree.js';
import { describeExit, type OutputSink, type ProcessEnd, type TaskProcess } from './task-process.js';

/** After the shell exits, how long leftover background processes of the task get before SIGKILL. */
const LEFTOVER_GRACE_MS = 2000;

export interface BashOptions {
  command: string;
  env: Record<string, string>;
  cwd: string;
  identity: TaskIdentity;
  umask: number;
  onOutput: OutputSink;
}

let setprivPath: string | null | undefined;

function findSetpriv(): string | null {
  if (setprivPath !== undefined) return setprivPath;
  setprivPath = null;
  for (const candidate of ['/usr/bin/setpriv', '/bin/setpriv']) {
    try {
      accessSync(candidate, constants.X_OK);
      setprivPath = candidate;
      break;
    } catch {
      // not here
    }
  }
  return setprivPath;
}

const WRAPPER = 'umask "$1" || exit 126; [ "$PPID" = "$2" ] || exit 125; shift 2; trap "kill -KILL 0" USR1; "$@" & wait $!';

/** argv of the process that runs `command` with `umask`, a child of process `workerPid` (see the file comment). */
export function bashArgv(command: string, umask: number, workerPid = process.pid): string[] {
  const shell = ['/bin/sh', '-c', WRAPPER, 'updraft-task', formatUmask(umask), String(workerPid), 'bash', '-c', command];
  const setpriv = findSetpriv();
  return setpriv ? [setpriv, '--pdeathsig', 'SIGUSR1', '--', ...shell] : shell;
}

export function spawnBash(opts: BashOptions): TaskProcess {
  const [file, ...args] = bashArgv(opts.command, opts.umask);
  const child = spawn(file!, args, {
    cwd: opts.cwd,
    env: opts.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...spawnIdentity(opts.identity),
  });
  const out = new LineSplitter((line) => opts.onOutput('stdout', line));
  const err = new LineSplitter((line) => opts.onOutput('stderr', line));
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));

  let spawnError: Error | undefined;
  let exitCode: number | null = null;
  let exitSignal: NodeJS.Signals | null = null;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitCode = code;
      exitSignal = signal;
      // Background processes the command left behind belong to the task: end them too.
      if (child.pid !== undefined && signalGroup(child.pid, 'SIGTERM')) {
        setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), LEFTOVER_GRACE_MS).unref();
      }
      resolve();
    });
    child.once('error', (e) => {
      spawnError = e;
      resolve();
    });
  });
  const done = new Promise<ProcessEnd>((resolve) => {
    const finish = (): void => {
      out.flush();
      err.flush();
      if (spawnError) {
        resolve({ exitCode: -1, error: `cannot start bash: ${spawnError.message}`, returnValueJson: '' });
        return;
      }
      const exitCodeValue = exitSignal ? -1 : (exitCode ?? -1);
      resolve({
        exitCode: exitCodeValue,
        error: exitCodeValue === 0 ? '' : `bash ${describeExit(exitCode, exitSignal)}`,
        returnValueJson: '',
      });
    };
    child.once('close', finish);
    child.once('error', () => {
      // 'close' may never come when the spawn itself failed.
      if (child.pid === undefined) finish();
    });
  });

  return {
    pid: child.pid ?? 0,
    done,
    terminate: async (graceMs) => {
      if (child.pid !== undefined) await terminateGroup(child.pid, exited, graceMs);
    },
  };
}
