/**
 * One LISTEN connection per webserver on the change channel (migration 0006's triggers), shared
 * by every open page: each notification goes to the subscribers whose DAG it names. The
 * connection is opened when the first page subscribes and closed when the last one leaves. If it
 * drops, it is opened again (backing off up to 5 s) and every subscriber is told to re-read
 * (`resync`), so nothing that changed meanwhile is missed.
 */
import type pg from 'pg';
import { gridSql, messageOf, type Logger, type Queryable } from '@updraft/core';

export interface ChangeEvent {
  /** ti | try | run | dag, or resync (re-read everything: changes may have been missed). */
  k: string;
  /** The DAGs touched; null means any DAG. */
  d: string[] | null;
}

export type ChangeListener = (event: ChangeEvent) => void;

export interface ChangeHub {
  /** Subscribes; dagId limits to events naming that DAG (or any). Returns the unsubscribe. */
  subscribe(dagId: string | null, listener: ChangeListener): () => void;
  close(): Promise<void>;
}

const hasConnect = (db: Queryable): db is Queryable & Pick<pg.Pool, 'connect'> => typeof (db as pg.Pool).connect === 'function';

export function createChangeHub(db: Queryable, logger?: Logger): ChangeHub {
  const subscribers = new Map<ChangeListener, string | null>();
  let client: pg.PoolClient | null = null;
  let connecting: Promise<void> | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let backoff = 250;
  let closed = false;

  const publish = (event: ChangeEvent) => {
    for (const [listener, dagId] of subscribers) {
      if (dagId === null || event.d === null || event.d.includes(dagId)) listener(event);
    }
  };

  const onNotification = (msg: pg.Notification) => {
    if (msg.channel !== gridSql.CHANGES_CHANNEL || !msg.payload) return;
    try {
      const parsed = JSON.parse(msg.payload) as ChangeEvent;
      publish({ k: String(parsed.k), d: Array.isArray(parsed.d) ? parsed.d.map(String) : null });
    } catch {
      publish({ k: 'resync', d: null });
    }
  };

  // Each client is released once: an error it emits after going back to the pool (the server ended
  // the connection) is the pool's to handle, no longer ours (our handler stays, as a no-op, so such
  // an error never goes unhandled).
  const released = new WeakSet<pg.PoolClient>();
  const drop = (c: pg.PoolClient, err?: unknown) => {
    if (released.has(c)) return;
    released.add(c);
    c.removeListener('notification', onNotification);
    c.release(err instanceof Error ? err : undefined);
  };

  const connect = (): Promise<void> => {
    connecting ??= (async () => {
      if (!hasConnect(db)) throw new Error('live updates need a connection pool (pg.Pool) to LISTEN on');
      const c: pg.PoolClient = await (db as pg.Pool).connect();
      // The pool may hand back a client this hub used and released before.
      released.delete(c);
      try {
        c.on('notification', onNotification);
        c.on('error', (err) => {
          if (released.has(c)) return;
          logger?.warn({ err: messageOf(err) }, 'live updates: the LISTEN connection failed; reconnecting');
          if (client === c) client = null;
          drop(c, err);
          scheduleReconnect();
        });
        await gridSql.listenForChanges(c);
      } catch (err) {
        drop(c, err);
        throw err;
      }
      client = c;
      backoff = 250;
    })().finally(() => {
      connecting = null;
    });
    return connecting;
  };

  const scheduleReconnect = () => {
    if (closed || subscribers.size === 0 || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect().then(
        () => publish({ k: 'resync', d: null }),
        () => {
          backoff = Math.min(backoff * 2, 5000);
          scheduleReconnect();
        },
      );
    }, backoff);
  };

  return {
    subscribe(dagId, listener) {
      subscribers.set(listener, dagId);
      if (!client && !connecting) {
        connect().catch((err: unknown) => {
          logger?.warn({ err: messageOf(err) }, 'live updates: could not LISTEN; retrying');
          scheduleReconnect();
        });
      }
      return () => {
        subscribers.delete(listener);
        if (subscribers.size === 0 && client) {
          const c = client;
          client = null;
          drop(c);
        }
      };
    },
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      subscribers.clear();
      await connecting?.catch(() => undefined);
      if (client) {
        drop(client);
        client = null;
      }
    },
  };
}
