/**
 * Promise-based WorkerService client for workers. Every call carries the bearer token and a
 * deadline; every failure is an UpdraftRpcError (an UpdraftError with `.grpcCode`).
 *
 * Several schedulers: the client holds one channel per address and talks to one at a time. When
 * that one is unreachable (UNAVAILABLE, DEADLINE_EXCEEDED) the next call goes to the next address.
 * A call that certainly reached no engine (connection refused, or a standby's answer, see
 * STANDBY_DETAILS_PREFIX) is tried at once on the other addresses; any other failure is returned
 * to the caller, whose own retry rules apply (a claim or report may have been applied).
 *
 * Claims and reports go in batches (call-batcher.ts) on the Exchange stream, one per scheduler
 * (exchange-stream.ts); to a scheduler without it (UNIMPLEMENTED), as ClaimTasks and
 * ReportTaskResults calls.
 */
import type { CallOptions, ClientUnaryCall, Metadata, ServiceError } from '@grpc/grpc-js';
import * as proto from '../proto/updraft/v1/worker.js';
import { UpdraftError } from '../errors.js';
import { assertWorkerToken, bearerMetadata } from './auth.js';
import { CallBatcher, itemError, type BatchItem } from './call-batcher.js';
import { ExchangeStream } from './exchange-stream.js';
import {
  CLIENT_CHANNEL_OPTIONS,
  clientCredentials,
  clientTlsChannelOptions,
  type ClientTlsOptions,
} from './channel.js';
import { fromServiceError, GrpcStatus, isUpdraftRpcError } from './status.js';

export type WorkerServiceMethod =
  | 'registerWorker'
  | 'heartbeat'
  | 'claimTask'
  | 'reportTaskResult'
  | 'claimTasks'
  | 'reportTaskResults'
  | 'deregisterWorker'
  | 'fetchDagFile'
  | 'fetchBundle'
  | 'getConnection'
  | 'getVariable'
  | 'getXCom'
  | 'pushXCom';

export interface WorkerServiceClientOptions {
  /**
   * Scheduler address, `host:port` (config `worker.scheduler_address`); with several schedulers
   * a list (or one comma-separated string) of all of them.
   */
  address: string | readonly string[];
  /** Shared token (config `security.worker_token`); must not be empty. */
  token: string;
  /** TLS to the scheduler: `true` for system roots, or CA / client cert (mTLS). Default: plaintext. */
  tls?: boolean | ClientTlsOptions;
  /** Deadline of each call in ms, per method. Default: 10 000 for all, 30 000 for fetchDagFile and fetchBundle. */
  timeoutsMs?: Partial<Record<WorkerServiceMethod, number>>;
}

export const DEFAULT_CALL_TIMEOUTS_MS: Readonly<Record<WorkerServiceMethod, number>> = {
  registerWorker: 10_000,
  heartbeat: 10_000,
  claimTask: 10_000,
  reportTaskResult: 10_000,
  claimTasks: 10_000,
  reportTaskResults: 10_000,
  deregisterWorker: 10_000,
  fetchDagFile: 30_000,
  fetchBundle: 30_000,
  getConnection: 10_000,
  getVariable: 10_000,
  getXCom: 10_000,
  pushXCom: 10_000,
};

/** Per-call overrides. */
export interface CallOpts {
  timeoutMs?: number;
}

export interface WorkerServiceRpcClient {
  registerWorker(req: proto.RegisterWorkerRequest, opts?: CallOpts): Promise<proto.RegisterWorkerResponse>;
  heartbeat(req: proto.HeartbeatRequest, opts?: CallOpts): Promise<proto.HeartbeatResponse>;
  claimTask(req: proto.ClaimTaskRequest, opts?: CallOpts): Promise<proto.ClaimTaskResponse>;
  reportTaskResult(req: proto.ReportTaskResultRequest, opts?: CallOpts): Promise<proto.ReportTaskResultResponse>;
  deregisterWorker(req: proto.DeregisterWorkerRequest, opts?: CallOpts): Promise<proto.DeregisterWorkerResponse>;
  fetchDagFile(req: proto.FetchDagFileRequest, opts?: CallOpts): Promise<proto.FetchDagFileResponse>;
  fetchBundle(req: proto.FetchBundleRequest, opts?: CallOpts): Promise<proto.FetchBundleResponse>;
  getConnection(req: proto.GetConnectionRequest, opts?: CallOpts): Promise<proto.GetConnectionResponse>;
  getVariable(req: proto.GetVariableRequest, opts?: CallOpts): Promise<proto.GetVariableResponse>;
  getXCom(req: proto.GetXComRequest, opts?: CallOpts): Promise<proto.GetXComResponse>;
  pushXCom(req: proto.PushXComRequest, opts?: CallOpts): Promise<proto.PushXComResponse>;
  /** Resolves once connected; rejects with an UpdraftRpcError (UNAVAILABLE) after timeoutMs. */
  waitForReady(timeoutMs: number): Promise<void>;
  /** Close the channel; calls in flight fail with CANCELLED. */
  close(): void;
}

type Unary<Req, Res> = (
  req: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (err: ServiceError | null, res: Res) => void,
) => ClientUnaryCall;

/**
 * Details of the UNAVAILABLE a scheduler that is not the leader answers with: the call reached no
 * engine, so the client tries the next address at once.
 */
export const STANDBY_DETAILS_PREFIX = 'scheduler standby:';

/** The addresses of `worker.scheduler_address` (a list, or one comma-separated string). */
export function schedulerAddresses(address: string | readonly string[]): string[] {
  const list = (typeof address === 'string' ? address.split(',') : [...address]).map((a) => a.trim()).filter((a) => a !== '');
  const bad = list.find((a) => !/^.+:\d+$/.test(a));
  if (list.length === 0 || bad !== undefined) {
    throw new UpdraftError(
      'CONFIG_INVALID',
      `WorkerService client: worker.scheduler_address must be host:port (several comma-separated), got ${JSON.stringify(address)}`,
    );
  }
  return list;
}

/** Most claims or reports in one batched call (the scheduler accepts up to 1,000). */
const BATCH_MAX_ITEMS = 256;
/**
 * Most characters of results (errors, return values) in one batched call: well under the
 * scheduler's request limit (RPC_LIMITS.maxRequestBytes, 8 MiB, with UTF-8 up to 3 bytes a
 * character). A single larger report goes alone, as its unary call would.
 */
const BATCH_MAX_CHARS = 2 * 1024 * 1024;
/** Batched calls of one kind on the wire at once (more requests then gather for the next). */
const BATCHES_IN_FLIGHT = 4;

const FAILOVER_CODES: ReadonlySet<number> = new Set([GrpcStatus.UNAVAILABLE, GrpcStatus.DEADLINE_EXCEEDED]);

/** True when the call certainly reached no engine: nothing was applied, another scheduler may take it. */
function reachedNoEngine(err: ServiceError): boolean {
  if (err.code !== GrpcStatus.UNAVAILABLE) return false;
  const details = err.details ?? '';
  return details.startsWith(STANDBY_DETAILS_PREFIX) || /No connection established|ECONNREFUSED/.test(details);
}

export function createWorkerServiceClient(options: WorkerServiceClientOptions): WorkerServiceRpcClient {
  const token = assertWorkerToken(options.token, 'WorkerService client');
  const addresses = schedulerAddresses(options.address);
  const timeouts = { ...DEFAULT_CALL_TIMEOUTS_MS, ...options.timeoutsMs };
  const raws = addresses.map((address) => new proto.WorkerServiceClient(address, clientCredentials(options.tls), {
    ...CLIENT_CHANNEL_OPTIONS,
    ...clientTlsChannelOptions(options.tls),
  }));
  /** Index of the scheduler calls go to. */
  let current = 0;
  const exchanges = raws.map((raw) => new ExchangeStream((md) => raw.exchange(md), () => bearerMetadata(token)));
  /** False once a scheduler answered UNIMPLEMENTED: batches then go as calls. */
  let exchangeSupported = true;

  function callOne<Req, Res>(index: number, method: WorkerServiceMethod, req: Req, deadline: number): Promise<Res> {
    const raw = raws[index]!;
    const fn = raw[method] as unknown as Unary<Req, Res>;
    return new Promise<Res>((resolve, reject) => {
      try {
        fn.call(raw, req, bearerMetadata(token), { deadline }, (err, res) => {
          if (err) reject(err);
          else resolve(res);
        });
      } catch (err) {
        // Synchronous failures, e.g. a request that cannot be serialized.
        reject(err);
      }
    });
  }

  /**
   * `send` to the current scheduler, and on to the next ones while the failure says no engine was
   * reached (see the top of this file); the failure as an UpdraftRpcError naming `method`.
   */
  async function withFailover<Res>(method: string, deadline: number, send: (index: number) => Promise<Res>): Promise<Res> {
    const first = current;
    for (let tried = 0; ; tried++) {
      const index = (first + tried) % raws.length;
      try {
        const res = await send(index);
        current = index;
        return res;
      } catch (err) {
        const se = err as ServiceError;
        if (raws.length === 1 || !FAILOVER_CODES.has(se.code)) throw fromServiceError(err, method);
        // The next call (or the next try of this one) goes to the next scheduler.
        if (current === index) current = (index + 1) % raws.length;
        if (!reachedNoEngine(se) || tried + 1 >= raws.length || Date.now() >= deadline) throw fromServiceError(err, method);
      }
    }
  }

  function call<Req, Res>(method: WorkerServiceMethod, req: Req, opts?: CallOpts): Promise<Res> {
    const deadline = Date.now() + (opts?.timeoutMs ?? timeouts[method]);
    return withFailover(method, deadline, (index) => callOne<Req, Res>(index, method, req, deadline));
  }

  /**
   * One batch on the Exchange stream, with the failover rules of call(); undefined when the
   * scheduler does not have the stream (nothing was applied: send it as a call).
   */
  async function exchange(
    method: 'claimTasks' | 'reportTaskResults',
    body: { claims: proto.ClaimTasksRequest } | { reports: proto.ReportTaskResultsRequest },
    timeoutMs: number,
  ): Promise<proto.ExchangeResponse | undefined> {
    const deadline = Date.now() + timeoutMs;
    try {
      return await withFailover(method, deadline, (index) => exchanges[index]!.send(body, deadline));
    } catch (err) {
      if (!isUpdraftRpcError(err, GrpcStatus.UNIMPLEMENTED)) throw err;
      exchangeSupported = false;
      return undefined;
    }
  }

  async function claimBatch(reqs: proto.ClaimTaskRequest[]): Promise<Array<BatchItem<proto.ClaimTaskResponse>>> {
    const timeoutMs = timeouts.claimTask;
    const res = exchangeSupported ? (await exchange('claimTasks', { claims: { claims: reqs } }, timeoutMs))?.claims : undefined;
    const items = res?.items ?? (await call<proto.ClaimTasksRequest, proto.ClaimTasksResponse>('claimTasks', { claims: reqs }, { timeoutMs })).items;
    return items.map((item) => ({ status: item.status, value: item.claim }));
  }

  async function reportBatch(reqs: proto.ReportTaskResultRequest[]): Promise<Array<BatchItem<proto.ReportTaskResultResponse>>> {
    const timeoutMs = timeouts.reportTaskResult;
    const res = exchangeSupported ? (await exchange('reportTaskResults', { reports: { reports: reqs } }, timeoutMs))?.reports : undefined;
    const items = res?.items ?? (await call<proto.ReportTaskResultsRequest, proto.ReportTaskResultsResponse>('reportTaskResults', { reports: reqs }, { timeoutMs })).items;
    return items.map((item) => ({ status: item.status, value: item.result }));
  }

  /** One request alone: a batch of one on the stream (cheaper than a call), else its unary call. */
  async function single<Req, Res>(
    req: Req,
    send: (reqs: Req[]) => Promise<Array<BatchItem<Res>>>,
    method: 'claimTask' | 'reportTaskResult',
  ): Promise<Res> {
    if (!exchangeSupported) return call(method, req);
    const item = (await send([req]))[0];
    if (item?.status !== undefined && item.status.code !== GrpcStatus.OK) throw itemError(item.status, method);
    if (item?.value === undefined) throw fromServiceError({ code: GrpcStatus.INTERNAL, details: 'the batched answer has no value for this request' }, method);
    return item.value;
  }

  // Concurrent claims and reports travel together (call-batcher.ts); a call with its own options goes alone.
  const claims = new CallBatcher<proto.ClaimTaskRequest, proto.ClaimTaskResponse>({
    method: 'claimTask',
    sendBatch: claimBatch,
    sendOne: (req) => single(req, claimBatch, 'claimTask'),
    maxItems: BATCH_MAX_ITEMS,
    maxSize: BATCH_MAX_CHARS,
    size: () => 256,
    maxInFlight: BATCHES_IN_FLIGHT,
  });
  const reports = new CallBatcher<proto.ReportTaskResultRequest, proto.ReportTaskResultResponse>({
    method: 'reportTaskResult',
    sendBatch: reportBatch,
    sendOne: (req) => single(req, reportBatch, 'reportTaskResult'),
    maxItems: BATCH_MAX_ITEMS,
    maxSize: BATCH_MAX_CHARS,
    size: (req) => 512 + req.error.length + req.returnValueJson.length,
    maxInFlight: BATCHES_IN_FLIGHT,
  });

  return {
    registerWorker: (req, opts) => call('registerWorker', req, opts),
    heartbeat: (req, opts) => call('heartbeat', req, opts),
    claimTask: (req, opts) => (opts === undefined ? claims.submit(req) : call('claimTask', req, opts)),
    reportTaskResult: (req, opts) => (opts === undefined ? reports.submit(req) : call('reportTaskResult', req, opts)),
    deregisterWorker: (req, opts) => call('deregisterWorker', req, opts),
    fetchDagFile: (req, opts) => call('fetchDagFile', req, opts),
    fetchBundle: (req, opts) => call('fetchBundle', req, opts),
    getConnection: (req, opts) => call('getConnection', req, opts),
    getVariable: (req, opts) => call('getVariable', req, opts),
    getXCom: (req, opts) => call('getXCom', req, opts),
    pushXCom: (req, opts) => call('pushXCom', req, opts),
    waitForReady: (timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        // Ready as soon as any scheduler's channel is connected.
        let failures = 0;
        for (const raw of raws) {
          raw.waitForReady(Date.now() + timeoutMs, (err) => {
            if (!err) return resolve();
            if (++failures < raws.length) return;
            reject(fromServiceError({ code: GrpcStatus.UNAVAILABLE, details: `scheduler at ${addresses.join(', ')} not reachable: ${err.message}` }, 'waitForReady'));
          });
        }
      }),
    close: () => {
      for (const e of exchanges) e.close();
      for (const raw of raws) raw.close();
    },
  };
}
