/**
 * The scheduler's gRPC WorkerService server: authenticates every call with the shared token,
 * validates the request, hands it to the scheduling engine and maps its errors to gRPC statuses.
 * Nothing a client sends can crash it: every handler answers exactly once, errors included.
 */
import { Server, status, type handleUnaryCall, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import {
  SERVER_CHANNEL_OPTIONS,
  UpdraftError,
  assertWorkerToken,
  grpcErrorFor,
  proto,
  readBearerToken,
  serverCredentials,
  tokenMatches,
  type ServerTlsOptions,
} from '@updraft/core';
import type { WorkerFacingEngine } from '../worker-facing.js';
import {
  validateClaimTask,
  validateDeregisterWorker,
  validateFetchDagFile,
  validateHeartbeat,
  validateRegisterWorker,
  validateReportTaskResult,
} from './validate.js';

/** The subset of a pino logger the server uses. */
export interface RpcLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface WorkerServiceServerOptions {
  /** `host:port` to listen on (config `scheduler.grpc_listen`); port 0 picks a free port. */
  listen: string;
  /** Shared worker token (config `security.worker_token`); must not be empty. */
  token: string;
  engine: WorkerFacingEngine;
  /** Default: silent. */
  logger?: RpcLogger;
  /** TLS (and mTLS when `ca` is given). Default: plaintext. */
  tls?: ServerTlsOptions;
  /** How long close() waits for calls in flight before cutting them. Default 5000 ms. */
  shutdownGraceMs?: number;
}

export interface WorkerServiceServerHandle {
  /** The bound port (useful with port 0). */
  readonly port: number;
  /** Stop accepting calls, let calls in flight finish (up to the grace period), then close. */
  close(): Promise<void>;
}

const silent: RpcLogger = { debug() {}, info() {}, warn() {}, error() {} };

type EngineMethod = keyof WorkerFacingEngine;

export async function startWorkerServiceServer(options: WorkerServiceServerOptions): Promise<WorkerServiceServerHandle> {
  const token = assertWorkerToken(options.token, 'WorkerService server');
  const { engine } = options;
  const logger = options.logger ?? silent;
  const graceMs = options.shutdownGraceMs ?? 5000;
  if (typeof options.listen !== 'string' || !/^.+:\d+$/.test(options.listen)) {
    throw new UpdraftError(
      'CONFIG_INVALID',
      `scheduler.grpc_listen must be host:port, got ${JSON.stringify(options.listen)}`,
    );
  }

  function unary<Req, Res>(
    method: EngineMethod,
    validate: (req: Req) => void,
    invoke: (req: Req) => Promise<Res>,
  ): handleUnaryCall<Req, Res> {
    return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
      if (!tokenMatches(token, readBearerToken(call.metadata))) {
        logger.warn({ method, peer: call.getPeer() }, 'WorkerService call refused: missing or wrong worker token');
        callback({
          code: status.UNAUTHENTICATED,
          details: 'missing or wrong worker token (send metadata authorization: Bearer <security.worker_token>)',
        });
        return;
      }
      Promise.resolve()
        .then(() => {
          validate(call.request);
          return invoke(call.request);
        })
        .then(
          (res) => {
            if (res === undefined || res === null) {
              throw new Error(`engine.${method} returned no response`);
            }
            callback(null, res);
          },
        )
        .catch((err: unknown) => {
          const answer = grpcErrorFor(err);
          if (answer.code === status.INTERNAL) logger.error({ method, err }, 'WorkerService call failed');
          else logger.debug({ method, code: status[answer.code], details: answer.details }, 'WorkerService call refused');
          try {
            callback(answer);
          } catch (cbErr) {
            // The call may already be cancelled or answered; never let that escape.
            logger.warn({ method, err: cbErr }, 'could not answer WorkerService call');
          }
        });
    };
  }

  const impl: proto.WorkerServiceServer = {
    registerWorker: unary('registerWorker', validateRegisterWorker, (r) => engine.registerWorker(r)),
    heartbeat: unary('heartbeat', validateHeartbeat, (r) => engine.heartbeat(r)),
    claimTask: unary('claimTask', validateClaimTask, (r) => engine.claimTask(r)),
    reportTaskResult: unary('reportTaskResult', validateReportTaskResult, (r) => engine.reportTaskResult(r)),
    deregisterWorker: unary('deregisterWorker', validateDeregisterWorker, (r) => engine.deregisterWorker(r)),
    fetchDagFile: unary('fetchDagFile', validateFetchDagFile, (r) => engine.fetchDagFile(r)),
  };

  const server = new Server(SERVER_CHANNEL_OPTIONS);
  server.addService(proto.WorkerServiceService, impl);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(options.listen, serverCredentials(options.tls), (err, boundPort) => {
      if (err) {
        reject(new UpdraftError('RPC_ERROR', `WorkerService could not listen on ${options.listen}: ${err.message}`, { cause: err }));
      } else {
        resolve(boundPort);
      }
    });
  });
  logger.info({ listen: options.listen, port, tls: options.tls !== undefined }, 'WorkerService listening');

  let closing: Promise<void> | undefined;
  return {
    port,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, graceMs);
        timer.unref();
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      return closing;
    },
  };
}
