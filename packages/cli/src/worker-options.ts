/** Maps the configuration (worker.*, logging.*, security.*) to the Worker's options object. */
import { formatHostPort, formatUmask, type UpdraftConfig } from '@updraft/core';
import type { WorkerOptions } from '@updraft/worker';

export function workerOptionsFromConfig(
  cfg: UpdraftConfig,
  overrides: { queues?: string[]; concurrency?: number; schedulerAddress?: string; name?: string },
): Omit<WorkerOptions, 'queue'> {
  return {
    schedulerAddress: overrides.schedulerAddress ?? formatHostPort(cfg.worker.schedulerAddress),
    token: cfg.security.workerToken,
    queues: overrides.queues ?? [...cfg.worker.queues],
    concurrency: overrides.concurrency ?? cfg.worker.concurrency,
    heartbeatIntervalMs: cfg.worker.heartbeatIntervalMs,
    logFolder: cfg.logging.baseLogFolder,
    dagCacheFolder: cfg.worker.dagCacheFolder,
    umask: formatUmask(cfg.worker.umask),
    ...(cfg.worker.runAsUser ? { runAsUser: cfg.worker.runAsUser } : {}),
    ...(cfg.worker.runAsGroup ? { runAsGroup: cfg.worker.runAsGroup } : {}),
    ...((overrides.name ?? cfg.worker.name) ? { workerName: overrides.name ?? cfg.worker.name } : {}),
    shutdownGracePeriodMs: cfg.worker.shutdownGracePeriodMs,
  };
}
