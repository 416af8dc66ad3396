/**
 * The task queue a command uses: JetStream at `nats.url`, or (empty URL) the in-process queue,
 * which only makes sense when scheduler and worker share a process (`updraft standalone`).
 */
import { messageOf, UpdraftError, type Logger, type TaskQueue, type UpdraftConfig } from '@updraft/core/data';
import { createJetStreamQueue, createMemoryQueue, silentLogger, type TaskLogStreamOptions } from '@updraft/core/queue';

export async function openQueue(
  cfg: UpdraftConfig,
  options: { logger: Logger; allowInProcess: boolean; role: string; connectTimeoutMs?: number },
): Promise<TaskQueue> {
  if (cfg.nats.url) {
    return createJetStreamQueue({
      url: cfg.nats.url,
      stream: cfg.nats.stream,
      subjectPrefix: cfg.nats.subjectPrefix,
      maxDeliver: cfg.nats.maxDeliver,
      ackWaitMs: cfg.nats.ackWaitMs,
      name: `updraft-${options.role}`,
      auth: { user: cfg.nats.user, password: cfg.nats.password, token: cfg.nats.token, credsFile: cfg.nats.credsFile },
      tls: { caFile: cfg.nats.tlsCa, certFile: cfg.nats.tlsCert, keyFile: cfg.nats.tlsKey },
      logger: options.logger,
      ...(options.connectTimeoutMs !== undefined ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
    });
  }
  if (!options.allowInProcess) {
    throw new UpdraftError(
      'CONFIG_INVALID',
      `nats.url is empty: \`updraft ${options.role}\` runs on its own and needs NATS JetStream. ` +
        'Set UPDRAFT__NATS__URL (e.g. nats://127.0.0.1:4222), or use `updraft standalone` for the in-process queue.',
    );
  }
  return createMemoryQueue({ maxDeliver: cfg.nats.maxDeliver, ackWaitMs: cfg.nats.ackWaitMs });
}

/**
 * The connection settings of the task-log stream (the same NATS as the queue), or undefined when
 * `nats.url` is empty (standalone's in-process queue: every log is a local file).
 */
export function logStreamOptions(cfg: UpdraftConfig, role: string, logger?: Logger): TaskLogStreamOptions | undefined {
  if (!cfg.nats.url) return undefined;
  return {
    url: cfg.nats.url,
    name: `updraft-${role}-logs`,
    auth: { user: cfg.nats.user, password: cfg.nats.password, token: cfg.nats.token, credsFile: cfg.nats.credsFile },
    tls: { caFile: cfg.nats.tlsCa, certFile: cfg.nats.tlsCert, keyFile: cfg.nats.tlsKey },
    ...(logger ? { logger } : {}),
  };
}

/**
 * Wakes workers after a CLI command recorded controls for them, as the monitor and webserver do:
 * each worker heartbeats at once and applies its controls, instead of at its next heartbeat.
 * Best effort: without `nats.url` (standalone's in-process queue), or when NATS cannot be reached,
 * the controls apply at the next heartbeat. Resolves with whether the wake-ups were sent.
 */
export async function wakeWorkers(cfg: UpdraftConfig, workerIds: readonly string[], logger?: Logger): Promise<boolean> {
  if (!cfg.nats.url || workerIds.length === 0) return false;
  let queue: TaskQueue;
  try {
    queue = await openQueue(cfg, { logger: logger ?? silentLogger, allowInProcess: false, role: 'cli', connectTimeoutMs: 3000 });
  } catch (err) {
    process.stderr.write(`updraft: could not wake the worker over NATS (${messageOf(err)}); it applies the change at its next heartbeat\n`);
    return false;
  }
  try {
    for (const id of new Set(workerIds)) queue.wake(id);
  } finally {
    await queue.close();
  }
  return true;
}
