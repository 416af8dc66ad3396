/**
 * How the JetStream adapter authenticates to NATS and secures the connection: user/password, a
 * token, or a `.creds` file (JWT + NKey seed), and TLS with an optional client certificate. The
 * values come from the configuration (nats.*), never from a URL on a command line.
 */
import { readFileSync } from 'node:fs';
import { credsAuthenticator, type Authenticator } from '@nats-io/transport-node';
import { UpdraftError } from '../errors.js';
import { maskUrlPassword } from '../config/list.js';

export interface NatsAuthOptions {
  /** User/password authentication (nats.user, nats.password). */
  user?: string;
  password?: string;
  /** Token authentication (nats.token). */
  token?: string;
  /** `.creds` file (nats.creds_file). */
  credsFile?: string;
}

export interface NatsTlsOptions {
  /** CA bundle verifying the server (nats.tls_ca). */
  caFile?: string;
  /** Client certificate and key for mutual TLS (nats.tls_cert, nats.tls_key). */
  certFile?: string;
  keyFile?: string;
}

/** The subset of the nats.js connection options these settings produce. */
export interface NatsSecurityOptions {
  user?: string;
  pass?: string;
  token?: string;
  authenticator?: Authenticator;
  tls?: { caFile?: string; certFile?: string; keyFile?: string } | null;
}

const nonEmpty = (s: string | undefined): s is string => typeof s === 'string' && s !== '';

/** Connection options for the given credentials and TLS; CONFIG_INVALID names a half-set pair. */
export function natsSecurityOptions(url: string, auth: NatsAuthOptions = {}, tls: NatsTlsOptions = {}): NatsSecurityOptions {
  const out: NatsSecurityOptions = {};
  const methods = [nonEmpty(auth.user) || nonEmpty(auth.password), nonEmpty(auth.token), nonEmpty(auth.credsFile)].filter(Boolean).length;
  if (methods > 1) {
    throw new UpdraftError('CONFIG_INVALID', 'NATS: set only one of nats.user/nats.password, nats.token and nats.creds_file');
  }
  if (nonEmpty(auth.user) !== nonEmpty(auth.password)) {
    throw new UpdraftError('CONFIG_INVALID', 'NATS: nats.user and nats.password go together (one of them is empty)');
  }
  if (nonEmpty(auth.user)) {
    out.user = auth.user;
    out.pass = auth.password;
  }
  if (nonEmpty(auth.token)) out.token = auth.token;
  if (nonEmpty(auth.credsFile)) {
    const file = auth.credsFile;
    let creds: Uint8Array;
    try {
      creds = readFileSync(file);
    } catch (err) {
      throw new UpdraftError('CONFIG_INVALID', `NATS: cannot read nats.creds_file ${file}: ${(err as Error).message}`, { cause: err });
    }
    out.authenticator = credsAuthenticator(creds);
  }
  if (nonEmpty(tls.certFile) !== nonEmpty(tls.keyFile)) {
    throw new UpdraftError('CONFIG_INVALID', 'NATS: nats.tls_cert and nats.tls_key go together (one of them is empty)');
  }
  const wantsTls = nonEmpty(tls.caFile) || nonEmpty(tls.certFile) || url.split(',').some((u) => u.trim().startsWith('tls://'));
  if (wantsTls) {
    out.tls = {
      ...(nonEmpty(tls.caFile) ? { caFile: tls.caFile } : {}),
      ...(nonEmpty(tls.certFile) ? { certFile: tls.certFile, keyFile: tls.keyFile } : {}),
    };
  }
  return out;
}

/** The NATS URL(s) as they may appear in logs and errors: passwords masked. */
export function displayNatsUrl(url: string): string {
  return url.split(',').map((u) => maskUrlPassword(u.trim())).join(',');
}
