/**
 * The Exchange stream (worker.proto): a worker's batched claims and reports as messages on one
 * long-lived stream instead of a call per batch. Each request is handled by the same code as its
 * ClaimTasks or ReportTaskResults call and answered with its id, in the order answers are ready.
 * The stream's token is checked when it opens (a wrong one ends it) and, when it is a per-worker
 * credential, again for each request, as a call's would be (a credential revoked meanwhile is
 * refused at its next request); the shared token cannot be revoked while the scheduler runs. The
 * worker each request acts for is checked for each request.
 *
 * Shutdown: close() stops taking requests (they are answered UNAVAILABLE, which workers retry)
 * and ends every stream once what it took is answered, so the server's graceful shutdown does not
 * wait for streams that would otherwise stay open.
 */
import { status, type ServerDuplexStream } from '@grpc/grpc-js';
import { truncate, UpdraftError, type Logger, type proto } from '@updraft/core';

/** What a stream needs from the server that hosts it. */
export interface ExchangeHost<Principal> {
  /** The stream's principal (token, and certificate under mutual TLS); rejects with the call's refusal. */
  authenticate(call: ServerDuplexStream<proto.ExchangeRequest, proto.ExchangeResponse>): Promise<Principal>;
  /** Rejects when `principal` may not act for the worker `request` names. */
  authorize(principal: Principal, method: 'claimTasks' | 'reportTaskResults', request: unknown): Promise<void>;
  claims(r: proto.ClaimTasksRequest): Promise<proto.ClaimTasksResponse>;
  reports(r: proto.ReportTaskResultsRequest): Promise<proto.ReportTaskResultsResponse>;
  /** The status of a refused request or of a failed stream (logged as a call's would be). */
  failure(method: string, err: unknown): { code: number; details: string; errorCode: string };
  /** True for a request the transport could not decode (it has no id to answer: the stream ends). */
  isMalformed(request: unknown): request is { reason: string };
  logger: Logger;
}

type Call = ServerDuplexStream<proto.ExchangeRequest, proto.ExchangeResponse>;

interface OpenStream {
  call: Call;
  /** Requests taken and not answered yet. */
  pending: number;
  ended: boolean;
}

export class ExchangeStreams<Principal> {
  private readonly streams = new Set<OpenStream>();
  private closing = false;

  constructor(private readonly host: ExchangeHost<Principal>) {}

  /** The bidi handler for WorkerService.Exchange. */
  readonly handle = (call: Call): void => {
    const stream: OpenStream = { call, pending: 0, ended: false };
    this.streams.add(stream);
    // A refusal ends the stream with its status; requests that came meanwhile get no answer.
    this.host.authenticate(call).catch((err: unknown) => this.fail(stream, this.host.failure('exchange', err)));
    let clientDone = false;
    call.on('data', (request: unknown) => {
      if (stream.ended) return;
      if (this.host.isMalformed(request)) {
        this.fail(stream, { code: status.INVALID_ARGUMENT, details: `Exchange: a request is not a valid ExchangeRequest: ${truncate(request.reason, 200)}` });
        return;
      }
      stream.pending += 1;
      void this.answer(stream, request as proto.ExchangeRequest).finally(() => {
        stream.pending -= 1;
        if ((clientDone || this.closing) && stream.pending === 0) this.end(stream);
      });
    });
    call.on('end', () => {
      clientDone = true;
      if (stream.pending === 0) this.end(stream);
    });
    call.on('cancelled', () => this.forget(stream));
    call.on('error', () => this.forget(stream));
    call.on('close', () => this.forget(stream));
  };

  /** Takes no more requests; each stream ends once its requests are answered. */
  close(): void {
    this.closing = true;
    for (const s of this.streams) if (s.pending === 0) this.end(s);
  }

  private async answer(stream: OpenStream, r: proto.ExchangeRequest): Promise<void> {
    const id = r.id;
    const method = r.claims !== undefined ? 'claimTasks' : 'reportTaskResults';
    let response: proto.ExchangeResponse;
    try {
      if (this.closing) throw new UpdraftError('RPC_ERROR', 'the scheduler is shutting down: send it again');
      const who = await this.host.authenticate(stream.call);
      if (r.claims !== undefined) {
        await this.host.authorize(who, 'claimTasks', r.claims);
        response = { id, status: undefined, claims: await this.host.claims(r.claims) };
      } else if (r.reports !== undefined) {
        await this.host.authorize(who, 'reportTaskResults', r.reports);
        response = { id, status: undefined, reports: await this.host.reports(r.reports) };
      } else {
        response = { id, status: { code: status.INVALID_ARGUMENT, details: 'Exchange: the request carries neither claims nor reports', errorCode: 'INVALID_ARGUMENT' } };
      }
    } catch (err) {
      response = { id, status: this.host.failure(method, err) };
    }
    if (stream.ended) return;
    try {
      stream.call.write(response);
    } catch (err) {
      this.host.logger.warn({ err }, 'could not answer on an Exchange stream');
    }
  }

  /** Ends the stream with status `s` (requests not answered yet get no answer). */
  private fail(stream: OpenStream, s: { code: number; details: string }): void {
    if (stream.ended) return;
    stream.ended = true;
    this.streams.delete(stream);
    try {
      stream.call.emit('error', { code: s.code, details: s.details });
    } catch {
      // Already gone.
    }
  }

  private end(stream: OpenStream): void {
    if (stream.ended) return;
    stream.ended = true;
    this.streams.delete(stream);
    try {
      stream.call.end();
    } catch {
      // Already gone.
    }
  }

  private forget(stream: OpenStream): void {
    stream.ended = true;
    this.streams.delete(stream);
  }
}
