/**
 * Channel settings shared by the WorkerService client and server: keepalive so a dead peer (host
 * gone, cable pulled, NAT dropped the flow) is detected in well under a minute, and TLS credentials.
 */
import { readFileSync } from 'node:fs';
import { credentials, ServerCredentials, type ChannelCredentials, type ChannelOptions } from '@grpc/grpc-js';
import { RPC_LIMITS } from './limits.js';

/**
 * Client: ping every 20 s even when idle; a ping unanswered for 10 s drops the connection, failing
 * calls in flight with UNAVAILABLE. Reconnect backoff 0.25 s .. 1 s: a restarted scheduler must
 * hear from every worker well within its reconnect grace (supervision's reconnectGraceMs, 5 s) or
 * it would judge them silent; one connection attempt per second to a dead scheduler costs nothing.
 */
export const CLIENT_CHANNEL_OPTIONS: ChannelOptions = {
  'grpc.keepalive_time_ms': 20_000,
  'grpc.keepalive_timeout_ms': 10_000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.initial_reconnect_backoff_ms': 250,
  'grpc.max_reconnect_backoff_ms': 1000,
  // Channelz (gRPC's introspection service, which Updraft does not serve) costs bookkeeping on every call.
  'grpc.enable_channelz': 0,
  'grpc.max_receive_message_length': 64 * 1024 * 1024,
  'grpc.max_send_message_length': 64 * 1024 * 1024,
};

/**
 * Server: ping idle workers every 30 s, drop after 10 s without answer. Requests are small (every
 * field has a limit, RPC_LIMITS): a message over 8 MiB is refused by the transport before it is
 * decoded. Answers (a DAG file) may be larger.
 */
export const SERVER_CHANNEL_OPTIONS: ChannelOptions = {
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 10_000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.max_receive_message_length': RPC_LIMITS.maxRequestBytes,
  'grpc.enable_channelz': 0,
  'grpc.max_send_message_length': 64 * 1024 * 1024,
};

/** PEM material as file paths or contents. */
export type Pem = string | Buffer;

export interface ClientTlsOptions {
  /** CA bundle to verify the scheduler's certificate (default: system roots). */
  ca?: Pem;
  /** Client certificate and key for mTLS. */
  cert?: Pem;
  key?: Pem;
  /** Expected server name when it differs from the address host. */
  serverName?: string;
}

export interface ServerTlsOptions {
  cert: Pem;
  key: Pem;
  /** CA that signs worker certificates; with it, workers must present one (mTLS). */
  ca?: Pem;
}

/** A string starting with "-----BEGIN" is PEM content, anything else a file path. */
export function readPem(pem: Pem): Buffer {
  if (Buffer.isBuffer(pem)) return pem;
  return pem.trimStart().startsWith('-----BEGIN') ? Buffer.from(pem) : readFileSync(pem);
}

export function clientCredentials(tls: boolean | ClientTlsOptions | undefined): ChannelCredentials {
  if (!tls) return credentials.createInsecure();
  const o = tls === true ? {} : tls;
  return credentials.createSsl(
    o.ca ? readPem(o.ca) : null,
    o.key ? readPem(o.key) : null,
    o.cert ? readPem(o.cert) : null,
  );
}

export function clientTlsChannelOptions(tls: boolean | ClientTlsOptions | undefined): ChannelOptions {
  return typeof tls === 'object' && tls.serverName ? { 'grpc.ssl_target_name_override': tls.serverName } : {};
}

export function serverCredentials(tls: ServerTlsOptions | undefined): ServerCredentials {
  if (!tls) return ServerCredentials.createInsecure();
  return ServerCredentials.createSsl(
    tls.ca ? readPem(tls.ca) : null,
    [{ cert_chain: readPem(tls.cert), private_key: readPem(tls.key) }],
    tls.ca !== undefined,
  );
}
