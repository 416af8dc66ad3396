/**
 * Ships one try's log file to its subject of the task-log stream, in order, while the task runs.
 *
 * The log writer hands over each chunk it appended (with the file size after it) and, at the end,
 * the final size. Chunks are sent in batches (every BATCH_MS, or at once past BATCH_BYTES), up to
 * MAX_IN_FLIGHT messages waiting for JetStream's acknowledgement at a time; nothing here ever
 * makes the task wait. Unacknowledged bytes stay in memory (up to MEMORY_BYTES, then the file is
 * the copy). When a publish fails or the connection drops, everything from the last acknowledged
 * offset is sent again once NATS is back, read from memory or from the file; readers drop what
 * they already have by offset (core's task-logs/records.ts). The last message carries the final
 * size, which tells readers the log is complete.
 */
import { open } from 'node:fs/promises';
import type { Logger, TaskLogPublisher } from '@updraft/core';
import type { TaskLogSink } from '../logs.js';
import { SharedTimer } from '../shared-timer.js';

const BATCH_MS = 50;
const BATCH_BYTES = 64 * 1024;
const MESSAGE_BYTES = 256 * 1024;
const MAX_IN_FLIGHT = 16;
const MEMORY_BYTES = 4 * 1024 * 1024;
const RETRY_MS = 1000;
/**
 * A finished log is sent after at most this long, together with the logs of every other try that
 * finished meanwhile: their publishes then leave in one write to NATS, and NATS answers them in
 * one, not one each (short tasks finish a few hundred microseconds apart, and every write wakes
 * the other process up). Nothing waits for it: the result is reported from the local file.
 */
const END_MS = 20;

/** Shippers of finished logs waiting for the one timer that sends them together. */
const ending = new SharedTimer<TryLogShipper>(END_MS, (s) => s.sendNow());

const EMPTY = Buffer.alloc(0);

interface Sent {
  end: number;
  last: boolean;
  acked: boolean;
}

export class TryLogShipper implements TaskLogSink {
  /** Bytes [memStart, fileEnd) of the file, as appended. */
  private chunks: Buffer[] = [];
  private memStart = 0;
  private memBytes = 0;
  private fileEnd = 0;
  private finalSize: number | undefined;
  /** Sent in this epoch up to here; confirmed by JetStream up to ackedEnd. */
  private sentEnd = 0;
  private ackedEnd = 0;
  private sent: Sent[] = [];
  private endSent = false;
  /** Bumped when the connection is lost: acknowledgements of earlier sends no longer count. */
  private epoch = 0;
  private timer: NodeJS.Timeout | undefined;
  private pumping = false;
  private again = false;
  private active = false;
  done = false;
  readonly finished: Promise<void>;
  private finish: () => void = () => undefined;

  constructor(
    readonly subject: string,
    private readonly file: string,
    private readonly publisher: TaskLogPublisher,
    private readonly hooks: { onActive(s: TryLogShipper): void; onDone(s: TryLogShipper): void; logger: Logger },
  ) {
    this.finished = new Promise((resolve) => (this.finish = resolve));
  }

  appended(chunk: Buffer, end: number): void {
    this.activate();
    if (this.chunks.length === 0) this.memStart = end - chunk.length;
    this.chunks.push(chunk);
    this.memBytes += chunk.length;
    this.fileEnd = end;
    if (this.memBytes > MEMORY_BYTES) {
      // NATS is far behind: the file is the copy from here on.
      this.chunks = [];
      this.memBytes = 0;
      this.memStart = end;
    }
    if (this.fileEnd - this.sentEnd >= BATCH_BYTES) this.pumpNow();
    else if (this.timer === undefined) {
      this.timer = setTimeout(() => this.pumpNow(), BATCH_MS);
      this.timer.unref();
    }
  }

  closed(size: number): void {
    this.activate();
    this.finalSize = size;
    this.fileEnd = Math.max(this.fileEnd, size);
    clearTimeout(this.timer);
    this.timer = undefined;
    ending.add(this);
  }

  /** Sends what is waiting (the timer of finished logs). */
  sendNow(): void {
    this.pumpNow();
  }

  /** The publisher's connection changed: on loss, start again from what JetStream confirmed. */
  connectionChanged(ready: boolean): void {
    if (this.done) return;
    if (!ready) {
      this.epoch += 1;
      this.sent = [];
      this.sentEnd = this.ackedEnd;
      this.endSent = false;
    } else {
      this.pumpNow();
    }
  }

  private activate(): void {
    if (this.active) return;
    this.active = true;
    this.hooks.onActive(this);
  }

  private pumpNow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        await this.sendSome();
      } while (this.again);
    } catch (err) {
      this.hooks.logger.error({ err, subject: this.subject }, 'task log shipping failed');
    } finally {
      this.pumping = false;
    }
  }

  private async sendSome(): Promise<void> {
    while (this.publisher.ready && !this.done && this.sent.length < MAX_IN_FLIGHT) {
      const epoch = this.epoch;
      const start = this.sentEnd;
      if (start < this.fileEnd) {
        const data = await this.bytes(start, Math.min(this.fileEnd, start + MESSAGE_BYTES));
        if (epoch !== this.epoch) continue;
        if (data.length === 0) {
          this.giveUp(`${this.file} has no bytes at offset ${start} (truncated or removed)`);
          return;
        }
        const stop = start + data.length;
        this.send(epoch, data, start, stop, this.finalSize !== undefined && stop >= this.finalSize);
      } else if (this.finalSize !== undefined && !this.endSent) {
        this.send(epoch, EMPTY, undefined, start, true);
      } else {
        return;
      }
    }
  }

  private send(epoch: number, data: Buffer, offset: number | undefined, stop: number, last: boolean): void {
    const entry: Sent = { end: stop, last, acked: false };
    this.sent.push(entry);
    this.sentEnd = stop;
    if (last) this.endSent = true;
    this.publisher.publish(this.subject, data, offset, last ? this.finalSize : undefined).then(
      () => {
        if (epoch !== this.epoch) return;
        entry.acked = true;
        this.settle();
      },
      () => {
        // The publisher tells every shipper when the stream answers again; this is a fallback
        // for a failure it did not count as a lost connection.
        if (epoch !== this.epoch) return;
        this.connectionChanged(false);
        const t = setTimeout(() => this.pumpNow(), RETRY_MS);
        t.unref();
      },
    );
  }

  /** Moves the confirmed offset over the acknowledged prefix of what was sent. */
  private settle(): void {
    while (this.sent[0]?.acked) {
      const e = this.sent.shift()!;
      this.ackedEnd = e.end;
      if (e.last) {
        this.complete();
        return;
      }
    }
    while (this.chunks.length > 0 && this.memStart + this.chunks[0]!.length <= this.ackedEnd) {
      const c = this.chunks.shift()!;
      this.memStart += c.length;
      this.memBytes -= c.length;
    }
    void this.pump();
  }

  private complete(): void {
    this.done = true;
    this.chunks = [];
    this.memBytes = 0;
    clearTimeout(this.timer);
    this.hooks.onDone(this);
    this.finish();
  }

  private giveUp(why: string): void {
    this.hooks.logger.warn({ subject: this.subject, why }, 'task log shipping given up for this try; its log stays in the local file');
    this.complete();
  }

  /** Bytes [from, to) of the file: from memory, or (below what memory holds) from the file itself. */
  private async bytes(from: number, to: number): Promise<Buffer> {
    if (from >= this.memStart) {
      const parts: Buffer[] = [];
      let at = this.memStart;
      for (const c of this.chunks) {
        const cEnd = at + c.length;
        if (cEnd > from && at < to) parts.push(c.subarray(Math.max(0, from - at), Math.min(c.length, to - at)));
        at = cEnd;
        if (at >= to) break;
      }
      return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    }
    const stop = Math.min(to, this.memStart);
    let handle;
    try {
      handle = await open(this.file, 'r');
      const buf = Buffer.alloc(stop - from);
      const { bytesRead } = await handle.read(buf, 0, buf.length, from);
      return buf.subarray(0, bytesRead);
    } catch (err) {
      this.hooks.logger.warn({ err, file: this.file }, 'task log shipping: cannot read the log file');
      return EMPTY;
    } finally {
      await handle?.close();
    }
  }
}
