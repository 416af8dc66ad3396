/**
 * WorkerService over TLS and mutual TLS with certificates made by openssl for this test: a worker
 * with the right CA connects; a wrong CA or plaintext is refused with a message saying so; under
 * mutual TLS the worker's certificate must name the worker (CN or DNS subjectAltName).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { createWorkerServiceClient, type proto } from '@updraft/core';
import { UpdraftRpcError } from '@updraft/core/internal';
import { startWorkerServiceServer, type WorkerFacingEngine, type WorkerServiceServerHandle } from '@updraft/scheduler';

const TOKEN = 'tls-token';
let dir: string;
let mtls: WorkerServiceServerHandle;
let tlsOnly: WorkerServiceServerHandle;

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** A CA (`<ca>.pem`) and certificates it signs: `<name>.pem` / `<name>.key` for CN `cn`. */
function makeCa(ca: string): void {
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${ca}.key`, '-out', `${ca}.pem`, '-days', '1', '-subj', `/CN=${ca}`);
}
function makeCert(ca: string, name: string, cn: string, san: string): void {
  writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${san}\n`);
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
  openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.pem`, '-days', '1', '-extfile', `${name}.ext`);
}

const registered: string[] = [];
const engine = {
  registerWorker: async (r: { workerName: string }) => {
    registered.push(r.workerName);
    return { workerId: `id-${r.workerName}`, heartbeatIntervalMs: 1000 };
  },
  heartbeat: async () => ({ kill: [], drain: false }),
  deregisterWorker: async () => undefined,
} as Partial<WorkerFacingEngine> as WorkerFacingEngine;

const dereg: proto.DeregisterWorkerRequest = { workerId: 'id-worker-1' };
const registration = (workerName: string): proto.RegisterWorkerRequest => ({
  workerName, hostname: 'h', queues: ['default'], concurrency: 1, version: '0', umask: '0022', uid: 0, gid: 0, pid: 1,
});
const path = (file: string): string => join(dir, file);

async function refusal(p: Promise<unknown>): Promise<UpdraftRpcError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(UpdraftRpcError);
  return err as UpdraftRpcError;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'updraft-tls-'));
  makeCa('ca');
  makeCa('other-ca');
  makeCert('ca', 'server', 'localhost', 'DNS:localhost,IP:127.0.0.1');
  makeCert('ca', 'worker-1', 'worker-1', 'DNS:worker-1');
  makeCert('ca', 'worker-2', 'worker-2', 'DNS:worker-2');
  makeCert('other-ca', 'stranger', 'worker-1', 'DNS:worker-1');
  mtls = await startWorkerServiceServer({
    listen: '127.0.0.1:0', token: TOKEN, engine, tls: { cert: path('server.pem'), key: path('server.key'), ca: path('ca.pem') },
  });
  tlsOnly = await startWorkerServiceServer({
    listen: '127.0.0.1:0', token: TOKEN, engine, tls: { cert: path('server.pem'), key: path('server.key') },
  });
}, 60_000);

afterAll(async () => {
  await mtls?.close();
  await tlsOnly?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('WorkerService over TLS', () => {
  it('accepts a worker that verifies the scheduler with the right CA', async () => {
    const client = createWorkerServiceClient({ address: `localhost:${tlsOnly.port}`, token: TOKEN, tls: { ca: path('ca.pem') } });
    try {
      await expect(client.deregisterWorker(dereg)).resolves.toEqual({});
    } finally {
      client.close();
    }
  });

  it('refuses a worker with a wrong CA, saying the certificate is not trusted', async () => {
    const client = createWorkerServiceClient({
      address: `localhost:${tlsOnly.port}`, token: TOKEN, tls: { ca: path('other-ca.pem') }, timeoutsMs: { deregisterWorker: 5000 },
    });
    try {
      const err = await refusal(client.deregisterWorker(dereg));
      expect([status.UNAVAILABLE, status.DEADLINE_EXCEEDED]).toContain(err.grpcCode);
      expect(err.message).toMatch(/certificate/i);
    } finally {
      client.close();
    }
  });

  it('refuses a plaintext worker', async () => {
    const client = createWorkerServiceClient({ address: `localhost:${tlsOnly.port}`, token: TOKEN, timeoutsMs: { deregisterWorker: 3000 } });
    try {
      const err = await refusal(client.deregisterWorker(dereg));
      expect([status.UNAVAILABLE, status.DEADLINE_EXCEEDED]).toContain(err.grpcCode);
      expect(err.message).toMatch(/deregisterWorker/);
    } finally {
      client.close();
    }
  });
});

describe('WorkerService with mutual TLS', () => {
  const workerTls = (name: string): { ca: string; cert: string; key: string } => ({ ca: path('ca.pem'), cert: path(`${name}.pem`), key: path(`${name}.key`) });

  it('accepts a worker whose certificate names it, for registration and its later calls', async () => {
    const client = createWorkerServiceClient({ address: `localhost:${mtls.port}`, token: TOKEN, tls: workerTls('worker-1') });
    try {
      await expect(client.registerWorker(registration('worker-1'))).resolves.toEqual({ workerId: 'id-worker-1', heartbeatIntervalMs: 1000 });
      await expect(client.deregisterWorker(dereg)).resolves.toEqual({});
    } finally {
      client.close();
    }
  });

  it('refuses a certificate for another worker name, naming both', async () => {
    const client = createWorkerServiceClient({ address: `localhost:${mtls.port}`, token: TOKEN, tls: workerTls('worker-2') });
    try {
      const before = registered.length;
      const err = await refusal(client.registerWorker(registration('worker-1')));
      expect(err.grpcCode).toBe(status.PERMISSION_DENIED);
      expect(err.message).toMatch(/client certificate names worker-2, not worker 'worker-1'/);
      // Nor may it use worker-1's id.
      const byId = await refusal(client.deregisterWorker(dereg));
      expect(byId.grpcCode).toBe(status.PERMISSION_DENIED);
      expect(registered.length).toBe(before);
    } finally {
      client.close();
    }
  });

  it('refuses a worker without a client certificate, one signed by another CA, and a plaintext worker', async () => {
    const cases = [{ ca: path('ca.pem') }, { ca: path('ca.pem'), cert: path('stranger.pem'), key: path('stranger.key') }, undefined];
    for (const tls of cases) {
      const client = createWorkerServiceClient({ address: `localhost:${mtls.port}`, token: TOKEN, tls, timeoutsMs: { deregisterWorker: 3000 } });
      try {
        const err = await refusal(client.deregisterWorker(dereg));
        expect([status.UNAVAILABLE, status.DEADLINE_EXCEEDED]).toContain(err.grpcCode);
      } finally {
        client.close();
      }
    }
  });
});
