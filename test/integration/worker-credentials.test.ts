/**
 * Per-worker credentials against a real scheduler (in-process, real gRPC, PostgreSQL, nats-server)
 * and `updraft workers credentials` from the CLI: a token is bound to its worker name, stored
 * hashed, and a revocation refuses the worker's next call; its running task becomes a zombie by the
 * normal rules. The shared token keeps working beside them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { credentials, Metadata } from '@grpc/grpc-js';
import { createWorkerServiceClient, GrpcStatus, hashWorkerToken, proto } from '@updraft/core';
import { UpdraftRpcError } from '@updraft/core/internal';
import { runCli } from '../harness/index.js';
import { startSupervisedStack, ti, waitForFlag, waitUntil, type SupervisedStack } from './supervision-support.js';

let stack: SupervisedStack;
let env: Record<string, string>;

beforeAll(async () => {
  stack = await startSupervisedStack();
  env = { UPDRAFT__DATABASE__URL: stack.db.url };
  await stack.addDag('creds', [{ taskId: 'long', body: waitForFlag(stack.path('long.flag')) }]);
}, 120_000);

afterAll(async () => {
  writeFileSync(stack.path('long.flag'), '');
  await stack?.stop();
});

async function createCredential(name: string, extra: string[] = []): Promise<string> {
  const r = await runCli(['workers', 'credentials', 'create', name, ...extra], { env });
  expect(r.code, r.stderr).toBe(0);
  const token = r.stdout.split('\n')[0]!;
  expect(token).toMatch(/^updraft_wc_[A-Za-z0-9_-]{43}$/);
  expect(r.stderr).toContain(`UPDRAFT__WORKER__NAME=${name}`);
  return token;
}

describe('per-worker credentials', () => {
  it('are stored hashed, listed without the token, and not issued twice without --replace', async () => {
    const token = await createCredential('cred-listed');
    const { rows } = await stack.db.pool.query<{ token_hash: string }>('SELECT token_hash FROM worker_credential WHERE worker_name = $1', ['cred-listed']);
    expect(rows).toEqual([{ token_hash: hashWorkerToken(token) }]);
    const again = await runCli(['workers', 'credentials', 'create', 'cred-listed'], { env });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already has a valid credential.*--replace/);
    const replaced = await createCredential('cred-listed', ['--replace']);
    expect(replaced).not.toBe(token);
    const list = await runCli(['workers', 'credentials', 'list'], { env });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/cred-listed\s+valid/);
    expect(list.stdout).not.toContain(replaced);
    const bad = await runCli(['workers', 'credentials', 'create', 'no spaces'], { env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/NAME .no spaces. is not a valid worker name/);
  });

  it('bind the token to its worker name: another name is refused with the reason', async () => {
    const token = await createCredential('cred-bound');
    const err = await stack.startWorker('cred-other', { token }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/refused to register worker cred-other.*belongs to worker 'cred-bound'/);
  });

  it('a revoked token is refused at its next call, and its running task becomes a zombie', async () => {
    const token = await createCredential('cred-revoked');
    const { worker } = await stack.startWorker('cred-revoked', { token });
    const runId = await stack.trigger('creds');
    await waitUntil('the task running on cred-revoked', async () => ((await ti(stack, 'creds', runId, 'long'))?.state === 'running' ? true : undefined));

    // An Exchange stream opened with the token before the revocation: its requests are served...
    const raw = new proto.WorkerServiceClient(stack.address, credentials.createInsecure());
    const md = new Metadata();
    md.set('authorization', `Bearer ${token}`);
    const exchange = raw.exchange(md);
    const answers: proto.ExchangeResponse[] = [];
    exchange.on('data', (r: proto.ExchangeResponse) => answers.push(r));
    exchange.on('error', () => undefined);
    const report = (id: number) => exchange.write({ id, reports: { reports: [proto.ReportTaskResultRequest.fromPartial({
      workerId: worker.workerId, key: { dagId: 'creds', runId, taskId: 'long', mapIndex: -1 }, tryNumber: 1,
      attemptToken: '00000000-0000-4000-8000-000000000000', outcome: proto.TaskOutcome.TASK_OUTCOME_SUCCESS,
    })] } });
    report(1);
    const served = await waitUntil('the first request answered', async () => answers.find((a) => a.id === 1));
    expect(served.status).toBeUndefined();
    expect(served.reports?.items[0]?.status?.code).toBe(GrpcStatus.FAILED_PRECONDITION); // a made-up attempt token

    const revoke = await runCli(['workers', 'credentials', 'revoke', 'cred-revoked'], { env });
    expect(revoke.code, revoke.stderr).toBe(0);
    expect(revoke.stdout).toContain('credential of worker cred-revoked revoked');
    // ...and once the scheduler heard of the revocation, the same stream's next request is refused.
    let id = 1;
    const refused = await waitUntil('a request on the open stream refused', async () => {
      report(++id);
      const answer = await waitUntil('its answer', async () => answers.find((a) => a.id === id));
      return answer.status?.code === GrpcStatus.UNAUTHENTICATED ? answer : undefined;
    });
    expect(refused.status?.details).toMatch(/revoked/);
    exchange.end();
    raw.close();
    // The next call with the token, whoever makes it, is refused.
    const client = createWorkerServiceClient({ address: stack.address, token });
    try {
      const err = await client.heartbeat({ workerId: worker.workerId, running: [], freeSlots: 0, load1: 0, load5: 0, load15: 0, processed: 0, concurrency: 0, queues: [], cpuPercent: 0, rssBytes: 0, paused: false, acknowledgedControls: [] })
        .then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(UpdraftRpcError);
      expect((err as UpdraftRpcError).grpcCode).toBe(GrpcStatus.UNAUTHENTICATED);
      expect((err as UpdraftRpcError).message).toMatch(/revoked/);
    } finally {
      client.close();
    }
    // The worker's own heartbeats are refused too: it stops, and the scheduler fails its task as a zombie.
    await worker.stopped;
    const row = await waitUntil('the task ended as a zombie', async () => {
      const r = await ti(stack, 'creds', runId, 'long');
      return r?.state !== 'running' ? r : undefined;
    }, 60_000);
    expect(row.state).toBe('failed');
    const { rows } = await stack.db.pool.query<{ error: string }>(
      "SELECT error FROM task_instance_try WHERE dag_id = 'creds' AND run_id = $1 AND task_id = 'long'", [runId]);
    // Which check notices first (the worker's missed heartbeats, or the task missing from them) is a race.
    expect(rows[0]?.error).toMatch(/zombie: worker cred-revoked .*(missed heartbeats|offline|has not reported this task)/);
    const list = await runCli(['workers', 'credentials', 'list', '-o', 'json'], { env });
    expect(JSON.parse(list.stdout)).toContainEqual(expect.objectContaining({ workerName: 'cred-revoked', revokedAt: expect.any(String) }));
    const twice = await runCli(['workers', 'credentials', 'revoke', 'cred-revoked'], { env });
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/has no valid credential/);
  });

  it('the shared token keeps working beside per-worker credentials', async () => {
    const { worker } = await stack.startWorker('shared-token-worker');
    expect(worker.status().state).toBe('running');
    await worker.stop();
  });
});
