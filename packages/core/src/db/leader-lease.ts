/**
 * Leader election between schedulers: one holds a session-level advisory lock on a dedicated
 * connection (sql/scheduler-lock.ts), the others wait for it in a blocking lock call (hot standby:
 * the lock is theirs the moment the leader's session ends).
 *
 * How a leader that cannot see the database steps down before a standby takes over:
 *  - the leader pings its lock session every `checkIntervalMs` and gives up leadership when a ping
 *    fails or takes longer than `checkTimeoutMs` (default 1 s + 2 s: at most about 3 s);
 *  - the server ends a silent session only later: TCP keepalive after 2 s idle, probes every 1 s,
 *    3 lost, and tcp_user_timeout 5 s for unacknowledged data (at least about 5 s).
 * A process killed outright closes its socket, so the lock passes within milliseconds.
 */
import type pg from 'pg';
import { pgDriver } from './pg-driver.js';
import { messageOf, sleep } from '../lib.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import { pingSchedulerLock, tryAcquireSchedulerLock, waitForSchedulerLock } from '../sql/scheduler-lock.js';

/** Server-side settings of the lock session: a dead leader's session ends (and frees the lock) in about 5 s. */
const SESSION_SETTINGS = '-c tcp_keepalives_idle=2 -c tcp_keepalives_interval=1 -c tcp_keepalives_count=3 -c tcp_user_timeout=5000';

export interface LeaderLeaseOptions {
  /** How to connect (e.g. the pool's options); a dedicated client is opened. */
  connection: pg.ClientConfig;
  /** Default 1000 ms. */
  checkIntervalMs?: number;
  /** Default 2000 ms. */
  checkTimeoutMs?: number;
  /** Delay before trying again after a connection failure. Default 1000 ms. */
  retryDelayMs?: number;
  logger?: Logger;
}

export interface LeaderLease {
  /** Resolves (with the reason) when leadership is lost: the session failed or stopped answering. */
  readonly lost: Promise<Error>;
  /** Gives the lock up (ends the session). */
  release(): Promise<void>;
}

export interface LeaderCandidate {
  /**
   * Takes the lock at once if it is free; undefined when another process leads (then `campaign`
   * waits for it). Throws when the database cannot be reached.
   */
  tryAcquire(): Promise<LeaderLease | undefined>;
  /** Waits until the lock is this process's (retrying through database outages), or `signal` aborts. */
  campaign(signal: AbortSignal): Promise<LeaderLease | undefined>;
}

export function leaderCandidate(o: LeaderLeaseOptions): LeaderCandidate {
  const log = o.logger ?? silentLogger;
  const checkIntervalMs = o.checkIntervalMs ?? 1000;
  const checkTimeoutMs = o.checkTimeoutMs ?? 2000;
  const retryDelayMs = o.retryDelayMs ?? 1000;
  const options = [o.connection.options, SESSION_SETTINGS].filter(Boolean).join(' ');

  async function open(): Promise<pg.Client> {
    const client = new (pgDriver().Client)({ ...o.connection, options, keepAlive: true, application_name: 'updraft-scheduler-leader' });
    client.on('error', () => undefined); // reported through the lease's checks
    await client.connect();
    return client;
  }

  function hold(client: pg.Client): LeaderLease {
    let released = false;
    let timer: NodeJS.Timeout | undefined;
    let resolveLost: (err: Error) => void = () => undefined;
    const lost = new Promise<Error>((resolve) => (resolveLost = resolve));
    const lose = (err: Error): void => {
      if (released) return;
      released = true;
      clearTimeout(timer);
      resolveLost(err);
      // Whatever state the session is in, it must not hold the lock any more.
      void client.end().catch(() => undefined);
    };
    client.on('error', (err) => lose(err));
    client.on('end', () => lose(new Error('the leader lock connection closed')));
    const check = (): void => {
      timer = setTimeout(() => {
        let answered = false;
        const deadline = setTimeout(() => {
          if (!answered) lose(new Error(`the leader lock connection did not answer within ${checkTimeoutMs} ms`));
        }, checkTimeoutMs);
        pingSchedulerLock(client).then(
          () => {
            answered = true;
            clearTimeout(deadline);
            if (!released) check();
          },
          (err: unknown) => {
            answered = true;
            clearTimeout(deadline);
            lose(err instanceof Error ? err : new Error(messageOf(err)));
          },
        );
      }, checkIntervalMs);
      timer.unref();
    };
    check();
    return {
      lost,
      async release() {
        if (released) return;
        released = true;
        clearTimeout(timer);
        resolveLost(new Error('released'));
        await client.end().catch(() => undefined);
      },
    };
  }

  return {
    async tryAcquire() {
      const client = await open();
      try {
        if (await tryAcquireSchedulerLock(client)) return hold(client);
      } catch (err) {
        await client.end().catch(() => undefined);
        throw err;
      }
      await client.end().catch(() => undefined);
      return undefined;
    },

    async campaign(signal) {
      while (!signal.aborted) {
        let client: pg.Client | undefined;
        const abort = (): void => void client?.end().catch(() => undefined);
        signal.addEventListener('abort', abort, { once: true });
        try {
          client = await open();
          if (!signal.aborted) await waitForSchedulerLock(client);
          if (signal.aborted) {
            await client.end().catch(() => undefined);
            break;
          }
          return hold(client);
        } catch (err) {
          await client?.end().catch(() => undefined);
          client = undefined;
          if (signal.aborted) break;
          log.warn({ err: messageOf(err), retryInMs: retryDelayMs }, 'waiting for the scheduler leader lock failed; trying again');
          await sleep(retryDelayMs);
        } finally {
          signal.removeEventListener('abort', abort);
        }
      }
      return undefined;
    },
  };
}
