/**
 * Promise-based WorkerService client for workers. Every call carries the bearer token and a
 * deadline; every failure is an UpdraftRpcError (an UpdraftError with `.grpcCode`).
 */
import type { CallOptions, ClientUnaryCall, Metadata, ServiceError } from '@grpc/grpc-js';
import * as proto from '../proto/updraft/v1/worker.js';
import { UpdraftError } from '../errors.js';
import { assertWorkerToken, bearerMetadata } from './auth.js';
import {
  CLIENT_CHANNEL_OPTIONS,
  clientCredentials,
  clientTlsChannelOptions,
  type ClientTlsOptions,
} from './channel.js';
import { fromServiceError, GrpcStatus } from './status.js';

export type WorkerServiceMethod =
  | 'registerWorker'
  | 'heartbeat'
  | 'claimTask'
  | 'reportTaskResult'
  | 'deregisterWorker'
  | 'fetchDagFile'
  | 'getConnection'
  | 'getVariable';

export interface WorkerServiceClientOptions {
  /** Scheduler address, `host:port` (config `worker.scheduler_address`). */
  address: string;
  /** Shared token (config `security.worker_token`); must not be empty. */
  token: string;
  /** TLS to the scheduler: `true` for system roots, or CA / client cert (mTLS). Default: plaintext. */
  tls?: boolean | ClientTlsOptions;
  /** Deadline of each call in ms, per method. Default: 10 000 for all, 30 000 for fetchDagFile. */
  timeoutsMs?: Partial<Record<WorkerServiceMethod, number>>;
}

export const DEFAULT_CALL_TIMEOUTS_MS: Readonly<Record<WorkerServiceMethod, number>> = {
  registerWorker: 10_000,
  heartbeat: 10_000,
  claimTask: 10_000,
  reportTaskResult: 10_000,
  deregisterWorker: 10_000,
  fetchDagFile: 30_000,
  getConnection: 10_000,
  getVariable: 10_000,
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
  getConnection(req: proto.GetConnectionRequest, opts?: CallOpts): Promise<proto.GetConnectionResponse>;
  getVariable(req: proto.GetVariableRequest, opts?: CallOpts): Promise<proto.GetVariableResponse>;
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

export function createWorkerServiceClient(options: WorkerServiceClientOptions): WorkerServiceRpcClient {
  const token = assertWorkerToken(options.token, 'WorkerService client');
  if (typeof options.address !== 'string' || !/^.+:\d+$/.test(options.address)) {
    throw new UpdraftError(
      'CONFIG_INVALID',
      `WorkerService client: worker.scheduler_address must be host:port, got ${JSON.stringify(options.address)}`,
    );
  }
  const timeouts = { ...DEFAULT_CALL_TIMEOUTS_MS, ...options.timeoutsMs };
  const raw = new proto.WorkerServiceClient(options.address, clientCredentials(options.tls), {
    ...CLIENT_CHANNEL_OPTIONS,
    ...clientTlsChannelOptions(options.tls),
  });

  function call<Req, Res>(method: WorkerServiceMethod, fn: Unary<Req, Res>, req: Req, opts?: CallOpts): Promise<Res> {
    const deadline = Date.now() + (opts?.timeoutMs ?? timeouts[method]);
    return new Promise<Res>((resolve, reject) => {
      try {
        fn.call(raw, req, bearerMetadata(token), { deadline }, (err, res) => {
          if (err) reject(fromServiceError(err, method));
          else resolve(res);
        });
      } catch (err) {
        // Synchronous failures, e.g. a request that cannot be serialized.
        reject(fromServiceError(err, method));
      }
    });
  }

  return {
    registerWorker: (req, opts) => call('registerWorker', raw.registerWorker as Unary<typeof req, proto.RegisterWorkerResponse>, req, opts),
    heartbeat: (req, opts) => call('heartbeat', raw.heartbeat as Unary<typeof req, proto.HeartbeatResponse>, req, opts),
    claimTask: (req, opts) => call('claimTask', raw.claimTask as Unary<typeof req, proto.ClaimTaskResponse>, req, opts),
    reportTaskResult: (req, opts) =>
      call('reportTaskResult', raw.reportTaskResult as Unary<typeof req, proto.ReportTaskResultResponse>, req, opts),
    deregisterWorker: (req, opts) =>
      call('deregisterWorker', raw.deregisterWorker as Unary<typeof req, proto.DeregisterWorkerResponse>, req, opts),
    fetchDagFile: (req, opts) => call('fetchDagFile', raw.fetchDagFile as Unary<typeof req, proto.FetchDagFileResponse>, req, opts),
    getConnection: (req, opts) => call('getConnection', raw.getConnection as Unary<typeof req, proto.GetConnectionResponse>, req, opts),
    getVariable: (req, opts) => call('getVariable', raw.getVariable as Unary<typeof req, proto.GetVariableResponse>, req, opts),
    waitForReady: (timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        raw.waitForReady(Date.now() + timeoutMs, (err) => {
          if (!err) return resolve();
          reject(fromServiceError({ code: GrpcStatus.UNAVAILABLE, details: `scheduler at ${options.address} not reachable: ${err.message}` }, 'waitForReady'));
        });
      }),
    close: () => raw.close(),
  };
}
