/**
 * WorkerService over real gRPC sockets: the scheduler's server with a fake engine (our own
 * interface, not gRPC) and the workers' promise client.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Client, credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { UpdraftError, createWorkerServiceClient, isRetryableRpcError, proto, type WorkerServiceRpcClient } from '@updraft/core';
import { UpdraftRpcError } from '@updraft/core/internal';
import {
  startWorkerServiceServer,
  type ClaimedTask,
  type ClaimRequest,
  type ResultReport,
  type WorkerFacingEngine,
  type TaskScopedRead,
  type XComRead,
  type XComWrite,
  type WorkerHeartbeat,
  type WorkerRegistration,
  type WorkerServiceServerHandle,
} from '@updraft/scheduler';

const TOKEN = 's3cret-token';

const key: proto.TaskInstanceKey = { dagId: 'hello_world', runId: 'manual__1', taskId: 'print_hello', mapIndex: -1 };
const claimReq: proto.ClaimTaskRequest = { workerId: 'w-1', key, tryNumber: 1, attemptToken: 'tok-1', hostname: 'h' };

const claimed = (): ClaimedTask => ({
  spec: {
    kind: 'bash', bashCommand: 'echo hello', maxTries: 3, env: { A: 'b' }, dagFile: { fileloc: 'hello.ts', fileHash: 'abc' },
    executionTimeoutMs: 0, umask: '', runAsUser: '', runAsGroup: '', maxXcomSize: 1024,
  },
  context: {
    dagId: 'hello_world', taskId: 'print_hello', runId: 'manual__1', mapIndex: -1, tryNumber: 1,
    logicalDate: '2024-01-01T00:00:00.000Z', dataIntervalStart: '2024-01-01T00:00:00.000Z', dataIntervalEnd: '2024-01-01T00:00:00.000Z',
    ds: '2024-01-01', dsNodash: '20240101', ts: '2024-01-01T00:00:00.000Z', tsNodash: '20240101T000000', prevDataIntervalStartSuccess: '', prevDataIntervalEndSuccess: '', prevStartDateSuccess: '', itemJson: '', conf: {}, params: {}, timezone: 'UTC',
  },
  logPath: 'dag_id=hello_world/run_id=manual__1/task_id=print_hello/attempt=1.log',
  mask: ['s3cret-in-command'],
});

/** Records calls (as the engine receives them: converted, validated); each method's behaviour can be replaced per test. */
class FakeEngine implements WorkerFacingEngine {
  calls: Array<{ method: string; req: unknown }> = [];
  claimBehaviour: (req: ClaimRequest) => Promise<ClaimedTask> = async () => claimed();

  private record(method: string, req: unknown): void {
    this.calls.push({ method, req });
  }
  async registerWorker(req: WorkerRegistration) {
    this.record('registerWorker', req);
    return { workerId: `id-${req.workerName}`, heartbeatIntervalMs: 5000 };
  }
  async heartbeat(req: WorkerHeartbeat) {
    this.record('heartbeat', req);
    return { kill: [], drain: false, controls: [12] };
  }
  claimTask(req: ClaimRequest) {
    this.record('claimTask', req);
    return this.claimBehaviour(req);
  }
  async reportTaskResult(req: ResultReport) {
    this.record('reportTaskResult', req);
    return { state: 'success', handoff: null };
  }
  async deregisterWorker(workerId: string) {
    this.record('deregisterWorker', workerId);
  }
  async fetchDagFile(fileHash: string) {
    this.record('fetchDagFile', fileHash);
    return { fileloc: 'hello.ts', fileHash, content: Buffer.from('export default 1;\n') };
  }
  async fetchBundle(req: { version: string; fileHashes: string[] }) {
    this.record('fetchBundle', req);
    return { version: req.version, files: [], contents: [], maxResponseBytes: 1 };
  }
  async getConnection(req: TaskScopedRead) {
    this.record('getConnection', req);
    if (req.name === 'missing') throw new UpdraftError('CONNECTION_NOT_FOUND', "connection 'missing' is not defined");
    return {
      connection: { connId: req.name, connType: 'slack', description: null, host: null, schema: null, login: null, password: 'xoxb-1', port: null, extra: '{"a":1}' },
      mask: ['xoxb-1'],
    };
  }
  async getVariable(req: TaskScopedRead) {
    this.record('getVariable', req);
    return { value: `value of ${req.name}`, mask: [] };
  }
  async getXCom(req: XComRead) {
    this.record('getXCom', req);
    return req.taskId === 'nothing' ? { found: false, valueJson: '' } : { found: true, valueJson: '{"rows":3}' };
  }
  async pushXCom(req: XComWrite) {
    this.record('pushXCom', req);
  }
}

let engine: FakeEngine;
let server: WorkerServiceServerHandle;
let client: WorkerServiceRpcClient;

async function rejection(p: Promise<unknown>): Promise<UpdraftRpcError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UpdraftRpcError);
  return err as UpdraftRpcError;
}

beforeAll(async () => {
  engine = new FakeEngine();
  server = await startWorkerServiceServer({ listen: '127.0.0.1:0', token: TOKEN, engine });
  client = createWorkerServiceClient({ address: `127.0.0.1:${server.port}`, token: TOKEN });
});

afterAll(async () => {
  client?.close();
  await server?.close();
});

beforeEach(() => {
  engine.calls = [];
  engine.claimBehaviour = new FakeEngine().claimBehaviour;
});

describe('WorkerService happy path', () => {
  it('register, claim, report, heartbeat, fetch, deregister reach the engine and answer', async () => {
    const reg = await client.registerWorker({
      workerName: 'w1', hostname: 'host-a', queues: ['default', 'etl'], concurrency: 4,
      version: '0.1.0', umask: '0022', uid: 1000, gid: 1000, pid: 42,
    });
    expect(reg).toEqual({ workerId: 'id-w1', heartbeatIntervalMs: 5000 });

    const claim = await client.claimTask(claimReq);
    expect(claim.spec?.bashCommand).toBe('echo hello');
    expect(claim.spec?.env).toEqual({ A: 'b' });
    expect(claim.context?.ds).toBe('2024-01-01');

    const report = await client.reportTaskResult({
      workerId: 'w-1', key, tryNumber: 1, attemptToken: 'tok-1', outcome: proto.TaskOutcome.TASK_OUTCOME_SUCCESS,
      exitCode: 0, error: '', durationMs: 12.5, returnValueJson: '{"n":1}', timedOut: false, pid: 4242, handoff: undefined, noRetry: false, outletExtrasJson: '', outletAliasEventsJson: '',
    });
    expect(report.state).toBe('success');

    const hb = await client.heartbeat({
      workerId: 'w-1', running: [{ key, tryNumber: 1, attemptToken: 'tok-1', pid: 7 }], freeSlots: 3,
      load1: 0.1, load5: 0.2, load15: 0.3, processed: 9, concurrency: 4, queues: ['default', 'etl'], cpuPercent: 1.5, rssBytes: 50_000_000, paused: false, acknowledgedControls: [10, 11],
    });
    expect(hb).toEqual({ kill: [], killReasons: [], drain: false, concurrency: 0, queues: [], pause: false, controls: [12] });

    const file = await client.fetchDagFile({ fileHash: 'abc' });
    expect(Buffer.from(file.content).toString()).toBe('export default 1;\n');

    const conn = await client.getConnection({ workerId: 'w-1', key, tryNumber: 1, attemptToken: 'tok-1', connId: 'slack' });
    expect(conn.connection).toEqual({ connId: 'slack', connType: 'slack', password: 'xoxb-1', extra: '{"a":1}' });
    expect(conn.mask).toEqual(['xoxb-1']);
    const variable = await client.getVariable({ workerId: 'w-1', key, tryNumber: 1, attemptToken: 'tok-1', variableKey: 'k' });
    expect(variable).toEqual({ value: 'value of k', mask: [] });
    expect(claim.mask).toEqual(['s3cret-in-command']);

    await client.deregisterWorker({ workerId: 'w-1' });

    expect(engine.calls.map((c) => c.method)).toEqual([
      'registerWorker', 'claimTask', 'reportTaskResult', 'heartbeat', 'fetchDagFile', 'getConnection', 'getVariable', 'deregisterWorker',
    ]);
    expect(engine.calls[5]!.req).toEqual({ workerId: 'w-1', attempt: { ...key, tryNumber: 1, attemptToken: 'tok-1' }, name: 'slack' });
    expect(engine.calls[1]!.req).toEqual({ workerId: 'w-1', hostname: 'h', attempt: { ...key, tryNumber: 1, attemptToken: 'tok-1' } });
    expect(engine.calls[2]!.req).toMatchObject({ outcome: { success: true, returnValueJson: '{"n":1}', durationMs: 12.5, pid: 4242 } });
    expect(engine.calls[3]!.req).toMatchObject({ running: [{ ...key, tryNumber: 1, attemptToken: 'tok-1' }], freeSlots: 3, acknowledgedControls: [10, 11] });
  });
});

describe('WorkerService batched claims and reports', () => {
  it('concurrent claims travel in one ClaimTasks call and each gets its own answer or refusal', async () => {
    engine.claimBehaviour = async (req) => {
      if (req.attempt.attemptToken === 'stale') throw new UpdraftError('STALE_ATTEMPT', 'claim refused: the task instance is running on try 1 with another attempt token');
      return claimed();
    };
    const settled = await Promise.allSettled([
      client.claimTask(claimReq),
      client.claimTask({ ...claimReq, attemptToken: 'stale' }),
      client.claimTask({ ...claimReq, key: { ...key, taskId: 'other' } }),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const refused = (settled[1] as PromiseRejectedResult).reason as UpdraftRpcError;
    expect(refused).toBeInstanceOf(UpdraftRpcError);
    expect(refused.grpcCode).toBe(status.FAILED_PRECONDITION);
    expect(refused.code).toBe('STALE_ATTEMPT');
    expect(refused.message).toMatch(/claimTask: FAILED_PRECONDITION: claim refused/);
    expect(engine.calls.map((c) => c.method)).toEqual(['claimTask', 'claimTask', 'claimTask']);
  });

  it('answers a raw ReportTaskResults item by item, and refuses a batch that mixes workers', async () => {
    const raw = new proto.WorkerServiceClient(`127.0.0.1:${server.port}`, credentials.createInsecure());
    const md = new Metadata();
    md.set('authorization', `Bearer ${TOKEN}`);
    const report = (taskId: string, outcome: proto.TaskOutcome, workerId = 'w-1'): proto.ReportTaskResultRequest => ({
      workerId, key: { ...key, taskId }, tryNumber: 1, attemptToken: 'tok-1', outcome,
      exitCode: 0, error: '', durationMs: 1, returnValueJson: '', timedOut: false, pid: 0, handoff: undefined, noRetry: false, outletExtrasJson: '', outletAliasEventsJson: '',
    });
    try {
      const call = (reports: proto.ReportTaskResultRequest[]) => new Promise<{ err: ServiceError | null; res: proto.ReportTaskResultsResponse | undefined }>(
        (resolve) => raw.reportTaskResults({ reports }, md, (err, res) => resolve({ err, res })));
      const ok = await call([report('a', proto.TaskOutcome.TASK_OUTCOME_SUCCESS), report('b', proto.TaskOutcome.TASK_OUTCOME_UNSPECIFIED)]);
      expect(ok.err).toBeNull();
      expect(ok.res?.items.map((i) => [i.status?.code, i.status?.errorCode, i.result?.state])).toEqual([
        [status.OK, '', 'success'],
        [status.INVALID_ARGUMENT, 'INVALID_ARGUMENT', undefined],
      ]);
      expect(ok.res?.items[1]?.status?.details).toMatch(/ReportTaskResult: outcome must be/);
      const mixed = await call([report('a', proto.TaskOutcome.TASK_OUTCOME_SUCCESS), report('b', proto.TaskOutcome.TASK_OUTCOME_SUCCESS, 'w-2')]);
      expect(mixed.err?.code).toBe(status.INVALID_ARGUMENT);
      expect(mixed.err?.details).toMatch(/ReportTaskResults: every item must carry the same worker_id/);
    } finally {
      raw.close();
    }
    expect(engine.calls.map((c) => c.method)).toEqual(['reportTaskResult']);
  });
});

describe('WorkerService authentication', () => {
  it('refuses a wrong token with UNAUTHENTICATED and never calls the engine', async () => {
    const bad = createWorkerServiceClient({ address: `127.0.0.1:${server.port}`, token: 'wrong' });
    try {
      const err = await rejection(bad.claimTask(claimReq));
      expect(err.grpcCode).toBe(status.UNAUTHENTICATED);
      expect(err.message).toMatch(/worker token/);
      expect(isRetryableRpcError(err)).toBe(false);
    } finally {
      bad.close();
    }
    expect(engine.calls).toEqual([]);
  });

  it('refuses a call without authorization metadata', async () => {
    const raw = new proto.WorkerServiceClient(`127.0.0.1:${server.port}`, credentials.createInsecure());
    try {
      const err = await new Promise<ServiceError | null>((resolve) => raw.deregisterWorker({ workerId: 'w' }, (e) => resolve(e)));
      expect(err?.code).toBe(status.UNAUTHENTICATED);
    } finally {
      raw.close();
    }
    expect(engine.calls).toEqual([]);
  });

  it('an empty token is a configuration error on both sides', async () => {
    expect(() => createWorkerServiceClient({ address: '127.0.0.1:1', token: '' })).toThrow(/security.worker_token/);
    await expect(startWorkerServiceServer({ listen: '127.0.0.1:0', token: ' ', engine })).rejects.toThrow(/security.worker_token/);
  });
});

describe('WorkerService validation', () => {
  it('names the missing field with INVALID_ARGUMENT', async () => {
    const cases: Array<[Promise<unknown>, RegExp]> = [
      [client.claimTask({ ...claimReq, attemptToken: '' }), /ClaimTask: attempt_token is required/],
      [client.claimTask({ ...claimReq, key: { ...key, taskId: '' } }), /ClaimTask: key\.task_id is required/],
      [client.claimTask({ ...claimReq, key: undefined }), /ClaimTask: key is required/],
      [client.claimTask({ ...claimReq, tryNumber: 0 }), /ClaimTask: try_number must be an integer >= 1/],
      [client.claimTask({ ...claimReq, workerId: '' }), /ClaimTask: worker_id is required/],
      [
        client.reportTaskResult({
          workerId: 'w', key, tryNumber: 1, attemptToken: 't', outcome: proto.TaskOutcome.TASK_OUTCOME_UNSPECIFIED,
          exitCode: 0, error: '', durationMs: 1, returnValueJson: '', timedOut: false, pid: 0, handoff: undefined, noRetry: false, outletExtrasJson: '', outletAliasEventsJson: '',
        }),
        /ReportTaskResult: outcome must be/,
      ],
      [
        client.reportTaskResult({
          workerId: 'w', key, tryNumber: 1, attemptToken: 't', outcome: proto.TaskOutcome.TASK_OUTCOME_SUCCESS,
          exitCode: 0, error: '', durationMs: 1, returnValueJson: '{nope', timedOut: false, pid: 0, handoff: undefined, noRetry: false, outletExtrasJson: '', outletAliasEventsJson: '',
        }),
        /ReportTaskResult: return_value_json is not valid JSON/,
      ],
      [
        client.reportTaskResult({
          workerId: 'w', key, tryNumber: 1, attemptToken: 't', outcome: proto.TaskOutcome.TASK_OUTCOME_SUCCESS,
          exitCode: 0, error: '', durationMs: 1, returnValueJson: '', timedOut: false, pid: 0, handoff: undefined, noRetry: false, outletExtrasJson: '{"s3://b/k": [1]}', outletAliasEventsJson: '',
        }),
        /ReportTaskResult: outlet_extras_json: the extra of 's3:\/\/b\/k' must be a JSON object/,
      ],
      [
        client.reportTaskResult({
          workerId: 'w', key, tryNumber: 1, attemptToken: 't', outcome: proto.TaskOutcome.TASK_OUTCOME_SUCCESS,
          exitCode: 0, error: '', durationMs: 1, returnValueJson: '', timedOut: false, pid: 0, handoff: undefined, noRetry: false, outletExtrasJson: '',
          outletAliasEventsJson: '[{"alias": "daily", "uri": "s3://b/has space", "extra": {}}]',
        }),
        /ReportTaskResult: outlet_alias_events_json\[0\]\.uri: the URI 's3:\/\/b\/has space' contains whitespace/,
      ],
      [
        client.reportTaskResult({
          workerId: 'w', key, tryNumber: 1, attemptToken: 't', outcome: proto.TaskOutcome.TASK_OUTCOME_SUCCESS,
          exitCode: 0, error: '', durationMs: 1, returnValueJson: '', timedOut: false, pid: 0, handoff: undefined, noRetry: false, outletExtrasJson: '',
          outletAliasEventsJson: '{"daily": "s3://b/k"}',
        }),
        /ReportTaskResult: outlet_alias_events_json must be a JSON list of \{"alias", "uri", "extra"\}/,
      ],
      [
        client.registerWorker({
          workerName: 'w', hostname: 'h', queues: ['ok', 'bad.queue'], concurrency: 1, version: '', umask: '', uid: 0, gid: 0, pid: 0,
        }),
        /RegisterWorker: queues\[1\] 'bad.queue' is not a valid queue: it contains '\.'/,
      ],
      [
        client.heartbeat({
          workerId: 'w', running: [{ key, tryNumber: 1, attemptToken: '', pid: 1 }], freeSlots: 0,
          load1: 0, load5: 0, load15: 0, processed: 0, concurrency: 0, queues: [], cpuPercent: 0, rssBytes: 0, paused: false, acknowledgedControls: [],
        }),
        /Heartbeat: running\[0\]\.attempt_token is required/,
      ],
      [client.fetchDagFile({ fileHash: '' }), /FetchDagFile: file_hash is required/],
      [client.fetchBundle({ version: '', fileHashes: [] }), /FetchBundle: version is required/],
      [client.fetchBundle({ version: 'a'.repeat(64), fileHashes: ['nope'] }), /FetchBundle.file_hashes\[0\] is not a sha256 hex digest/],
      [client.getConnection({ workerId: 'w', key, tryNumber: 1, attemptToken: 't', connId: '' }), /GetConnection: conn_id is required/],
      [client.getVariable({ workerId: 'w', key, tryNumber: 0, attemptToken: 't', variableKey: 'k' }), /GetVariable: try_number must be an integer >= 1/],
      [client.getXCom({ workerId: 'w', key, tryNumber: 1, attemptToken: 't', taskId: '', xcomKey: '' }), /GetXCom: task_id is required/],
      [client.getXCom({ workerId: 'w', key, tryNumber: 1, attemptToken: 't', taskId: 'a b', xcomKey: '' }), /GetXCom: task_id 'a b'/],
      [client.getXCom({ workerId: 'w', key, tryNumber: 1, attemptToken: 't', taskId: 'a', xcomKey: '', mapIndex: -2 }), /GetXCom: map_index must be an integer >= 0/],
      [client.pushXCom({ workerId: 'w', key, tryNumber: 1, attemptToken: 't', xcomKey: '', valueJson: '1' }), /PushXCom: xcom_key is required/],
      [client.pushXCom({ workerId: 'w', key, tryNumber: 1, attemptToken: 't', xcomKey: 'k', valueJson: '{nope' }), /PushXCom: value_json is not valid JSON/],
      [client.pushXCom({ workerId: 'w', key, tryNumber: 1, attemptToken: 't', xcomKey: 'k', valueJson: '"\\u0000"' }), /PushXCom: value_json contains a NUL/],
    ];
    // Every call is under way at once and answers in its own time: take each failure as it comes.
    const failures = cases.map(([p, pattern]) => [rejection(p), pattern] as const);
    for (const [failure, pattern] of failures) {
      const err = await failure;
      expect(err.grpcCode).toBe(status.INVALID_ARGUMENT);
      expect(err.code).toBe('INVALID_ARGUMENT');
      expect(err.message).toMatch(pattern);
    }
    expect(engine.calls).toEqual([]);
  });

  it('GetXCom and PushXCom reach the engine converted: empty key is return_value, unset map index is null', async () => {
    const attempt = { workerId: 'w-1', key, tryNumber: 1, attemptToken: 'tok-1' };
    expect(await client.getXCom({ ...attempt, taskId: 'extract', xcomKey: '' })).toEqual({ found: true, valueJson: '{"rows":3}' });
    expect(await client.getXCom({ ...attempt, taskId: 'nothing', xcomKey: 'k', mapIndex: 2 })).toEqual({ found: false, valueJson: '' });
    await client.pushXCom({ ...attempt, xcomKey: 'rows', valueJson: '[1,2]' });
    expect(engine.calls.map((c) => c.req)).toMatchObject([
      { taskId: 'extract', key: 'return_value', mapIndex: null, attempt: { taskId: 'print_hello', tryNumber: 1, attemptToken: 'tok-1' } },
      { taskId: 'nothing', key: 'k', mapIndex: 2 },
      { key: 'rows', valueJson: '[1,2]', attempt: { taskId: 'print_hello' } },
    ]);
  });

  it('a connection that is not defined is NOT_FOUND with its code', async () => {
    const err = await rejection(client.getConnection({ workerId: 'w', key, tryNumber: 1, attemptToken: 't', connId: 'missing' }));
    expect(err.grpcCode).toBe(status.NOT_FOUND);
    expect(err.code).toBe('CONNECTION_NOT_FOUND');
  });

  it('survives undecodable request bytes and keeps serving', async () => {
    const raw = new Client(`127.0.0.1:${server.port}`, credentials.createInsecure());
    const md = new Metadata();
    md.set('authorization', `Bearer ${TOKEN}`);
    try {
      const err = await new Promise<ServiceError | null>((resolve) => {
        raw.makeUnaryRequest(
          '/updraft.v1.WorkerService/ClaimTask',
          (b: Buffer) => b,
          (b: Buffer) => b,
          Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]),
          md,
          (e) => resolve(e),
        );
      });
      expect(err).not.toBeNull();
      expect(err?.code).not.toBe(status.OK);
    } finally {
      raw.close();
    }
    await expect(client.deregisterWorker({ workerId: 'still-alive' })).resolves.toEqual({});
  });
});

describe('WorkerService error mapping', () => {
  it('STALE_ATTEMPT from the engine reaches the worker as FAILED_PRECONDITION', async () => {
    engine.claimBehaviour = async () => {
      throw new UpdraftError('STALE_ATTEMPT', 'task instance is running with another token');
    };
    const err = await rejection(client.claimTask(claimReq));
    expect(err.grpcCode).toBe(status.FAILED_PRECONDITION);
    expect(err.code).toBe('STALE_ATTEMPT');
    expect(err.method).toBe('claimTask');
    expect(err.message).toMatch(/another token/);
    expect(isRetryableRpcError(err)).toBe(false);
  });

  it('maps not found, database down and bugs, hiding a bug\'s details', async () => {
    const cases: Array<[unknown, status, string]> = [
      [new UpdraftError('RUN_NOT_FOUND', 'no run manual__1'), status.NOT_FOUND, 'RUN_NOT_FOUND'],
      [new UpdraftError('DB_ERROR', 'connection refused'), status.UNAVAILABLE, 'DB_ERROR'],
      [new TypeError('secret internals x.y is undefined'), status.INTERNAL, 'RPC_ERROR'],
    ];
    for (const [thrown, grpcCode, code] of cases) {
      engine.claimBehaviour = async () => {
        throw thrown;
      };
      const err = await rejection(client.claimTask(claimReq));
      expect(err.grpcCode).toBe(grpcCode);
      expect(err.code).toBe(code);
      expect(err.message).not.toMatch(/secret internals/);
    }
    engine.claimBehaviour = () => {
      throw new Error('synchronous throw');
    };
    expect((await rejection(client.claimTask(claimReq))).grpcCode).toBe(status.INTERNAL);
  });

  it('a call past its deadline fails with DEADLINE_EXCEEDED as TIMEOUT, retryable', async () => {
    let release!: () => void;
    engine.claimBehaviour = () =>
      new Promise((resolve) => {
        release = () => resolve(claimed());
      });
    const err = await rejection(client.claimTask(claimReq, { timeoutMs: 200 }));
    release();
    expect(err.grpcCode).toBe(status.DEADLINE_EXCEEDED);
    expect(err.code).toBe('TIMEOUT');
    expect(isRetryableRpcError(err)).toBe(true);
  });

  it('an unreachable scheduler is UNAVAILABLE, retryable', async () => {
    const other = await startWorkerServiceServer({ listen: '127.0.0.1:0', token: TOKEN, engine });
    const port = other.port;
    await other.close();
    const c = createWorkerServiceClient({ address: `127.0.0.1:${port}`, token: TOKEN });
    try {
      const err = await rejection(c.heartbeat({ workerId: 'w', running: [], freeSlots: 1, load1: 0, load5: 0, load15: 0, processed: 0, concurrency: 0, queues: [], cpuPercent: 0, rssBytes: 0, paused: false, acknowledgedControls: [] }));
      expect(err.grpcCode).toBe(status.UNAVAILABLE);
      expect(isRetryableRpcError(err)).toBe(true);
      await expect(c.waitForReady(100)).rejects.toBeInstanceOf(UpdraftRpcError);
    } finally {
      c.close();
    }
  });
});
