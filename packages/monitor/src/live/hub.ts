/**
 * Server-sent events to open pages: `workers` (the fleet changed: states, slots, attempts),
 * `tasks` (new task events, as data), `queues` (backlogs may have changed). Pages re-read what they
 * show on a signal and on every (re)connect (`ready`), so a dropped stream catches up.
 *
 * A client that does not read as fast as events come (a slow link, a page in a background tab)
 * would make its socket's send buffer grow without bound: once more than MAX_BUFFERED_BYTES wait
 * unsent, the stream is dropped instead. Its page reconnects (`retry: 1000`) and re-reads what it
 * shows on `ready`: it misses some task events, the monitor's memory stays bounded.
 */
import type { ServerResponse } from 'node:http';

export type HubTopic = 'workers' | 'tasks' | 'queues';

const KEEPALIVE_MS = 15_000;
/** Unsent bytes per stream past which the stream is dropped (its page reconnects and re-reads). */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

export class LiveHub {
  private readonly streams = new Set<ServerResponse>();
  private readonly keepalive: ReturnType<typeof setInterval>;

  constructor() {
    this.keepalive = setInterval(() => {
      for (const res of this.streams) this.send(res, ': keepalive\n\n');
    }, KEEPALIVE_MS);
    this.keepalive.unref();
  }

  get size(): number {
    return this.streams.size;
  }

  /** Takes over a response as an event stream until the client leaves. */
  attach(res: ServerResponse, onClose: (fn: () => void) => void): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 1000\n\nevent: ready\ndata: {}\n\n');
    this.streams.add(res);
    onClose(() => {
      this.streams.delete(res);
      if (!res.writableEnded) res.end();
    });
  }

  publish(topic: HubTopic, data: unknown = {}): void {
    if (this.streams.size === 0) return;
    const text = `event: ${topic}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const res of this.streams) this.send(res, text);
  }

  /** Writes to one stream, or drops the stream when it is too far behind. */
  private send(res: ServerResponse, text: string): void {
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      this.streams.delete(res);
      res.destroy();
      return;
    }
    res.write(text);
  }

  close(): void {
    clearInterval(this.keepalive);
    for (const res of this.streams) if (!res.writableEnded) res.end();
    this.streams.clear();
  }
}
