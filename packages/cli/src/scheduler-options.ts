/** Maps the configuration (core.*, scheduler.*, worker.heartbeat_interval, security.*) to startScheduler's options. */
import { formatHostPort, secretsContext, type UpdraftConfig } from '@updraft/core';
import type { SchedulerOptions } from '@updraft/scheduler';

export function schedulerOptionsFromConfig(
  cfg: UpdraftConfig,
  parts: Pick<SchedulerOptions, 'pool' | 'queue' | 'token' | 'logger'> & { listen?: string },
): SchedulerOptions {
  return {
    ...parts,
    listen: parts.listen ?? formatHostPort(cfg.scheduler.grpcListen),
    dagProcessor: {
      dagsFolder: cfg.core.dagsFolder,
      defaultTimezone: cfg.core.defaultTimezone,
      parsingProcesses: cfg.core.parsingProcesses,
      fileTimeoutMs: cfg.core.dagFileProcessorTimeoutMs,
    },
    dagDirListIntervalMs: cfg.core.dagDirListIntervalMs,
    engine: {
      heartbeatIntervalMs: cfg.worker.heartbeatIntervalMs,
      // Supervision runs at the end of engine ticks.
      tickIntervalMs: Math.min(1000, cfg.scheduler.supervisionIntervalMs),
      // Connections and variables for running tasks: the Fernet key, UPDRAFT_CONN_* / UPDRAFT_VAR_* of this process.
      secrets: secretsContext(cfg),
    },
    supervision: {
      workerHeartbeatTimeoutMs: cfg.scheduler.workerHeartbeatTimeoutMs,
      taskQueuedTimeoutMs: cfg.scheduler.taskQueuedTimeoutMs,
      maxRequeues: cfg.scheduler.maxRequeues,
      intervalMs: cfg.scheduler.supervisionIntervalMs,
    },
  };
}
