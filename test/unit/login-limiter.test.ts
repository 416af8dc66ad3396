import { describe, expect, it } from 'vitest';
import { LoginLimiter } from '../../packages/webserver/src/auth/login-limiter.js';

describe('LoginLimiter', () => {
  it('counts failures per username and per address within the window; a success clears the username', () => {
    const l = new LoginLimiter({ maxFailures: 3, windowMs: 60_000 });
    const t = 1_000_000;
    l.failed('a', '10.0.0.1', t);
    l.failed('a', '10.0.0.2', t + 1);
    expect(l.retryAfter('a', '10.0.0.3', t + 2)).toBe(0);
    l.failed('a', '10.0.0.3', t + 2);
    expect(l.retryAfter('a', '10.0.0.9', t + 3)).toBe(60);
    expect(l.retryAfter('b', '10.0.0.9', t + 3)).toBe(0);
    expect(l.retryAfter('a', '10.0.0.9', t + 60_001)).toBe(0);
    l.succeeded('a');
    expect(l.retryAfter('a', '10.0.0.9', t + 3)).toBe(0);
    for (let i = 0; i < 3; i++) l.failed(`u${i}`, '10.0.0.5', t);
    expect(l.retryAfter('fresh', '10.0.0.5', t + 1000)).toBe(59);
  });
});
