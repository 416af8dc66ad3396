/**
 * The JetStream adapter authenticates to nats-server with the credentials of the configuration
 * (nats.user/nats.password, nats.token), and its errors never show a password.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJetStreamQueue, UpdraftError } from '@updraft/core';
import { startNats, type NatsServer } from '../harness/index.js';

let withUser: NatsServer;
let withToken: NatsServer;

beforeAll(async () => {
  [withUser, withToken] = await Promise.all([
    startNats({ args: ['--user', 'updraft', '--pass', 'nats-pw-1'], auth: { user: 'updraft', pass: 'nats-pw-1' } }),
    startNats({ args: ['--auth', 'nats-token-1'], auth: { token: 'nats-token-1' } }),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([withUser?.stop(), withToken?.stop()]);
});

async function failure(p: Promise<{ close(): Promise<void> }>): Promise<UpdraftError> {
  const err = await p.then(async (q) => {
    await q.close();
    return undefined;
  }, (e: unknown) => e);
  expect(err).toBeInstanceOf(UpdraftError);
  return err as UpdraftError;
}

describe('NATS credentials', () => {
  it('connects with user and password, and is refused without them', async () => {
    const q = await createJetStreamQueue({ url: withUser.url, auth: { user: 'updraft', password: 'nats-pw-1' }, connectTimeoutMs: 3000 });
    await q.close();
    const err = await failure(createJetStreamQueue({ url: withUser.url, connectTimeoutMs: 3000 }));
    expect(err.message).toMatch(/cannot connect to NATS at nats:\/\/127\.0\.0\.1:\d+: .*(auth|Authorization)/i);
  });

  it('connects with a token, and a wrong one is refused without echoing it', async () => {
    const q = await createJetStreamQueue({ url: withToken.url, auth: { token: 'nats-token-1' }, connectTimeoutMs: 3000 });
    await q.close();
    const err = await failure(createJetStreamQueue({ url: withToken.url, auth: { token: 'wrong-token-2' }, connectTimeoutMs: 3000 }));
    expect(err.message).not.toContain('wrong-token-2');
  });

  it('masks a password given in the URL in its errors', async () => {
    const url = withUser.url.replace('nats://', 'nats://updraft:url-pw-3@');
    const err = await failure(createJetStreamQueue({ url: url.replace('url-pw-3', 'url-pw-3x'), connectTimeoutMs: 3000 }));
    expect(err.message).not.toContain('url-pw-3x');
    expect(err.message).toContain('updraft:***@');
  });

  it('refuses half-set or conflicting credentials naming the keys', async () => {
    await expect(createJetStreamQueue({ url: withUser.url, auth: { user: 'updraft' } })).rejects.toThrow(/nats\.user and nats\.password go together/);
    await expect(createJetStreamQueue({ url: withUser.url, auth: { token: 't', user: 'u', password: 'p' } }))
      .rejects.toThrow(/only one of nats\.user\/nats\.password, nats\.token and nats\.creds_file/);
    await expect(createJetStreamQueue({ url: withUser.url, auth: { credsFile: '/nonexistent/x.creds' } })).rejects.toThrow(/cannot read nats\.creds_file/);
  });
});
