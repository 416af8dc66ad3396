/**
 * Batcher (group commit): turns many concurrent database requests into few statements. Inputs submitted while a batch is being written are gathered and written
 * together by the next batch, so N concurrent claims (or reports) cost about one statement instead
 * of N. A lone input is written at once (after the current I/O callbacks, via setImmediate): no
 * timer, no added latency worth measuring. At most one batch per batcher is in flight, which also
 * keeps concurrent batches from locking rows in different orders. (Repeated idempotent checks
 * are coalesced instead: core's Coalescer.)
 */
export class Batcher<I, O> {
  private pending: Array<{ input: I; resolve: (o: O) => void; reject: (e: unknown) => void }> = [];
  private inFlight = false;
  private scheduled = false;
  /** The batch being written, settled when its statement has returned. */
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (inputs: I[]) => Promise<O[]>,
    private readonly maxBatch = 500,
  ) {}

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Resolves once the batch being written now (if any) has returned: a statement started after it
   * sees everything that batch wrote. Batches submitted later are not waited for.
   */
  settled(): Promise<void> {
    return this.writing;
  }

  private schedule(): void {
    if (this.inFlight || this.scheduled || this.pending.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.inFlight || this.pending.length === 0) return;
    const batch = this.pending.splice(0, this.maxBatch);
    this.inFlight = true;
    let done = (): void => undefined;
    this.writing = new Promise<void>((resolve) => { done = resolve; });
    try {
      const outputs = await this.write(batch.map((b) => b.input));
      batch.forEach((b, i) => b.resolve(outputs[i]!));
    } catch (err) {
      for (const b of batch) b.reject(err);
    } finally {
      done();
      this.inFlight = false;
      this.schedule();
    }
  }
}
