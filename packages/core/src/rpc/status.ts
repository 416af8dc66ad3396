/**
 * Mapping between UpdraftError codes and gRPC status codes, both directions.
 * Server side: an engine error becomes a gRPC status plus trailing metadata `updraft-error-code`
 * carrying the exact UpdraftError code. Client side: a grpc ServiceError becomes an UpdraftRpcError
 * (an UpdraftError with `.grpcCode`), using that metadata when present and the status otherwise.
 */
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { UpdraftError, isUpdraftError, type UpdraftErrorCode } from '../errors.js';

export { status as GrpcStatus };

/** Trailing metadata key carrying the UpdraftError code of a failed call. */
export const ERROR_CODE_METADATA_KEY = 'updraft-error-code';

// A Record over the union: adding an error code without listing it here fails type-checking.
const UPDRAFT_ERROR_CODE_LIST: Record<UpdraftErrorCode, true> = {
  CONFIG_INVALID: true, DB_ERROR: true, MIGRATION_FAILED: true, DAG_IMPORT_ERROR: true, DAG_INVALID: true,
  DAG_NOT_FOUND: true, RUN_NOT_FOUND: true, TASK_NOT_FOUND: true, WORKER_NOT_FOUND: true, STALE_ATTEMPT: true,
  INVALID_ARGUMENT: true, QUEUE_ERROR: true, RPC_ERROR: true, WORKER_ERROR: true, TIMEOUT: true,
  CONNECTION_NOT_FOUND: true, VARIABLE_NOT_FOUND: true, ALREADY_EXISTS: true, BACKFILL_NOT_FOUND: true,
  STORAGE_ERROR: true, GIT_ERROR: true,
};
const UPDRAFT_ERROR_CODES: ReadonlySet<string> = new Set(Object.keys(UPDRAFT_ERROR_CODE_LIST));

/** gRPC status for an UpdraftError code (contract in packages/scheduler/src/worker-facing.ts). */
export function grpcStatusForCode(code: UpdraftErrorCode): status {
  switch (code) {
    case 'STALE_ATTEMPT':
      return status.FAILED_PRECONDITION;
    case 'TASK_NOT_FOUND':
    case 'DAG_NOT_FOUND':
    case 'RUN_NOT_FOUND':
    case 'WORKER_NOT_FOUND':
    case 'CONNECTION_NOT_FOUND':
    case 'VARIABLE_NOT_FOUND':
      return status.NOT_FOUND;
    case 'INVALID_ARGUMENT':
      return status.INVALID_ARGUMENT;
    case 'ALREADY_EXISTS':
      return status.ALREADY_EXISTS;
    // Infrastructure that can come back: the caller retries with backoff.
    case 'DB_ERROR':
    case 'QUEUE_ERROR':
    case 'RPC_ERROR':
    case 'TIMEOUT':
    case 'STORAGE_ERROR':
      return status.UNAVAILABLE;
    default:
      return status.INTERNAL;
  }
}

/** A gRPC error answer for anything thrown by a handler; unknown errors hide their details. */
export interface GrpcErrorAnswer {
  code: status;
  details: string;
  metadata: Metadata;
}

export function grpcErrorFor(err: unknown): GrpcErrorAnswer {
  const metadata = new Metadata();
  if (isUpdraftError(err)) {
    metadata.set(ERROR_CODE_METADATA_KEY, err.code);
    // The database's own error text stays in the scheduler's log, never in an answer.
    const details = err.code === 'DB_ERROR'
      ? 'the scheduler cannot reach its database right now (retry later; the scheduler\'s log has the details)'
      : err.message;
    return { code: grpcStatusForCode(err.code), details, metadata };
  }
  return { code: status.INTERNAL, details: 'internal error in the scheduler (see its log)', metadata };
}

/** UpdraftError raised by a WorkerService client call; `grpcCode` is the gRPC status of the answer. */
export class UpdraftRpcError extends UpdraftError {
  readonly grpcCode: status;
  /** The RPC method that failed, e.g. "claimTask". */
  readonly method: string;
  constructor(code: UpdraftErrorCode, grpcCode: status, method: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'UpdraftRpcError';
    this.grpcCode = grpcCode;
    this.method = method;
  }
}

export function isUpdraftRpcError(err: unknown, grpcCode?: status): err is UpdraftRpcError {
  return err instanceof UpdraftRpcError && (grpcCode === undefined || err.grpcCode === grpcCode);
}

/** Default UpdraftError code for a status when the server sent no `updraft-error-code`. */
export function updraftCodeForStatus(code: status): UpdraftErrorCode {
  switch (code) {
    case status.FAILED_PRECONDITION:
      return 'STALE_ATTEMPT';
    case status.NOT_FOUND:
      return 'TASK_NOT_FOUND';
    case status.INVALID_ARGUMENT:
      return 'INVALID_ARGUMENT';
    case status.DEADLINE_EXCEEDED:
      return 'TIMEOUT';
    default:
      return 'RPC_ERROR';
  }
}

/** Client side: a grpc ServiceError (or anything thrown by the call) as an UpdraftRpcError. */
export function fromServiceError(err: unknown, method: string): UpdraftRpcError {
  if (err instanceof UpdraftRpcError) return err;
  const se = err as Partial<ServiceError>;
  const grpcCode = typeof se.code === 'number' ? (se.code as status) : status.UNKNOWN;
  // The exact code: in the trailer of a unary call, or in the item status of a batched one.
  const sent = se.metadata instanceof Metadata ? se.metadata.get(ERROR_CODE_METADATA_KEY)[0] : (err as { updraftErrorCode?: unknown }).updraftErrorCode;
  const code = typeof sent === 'string' && UPDRAFT_ERROR_CODES.has(sent)
    ? (sent as UpdraftErrorCode)
    : updraftCodeForStatus(grpcCode);
  const details = typeof se.details === 'string' && se.details !== '' ? se.details : String(se.message ?? err);
  return new UpdraftRpcError(code, grpcCode, method, `${method}: ${status[grpcCode] ?? grpcCode}: ${details}`, {
    cause: err,
  });
}

/**
 * Statuses a worker retries with backoff (the scheduler may be restarting or the network blinked).
 * Not RESOURCE_EXHAUSTED: grpc-js answers it for a message over the size limit, which no retry fixes.
 */
export const RETRYABLE_GRPC_CODES: ReadonlySet<status> = new Set([
  status.UNAVAILABLE,
  status.DEADLINE_EXCEEDED,
  status.INTERNAL,
  status.UNKNOWN,
  status.ABORTED,
]);

export function isRetryableRpcError(err: unknown): boolean {
  return err instanceof UpdraftRpcError && RETRYABLE_GRPC_CODES.has(err.grpcCode);
}
