/**
 * The WorkerService client with several scheduler addresses (worker.scheduler_address = a,b):
 * a standby's answer and a refused connection send the call on to the next address at once; a
 * scheduler that answers with something else keeps the call's error for the caller.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkerServiceClient, GrpcStatus, STANDBY_DETAILS_PREFIX, UpdraftError, type proto } from '@updraft/core';
import { UpdraftRpcError } from '@updraft/core/internal';
import { startWorkerServiceServer, type WorkerFacingEngine, type WorkerServiceServerHandle } from '@updraft/scheduler';
import { freePort } from '../harness/index.js';

const TOKEN = 'failover-token';
const registration: proto.RegisterWorkerRequest = {
  workerName: 'w', hostname: 'h', queues: ['default'], concurrency: 1, version: '0', umask: '0022', uid: 0, gid: 0, pid: 1,
};

function engine(answer: () => Promise<{ workerId: string; heartbeatIntervalMs: number }>): WorkerFacingEngine {
  return { registerWorker: answer } as Partial<WorkerFacingEngine> as WorkerFacingEngine;
}

let leaderCalls = 0;
let leader: WorkerServiceServerHandle;
let standby: WorkerServiceServerHandle;
let broken: WorkerServiceServerHandle;

beforeAll(async () => {
  leader = await startWorkerServiceServer({
    listen: '127.0.0.1:0', token: TOKEN, engine: engine(async () => ({ workerId: `id-${++leaderCalls}`, heartbeatIntervalMs: 1000 })),
  });
  standby = await startWorkerServiceServer({
    listen: '127.0.0.1:0', token: TOKEN,
    engine: engine(async () => {
      throw new UpdraftError('RPC_ERROR', `${STANDBY_DETAILS_PREFIX} another scheduler leads`);
    }),
  });
  broken = await startWorkerServiceServer({
    listen: '127.0.0.1:0', token: TOKEN,
    engine: engine(async () => {
      throw new UpdraftError('DB_ERROR', 'database unreachable');
    }),
  });
});

afterAll(async () => {
  await Promise.all([leader?.close(), standby?.close(), broken?.close()]);
});

describe('WorkerService client with several schedulers', () => {
  it('goes on from a standby to the leader within one call, and stays with the leader', async () => {
    const client = createWorkerServiceClient({ address: `127.0.0.1:${standby.port},127.0.0.1:${leader.port}`, token: TOKEN });
    try {
      await expect(client.registerWorker(registration)).resolves.toMatchObject({ workerId: 'id-1' });
      await expect(client.registerWorker(registration)).resolves.toMatchObject({ workerId: 'id-2' });
    } finally {
      client.close();
    }
  });

  it('goes on from an address that refuses connections', async () => {
    const client = createWorkerServiceClient({ address: [`127.0.0.1:${await freePort()}`, `127.0.0.1:${leader.port}`], token: TOKEN });
    try {
      await expect(client.registerWorker(registration)).resolves.toMatchObject({ workerId: expect.stringMatching(/^id-/) });
    } finally {
      client.close();
    }
  });

  it('returns an UNAVAILABLE that may have reached an engine to the caller, and sends the next call to the next address', async () => {
    const client = createWorkerServiceClient({ address: `127.0.0.1:${broken.port},127.0.0.1:${leader.port}`, token: TOKEN });
    try {
      const err = await client.registerWorker(registration).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(UpdraftRpcError);
      expect((err as UpdraftRpcError).grpcCode).toBe(GrpcStatus.UNAVAILABLE);
      expect((err as UpdraftRpcError).message).not.toContain(STANDBY_DETAILS_PREFIX);
      await expect(client.registerWorker(registration)).resolves.toMatchObject({ workerId: expect.stringMatching(/^id-/) });
    } finally {
      client.close();
    }
  });

  it('answers UNAVAILABLE naming the standby when every scheduler stands by', async () => {
    const client = createWorkerServiceClient({ address: [`127.0.0.1:${standby.port}`, `127.0.0.1:${standby.port}`], token: TOKEN });
    try {
      const err = await client.registerWorker(registration).then(() => undefined, (e: unknown) => e);
      expect((err as UpdraftRpcError).grpcCode).toBe(GrpcStatus.UNAVAILABLE);
      expect((err as UpdraftRpcError).message).toContain(STANDBY_DETAILS_PREFIX);
    } finally {
      client.close();
    }
  });

  it('refuses a malformed address list naming the setting', () => {
    expect(() => createWorkerServiceClient({ address: 'a:1,b', token: TOKEN })).toThrow(/worker\.scheduler_address must be host:port/);
  });
});
