/**
 * The worker's end of the Exchange stream to one scheduler (worker.proto): batched claims and
 * reports sent as messages with ids on one long-lived stream, each answered by its id. Opened on
 * first use and again after it ended. Each request keeps its own deadline: one that passes fails
 * that request with DEADLINE_EXCEEDED and resets the stream (an answer that late means the stream
 * is stuck, e.g. a network partition the keepalive has not noticed yet), failing the other requests
 * on it with UNAVAILABLE. When the stream ends or fails, the requests not answered fail with its
 * status: the caller treats them as it treats a failed call (they may have been applied or not).
 */
import type { ClientDuplexStream, Metadata, ServiceError } from '@grpc/grpc-js';
import type * as proto from '../proto/updraft/v1/worker.js';
import { GrpcStatus } from './status.js';

/** The failure of an exchanged request, shaped like a call's ServiceError (fromServiceError reads it). */
export interface ExchangeFailure {
  code: number;
  details: string;
  message: string;
  updraftErrorCode?: string;
}

interface Waiting {
  resolve: (r: proto.ExchangeResponse) => void;
  reject: (err: ExchangeFailure) => void;
  timer: NodeJS.Timeout;
}

function failure(code: number, details: string, updraftErrorCode?: string): ExchangeFailure {
  return { code, details, message: `${GrpcStatus[code] ?? code}: ${details}`, ...(updraftErrorCode ? { updraftErrorCode } : {}) };
}

export class ExchangeStream {
  private stream: ClientDuplexStream<proto.ExchangeRequest, proto.ExchangeResponse> | undefined;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;

  constructor(
    private readonly open: (metadata: Metadata) => ClientDuplexStream<proto.ExchangeRequest, proto.ExchangeResponse>,
    private readonly metadata: () => Metadata,
  ) {}

  /**
   * Sends one request body and resolves with its answer; a request refused as a whole (the
   * answer's status) or lost with the stream rejects with an ExchangeFailure.
   */
  send(body: { claims: proto.ClaimTasksRequest } | { reports: proto.ReportTaskResultsRequest }, deadline: number): Promise<proto.ExchangeResponse> {
    const stream = this.current();
    const id = this.nextId++;
    return new Promise<proto.ExchangeResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (!this.waiting.delete(id)) return;
        reject(failure(GrpcStatus.DEADLINE_EXCEEDED, 'Deadline exceeded: no answer on the Exchange stream in time'));
        this.reset(stream, failure(GrpcStatus.UNAVAILABLE, 'the Exchange stream was reset after a request got no answer in time'));
      }, Math.max(0, deadline - Date.now()));
      this.waiting.set(id, { resolve, reject, timer });
      try {
        stream.write({ id, ...body });
      } catch (err) {
        this.settle(id, undefined, failure(GrpcStatus.INTERNAL, `the request could not be sent: ${(err as Error).message}`));
      }
    });
  }

  /** Ends the stream; requests waiting fail with CANCELLED. */
  close(): void {
    if (this.stream) this.reset(this.stream, failure(GrpcStatus.CANCELLED, 'the client was closed'));
  }

  private current(): ClientDuplexStream<proto.ExchangeRequest, proto.ExchangeResponse> {
    if (this.stream) return this.stream;
    const stream = this.open(this.metadata());
    this.stream = stream;
    stream.on('data', (r: proto.ExchangeResponse) => {
      const s = r.status;
      if (s !== undefined && s.code !== GrpcStatus.OK) this.settle(r.id, undefined, failure(s.code, s.details, s.errorCode));
      else this.settle(r.id, r, undefined);
    });
    stream.on('error', (err: ServiceError) => {
      this.reset(stream, failure(typeof err.code === 'number' ? err.code : GrpcStatus.UNKNOWN, err.details || err.message));
    });
    // Ended by the scheduler (status OK: it shuts down) with requests still waiting: they were not answered.
    stream.on('end', () => this.reset(stream, failure(GrpcStatus.UNAVAILABLE, 'the scheduler ended the Exchange stream')));
    return stream;
  }

  private settle(id: number, answer: proto.ExchangeResponse | undefined, err: ExchangeFailure | undefined): void {
    const w = this.waiting.get(id);
    if (w === undefined) return;
    this.waiting.delete(id);
    clearTimeout(w.timer);
    if (err !== undefined) w.reject(err);
    else w.resolve(answer!);
  }

  /** Drops `stream` (if still the current one) and fails every request waiting on it. */
  private reset(stream: ClientDuplexStream<proto.ExchangeRequest, proto.ExchangeResponse>, err: ExchangeFailure): void {
    if (this.stream !== stream) return;
    this.stream = undefined;
    try {
      stream.cancel();
    } catch {
      // Already ended.
    }
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of waiting) {
      clearTimeout(w.timer);
      w.reject(err);
    }
  }
}
