import { describe, expect, it } from 'vitest';
import { GrpcStatus } from '@updraft/core';
import { CallBatcher, fromServiceError, UpdraftRpcError, type BatchItem } from '@updraft/core/internal';

const deferred = <T>() => {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
};

const ok = (value: string): BatchItem<string> => ({ status: { code: GrpcStatus.OK, details: '', errorCode: '' }, value });

/** A batcher over numbers whose batches and single calls are recorded. */
function recorder(answer: (xs: number[]) => Promise<Array<BatchItem<string>>>, opts: { maxItems?: number; maxSize?: number; maxInFlight?: number } = {}) {
  const batches: number[][] = [];
  const singles: number[] = [];
  const batcher = new CallBatcher<number, string>({
    method: 'claimTask',
    sendBatch: (xs) => {
      batches.push(xs);
      return answer(xs);
    },
    sendOne: async (x) => {
      singles.push(x);
      if (x < 0) throw fromServiceError({ code: GrpcStatus.INVALID_ARGUMENT, details: `ClaimTask: ${x} is negative` }, 'claimTask');
      return `one ${x}`;
    },
    maxItems: opts.maxItems ?? 100,
    maxSize: opts.maxSize ?? 1000,
    size: (x) => Math.abs(x),
    maxInFlight: opts.maxInFlight ?? 4,
  });
  return { batcher, batches, singles };
}

describe('CallBatcher', () => {
  it('sends a lone call on its own and gathers the calls made meanwhile into one batch', async () => {
    const gate = deferred<void>();
    const r = recorder(async (xs) => {
      await gate.promise;
      return xs.map((x) => ok(`batch ${x}`));
    });
    const first = r.batcher.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [r.batcher.submit(2), r.batcher.submit(3), r.batcher.submit(4)];
    expect(await first).toBe('one 1');
    gate.resolve();
    expect(await Promise.all(later)).toEqual(['batch 2', 'batch 3', 'batch 4']);
    expect(r.singles).toEqual([1]);
    expect(r.batches).toEqual([[2, 3, 4]]);
  });

  it('lets up to maxInFlight batches leave without waiting, then gathers the rest for the next one', async () => {
    const gates = [deferred<void>(), deferred<void>(), deferred<void>()];
    const r = recorder(async (xs) => {
      await gates[r.batches.length - 1]!.promise;
      return xs.map((x) => ok(`batch ${x}`));
    }, { maxInFlight: 2 });
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    const calls = [r.batcher.submit(1), r.batcher.submit(2)];
    await tick();
    calls.push(r.batcher.submit(3), r.batcher.submit(4));
    await tick();
    calls.push(r.batcher.submit(5), r.batcher.submit(6));
    await tick();
    calls.push(r.batcher.submit(7));
    await tick();
    // Two batches on the wire; 5, 6 and 7 wait for one of them to come back, then leave together.
    expect(r.batches).toEqual([[1, 2], [3, 4]]);
    gates[1]!.resolve();
    gates[0]!.resolve();
    gates[2]!.resolve();
    expect(await Promise.all(calls)).toEqual([1, 2, 3, 4, 5, 6, 7].map((x) => `batch ${x}`));
    expect(r.batches).toEqual([[1, 2], [3, 4], [5, 6, 7]]);
  });

  it('gives each item its own status as the error its unary call would have thrown', async () => {
    const r = recorder(async (xs) => xs.map((x) => (x === 2
      ? { status: { code: GrpcStatus.FAILED_PRECONDITION, details: 'claim refused: stale', errorCode: 'STALE_ATTEMPT' } }
      : ok(`batch ${x}`))));
    const settled = await Promise.allSettled([r.batcher.submit(1), r.batcher.submit(2), r.batcher.submit(3)]);
    expect(settled[0]).toEqual({ status: 'fulfilled', value: 'batch 1' });
    expect(settled[2]).toEqual({ status: 'fulfilled', value: 'batch 3' });
    const err = (settled[1] as PromiseRejectedResult).reason as UpdraftRpcError;
    expect(err).toBeInstanceOf(UpdraftRpcError);
    expect([err.code, err.grpcCode, err.method, err.message]).toEqual(['STALE_ATTEMPT', GrpcStatus.FAILED_PRECONDITION, 'claimTask', 'claimTask: FAILED_PRECONDITION: claim refused: stale']);
  });

  it('sends the items one by one when the batch as a whole is refused as malformed, so one bad item fails alone', async () => {
    const r = recorder(async () => {
      throw fromServiceError({ code: GrpcStatus.INVALID_ARGUMENT, details: 'ClaimTasks: every item must carry the same worker_id' }, 'claimTasks');
    });
    const settled = await Promise.allSettled([r.batcher.submit(1), r.batcher.submit(-2), r.batcher.submit(3)]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(((settled[1] as PromiseRejectedResult).reason as Error).message).toMatch(/-2 is negative/);
    expect(r.singles.sort()).toEqual([-2, 1, 3]);
  });

  it('fails every item of a batch with the call\'s own retryable error (each caller retries as it would)', async () => {
    const r = recorder(async () => {
      throw fromServiceError({ code: GrpcStatus.UNAVAILABLE, details: 'No connection established' }, 'claimTasks');
    });
    const settled = await Promise.allSettled([r.batcher.submit(1), r.batcher.submit(2)]);
    expect(settled.map((s) => (s as PromiseRejectedResult).reason?.grpcCode)).toEqual([GrpcStatus.UNAVAILABLE, GrpcStatus.UNAVAILABLE]);
    expect(r.singles).toEqual([]);
  });

  it('falls back to unary calls for good when the scheduler does not know the batched method', async () => {
    const r = recorder(async () => {
      throw fromServiceError({ code: GrpcStatus.UNIMPLEMENTED, details: 'The server does not implement the method ClaimTasks' }, 'claimTasks');
    });
    expect(await Promise.all([r.batcher.submit(1), r.batcher.submit(2)])).toEqual(['one 1', 'one 2']);
    expect(await Promise.all([r.batcher.submit(3), r.batcher.submit(4)])).toEqual(['one 3', 'one 4']);
    expect(r.batches).toEqual([[1, 2]]);
  });

  it('keeps a batch within its item and size limits', async () => {
    const r = recorder(async (xs) => xs.map((x) => ok(`batch ${x}`)), { maxItems: 3, maxSize: 10 });
    await Promise.all([1, 2, 3, 4, 5, 6, 20, 7].map((x) => r.batcher.submit(x)));
    // 1, 2, 3 (three items at most); 4, 5 (adding 6 would pass size 10); then 6, 20 and 7 each alone
    // (6 + 20 is over; 20 is over by itself but a lone item always goes), as unary calls.
    expect(r.batches).toEqual([[1, 2, 3], [4, 5]]);
    expect(r.singles).toEqual([6, 20, 7]);
  });

  it('says so when the answer has no item for a request', async () => {
    const r = recorder(async () => [ok('only one')]);
    const settled = await Promise.allSettled([r.batcher.submit(1), r.batcher.submit(2)]);
    expect(settled[0]).toEqual({ status: 'fulfilled', value: 'only one' });
    expect(((settled[1] as PromiseRejectedResult).reason as UpdraftRpcError).grpcCode).toBe(GrpcStatus.INTERNAL);
  });
});
