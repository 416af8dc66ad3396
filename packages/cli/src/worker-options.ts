/** Maps the configuration (worker.*, logging.*, security.*) to the Worker's options object. */
import { remoteLogSettings } from './remote-log-options.js';
import { formatUmask, UpdraftError, type ClientTlsOptions, type UpdraftConfig } from '@updraft/core';
import type { QueueOverride, WorkerOptions } from '@updraft/worker';
import { logStreamOptions } from './queue.js';

/** `etl:umask=0002;run_as_user=etl` entries of worker.queue_overrides (validated by the config). */
export function parseQueueOverrides(entries: readonly string[]): Record<string, QueueOverride> {
  const out: Record<string, QueueOverride> = {};
  for (const entry of entries) {
    const [queue = '', settings = ''] = entry.split(':');
    const o: QueueOverride = (out[queue] ??= {});
    for (const pair of settings.split(';').filter(Boolean)) {
      const [key, value = ''] = pair.split('=');
      if (key === 'umask') o.umask = value;
      else if (key === 'run_as_user') o.runAsUser = value;
      else if (key === 'run_as_group') o.runAsGroup = value;
    }
  }
  return out;
}

/**
 * TLS to the scheduler from security.tls_ca (verifies the scheduler; turns TLS on),
 * security.tls_cert / tls_key (the worker's certificate for mutual TLS) and security.tls_server_name.
 */
export function clientTlsFromConfig(cfg: UpdraftConfig): ClientTlsOptions | undefined {
  const { tlsCert, tlsKey, tlsCa, tlsServerName } = cfg.security;
  if (!tlsCert && !tlsKey && !tlsCa) return undefined;
  if (Boolean(tlsCert) !== Boolean(tlsKey)) {
    throw new UpdraftError('CONFIG_INVALID', 'security.tls_cert and security.tls_key go together (the worker\'s certificate for mutual TLS): one of them is empty');
  }
  return {
    ...(tlsCa ? { ca: tlsCa } : {}),
    ...(tlsCert ? { cert: tlsCert, key: tlsKey } : {}),
    ...(tlsServerName ? { serverName: tlsServerName } : {}),
  };
}

export function workerOptionsFromConfig(
  cfg: UpdraftConfig,
  overrides: { queues?: string[]; concurrency?: number; schedulerAddress?: string; name?: string },
): Omit<WorkerOptions, 'queue'> {
  const remote = remoteLogSettings(cfg);
  return {
    schedulerAddress: overrides.schedulerAddress ?? [...cfg.worker.schedulerAddress],
    token: cfg.security.workerToken,
    tls: clientTlsFromConfig(cfg),
    allowRootTasks: cfg.worker.allowRootTasks,
    queues: overrides.queues ?? [...cfg.worker.queues],
    concurrency: overrides.concurrency ?? cfg.worker.concurrency,
    heartbeatIntervalMs: cfg.worker.heartbeatIntervalMs,
    logFolder: cfg.logging.baseLogFolder,
    logRetentionDays: cfg.logging.retentionDays,
    ...(cfg.nats.url ? { logStream: { ...logStreamOptions(cfg, 'worker')!, retentionDays: cfg.logging.retentionDays } } : {}),
    ...(remote ? { remoteLogs: remote } : {}),
    dagCacheFolder: cfg.worker.dagCacheFolder,
    bundleCacheKeep: cfg.worker.bundleCacheKeep,
    umask: formatUmask(cfg.worker.umask),
    ...(cfg.worker.runAsUser ? { runAsUser: cfg.worker.runAsUser } : {}),
    ...(cfg.worker.runAsGroup ? { runAsGroup: cfg.worker.runAsGroup } : {}),
    ...((overrides.name ?? cfg.worker.name) ? { workerName: overrides.name ?? cfg.worker.name } : {}),
    shutdownGracePeriodMs: cfg.worker.shutdownGracePeriodMs,
    queueOverrides: parseQueueOverrides(cfg.worker.queueOverrides),
  };
}

