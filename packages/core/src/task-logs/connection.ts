/**
 * The NATS connection of a task-log stream client (worker shipper, webserver, CLI): the same
 * settings as the task queue's (nats.url, credentials, TLS), reconnecting forever once connected.
 */
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { UpdraftError } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import { displayNatsUrl, natsSecurityOptions, type NatsAuthOptions, type NatsTlsOptions } from '../queue/jetstream-auth.js';

export interface TaskLogStreamOptions {
  /** NATS URL(s) (`nats.url`), comma-separated for a cluster. */
  url: string;
  /** Credentials (nats.user/password, nats.token, nats.creds_file). */
  auth?: NatsAuthOptions;
  /** TLS (nats.tls_ca, nats.tls_cert, nats.tls_key). */
  tls?: NatsTlsOptions;
  /** Connection name shown by the NATS server. Default `updraft-logs`. */
  name?: string;
  /** First connection attempt. Default 5000. */
  connectTimeoutMs?: number;
  /** JetStream API calls and publish acknowledgements. Default 5000. */
  requestTimeoutMs?: number;
  logger?: Logger;
}

export interface LogStreamConnection {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
}

/** Connects (one attempt, bounded by connectTimeoutMs); QUEUE_ERROR naming the server when it fails. */
export async function connectLogStream(o: TaskLogStreamOptions): Promise<LogStreamConnection> {
  if (!o.url || o.url.trim() === '') throw new UpdraftError('CONFIG_INVALID', 'task log stream: nats.url is empty');
  const timeout = o.requestTimeoutMs ?? 5000;
  const security = natsSecurityOptions(o.url, o.auth, o.tls);
  let attempt = 0;
  let nc: NatsConnection;
  try {
    nc = await connect({
      ...security,
      servers: o.url.split(',').map((s) => s.trim()),
      name: o.name ?? 'updraft-logs',
      timeout: o.connectTimeoutMs ?? 5000,
      maxReconnectAttempts: -1,
      reconnectDelayHandler: () => Math.min(2000, 250 * 2 ** Math.min(attempt++, 5)) * (0.75 + Math.random() / 2),
      pingInterval: 10_000,
      maxPingOut: 3,
    });
  } catch (err) {
    throw new UpdraftError('QUEUE_ERROR', `cannot connect to NATS at ${displayNatsUrl(o.url)}: ${(err as Error).message}`, { cause: err });
  }
  // Reset the backoff after each reconnect.
  void (async () => {
    for await (const s of nc.status()) if (s.type === 'reconnect') attempt = 0;
  })().catch(() => undefined);
  try {
    const jsm = await jetstreamManager(nc, { timeout });
    return { nc, jsm, js: jetstream(nc, { timeout }) };
  } catch (err) {
    await nc.close().catch(() => undefined);
    throw new UpdraftError('QUEUE_ERROR', `JetStream not available at ${displayNatsUrl(o.url)}: ${(err as Error).message}`, { cause: err });
  }
}
