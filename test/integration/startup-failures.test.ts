/**
 * A component that cannot start says so and exits (real processes): a NATS that accepts TCP and
 * never answers (a "black hole" listener), a PostgreSQL that does the same, a taken gRPC or HTTP
 * port, a bad configuration value. Each ends `updraft scheduler` / `worker` / `webserver` with exit
 * code 1 and a line naming the component and the cause; a process still running when the test's
 * own limit (far above core.startup_timeout) passes is a failure.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ENTRY, createTestDatabase, runCli, startNats, type CliResult, type NatsServer, type TestDatabase } from '../harness/index.js';

/** This process's environment without UPDRAFT_* settings (as runCli does). */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('UPDRAFT__') && k !== 'UPDRAFT_CONFIG'));
}

/** A TCP listener that accepts connections and never writes a byte. */
async function blackHole(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port held by a plain listener (so binding it fails with EADDRINUSE). */
async function takenPort(): Promise<{ port: number; close(): Promise<void> }> {
  return blackHole();
}

describe('fatal start-up errors end the process', () => {
  let db: TestDatabase;
  let nats: NatsServer;
  let hole: Awaited<ReturnType<typeof blackHole>>;
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    [db, nats, hole] = await Promise.all([createTestDatabase(), startNats(), blackHole()]);
    dir = mkdtempSync(join(tmpdir(), 'updraft-startup-'));
    mkdirSync(join(dir, 'dags'));
    env = {
      UPDRAFT__DATABASE__URL: db.url,
      UPDRAFT__NATS__URL: nats.url,
      UPDRAFT__SECURITY__WORKER_TOKEN: 'startup-test-token',
      UPDRAFT__CORE__DAGS_FOLDER: join(dir, 'dags'),
      UPDRAFT__CORE__STARTUP_TIMEOUT: '4s',
      UPDRAFT__SCHEDULER__GRPC_LISTEN: '127.0.0.1:0',
      UPDRAFT__WEBSERVER__LISTEN: '127.0.0.1:0',
      UPDRAFT__WORKER__DAG_CACHE_FOLDER: join(dir, 'dag-cache'),
    };
  });
  afterAll(async () => {
    await hole?.close();
    await nats?.stop();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const run = (args: string[], extra: Record<string, string>): Promise<CliResult> =>
    runCli(args, { env: { ...env, ...extra }, cwd: dir, timeoutMs: 45_000 });

  const expectExit1 = (r: CliResult, pattern: RegExp): void => {
    expect(r.timedOut, `still running; stderr: ${r.stderr}`).toBe(false);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr).not.toMatch(/^\s+at /m); // a message, not a stack trace
  };

  it('scheduler: NATS accepts the connection and never answers', async () => {
    const r = await run(['scheduler'], { UPDRAFT__NATS__URL: `nats://127.0.0.1:${hole.port}` });
    expectExit1(r, new RegExp(`updraft: scheduler (did not start within 4\\.0 s \\(core\\.startup_timeout\\): still connecting to NATS|cannot start: cannot connect to NATS) at nats://127\\.0\\.0\\.1:${hole.port}`));
  });

  it('worker: NATS accepts the connection and never answers', async () => {
    const r = await run(['worker', '--name', 'bh-worker'], { UPDRAFT__NATS__URL: `nats://127.0.0.1:${hole.port}` });
    expectExit1(r, new RegExp(`updraft: worker (did not start within 4\\.0 s \\(core\\.startup_timeout\\): still connecting to NATS|cannot start: cannot connect to NATS) at nats://127\\.0\\.0\\.1:${hole.port}`));
  });

  it('scheduler and webserver: PostgreSQL accepts the connection and never answers (password masked)', async () => {
    const url = `postgres://updraft:hunter2@127.0.0.1:${hole.port}/updraft`;
    for (const component of ['scheduler', 'webserver']) {
      const r = await run([component], { UPDRAFT__DATABASE__URL: url });
      expectExit1(r, new RegExp(`updraft: ${component} (did not start within 4\\.0 s \\(core\\.startup_timeout\\): still waiting for PostgreSQL|cannot start: database) .*127\\.0\\.0\\.1:${hole.port}`));
      expect(r.stderr).not.toContain('hunter2');
    }
  });

  it('scheduler: PostgreSQL refuses connections (down)', async () => {
    const closed = await takenPort();
    await closed.close(); // nothing listens there now
    const r = await run(['scheduler'], { UPDRAFT__DATABASE__URL: `postgres://updraft@127.0.0.1:${closed.port}/updraft` });
    expectExit1(r, /updraft: scheduler (cannot start: database .* not reachable|did not start within 4\.0 s .* still waiting for PostgreSQL)/);
  });

  it('scheduler: the gRPC port is taken; webserver: the HTTP port is taken', async () => {
    const taken = await takenPort();
    try {
      const s = await run(['scheduler'], { UPDRAFT__SCHEDULER__GRPC_LISTEN: `127.0.0.1:${taken.port}` });
      expectExit1(s, new RegExp(`updraft: scheduler cannot start: .*127\\.0\\.0\\.1:${taken.port}`));
      const w = await run(['webserver'], { UPDRAFT__WEBSERVER__LISTEN: `127.0.0.1:${taken.port}` });
      expectExit1(w, /updraft: webserver cannot start: .*(EADDRINUSE|in use)/);
    } finally {
      await taken.close();
    }
  });

  it('a bad configuration value names the key', async () => {
    for (const component of ['scheduler', 'worker', 'webserver']) {
      const r = await run([component], { UPDRAFT__CORE__STARTUP_TIMEOUT: 'soon' });
      expectExit1(r, new RegExp(`updraft: ${component} cannot start: .*core\\.startup_timeout = "soon"`));
    }
  });

  it('a scheduler that starts logs readable lines with logging.format = pretty, JSON lines when auto and piped', async () => {
    const startAndStop = async (format: string): Promise<string> => {
      const child = spawn(process.execPath, [CLI_ENTRY, 'scheduler'], {
        cwd: dir,
        env: { ...cleanEnv(), ...env, UPDRAFT__LOGGING__FORMAT: format },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const deadline = Date.now() + 60_000;
      while (!/scheduler is now the leader/.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
      child.kill('SIGTERM');
      await exited;
      return out;
    };
    const pretty = await startAndStop('pretty');
    expect(pretty).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}scheduler: scheduler is now the leader {2}.*port=\d+/m);
    expect(pretty).not.toContain('\x1b['); // no colours when stdout is not a terminal
    const json = await startAndStop('auto');
    const leader = json.split('\n').find((l) => l.includes('scheduler is now the leader'))!;
    expect(JSON.parse(leader)).toMatchObject({ level: 30, name: 'scheduler', msg: 'scheduler is now the leader' });
  });

  it('core.startup_timeout defaults to 30 s', async () => {
    const r = await runCli(['config', 'get', 'core', 'startup_timeout'], { env: {}, cwd: dir });
    expect(r.stdout.trim()).toBe('30s');
  });
});
