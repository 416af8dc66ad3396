/**
 * Start-up of a long-running component (`updraft scheduler`, `worker`, `webserver`, `standalone`):
 * a fatal start-up error (bad configuration, PostgreSQL or NATS unreachable or silent, a port that
 * cannot be bound) ends the process with exit code 1 and one line naming the component and the
 * cause, and the whole start is bounded by `core.startup_timeout`: a dependency that accepts the
 * connection and never answers cannot leave a process that a service manager reports as running.
 * Once the component is ready, lost connections are retried without limit (each component's own
 * reconnect logic); the guard is out of the way.
 */
import { formatDuration } from './output.js';

export interface StartupGuard {
  /** Names what the start waits for now (shown when the deadline passes). */
  step(what: string): void;
  /** Milliseconds left until the deadline (at least 1). */
  remainingMs(): number;
  /** The component is up: the deadline no longer applies. */
  ready(): void;
  /** Ends the process: `updraft: <component> cannot start: <message>`, exit code 1. */
  fail(err: unknown): never;
}

/** Writes `line` to stderr and exits with code 1 (pipes and files take the write synchronously). */
function exitWith(line: string): never {
  process.stderr.write(`${line}\n`);
  process.exit(1);
}

/**
 * Starts the deadline of a component's start (`timeoutMs`, config `core.startup_timeout`). When it
 * passes before ready(), `cleanup` gets a short grace to stop what was started (an embedded
 * database), then the process exits 1 with the step it was on.
 */
export function startupGuard(component: string, timeoutMs: number, cleanup?: () => Promise<void>): StartupGuard {
  const deadline = Date.now() + timeoutMs;
  let current = 'starting';
  let done = false;
  const timer = setTimeout(() => {
    if (done) return;
    done = true;
    const line =
      `updraft: ${component} did not start within ${formatDuration(timeoutMs)} (core.startup_timeout): ` +
      `still ${current}; exiting`;
    if (!cleanup) exitWith(line);
    const grace = setTimeout(() => exitWith(line), 5000);
    void cleanup().finally(() => {
      clearTimeout(grace);
      exitWith(line);
    });
  }, timeoutMs);
  return {
    step(what) {
      current = what;
    },
    remainingMs: () => Math.max(1, deadline - Date.now()),
    ready() {
      done = true;
      clearTimeout(timer);
    },
    fail(err) {
      done = true;
      clearTimeout(timer);
      return failStart(component, err);
    },
  };
}

/** Ends the process after a fatal start-up error: `updraft: <component> cannot start: <message>`, exit code 1. */
export function failStart(component: string, err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  if (process.env.UPDRAFT_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  return exitWith(`updraft: ${component} cannot start: ${message}`);
}
