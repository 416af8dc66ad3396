/**
 * The monitor's server-sent event hub over real HTTP: a client that stops reading does not make
 * the monitor buffer without bound; once more than MAX_BUFFERED_BYTES wait unsent its stream is
 * dropped (its page would reconnect and re-read), while a client that reads keeps its stream.
 */
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { LiveHub, MAX_BUFFERED_BYTES } from '../../packages/monitor/src/live/hub.js';

const hub = new LiveHub();
let server: Server | undefined;
const sockets: Socket[] = [];

afterAll(async () => {
  hub.close();
  for (const s of sockets) s.destroy();
  await new Promise((r) => server?.close(r));
});

describe('LiveHub', () => {
  it('drops a stream whose client stopped reading once too much waits unsent, keeps one that reads', async () => {
    server = createServer((req, res) => hub.attach(res, (fn) => req.once('close', fn)));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const open = (): Promise<Socket> => new Promise((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.write('GET /events HTTP/1.1\r\nHost: x\r\n\r\n');
        resolve(s);
      });
      sockets.push(s);
    });
    const reader = await open();
    let readBytes = 0;
    reader.on('data', (b: Buffer) => { readBytes += b.length; });
    const stalled = await open();
    stalled.pause();
    const stalledClosed = new Promise<void>((r) => stalled.once('close', () => r()));
    while (hub.size < 2) await new Promise((r) => setTimeout(r, 10));

    // 64 MB in 64 KiB events: far more than the kernel buffers between two sockets on one host.
    const chunk = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 1024; i++) {
      hub.publish('tasks', chunk);
      if (i % 16 === 0) await new Promise((r) => setImmediate(r));
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(hub.size).toBe(1);
    // Reading again, the dropped client gets what was sent before the drop, then the end.
    stalled.on('error', () => undefined);
    stalled.resume();
    await stalledClosed;
    expect(stalled.destroyed).toBe(true);
    expect(readBytes).toBeGreaterThan(MAX_BUFFERED_BYTES);
  }, 60_000);
});
