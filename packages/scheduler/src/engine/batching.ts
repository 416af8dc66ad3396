/**
 * Two ways to turn many concurrent database requests into few statements.
 *
 * Batcher (group commit): inputs submitted while a batch is being written are gathered and written
 * together by the next batch, so N concurrent claims (or reports) cost about one statement instead
 * of N. A lone input is written at once (after the current I/O callbacks, via setImmediate): no
 * timer, no added latency worth measuring. At most one batch per batcher is in flight, which also
 * keeps concurrent batches from locking rows in different orders.
 *
 * Coalescer: repeated requests for the same idempotent check (per key) - while one execution runs,
 * every new request shares ONE follow-up execution that starts after it. A caller is thus always
 * answered by an execution that started after its request ("check after my commit"), while a
 * burst of N requests costs at most two executions.
 */
export class Batcher<I, O> {
  private pending: Array<{ input: I; resolve: (o: O) => void; reject: (e: unknown) => void }> = [];
  private inFlight = false;
  private scheduled = false;

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
    try {
      const outputs = await this.write(batch.map((b) => b.input));
      batch.forEach((b, i) => b.resolve(outputs[i]!));
    } catch (err) {
      for (const b of batch) b.reject(err);
    } finally {
      this.inFlight = false;
      this.schedule();
    }
  }
}

export class Coalescer<T> {
  private readonly slots = new Map<string, { running: Promise<T>; next: Promise<T> | undefined }>();

  run(key: string, fn: () => Promise<T>): Promise<T> {
    const slot = this.slots.get(key);
    if (slot === undefined) return this.start(key, fn);
    slot.next ??= slot.running.then(() => undefined, () => undefined).then(() => {
      slot.next = undefined;
      return this.start(key, fn, slot);
    });
    return slot.next;
  }

  private start(key: string, fn: () => Promise<T>, slot?: { running: Promise<T>; next: Promise<T> | undefined }): Promise<T> {
    const running = fn();
    const s = slot ?? { running, next: undefined };
    s.running = running;
    this.slots.set(key, s);
    void running.then(() => undefined, () => undefined).then(() => {
      if (s.running === running && s.next === undefined) this.slots.delete(key);
    });
    return running;
  }
}
