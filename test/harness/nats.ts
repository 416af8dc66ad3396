/** Throwaway nats-server processes with JetStream, each with its own store dir and free port. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { killGroup, registerLeftover, unregisterLeftover } from './cleanup.js';
import { sleep, spawnServer, tailOf, type StartedChild } from './child.js';
import { freePort } from './ports.js';

export const NATS_SERVER_BIN = process.env.UPDRAFT_TEST_NATS_BIN ?? '/usr/sbin/nats-server';

export interface StartNatsOptions {
  /** Port on 127.0.0.1. Default: a free one. */
  port?: number;
  /** Extra command-line arguments for nats-server. */
  args?: string[];
  /** How long to wait for the server and JetStream to be ready. Default 30000. */
  startTimeoutMs?: number;
  /** Credentials the readiness check connects with (a server started with --user/--pass or --auth). */
  auth?: { user: string; pass: string } | { token: string };
}

export interface NatsServer {
  /** `nats://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** JetStream store directory (kept across restart()). */
  storeDir: string;
  logFile: string;
  /** Graceful stop (SIGTERM, waits for exit); removes the store unless `keepData`. Idempotent. */
  stop(options?: { keepData?: boolean }): Promise<void>;
  /** SIGKILL; the store is kept. */
  kill(): Promise<void>;
  /** Starts again on the same port with the same store; if running, stops it first. */
  restart(): Promise<void>;
}

/** Starts `nats-server -js` and waits until it accepts clients and JetStream answers. */
export async function startNats(options: StartNatsOptions = {}): Promise<NatsServer> {
  if (!existsSync(NATS_SERVER_BIN)) {
    throw new Error(`${NATS_SERVER_BIN} not found: install Debian's nats-server package (.ci/run does)`);
  }
  const base = mkdtempSync(join(tmpdir(), 'updraft-nats-'));
  const leftover = registerLeftover({ dir: base });
  const storeDir = join(base, 'store');
  const logFile = join(base, 'server.log');
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  let port = options.port ?? (await freePort());
  let server: StartedChild | undefined;

  const launch = async (again: boolean): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const args = ['-js', '-sd', storeDir, '-a', '127.0.0.1', '-p', String(port), ...(options.args ?? [])];
      const started = spawnServer(NATS_SERVER_BIN, args, { logFile, cwd: base });
      server = started;
      leftover.pgid = started.child.pid;
      if (await waitReady(`nats://127.0.0.1:${port}`, started, deadline, options.auth)) return;
      killGroup(started.child.pid ?? 0);
      leftover.pgid = undefined;
      if (Date.now() >= deadline) {
        throw new Error(`nats-server on port ${port} not ready within ${timeoutMs} ms:\n${tailOf(logFile)}`);
      }
      if (!again) {
        if (options.port !== undefined || !/address already in use/i.test(tailOf(logFile, 5))) {
          throw new Error(`nats-server exited at start:\n${tailOf(logFile)}`);
        }
        port = await freePort();
      }
      await sleep(100);
    }
  };
  await launch(false);

  let removed = false;
  const shutdown = async (): Promise<void> => {
    const current = server;
    if (!current || current.hasExited()) return;
    current.child.kill('SIGTERM');
    const timer = setTimeout(() => killGroup(current.child.pid ?? 0), 30_000);
    await current.exited;
    clearTimeout(timer);
    leftover.pgid = undefined;
  };

  return {
    get url() {
      return `nats://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    storeDir,
    logFile,
    async stop(stopOptions = {}) {
      if (removed) return;
      await shutdown();
      if (!stopOptions.keepData) {
        unregisterLeftover(leftover);
        rmSync(base, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
        removed = true;
      }
    },
    async kill() {
      const current = server;
      if (!current || current.hasExited()) return;
      killGroup(current.child.pid ?? 0);
      await current.exited;
      leftover.pgid = undefined;
    },
    async restart() {
      if (removed) throw new Error('restart(): this nats-server was stopped and its store removed');
      await shutdown();
      await launch(true);
    },
  };
}

/** True once a client connects and JetStream answers; false when the server exited or time ran out. */
async function waitReady(url: string, server: StartedChild, deadline: number, auth: StartNatsOptions['auth']): Promise<boolean> {
  while (Date.now() < deadline) {
    if (server.hasExited()) return false;
    try {
      const nc = await connect({ servers: url, reconnect: false, timeout: 2000, ...auth });
      try {
        const jsm = await jetstreamManager(nc, { timeout: 2000 });
        await jsm.getAccountInfo();
        return true;
      } finally {
        await nc.close();
      }
    } catch {
      await sleep(50);
    }
  }
  return false;
}
