/**
 * A dedicated connection that LISTENs on one notification channel and reconnects with backoff
 * when it drops (e.g. the scheduler listens on `updraft_dag_runs`, see sql/dag-runs.ts).
 */
import type pg from 'pg';
import { pgDriver } from './pg-driver.js';

export interface ListenerOptions {
  /** How to connect (e.g. `pool.options` of the scheduler's pool); a dedicated client is opened. */
  connection: pg.ClientConfig;
  /** Called with the payload of each notification. Must not throw. */
  onNotify: (dagId: string) => void;
  /**
   * Called after each successful connection but the first attempt's: notifications sent while
   * disconnected are lost, so the caller should look at the database once. Default: nothing.
   */
  onReconnect?: () => void;
  /** Connection problems (each one is followed by a reconnect). Default: ignored. */
  onError?: (err: Error) => void;
  /** First delay before reconnecting, doubled per failure up to maxReconnectDelayMs. Default 500. */
  reconnectDelayMs?: number;
  /** Default 10000. */
  maxReconnectDelayMs?: number;
  channel: string;
}

export interface Listener {
  /** Resolves once the first LISTEN is in place (rejects when the first connection fails). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** A dedicated connection LISTENing on the channel, reconnecting with backoff if it drops. */
export function listen(o: ListenerOptions): Listener {
  const channel = o.channel;
  const firstDelay = o.reconnectDelayMs ?? 500;
  const maxDelay = o.maxReconnectDelayMs ?? 10_000;
  let client: pg.Client | undefined;
  let closed = false;
  let delay = firstDelay;
  let timer: NodeJS.Timeout | undefined;
  let attempts = 0;

  const scheduleReconnect = (): void => {
    if (closed || timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      void connect().catch(() => undefined);
    }, delay);
    timer.unref();
    delay = Math.min(delay * 2, maxDelay);
  };

  const drop = (c: pg.Client, err: Error): void => {
    if (client !== c) return;
    client = undefined;
    o.onError?.(err);
    void c.end().catch(() => undefined);
    scheduleReconnect();
  };

  async function connect(): Promise<void> {
    const first = attempts++ === 0;
    const c = new (pgDriver().Client)(o.connection);
    client = c;
    c.on('error', (err) => drop(c, err));
    c.on('end', () => drop(c, new Error(`LISTEN ${channel}: connection closed`)));
    c.on('notification', (msg) => {
      if (msg.channel === channel) o.onNotify(msg.payload ?? '');
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${quoteIdent(channel)}`);
    } catch (err) {
      drop(c, err instanceof Error ? err : new Error(String(err)));
      throw err;
    }
    if (closed) {
      await c.end().catch(() => undefined);
      return;
    }
    delay = firstDelay;
    if (!first) o.onReconnect?.();
  }

  const ready = connect();
  ready.catch(() => undefined);
  return {
    ready,
    async close() {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
      const c = client;
      client = undefined;
      if (c !== undefined) await c.end().catch(() => undefined);
    },
  };
}
