/**
 * The messages of a try's log subject and how readers put them back together.
 *
 * A data message holds bytes of the worker's log file (whole lines, or a piece of a very long one)
 * and the byte offset in the file where they start (header Updraft-Log-Offset). The last message
 * of a try carries Updraft-Log-End: the file's final size (on the last data message, or alone).
 *
 * After a failed publish the worker sends everything again from the last offset NATS confirmed,
 * so the stream may repeat bytes, and may hold a message that starts past the bytes seen so far
 * (it got through while an earlier one was lost): the resend that follows covers that gap. Readers
 * therefore take from each message only the bytes that extend the log contiguously, and skip a
 * message that starts beyond it. The file only grows, so every copy of a byte is the same byte.
 */
export const LOG_OFFSET_HEADER = 'Updraft-Log-Offset';
export const LOG_END_HEADER = 'Updraft-Log-End';

/** One stored message of a try's subject. */
export interface LogRecord {
  /** Stream sequence. */
  seq: number;
  /** File offset of `data`'s first byte; undefined for an end-only message. */
  offset?: number;
  data: Uint8Array;
  /** The file's final size (end of the try's log). */
  end?: number;
}

/** Where a reader is: the next byte of the file it wants, and the stream sequence to look from. */
export interface LogPosition {
  offset: number;
  /** 0 or 1: from the subject's first message. */
  seq: number;
}

const EMPTY: Uint8Array = new Uint8Array(0);

function nonNegativeInt(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,15}$/.test(text)) return undefined;
  return Number(text);
}

/** A stored message as a LogRecord; undefined when it is not one (no offset and no end). */
export function logRecordOf(seq: number, data: Uint8Array, header: (name: string) => string | undefined): LogRecord | undefined {
  const offset = nonNegativeInt(header(LOG_OFFSET_HEADER));
  const end = nonNegativeInt(header(LOG_END_HEADER));
  if (offset === undefined && end === undefined) return undefined;
  return { seq, data: offset === undefined ? EMPTY : data, ...(offset !== undefined ? { offset } : {}), ...(end !== undefined ? { end } : {}) };
}

/** Follows a try's log through its records (see the file comment for the rules). */
export class LogAssembler {
  offset: number;
  nextSeq: number;
  /** The final size, once an end record was seen. */
  endSize: number | undefined;

  constructor(from: LogPosition = { offset: 0, seq: 0 }) {
    this.offset = from.offset;
    this.nextSeq = Math.max(1, from.seq);
  }

  /** True once the end was seen and every byte before it. */
  get complete(): boolean {
    return this.endSize !== undefined && this.offset >= this.endSize;
  }

  get position(): LogPosition {
    return { offset: this.offset, seq: this.nextSeq };
  }

  /**
   * The bytes of `r` that extend the log, at most `max`. When `max` cuts the record short, the
   * reader's next position stays on it (it is read again, from the new offset).
   */
  take(r: LogRecord, max = Number.POSITIVE_INFINITY): Uint8Array {
    if (r.seq < this.nextSeq) return EMPTY;
    if (r.end !== undefined) this.endSize = r.end;
    let out = EMPTY;
    if (r.offset !== undefined && r.offset <= this.offset) {
      const from = this.offset - r.offset;
      const n = Math.max(0, Math.min(r.data.length - from, max));
      if (n > 0) {
        out = r.data.subarray(from, from + n);
        this.offset += n;
      }
    }
    const rest = r.offset !== undefined && r.offset <= this.offset && r.offset + r.data.length > this.offset;
    this.nextSeq = rest ? r.seq : r.seq + 1;
    return out;
  }
}
