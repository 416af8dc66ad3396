/** WorkerService over TLS and mTLS with certificates made by openssl for this test. */
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
let server: WorkerServiceServerHandle;

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** CA, a server certificate for localhost/127.0.0.1 and a client certificate, all signed by the CA. */
function makeCertificates(): void {
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=updraft-test-ca');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  for (const name of ['server', 'client']) {
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name === 'server' ? 'localhost' : 'worker-1'}`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '1', '-extfile', 'san.ext');
  }
}

const engine = {
  deregisterWorker: async () => undefined,
} as Partial<WorkerFacingEngine> as WorkerFacingEngine;

const dereg: proto.DeregisterWorkerRequest = { workerId: 'w-1' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'updraft-tls-'));
  makeCertificates();
  server = await startWorkerServiceServer({
    listen: '127.0.0.1:0', token: TOKEN, engine,
    tls: { cert: join(dir, 'server.pem'), key: join(dir, 'server.key'), ca: join(dir, 'ca.pem') },
  });
});

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('WorkerService with mTLS', () => {
  it('accepts a worker presenting a certificate signed by the CA', async () => {
    const client = createWorkerServiceClient({
      address: `localhost:${server.port}`, token: TOKEN,
      tls: { ca: join(dir, 'ca.pem'), cert: join(dir, 'client.pem'), key: join(dir, 'client.key') },
    });
    try {
      await expect(client.deregisterWorker(dereg)).resolves.toEqual({});
    } finally {
      client.close();
    }
  });

  it('refuses a worker without a client certificate, and a plaintext worker', async () => {
    for (const tls of [{ ca: join(dir, 'ca.pem') }, undefined]) {
      const client = createWorkerServiceClient({ address: `localhost:${server.port}`, token: TOKEN, tls, timeoutsMs: { deregisterWorker: 3000 } });
      try {
        const err = await client.deregisterWorker(dereg).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(UpdraftRpcError);
        expect([status.UNAVAILABLE, status.DEADLINE_EXCEEDED]).toContain((err as UpdraftRpcError).grpcCode);
      } finally {
        client.close();
      }
    }
  });
});
