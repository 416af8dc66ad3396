/** Maps the configuration (core.*, scheduler.*, alerts.*, security.*, worker.heartbeat_interval) to startScheduler's options. */
import { remoteLogSettings } from './remote-log-options.js';
import { formatHostPort, parseDagsBundle, secretsContext, UpdraftError, type DagsBundleSpec, type ServerTlsOptions, type UpdraftConfig } from '@updraft/core';
import type { SchedulerOptions } from '@updraft/scheduler';

/** The WorkerService's TLS from security.tls_cert / tls_key / tls_ca (CA: mutual TLS). Undefined: plaintext. */
export function serverTlsFromConfig(cfg: UpdraftConfig): ServerTlsOptions | undefined {
  const { tlsCert, tlsKey, tlsCa } = cfg.security;
  if (!tlsCert && !tlsKey && !tlsCa) return undefined;
  if (!tlsCert || !tlsKey) {
    throw new UpdraftError('CONFIG_INVALID', 'security.tls_cert and security.tls_key must both be set for the scheduler to serve TLS (security.tls_ca alone is not enough)');
  }
  return { cert: tlsCert, key: tlsKey, ...(tlsCa ? { ca: tlsCa } : {}) };
}

/** core.dags_bundle, parsed (the config loader already checked it). */
export function dagsBundleOf(cfg: UpdraftConfig): DagsBundleSpec {
  const parsed = parseDagsBundle(cfg.core.dagsBundle);
  if (!parsed.ok) throw new UpdraftError('CONFIG_INVALID', `core.dags_bundle: expected ${parsed.problem}`);
  return parsed.spec;
}

export function schedulerOptionsFromConfig(
  cfg: UpdraftConfig,
  parts: Pick<SchedulerOptions, 'pool' | 'queue' | 'token' | 'logger'> & { listen?: string },
): SchedulerOptions {
  const remote = remoteLogSettings(cfg);
  const bundle = dagsBundleOf(cfg);
  return {
    ...parts,
    listen: parts.listen ?? formatHostPort(cfg.scheduler.grpcListen),
    tls: serverTlsFromConfig(cfg),
    dagProcessor: {
      dagsFolder: cfg.core.dagsFolder,
      defaultTimezone: cfg.core.defaultTimezone,
      parsingProcesses: cfg.core.parsingProcesses,
      fileTimeoutMs: cfg.core.dagFileProcessorTimeoutMs,
      bundleMaxBytes: cfg.core.dagsBundleMaxBytes,
    },
    dagDirListIntervalMs: cfg.core.dagDirListIntervalMs,
    ...(bundle.kind === 'git'
      ? { gitBundle: { spec: bundle, folder: cfg.core.dagsBundleGitFolder, refreshIntervalMs: cfg.core.dagsBundleRefreshIntervalMs } }
      : {}),
    engine: {
      heartbeatIntervalMs: cfg.worker.heartbeatIntervalMs,
      // Supervision runs at the end of engine ticks.
      tickIntervalMs: Math.min(1000, cfg.scheduler.supervisionIntervalMs),
      // Connections and variables for running tasks: the Fernet key, UPDRAFT_CONN_* / UPDRAFT_VAR_* of this process.
      secrets: secretsContext(cfg),
      maxXcomSize: cfg.core.maxXcomSize,
      maxMapLength: cfg.core.maxMapLength,
      publishWindow: cfg.scheduler.publishWindow,
      callbacks: {
        logFolder: cfg.logging.baseLogFolder,
        baseUrl: cfg.webserver.baseUrl || `http://${formatHostPort(cfg.webserver.listen)}`,
        timeoutMs: cfg.scheduler.callbackTimeoutMs,
      },
      alerts: {
        logFolder: cfg.logging.baseLogFolder,
        baseUrl: cfg.webserver.baseUrl || `http://${formatHostPort(cfg.webserver.listen)}`,
        maxAttempts: cfg.alerts.maxAttempts,
        retryDelayMs: cfg.alerts.retryDelayMs,
        sendTimeoutMs: cfg.alerts.sendTimeoutMs,
        groupWindowMs: cfg.alerts.groupWindowMs,
      },
    },
    cleanOlderThanDays: cfg.database.cleanOlderThanDays,
    logRetention: {
      secrets: secretsContext(cfg),
      logFolder: cfg.logging.baseLogFolder,
      retentionDays: cfg.logging.retentionDays,
      ...(remote ? { remoteLogs: { baseFolder: remote.baseFolder, connId: remote.connId } } : {}),
    },
    supervision: {
      workerHeartbeatTimeoutMs: cfg.scheduler.workerHeartbeatTimeoutMs,
      taskQueuedTimeoutMs: cfg.scheduler.taskQueuedTimeoutMs,
      maxRequeues: cfg.scheduler.maxRequeues,
      intervalMs: cfg.scheduler.supervisionIntervalMs,
      workerRetentionMs: cfg.scheduler.workerRetentionMs,
    },
  };
}
