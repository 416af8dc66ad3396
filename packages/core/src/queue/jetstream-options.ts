/** Options, defaults and names of the JetStream queue adapter. */
import { UpdraftError } from '../errors.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import type { NatsAuthOptions, NatsTlsOptions } from './jetstream-auth.js';


export interface JetStreamQueueOptions {
  /** NATS URL (config `nats.url`), e.g. `nats://127.0.0.1:4222`; comma-separated for a cluster. */
  url: string;
  /** Stream holding all task messages. Default `UPDRAFT_TASKS`. */
  stream?: string;
  /** Subject prefix; queue `q` is subject `<prefix>.q`. Default `updraft.tasks`. */
  subjectPrefix?: string;
  /** Deliveries of one message before it is a dead letter. Default 5. */
  maxDeliver?: number;
  /** An unacked delivery is redelivered after this long unless extended by working(). Default 30000. */
  ackWaitMs?: number;
  /** Republishing the same attempt within this window is deduplicated by Nats-Msg-Id. Default 120000. */
  duplicateWindowMs?: number;
  /** Connection name shown by the NATS server (monitoring). Default `updraft`. */
  name?: string;
  /** How long publish() waits for the PubAck. Default 5000. */
  publishTimeoutMs?: number;
  /** How long JetStream API calls wait. Default 5000. */
  requestTimeoutMs?: number;
  /** How long the first connection attempt may take before failing. Default 10000. */
  connectTimeoutMs?: number;
  /** Unacked deliveries allowed per queue consumer (all workers of the queue). Default 10000. */
  maxAckPending?: number;
  /** Credentials (nats.user/password, nats.token, nats.creds_file). Default: none. */
  auth?: NatsAuthOptions;
  /** TLS (nats.tls_ca, nats.tls_cert, nats.tls_key); a `tls://` URL turns it on too. Default: none. */
  tls?: NatsTlsOptions;
  /** Default: silent. */
  logger?: Logger;
}

export type ResolvedJetStreamOptions = Required<JetStreamQueueOptions>;

export const JETSTREAM_DEFAULTS = {
  stream: 'UPDRAFT_TASKS',
  subjectPrefix: 'updraft.tasks',
  maxDeliver: 5,
  ackWaitMs: 30_000,
  duplicateWindowMs: 120_000,
  name: 'updraft',
  publishTimeoutMs: 5000,
  requestTimeoutMs: 5000,
  connectTimeoutMs: 10_000,
  maxAckPending: 10_000,
} as const;


export function resolveJetStreamOptions(o: JetStreamQueueOptions): ResolvedJetStreamOptions {
  const r: ResolvedJetStreamOptions = { ...JETSTREAM_DEFAULTS, logger: silentLogger, auth: {}, tls: {}, ...stripUndefined(o), url: o.url };
  if (typeof r.url !== 'string' || r.url.trim() === '') {
    throw new UpdraftError('CONFIG_INVALID', 'JetStream queue: nats.url is empty');
  }
  if (!/^[A-Za-z0-9_-]+$/.test(r.stream)) {
    throw new UpdraftError('CONFIG_INVALID', `JetStream queue: stream name ${JSON.stringify(r.stream)} may only hold A-Z a-z 0-9 _ -`);
  }
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(r.subjectPrefix)) {
    throw new UpdraftError('CONFIG_INVALID', `JetStream queue: subjectPrefix ${JSON.stringify(r.subjectPrefix)} is not a literal NATS subject`);
  }
  for (const key of ['maxDeliver', 'ackWaitMs', 'duplicateWindowMs', 'publishTimeoutMs', 'requestTimeoutMs', 'connectTimeoutMs', 'maxAckPending'] as const) {
    const v = r[key];
    if (!Number.isInteger(v) || v <= 0) {
      throw new UpdraftError('CONFIG_INVALID', `JetStream queue: ${key} must be a positive integer, got ${v}`);
    }
  }
  return r;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Subject of a queue's messages. */
export function queueSubject(prefix: string, queue: string): string {
  return `${prefix}.${queue}`;
}

/** Durable consumer shared by all workers of a queue. */
export function queueDurableName(queue: string): string {
  return `q_${queue.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}
