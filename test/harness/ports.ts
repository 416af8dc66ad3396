import { createServer } from 'node:net';

/**
 * Ports are picked below the kernel's ephemeral range (32768-60999 on Debian): a port the OS picks
 * for listen(0) is from that range, where every outgoing connection also takes its local port, so
 * on a loaded machine running many test files at once another process's connection could take it
 * between this pick and the listen of the server it is for (seen: a standalone server failing with
 * EADDRINUSE). Below the range only another pick can collide, and this process never picks a port
 * twice.
 */
const LOW = 20_000;
const HIGH = 32_000;
const picked = new Set<number>();

/** Whether 127.0.0.1:`port` can be listened on now (0: the OS picks one). Resolves with the port, or 0 when taken. */
function tryListen(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' || err.code === 'EACCES' ? resolve(0) : reject(err)));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const got = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(got));
    });
  });
}

/** A TCP port on 127.0.0.1 that was free a moment ago, below the ephemeral range when one is free there. */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (picked.has(port)) continue;
    if (await tryListen(port) === port) {
      picked.add(port);
      return port;
    }
  }
  const port = await tryListen(0);
  if (port === 0) throw new Error('freePort: no port assigned');
  return port;
}
