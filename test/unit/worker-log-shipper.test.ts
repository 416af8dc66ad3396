/**
 * The worker's shipping of one try's log (packages/worker/src/logs/try-shipper.ts) against a
 * publisher that stands in for NATS (a pure unit test; the real path runs in
 * test/e2e/task-logs.test.ts): what readers put back together is the file, byte for byte, when
 * everything goes through, when NATS is away while the task writes more than the shipper keeps in
 * memory (the rest comes from the file), and when a publish fails halfway.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LogAssembler, silentLogger, type TaskLogPublisher } from '@updraft/core';
import { TaskLogWriter, TryLogShipper } from '@updraft/worker';

const dir = mkdtempSync(join(tmpdir(), 'updraft-shipper-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Sent {
  seq: number;
  offset?: number;
  data: Uint8Array;
  end?: number;
}

/** Stores what is published, in order; `fail(n)` makes the n-th publish fail (a lost connection). */
class FakePublisher implements TaskLogPublisher {
  ready = true;
  readonly stored: Sent[] = [];
  private readonly listeners: Array<(ready: boolean) => void> = [];
  private calls = 0;
  failing = new Set<number>();

  onChange(listener: (ready: boolean) => void): void {
    this.listeners.push(listener);
  }

  setReady(ready: boolean): void {
    this.ready = ready;
    for (const l of this.listeners) l(ready);
  }

  async publish(_subject: string, data: Uint8Array, offset: number | undefined, end: number | undefined): Promise<void> {
    this.calls += 1;
    if (this.failing.has(this.calls)) {
      // Lost on the way; the connection drops and comes back.
      queueMicrotask(() => {
        this.setReady(false);
        setTimeout(() => this.setReady(true), 5);
      });
      throw new Error('lost');
    }
    this.stored.push({ seq: this.stored.length + 1, data: Buffer.from(data), ...(offset !== undefined ? { offset } : {}), ...(end !== undefined ? { end } : {}) });
  }

  async close(): Promise<void> {}

  /** What a reader of the stream gets, and whether it saw the end. */
  read(): { text: string; complete: boolean } {
    const asm = new LogAssembler();
    const text = Buffer.concat(this.stored.map((r) => asm.take(r))).toString('utf8');
    return { text, complete: asm.complete };
  }
}

async function writeLog(publisher: FakePublisher, name: string, write: (w: TaskLogWriter) => Promise<void>): Promise<string> {
  const file = join(dir, name);
  const shipper = new TryLogShipper(`updraft.logs.${name}`, file, publisher, { onActive: () => undefined, onDone: () => undefined, logger: silentLogger });
  // As LogShipping does: the shipper hears the connection's changes.
  publisher.onChange((ready) => shipper.connectionChanged(ready));
  const writer = await TaskLogWriter.open(file, (t) => t, shipper);
  await write(writer);
  await writer.close();
  await shipper.finished;
  return readFileSync(file, 'utf8');
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('TryLogShipper', () => {
  it('ships the lines in order, a batch at a time, and marks the end with the final size', async () => {
    const p = new FakePublisher();
    const file = await writeLog(p, 'plain.log', async (w) => {
      for (let i = 0; i < 50; i++) {
        w.line('stdout', `line ${i} ✓`);
        if (i % 10 === 0) await tick();
      }
    });
    expect(p.read()).toEqual({ text: file, complete: true });
    expect(p.stored.length).toBeLessThan(50);
    expect(p.stored.at(-1)!.end).toBe(Buffer.byteLength(file));
  });

  it('sends nothing while NATS is away, then everything, from the file where memory did not keep it', async () => {
    const p = new FakePublisher();
    p.ready = false;
    const big = 'x'.repeat(1000);
    const done = writeLog(p, 'outage.log', async (w) => {
      for (let i = 0; i < 6000; i++) {
        w.line('stdout', `${i} ${big}`);
        if (i % 100 === 0) await tick();
      }
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(p.stored).toEqual([]);
    p.setReady(true);
    const file = await done;
    expect(Buffer.byteLength(file)).toBeGreaterThan(4 * 1024 * 1024);
    expect(p.read()).toEqual({ text: file, complete: true });
  });

  it('a publish lost halfway is sent again from the last acknowledged offset: every byte once', async () => {
    const p = new FakePublisher();
    p.failing = new Set([3, 4]);
    const line = 'y'.repeat(2000);
    const file = await writeLog(p, 'lost.log', async (w) => {
      for (let i = 0; i < 400; i++) {
        w.line('stderr', `${i} ${line}`);
        if (i % 20 === 0) await tick();
      }
    });
    const stored = p.stored.reduce((n, r) => n + r.data.length, 0);
    expect(stored).toBeGreaterThanOrEqual(Buffer.byteLength(file));
    expect(p.read()).toEqual({ text: file, complete: true });
  });
});
