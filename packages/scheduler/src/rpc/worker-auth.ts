/**
 * Who is calling the WorkerService, and may it act as the worker it names?
 *
 *  - the token: the fleet's shared `security.worker_token` (any worker name), or a per-worker
 *    credential (`updraft workers credentials create NAME`, stored hashed) that binds the caller to
 *    NAME. Valid credentials are cached by hash; a revocation is announced by NOTIFY and drops the
 *    cache entry at once, so the revoked worker's next call is refused.
 *  - under mutual TLS, the client certificate must name the worker (CN or a DNS subjectAltName).
 *
 * A caller bound to a name may register only under that name, and may use only worker ids
 * registered under it (ids are looked up once and cached: an id never changes its name).
 */
import type pg from 'pg';
import {
  hashWorkerToken,
  listen,
  tokenMatches,
  workerCredentialsSql,
  workersSql,
  type Listener,
  type Logger,
} from '@updraft/core';

/** The identity a call proved. `undefined` constraints mean "any worker name". */
export interface WorkerPrincipal {
  /** The name a per-worker credential binds the caller to; undefined for the shared token. */
  credentialName: string | undefined;
  /** Names of the client certificate under mutual TLS; undefined without mutual TLS. */
  certificateNames: readonly string[] | undefined;
}

export interface WorkerAuthenticatorOptions {
  /** Where per-worker credentials and worker names are looked up. Without it: the shared token only. */
  pool?: pg.Pool;
  /** The shared token (security.worker_token); empty: only per-worker credentials are accepted. */
  sharedToken: string;
  logger: Logger;
  /** How long a valid credential is trusted without asking the database again. Default 60000 ms. */
  cacheTtlMs?: number;
  /** Listen for revocations (a dedicated connection). Default true. */
  listenForRevocations?: boolean;
}

/** Why a call is refused: answered as UNAUTHENTICATED (bad token) or PERMISSION_DENIED (wrong name). */
export class AuthRefusal extends Error {
  constructor(readonly kind: 'unauthenticated' | 'permission', message: string) {
    super(message);
  }
}

export class WorkerAuthenticator {
  private readonly credentials = new Map<string, { name: string; until: number }>();
  private readonly names = new Map<string, string>();
  private readonly ttlMs: number;
  private generation = 0;
  private listener: Listener | undefined;

  constructor(private readonly o: WorkerAuthenticatorOptions) {
    this.ttlMs = o.cacheTtlMs ?? 60_000;
    if (o.pool !== undefined && o.listenForRevocations !== false) {
      const channel = workerCredentialsSql.WORKER_CREDENTIALS_CHANNEL;
      this.listener = listen({
        channel,
        connection: { ...o.pool.options, application_name: 'updraft-scheduler-credentials' },
        onNotify: (name) => this.forget(name),
        // Revocations sent while disconnected are lost: trust nothing cached.
        onReconnect: () => this.forget(undefined),
        onError: (err) => {
          this.forget(undefined);
          o.logger.warn({ err }, `LISTEN ${channel} connection lost; reconnecting (credentials are checked in the database meanwhile)`);
        },
      });
      this.listener.ready.catch(() => undefined);
    }
  }

  /** Waits until revocations are heard (tests; the scheduler does not need to wait). */
  async ready(): Promise<void> {
    await this.listener?.ready;
  }

  async close(): Promise<void> {
    await this.listener?.close();
  }

  /** The principal of a presented token; AuthRefusal when it is missing, wrong or revoked. */
  async authenticate(token: string | undefined, certificateNames: readonly string[] | undefined): Promise<WorkerPrincipal> {
    if (token === undefined) {
      throw new AuthRefusal('unauthenticated', 'missing worker token (send metadata authorization: Bearer <security.worker_token>)');
    }
    if (this.o.sharedToken !== '' && tokenMatches(this.o.sharedToken, token)) {
      return { credentialName: undefined, certificateNames };
    }
    const name = this.o.pool === undefined ? null : await this.credentialName(this.o.pool, token);
    if (name === null) {
      throw new AuthRefusal('unauthenticated', 'wrong, unknown or revoked worker token (security.worker_token)');
    }
    return { credentialName: name, certificateNames };
  }

  /** Refuses (PERMISSION_DENIED) when the principal may not act as worker `name`. */
  assertMayActAs(p: WorkerPrincipal, name: string): void {
    if (p.credentialName !== undefined && p.credentialName !== name) {
      throw new AuthRefusal('permission', `this worker credential belongs to worker '${p.credentialName}', not '${name}' (set worker.name = ${p.credentialName})`);
    }
    if (p.certificateNames !== undefined && !p.certificateNames.includes(name)) {
      const named = p.certificateNames.length > 0 ? p.certificateNames.join(', ') : 'nothing';
      throw new AuthRefusal('permission', `the client certificate names ${named}, not worker '${name}' (its CN or a DNS subjectAltName must be the worker name)`);
    }
  }

  /** Whether the principal is bound to a name at all (then worker ids must be checked). */
  isBound(p: WorkerPrincipal): boolean {
    return p.credentialName !== undefined || p.certificateNames !== undefined;
  }

  /** The name of a worker id (undefined: unknown id). */
  async workerName(workerId: string): Promise<string | undefined> {
    const known = this.names.get(workerId);
    if (known !== undefined || this.o.pool === undefined) return known;
    const found = (await workersSql.workerNamesById(this.o.pool, [workerId])).get(workerId);
    if (found !== undefined) {
      if (this.names.size > 100_000) this.names.clear();
      this.names.set(workerId, found);
    }
    return found;
  }

  /** Remembers the name of an id the engine just handed out. */
  rememberWorker(workerId: string, name: string): void {
    this.names.set(workerId, name);
  }

  private async credentialName(pool: pg.Pool, token: string): Promise<string | null> {
    const hash = hashWorkerToken(token);
    const cached = this.credentials.get(hash);
    if (cached !== undefined && cached.until > Date.now()) return cached.name;
    const generation = this.generation;
    const name = await workerCredentialsSql.findValidCredential(pool, hash);
    // A revocation heard while the lookup ran may concern this very token: do not cache it.
    if (name !== null && generation === this.generation) this.credentials.set(hash, { name, until: Date.now() + this.ttlMs });
    return name;
  }

  private forget(name: string | undefined): void {
    this.generation++;
    if (name === undefined) this.credentials.clear();
    else for (const [hash, c] of this.credentials) if (c.name === name) this.credentials.delete(hash);
  }
}
