/**
 * The Exchange stream over real gRPC sockets: the scheduler's server (with a small fake engine)
 * answering raw streams, and the workers' client using the stream, falling back to calls on a
 * scheduler without it, and resetting a stream whose answer does not come in time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, credentials, Metadata, Server, ServerCredentials, status, type ServerDuplexStream, type ServiceError, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { UpdraftError, createWorkerServiceClient, proto } from '@updraft/core';
import { UpdraftRpcError } from '@updraft/core/internal';
import { startWorkerServiceServer, type ClaimedTask, type ClaimRequest, type WorkerFacingEngine, type WorkerServiceServerHandle } from '@updraft/scheduler';

const TOKEN = 'exchange-token';
const key: proto.TaskInstanceKey = { dagId: 'd', runId: 'r', taskId: 't', mapIndex: -1 };
const claimReq = (attemptToken: string): proto.ClaimTaskRequest => ({ workerId: 'w-1', key, tryNumber: 1, attemptToken, hostname: 'h' });

const claimed = (): ClaimedTask => ({
  spec: {
    kind: 'bash', bashCommand: 'true', maxTries: 1, env: {}, dagFile: { fileloc: 'd.ts', fileHash: 'abc' },
    executionTimeoutMs: 0, umask: '', runAsUser: '', runAsGroup: '', maxXcomSize: 1024,
  },
  context: {
    dagId: 'd', taskId: 't', runId: 'r', mapIndex: -1, tryNumber: 1,
    logicalDate: '2024-01-01T00:00:00.000Z', dataIntervalStart: '2024-01-01T00:00:00.000Z', dataIntervalEnd: '2024-01-01T00:00:00.000Z',
    ds: '2024-01-01', dsNodash: '20240101', ts: '2024-01-01T00:00:00.000Z', tsNodash: '20240101T000000', prevDataIntervalStartSuccess: '',
    prevDataIntervalEndSuccess: '', prevStartDateSuccess: '', itemJson: '', conf: {}, params: {}, timezone: 'UTC',
  },
  logPath: 'dag_id=d/run_id=r/task_id=t/attempt=1.log',
  mask: [],
});

/** Claims wait for `release` when their token is 'slow'; a 'stale' token is refused. */
const claims: ClaimRequest[] = [];
let release: () => void = () => undefined;
const engine = {
  claimTask: async (req: ClaimRequest) => {
    claims.push(req);
    if (req.attempt.attemptToken === 'slow') await new Promise<void>((r) => (release = r));
    if (req.attempt.attemptToken === 'stale') throw new UpdraftError('STALE_ATTEMPT', 'claim refused: another attempt token');
    return claimed();
  },
  reportTaskResult: async () => ({ state: 'success', handoff: null }),
} as unknown as WorkerFacingEngine;

let server: WorkerServiceServerHandle;

function md(token = TOKEN): Metadata {
  const m = new Metadata();
  m.set('authorization', `Bearer ${token}`);
  return m;
}

/** A raw stream to the server: what it answered, and how it ended. */
function rawStream(port: number, token = TOKEN) {
  const raw = new proto.WorkerServiceClient(`127.0.0.1:${port}`, credentials.createInsecure());
  const stream = raw.exchange(md(token));
  const answers: proto.ExchangeResponse[] = [];
  stream.on('data', (r: proto.ExchangeResponse) => answers.push(r));
  const ended = new Promise<{ code: number; details: string }>((resolve) => {
    stream.on('error', (e: ServiceError) => resolve({ code: e.code, details: e.details }));
    stream.on('status', (s: { code: number; details: string }) => { if (s.code === status.OK) resolve(s); });
  });
  const answered = async (n: number) => {
    while (answers.length < n) await new Promise((r) => setTimeout(r, 5));
  };
  return { raw, stream, answers, ended, answered };
}

beforeAll(async () => {
  server = await startWorkerServiceServer({ listen: '127.0.0.1:0', token: TOKEN, engine, shutdownGraceMs: 120_000 });
});

afterAll(async () => {
  await server?.close();
});

describe('Exchange stream, the scheduler side', () => {
  it('answers each request by its id, as its batched call would, in the order answers are ready', async () => {
    const s = rawStream(server.port);
    try {
      s.stream.write({ id: 7, claims: { claims: [claimReq('slow')] } });
      s.stream.write({ id: 8, claims: { claims: [claimReq('tok'), claimReq('stale')] } });
      s.stream.write({ id: 9 });
      await s.answered(2);
      release();
      await s.answered(3);
      expect(s.answers.map((a) => a.id)).toEqual([8, 9, 7]);
      const [eight, nine, seven] = s.answers;
      expect(eight!.claims?.items.map((i) => [i.status?.code, i.status?.errorCode, i.claim?.spec?.bashCommand])).toEqual([
        [status.OK, '', 'true'],
        [status.FAILED_PRECONDITION, 'STALE_ATTEMPT', undefined],
      ]);
      expect(nine!.status).toMatchObject({ code: status.INVALID_ARGUMENT });
      expect(nine!.status?.details).toMatch(/neither claims nor reports/);
      expect(seven!.claims?.items[0]?.status?.code).toBe(status.OK);
    } finally {
      s.stream.end();
      s.raw.close();
    }
  });

  it('ends a stream with a wrong token with UNAUTHENTICATED, and the engine never sees its requests', async () => {
    const before = claims.length;
    const s = rawStream(server.port, 'wrong');
    s.stream.write({ id: 1, claims: { claims: [claimReq('tok')] } });
    const end = await s.ended;
    s.raw.close();
    expect(end.code).toBe(status.UNAUTHENTICATED);
    // Its request may be refused on its own before the stream ends: never answered with claims.
    expect(s.answers.filter((a) => a.status?.code !== status.UNAUTHENTICATED)).toEqual([]);
    expect(claims.length).toBe(before);
  });

  it('ends a stream that sends undecodable bytes with INVALID_ARGUMENT and keeps serving', async () => {
    const raw = new Client(`127.0.0.1:${server.port}`, credentials.createInsecure());
    const stream = raw.makeBidiStreamRequest('/updraft.v1.WorkerService/Exchange', (b: Buffer) => b, (b: Buffer) => b, md());
    const end = new Promise<number>((resolve) => stream.on('error', (e: ServiceError) => resolve(e.code)));
    stream.on('data', () => undefined);
    stream.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]));
    expect(await end).toBe(status.INVALID_ARGUMENT);
    raw.close();
    const client = createWorkerServiceClient({ address: `127.0.0.1:${server.port}`, token: TOKEN });
    try {
      await expect(client.claimTask(claimReq('tok'))).resolves.toMatchObject({ logPath: 'dag_id=d/run_id=r/task_id=t/attempt=1.log' });
    } finally {
      client.close();
    }
  });

  it('on close, answers what it took, then ends the streams (the shutdown does not wait for them)', async () => {
    const own = await startWorkerServiceServer({ listen: '127.0.0.1:0', token: TOKEN, engine, shutdownGraceMs: 120_000 });
    const idle = rawStream(own.port);
    const busy = rawStream(own.port);
    busy.stream.write({ id: 3, claims: { claims: [claimReq('slow')] } });
    idle.stream.write({ id: 1, claims: { claims: [claimReq('tok')] } });
    await idle.answered(1);
    while (!claims.some((c) => c.attempt.attemptToken === 'slow')) await new Promise((r) => setTimeout(r, 5));
    const closed = own.close();
    expect((await idle.ended).code).toBe(status.OK);
    release();
    expect((await busy.ended).code).toBe(status.OK);
    expect(busy.answers.map((a) => [a.id, a.claims?.items[0]?.status?.code])).toEqual([[3, status.OK]]);
    await closed;
    idle.raw.close();
    busy.raw.close();
  });
});

/** A scheduler stand-in with only the methods given (others answer UNIMPLEMENTED). */
async function standIn(impl: UntypedServiceImplementation): Promise<{ port: number; stop: () => void }> {
  const s = new Server();
  s.addService(proto.WorkerServiceService, impl);
  const port = await new Promise<number>((resolve, reject) => s.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  return { port, stop: () => s.forceShutdown() };
}

const okClaims = (r: proto.ClaimTasksRequest): proto.ClaimTasksResponse => ({
  items: r.claims.map((c) => ({ status: { code: status.OK, details: '', errorCode: '' }, claim: proto.ClaimTaskResponse.fromPartial({ logPath: `via-${c.attemptToken}` }) })),
});

describe('Exchange stream, the worker side', () => {
  it('sends claims on the stream when the scheduler has it', async () => {
    const seen: number[] = [];
    const s = await standIn({
      exchange: (call: ServerDuplexStream<proto.ExchangeRequest, proto.ExchangeResponse>) => {
        call.on('data', (r: proto.ExchangeRequest) => {
          seen.push(r.id);
          call.write({ id: r.id, status: undefined, claims: okClaims(r.claims!) });
        });
      },
    });
    const client = createWorkerServiceClient({ address: `127.0.0.1:${s.port}`, token: TOKEN });
    try {
      const answers = await Promise.all([client.claimTask(claimReq('a')), client.claimTask(claimReq('b'))]);
      expect(answers.map((a) => a.logPath)).toEqual(['via-a', 'via-b']);
      expect(seen.length).toBeGreaterThan(0);
    } finally {
      client.close();
      s.stop();
    }
  });

  it('falls back to ClaimTasks calls on a scheduler without the stream (UNIMPLEMENTED)', async () => {
    const s = await standIn({
      claimTasks: (call: { request: proto.ClaimTasksRequest }, cb: (e: null, r: proto.ClaimTasksResponse) => void) => cb(null, okClaims(call.request)),
      claimTask: (call: { request: proto.ClaimTaskRequest }, cb: (e: null, r: proto.ClaimTaskResponse) => void) => cb(null, proto.ClaimTaskResponse.fromPartial({ logPath: `unary-${call.request.attemptToken}` })),
    });
    const client = createWorkerServiceClient({ address: `127.0.0.1:${s.port}`, token: TOKEN });
    try {
      const first = await Promise.all([client.claimTask(claimReq('a')), client.claimTask(claimReq('b'))]);
      expect(first.map((a) => a.logPath)).toEqual(['via-a', 'via-b']);
      await expect(client.claimTask(claimReq('c'))).resolves.toMatchObject({ logPath: 'unary-c' });
    } finally {
      client.close();
      s.stop();
    }
  });

  it('a request without an answer in time fails with DEADLINE_EXCEEDED, and the next one goes on a new stream', async () => {
    let streams = 0;
    const s = await standIn({
      exchange: (call: ServerDuplexStream<proto.ExchangeRequest, proto.ExchangeResponse>) => {
        const n = ++streams;
        // The first stream is stuck: it reads and never answers.
        call.on('data', (r: proto.ExchangeRequest) => {
          if (n > 1) call.write({ id: r.id, status: undefined, claims: okClaims(r.claims!) });
        });
      },
    });
    const client = createWorkerServiceClient({ address: `127.0.0.1:${s.port}`, token: TOKEN, timeoutsMs: { claimTask: 300 } });
    try {
      const err = await client.claimTask(claimReq('lost')).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(UpdraftRpcError);
      expect((err as UpdraftRpcError).grpcCode).toBe(status.DEADLINE_EXCEEDED);
      await expect(client.claimTask(claimReq('next'))).resolves.toMatchObject({ logPath: 'via-next' });
      expect(streams).toBe(2);
    } finally {
      client.close();
      s.stop();
    }
  });
});
