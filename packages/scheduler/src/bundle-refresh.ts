/**
 * The leader's refreshes of the DAG bundle: with a git bundle, a fetch every
 * `core.dags_bundle_refresh_interval` followed by a DAG-folder scan; and, for any bundle, the
 * answer to `updraft dags refresh` (LISTEN updraft_bundle_refresh, answer on
 * updraft_bundle_refreshed with the commit and version the refresh resulted in, or why it failed).
 * A failed fetch is logged and changes nothing: the last good commit stays current.
 */
import type pg from 'pg';
import { Coalescer, dagBundlesSql, listen, messageOf, type GitBundleSource, type Listener, type Logger } from '@updraft/core';

export interface BundleRefreshOptions {
  pool: pg.Pool;
  logger: Logger;
  /** The git bundle, or undefined for the DAGs folder. */
  git: GitBundleSource | undefined;
  /** Fetch interval of a git bundle. */
  intervalMs: number;
  /** How the bundle is named in answers and logs (credentials masked). */
  source: string;
  /** A scan after a fetch: resolves when its files are written, with the current version and commit. */
  scan: () => Promise<{ version: string | null; commit: string | null }>;
  /** Scan soon, without waiting (after a periodic fetch). */
  scanSoon: () => void;
  /** LISTEN for requests. Default true. */
  listenForRequests?: boolean;
}

export interface BundleRefresh {
  /** Fetch a git bundle now (before the first scan); a failure is logged, never thrown. */
  fetchNow(): Promise<void>;
  /** Fetch (a git bundle) and scan; resolves with what became current. Throws with a message naming the cause. */
  refresh(): Promise<{ version: string | null; commit: string | null }>;
  stop(): Promise<void>;
}

export function startBundleRefresh(o: BundleRefreshOptions): BundleRefresh {
  const log = o.logger;
  let lastFetchFailure: string | undefined;

  const fetchOnce = async (): Promise<void> => {
    if (!o.git) return;
    try {
      const commit = await o.git.fetch();
      if (lastFetchFailure !== undefined) log.info({ commit }, `DAG bundle ${o.source} fetched again`);
      lastFetchFailure = undefined;
    } catch (err) {
      // Logged once per distinct failure (the message names the cause, credentials masked).
      if (messageOf(err) !== lastFetchFailure) log.error({ err: messageOf(err) }, 'DAG bundle fetch failed: the last good commit stays current');
      lastFetchFailure = messageOf(err);
      throw err;
    }
  };

  // At most one fetch runs and one waits: ticks of the interval never pile up behind a slow remote.
  const fetches = new Coalescer<void>();
  const fetch = (): Promise<void> => fetches.run('fetch', fetchOnce);

  const refresh = async (): Promise<{ version: string | null; commit: string | null }> => {
    await fetch();
    return o.scan();
  };

  let stopped = false;
  const interval = o.git ? setInterval(() => void fetch().then(() => stopped || o.scanSoon(), () => undefined), o.intervalMs) : undefined;

  let listener: Listener | undefined;
  if (o.listenForRequests !== false) {
    listener = listen({
      channel: dagBundlesSql.BUNDLE_REFRESH_CHANNEL,
      connection: { ...o.pool.options, application_name: 'updraft-scheduler-bundle' },
      onNotify: (id) => {
        log.info({ request: id }, `DAG bundle refresh requested (${o.source})`);
        void refresh().then(
          (r) => ({ id, version: r.version, commit: r.commit, source: o.source, error: null }),
          (err: unknown) => ({ id, version: null, commit: null, source: o.source, error: messageOf(err) }),
        ).then((answer) => dagBundlesSql.answerBundleRefresh(o.pool, answer))
          .catch((err: unknown) => log.warn({ err: messageOf(err) }, 'could not answer a DAG bundle refresh request'));
      },
      onError: (err) => log.warn({ err }, `LISTEN ${dagBundlesSql.BUNDLE_REFRESH_CHANNEL} connection lost; reconnecting (\`updraft dags refresh\` waits meanwhile)`),
    });
    listener.ready.catch(() => undefined);
  }

  return {
    fetchNow: () => fetch().catch(() => undefined),
    refresh,
    async stop() {
      stopped = true;
      clearInterval(interval);
      await listener?.close();
    },
  };
}
