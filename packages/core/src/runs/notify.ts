/**
 * The `updraft_dag_runs` notification channel: whoever creates a DAG run outside the scheduler
 * (CLI, webserver) or unpauses a DAG sends `NOTIFY updraft_dag_runs, '<dag_id>'`; the scheduler
 * LISTENs and starts the run at once instead of at its next tick.
 */
import pg from 'pg';
import type { Queryable } from '../db/types.js';
import { queryRows } from './sql.js';

export const DAG_RUNS_CHANNEL = 'updraft_dag_runs';

/** NOTIFY updraft_dag_runs with the DAG id as payload (delivered at commit inside a transaction). */
export async function notifyDagRuns(db: Queryable, dagId: string): Promise<void> {
  await queryRows(db, `notifying ${DAG_RUNS_CHANNEL}`, 'SELECT pg_notify($1, $2)', [DAG_RUNS_CHANNEL, dagId]);
}

export interface DagRunsListenerOptions {
  /** How to connect (e.g. `pool.options` of the scheduler's pool); a dedicated client is opened. */
  connection: pg.ClientConfig;
  /** Called with the DAG id of each notification. Must not throw. */
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
  /** Channel. Default DAG_RUNS_CHANNEL. */
  channel?: string;
}

export interface DagRunsListener {
  /** Resolves once the first LISTEN is in place (rejects when the first connection fails). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** A dedicated connection LISTENing on the channel, reconnecting with backoff if it drops. */
export function listenForDagRuns(o: DagRunsListenerOptions): DagRunsListener {
  const channel = o.channel ?? DAG_RUNS_CHANNEL;
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
    const c = new pg.Client(o.connection);
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
