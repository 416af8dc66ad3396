/**
 * Brute-force guard of POST /api/v1/auth/login: at most `maxFailures` failed logins per username
 * and per client address within `windowMs`; past that a login is refused (429 with Retry-After)
 * until the oldest failure leaves the window. A success clears its username's count. The counts
 * live in this process's memory (docs/security.md): a restart forgets them, and each webserver of
 * several counts on its own.
 */

export interface LoginLimiterOptions {
  /** Default 10. */
  maxFailures?: number;
  /** Default 5 minutes. */
  windowMs?: number;
  /** Most keys remembered (then the oldest are dropped). Default 100,000. */
  maxKeys?: number;
}

export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly max: number;
  private readonly windowMs: number;
  private readonly maxKeys: number;

  constructor(o: LoginLimiterOptions = {}) {
    this.max = o.maxFailures ?? 10;
    this.windowMs = o.windowMs ?? 5 * 60_000;
    this.maxKeys = o.maxKeys ?? 100_000;
  }

  /** Seconds until a login for this username from this address may be tried again; 0: now. */
  retryAfter(username: string, address: string, now = Date.now()): number {
    let wait = 0;
    for (const key of [`u:${username}`, `a:${address}`]) {
      const times = this.recent(key, now);
      if (times.length >= this.max) wait = Math.max(wait, times[times.length - this.max]! + this.windowMs - now);
    }
    return wait > 0 ? Math.ceil(wait / 1000) : 0;
  }

  failed(username: string, address: string, now = Date.now()): void {
    for (const key of [`u:${username}`, `a:${address}`]) {
      const times = this.recent(key, now);
      times.push(now);
      this.failures.delete(key);
      this.failures.set(key, times.slice(-this.max));
    }
    while (this.failures.size > this.maxKeys) this.failures.delete(this.failures.keys().next().value!);
  }

  succeeded(username: string): void {
    this.failures.delete(`u:${username}`);
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => t > now - this.windowMs);
  }
}
