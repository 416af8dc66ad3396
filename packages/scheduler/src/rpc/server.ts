/**
 * The scheduler's gRPC WorkerService server: authenticates every call (shared token or per-worker
 * credential, and the client certificate under mutual TLS, see worker-auth.ts), validates and converts the request (requests.ts), hands it to the scheduling engine, converts
 * the answer (responses.ts) and maps errors to gRPC statuses. Nothing a client sends can crash
 * it: every handler answers exactly once, errors included.
 */
import { Server, status, type handleUnaryCall, type Metadata, type ServerUnaryCall, type sendUnaryData, type ServiceDefinition } from '@grpc/grpc-js';
import {
  SERVER_CHANNEL_OPTIONS,
  STANDBY_DETAILS_PREFIX,
  UpdraftError,
  certificateNames,
  grpcErrorFor,
  isUpdraftError,
  messageOf,
  truncate,
  proto,
  readBearerToken,
  serverCredentials,
  silentLogger,
  type Logger,
  type ServerTlsOptions,
} from '@updraft/core';
import { AuthRefusal, WorkerAuthenticator, type WorkerPrincipal } from './worker-auth.js';
import type { WorkerFacingEngine } from '../worker-facing.js';
import { bundleRequestOf, claimOf, connectionReadOf, fileHashOf, heartbeatOf, registrationOf, reportOf, variableReadOf, workerIdOf, xcomReadOf, xcomWriteOf } from './requests.js';
import { claimResponseOf, connectionResponseOf, heartbeatResponseOf, reportResponseOf } from './responses.js';
import { ExchangeStreams } from './exchange.js';
import { traceMark } from '@updraft/core/trace-marks';

export interface WorkerServiceServerOptions {
  /** `host:port` to listen on (config `scheduler.grpc_listen`); port 0 picks a free port. */
  listen: string;
  /**
   * Shared worker token (config `security.worker_token`). May be empty when `authenticator` checks
   * per-worker credentials; without an authenticator it must not be empty.
   */
  token: string;
  /** Shared token + per-worker credentials from the database. Default: the shared token only. */
  authenticator?: WorkerAuthenticator;
  engine: WorkerFacingEngine;
  /** Default: silent. */
  logger?: Logger;
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

/** The protocol's methods: the engine's, and the batched forms of two of them. */
type EngineMethod = keyof WorkerFacingEngine | 'claimTasks' | 'reportTaskResults';

/** What authentication reads of a call or stream. */
interface Caller {
  metadata: Metadata;
  getAuthContext(): { sslPeerCertificate?: Parameters<typeof certificateNames>[0] } | undefined;
}

/** A request the transport could not decode (not protobuf, or not this message). */
class MalformedRequest {
  constructor(readonly reason: string) {}
}

/**
 * The service definition with decoders that never throw: grpc-js answers a request it cannot decode
 * with INTERNAL, which workers retry; ours hands the handler a MalformedRequest, answered with
 * INVALID_ARGUMENT (the same bytes can never decode).
 */
function tolerantDefinition(): ServiceDefinition {
  const entries = Object.entries(proto.WorkerServiceService).map(([name, method]) => {
    const decode = method.requestDeserialize as (value: Buffer) => unknown;
    const requestDeserialize = (value: Buffer): unknown => {
      try {
        return decode(value);
      } catch (err) {
        return new MalformedRequest(messageOf(err));
      }
    };
    return [name, { ...method, requestDeserialize }] as const;
  });
  return Object.fromEntries(entries) as ServiceDefinition;
}

/** The worker a request acts for: a name (RegisterWorker), a worker id, or none (FetchDagFile). */
type Actor = { name: string } | { workerId: string } | undefined;

function actorOf(method: EngineMethod, request: unknown): Actor {
  const r = request as { workerName?: unknown; workerId?: unknown };
  if (method === 'registerWorker') return typeof r.workerName === 'string' ? { name: r.workerName } : undefined;
  // A batch acts for the one worker all its items name (batchItems refuses mixed ones).
  const items = batchItemsOf(request);
  if (items !== undefined) return actorOf(method, items[0] ?? {});
  return typeof r.workerId === 'string' && r.workerId !== '' ? { workerId: r.workerId } : undefined;
}

/** Most items a ClaimTasks or ReportTaskResults call may carry. */
const MAX_BATCH_ITEMS = 1000;

/** The items of a batched request (ClaimTasks, ReportTaskResults), or undefined for any other. */
function batchItemsOf(request: unknown): Array<{ workerId?: unknown }> | undefined {
  const r = request as { claims?: unknown; reports?: unknown } | null;
  const items = r?.claims ?? r?.reports;
  return Array.isArray(items) ? (items as Array<{ workerId?: unknown }>) : undefined;
}

/** Refuses a batch that is too long or mixes workers (INVALID_ARGUMENT naming the method). */
function checkBatch(method: string, items: ReadonlyArray<{ workerId?: unknown }>): void {
  if (items.length > MAX_BATCH_ITEMS) throw new UpdraftError('INVALID_ARGUMENT', `${method}: at most ${MAX_BATCH_ITEMS} items per call, got ${items.length}`);
  const first = items[0]?.workerId;
  if (items.some((i) => i.workerId !== first)) throw new UpdraftError('INVALID_ARGUMENT', `${method}: every item must carry the same worker_id`);
}

export async function startWorkerServiceServer(options: WorkerServiceServerOptions): Promise<WorkerServiceServerHandle> {
  if (options.authenticator === undefined && (typeof options.token !== 'string' || options.token.trim() === '')) {
    throw new UpdraftError('CONFIG_INVALID', 'WorkerService server: security.worker_token is empty; the WorkerService requires a shared token');
  }
  const auth = options.authenticator ?? new WorkerAuthenticator({ sharedToken: options.token, logger: options.logger ?? silentLogger });
  const mutualTls = options.tls?.ca !== undefined;
  const { engine } = options;
  const logger = options.logger ?? silentLogger;
  const graceMs = options.shutdownGraceMs ?? 5000;
  if (typeof options.listen !== 'string' || !/^.+:\d+$/.test(options.listen)) {
    throw new UpdraftError(
      'CONFIG_INVALID',
      `scheduler.grpc_listen must be host:port, got ${JSON.stringify(options.listen)}`,
    );
  }

  /** The status a failed call (or batch item) answers with; logged by how much it matters. */
  function errorAnswer(method: string, err: unknown): ReturnType<typeof grpcErrorFor> {
    const answer = grpcErrorFor(err);
    if (answer.code === status.INTERNAL) logger.error({ method, err }, 'WorkerService call failed');
    else if (answer.code === status.UNAVAILABLE && !answer.details.startsWith(STANDBY_DETAILS_PREFIX)) {
      logger.warn({ method, err }, 'WorkerService call failed: retry later');
    }
    else logger.debug({ method, code: status[answer.code], details: answer.details }, 'WorkerService call refused');
    return answer;
  }

  /** A batch item's (or an Exchange request's) status for a failure, as its call would have answered. */
  function itemStatusOf(method: string, err: unknown): proto.ItemStatus {
    const answer = errorAnswer(method, err);
    return { code: answer.code, details: answer.details, errorCode: isUpdraftError(err) ? err.code : '' };
  }

  /**
   * A batched method: each item is handled as its unary method would be (concurrently, so the
   * engine writes them in one statement) and answered with its own status.
   */
  function batch<Item, Res>(method: 'claimTask' | 'reportTaskResult', items: Item[], handle: (item: Item) => Promise<Res>): Promise<Array<{ status: proto.ItemStatus; value: Res | undefined }>> {
    return Promise.all(items.map((item) => handle(item).then(
      (value) => ({ status: { code: status.OK, details: '', errorCode: '' }, value }),
      (err: unknown) => ({ status: itemStatusOf(method, err), value: undefined }),
    )));
  }

  /** Who calls: the token, and the client certificate's names under mutual TLS. */
  function authenticate(call: Caller): Promise<WorkerPrincipal> {
    const names = mutualTls ? certificateNames(call.getAuthContext()?.sslPeerCertificate) : undefined;
    return auth.authenticate(readBearerToken(call.metadata), names);
  }

  // The principals of Exchange streams that presented the shared token. It cannot be revoked while
  // the scheduler runs, and a stream's token and certificate stay those it opened with, so its
  // requests skip hashing the token again (tens of microseconds on every hop of a chain). A
  // per-worker credential can be revoked: it is checked at every request, as a call's would be.
  const sharedTokenStreams = new WeakMap<Caller, WorkerPrincipal>();
  async function authenticateStream(call: Caller): Promise<WorkerPrincipal> {
    const known = sharedTokenStreams.get(call);
    if (known !== undefined) return known;
    const principal = await authenticate(call);
    if (principal.credentialName === undefined) sharedTokenStreams.set(call, principal);
    return principal;
  }

  /** Refuses a request `principal` may not make (it acts for another worker than its own). */
  async function authorize(principal: WorkerPrincipal, method: EngineMethod, request: unknown): Promise<void> {
    const actor = actorOf(method, request);
    if (actor === undefined || !auth.isBound(principal)) return;
    if ('name' in actor) return auth.assertMayActAs(principal, actor.name);
    const name = await auth.workerName(actor.workerId);
    if (name === undefined) throw new UpdraftError('WORKER_NOT_FOUND', `unknown worker id ${actor.workerId}: register again`);
    auth.assertMayActAs(principal, name);
  }

  /** The status of an authentication refusal, or undefined for any other error. */
  function refusalStatus(method: string, peer: string, err: unknown): { code: status; details: string } | undefined {
    if (!(err instanceof AuthRefusal)) return undefined;
    logger.warn({ method, peer, reason: err.message }, 'WorkerService call refused');
    return { code: err.kind === 'unauthenticated' ? status.UNAUTHENTICATED : status.PERMISSION_DENIED, details: err.message };
  }

  /** A handler: authenticate, then `handle` (which validates, converts, calls the engine, converts back). */
  function unary<Req, Res>(method: EngineMethod, handle: (req: Req) => Promise<Res>): handleUnaryCall<Req, Res> {
    return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
      const request: unknown = call.request;
      authenticate(call)
        .then((principal) => {
          if (request instanceof MalformedRequest) throw request;
          return authorize(principal, method, request);
        })
        .then(() => handle(call.request))
        .then(
          (res) => {
            if (res === undefined || res === null) {
              throw new Error(`engine.${method} returned no response`);
            }
            if (method === 'registerWorker') {
              auth.rememberWorker((res as unknown as proto.RegisterWorkerResponse).workerId, (call.request as unknown as proto.RegisterWorkerRequest).workerName);
            }
            callback(null, res);
          },
        )
        .catch((err: unknown) => {
          const refused = refusalStatus(method, call.getPeer(), err);
          if (refused !== undefined) {
            callback(refused);
            return;
          }
          if (err instanceof MalformedRequest) {
            logger.debug({ method, reason: err.reason }, 'WorkerService call refused: malformed request');
            callback({ code: status.INVALID_ARGUMENT, details: `${method}: the request is not a valid protobuf message of this method: ${truncate(err.reason, 200)}` });
            return;
          }
          const answer = errorAnswer(method, err);
          try {
            callback(answer);
          } catch (cbErr) {
            // The call may already be cancelled or answered; never let that escape.
            logger.warn({ method, err: cbErr }, 'could not answer WorkerService call');
          }
        });
    };
  }

  const claimTasks = async (r: proto.ClaimTasksRequest): Promise<proto.ClaimTasksResponse> => {
    checkBatch('ClaimTasks', r.claims);
    const items = await batch('claimTask', r.claims, async (c) => claimResponseOf(await engine.claimTask(claimOf(c))));
    return { items: items.map((i) => ({ status: i.status, claim: i.value })) };
  };
  /** One report (a batch's item or a unary call), between the benchmark's timing marks (off by default). */
  const report = async (r: proto.ReportTaskResultRequest): Promise<proto.ReportTaskResultResponse> => {
    traceMark('scheduler.report', r.key);
    const answer = reportResponseOf(await engine.reportTaskResult(reportOf(r)));
    traceMark('scheduler.answer', r.key);
    return answer;
  };
  const reportTaskResults = async (r: proto.ReportTaskResultsRequest): Promise<proto.ReportTaskResultsResponse> => {
    checkBatch('ReportTaskResults', r.reports);
    const items = await batch('reportTaskResult', r.reports, report);
    return { items: items.map((i) => ({ status: i.status, result: i.value })) };
  };
  const exchange = new ExchangeStreams<WorkerPrincipal>({
    authenticate: authenticateStream,
    authorize,
    claims: claimTasks,
    reports: reportTaskResults,
    failure: (method, err) => {
      const refused = refusalStatus(method, 'exchange stream', err);
      return refused !== undefined ? { ...refused, errorCode: '' } : itemStatusOf(method, err);
    },
    isMalformed: (r): r is MalformedRequest => r instanceof MalformedRequest,
    logger,
  });

  const impl: proto.WorkerServiceServer = {
    registerWorker: unary('registerWorker', (r: proto.RegisterWorkerRequest) => engine.registerWorker(registrationOf(r))),
    heartbeat: unary('heartbeat', async (r: proto.HeartbeatRequest) => heartbeatResponseOf(r, await engine.heartbeat(heartbeatOf(r)))),
    claimTask: unary('claimTask', async (r: proto.ClaimTaskRequest) => claimResponseOf(await engine.claimTask(claimOf(r)))),
    reportTaskResult: unary('reportTaskResult', report),
    claimTasks: unary('claimTasks', claimTasks),
    reportTaskResults: unary('reportTaskResults', reportTaskResults),
    exchange: exchange.handle,
    deregisterWorker: unary('deregisterWorker', async (r: proto.DeregisterWorkerRequest) => {
      await engine.deregisterWorker(workerIdOf(r));
      return {};
    }),
    fetchDagFile: unary('fetchDagFile', (r: proto.FetchDagFileRequest) => engine.fetchDagFile(fileHashOf(r))),
    fetchBundle: unary('fetchBundle', (r: proto.FetchBundleRequest) => engine.fetchBundle(bundleRequestOf(r))),
    getConnection: unary('getConnection', async (r: proto.GetConnectionRequest) => connectionResponseOf(await engine.getConnection(connectionReadOf(r)))),
    getVariable: unary('getVariable', (r: proto.GetVariableRequest) => engine.getVariable(variableReadOf(r))),
    getXCom: unary('getXCom', (r: proto.GetXComRequest) => engine.getXCom(xcomReadOf(r))),
    pushXCom: unary('pushXCom', async (r: proto.PushXComRequest) => {
      await engine.pushXCom(xcomWriteOf(r));
      return {};
    }),
  };

  const server = new Server(SERVER_CHANNEL_OPTIONS);
  server.addService(tolerantDefinition(), impl as unknown as Parameters<Server['addService']>[1]);
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
        exchange.close();
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
