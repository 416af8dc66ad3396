/**
 * Coalesces a worker's concurrent ClaimTask (or ReportTaskResult) calls into one ClaimTasks (or
 * ReportTaskResults) call: the requests made in the same turn of the event loop (the claims of one
 * fetch) go out together, after the current I/O callbacks. A few batches may be on the wire at
 * once (`maxInFlight`); beyond that, requests gather for the next one (group commit). A batch never
 * waits for another to come back while fewer are in flight: a slow answer (a report whose
 * downstream work takes a while) must not hold up the results of other slots. Each caller still gets exactly what its own unary
 * call would have given: its answer, or an UpdraftRpcError with the item's status.
 *
 * A batch that fails as a whole with a status no retry can fix (a request that cannot be
 * serialised or is refused as malformed or too large) is sent again item by item, so one bad item
 * never fails the others; a scheduler that does not know the batched method (UNIMPLEMENTED) gets
 * unary calls from then on.
 */
import type * as proto from '../proto/updraft/v1/worker.js';
import { fromServiceError, GrpcStatus, type UpdraftRpcError } from './status.js';

/** One item's answer in a batched response. */
export interface BatchItem<Res> {
  status?: proto.ItemStatus | undefined;
  value?: Res | undefined;
}

export interface CallBatcherOptions<Req, Res> {
  /** The unary method the items stand for, named in errors ("claimTask"). */
  method: string;
  /** Sends a batch; rejects with an UpdraftRpcError when the call as a whole failed. */
  sendBatch: (reqs: Req[]) => Promise<Array<BatchItem<Res>>>;
  /** Sends one request on its own (the unary call). */
  sendOne: (req: Req) => Promise<Res>;
  /** Most items in one batch. */
  maxItems: number;
  /** Most payload characters in one batch (see `size`): the request must stay under the transport limit. */
  maxSize: number;
  /** Rough size of one request's variable payload, in characters. */
  size: (req: Req) => number;
  /** Most batches on the wire at once. */
  maxInFlight: number;
}

interface Pending<Req, Res> {
  req: Req;
  resolve: (res: Res) => void;
  reject: (err: unknown) => void;
}

/** Statuses of a whole batch after which its items are sent one by one. */
const SPLIT_CODES: ReadonlySet<number> = new Set([GrpcStatus.INVALID_ARGUMENT, GrpcStatus.RESOURCE_EXHAUSTED, GrpcStatus.INTERNAL, GrpcStatus.UNKNOWN]);

export class CallBatcher<Req, Res> {
  private pending: Array<Pending<Req, Res>> = [];
  private inFlight = 0;
  private scheduled = false;
  private unary = false;

  constructor(private readonly o: CallBatcherOptions<Req, Res>) {}

  submit(req: Req): Promise<Res> {
    if (this.unary) return this.o.sendOne(req);
    return new Promise<Res>((resolve, reject) => {
      this.pending.push({ req, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.inFlight >= this.o.maxInFlight || this.scheduled || this.pending.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  /** The next batch: up to maxItems, and up to maxSize unless it is the first item. */
  private take(): Array<Pending<Req, Res>> {
    let size = 0;
    let n = 0;
    while (n < this.pending.length && n < this.o.maxItems) {
      size += this.o.size(this.pending[n]!.req);
      if (n > 0 && size > this.o.maxSize) break;
      n++;
    }
    return this.pending.splice(0, n);
  }

  private async flush(): Promise<void> {
    if (this.inFlight >= this.o.maxInFlight || this.pending.length === 0) return;
    const batch = this.take();
    this.inFlight += 1;
    // More may leave at once (what did not fit in this batch, or what arrives meanwhile).
    this.schedule();
    try {
      if (batch.length === 1 || this.unary) await this.one(batch);
      else await this.many(batch);
    } finally {
      this.inFlight -= 1;
      this.schedule();
    }
  }

  private async many(batch: Array<Pending<Req, Res>>): Promise<void> {
    let items: Array<BatchItem<Res>>;
    try {
      items = await this.o.sendBatch(batch.map((b) => b.req));
    } catch (err) {
      const code = (err as Partial<UpdraftRpcError>).grpcCode;
      if (code === GrpcStatus.UNIMPLEMENTED) this.unary = true;
      if (code !== undefined && (code === GrpcStatus.UNIMPLEMENTED || SPLIT_CODES.has(code))) {
        await this.one(batch);
        return;
      }
      for (const b of batch) b.reject(err);
      return;
    }
    batch.forEach((b, i) => this.settle(b, items[i]));
  }

  /** Each item as its own unary call (concurrently). */
  private async one(batch: Array<Pending<Req, Res>>): Promise<void> {
    await Promise.all(batch.map((b) => this.o.sendOne(b.req).then(b.resolve, b.reject)));
  }

  private settle(b: Pending<Req, Res>, item: BatchItem<Res> | undefined): void {
    const s = item?.status;
    if (item === undefined || s === undefined) {
      b.reject(fromServiceError({ code: GrpcStatus.INTERNAL, details: 'the batched answer has no item for this request' }, this.o.method));
    } else if (s.code !== GrpcStatus.OK) {
      b.reject(itemError(s, this.o.method));
    } else if (item.value === undefined) {
      b.reject(fromServiceError({ code: GrpcStatus.INTERNAL, details: 'the batched answer has an OK item without a value' }, this.o.method));
    } else {
      b.resolve(item.value);
    }
  }
}

/** The UpdraftRpcError the item's own unary call would have failed with. */
export function itemError(s: proto.ItemStatus, method: string): UpdraftRpcError {
  return fromServiceError({ code: s.code, details: s.details, updraftErrorCode: s.errorCode }, method);
}
