/**
 * How readers put a try's log back together from the stream's messages (core task-logs/records.ts):
 * repeated bytes after a resend are dropped, a message past a gap is skipped until the resend
 * covers it, a page budget cuts a message and the next read resumes inside it, and the end record
 * says when the log is complete.
 */
import { describe, expect, it } from 'vitest';
import { LogAssembler } from '@updraft/core';
import { LOG_END_HEADER, LOG_OFFSET_HEADER, logRecordOf, type LogRecord } from '@updraft/core/internal';

const FILE = 'line one\nline two ✓\nline three\nline four\n';
const bytes = Buffer.from(FILE);
let seq = 0;
const rec = (from: number, to: number, end?: number): LogRecord => ({ seq: ++seq, offset: from, data: bytes.subarray(from, to), ...(end !== undefined ? { end } : {}) });
const endOnly = (end: number): LogRecord => ({ seq: ++seq, data: new Uint8Array(0), end });

function assemble(records: LogRecord[], asm = new LogAssembler()): string {
  return Buffer.concat(records.map((r) => asm.take(r))).toString('utf8');
}

describe('LogAssembler', () => {
  it('puts messages in order back together and is complete at the end record', () => {
    const asm = new LogAssembler();
    expect(assemble([rec(0, 9), rec(9, 23)], asm)).toBe(Buffer.from(bytes.subarray(0, 23)).toString());
    expect(asm.complete).toBe(false);
    expect(assemble([rec(23, bytes.length, bytes.length)], asm)).toBe(Buffer.from(bytes.subarray(23)).toString());
    expect(asm.complete).toBe(true);
  });

  it('drops bytes a resend repeats and skips a message past a gap until the resend covers it', () => {
    const asm = new LogAssembler();
    // [0,9) stored, [9,23) lost, [23,end) got through, then everything from 9 again, then the end alone.
    const text = assemble([rec(0, 9), rec(23, bytes.length), rec(9, bytes.length), endOnly(bytes.length)], asm);
    expect(text).toBe(FILE);
    expect(asm.complete).toBe(true);
    // The same bytes once more change nothing.
    expect(assemble([rec(0, bytes.length, bytes.length)], asm)).toBe('');
  });

  it('an end record seen before the bytes it counts does not make the log complete', () => {
    const asm = new LogAssembler();
    assemble([rec(0, 9), endOnly(bytes.length)], asm);
    expect(asm.complete).toBe(false);
    assemble([rec(9, bytes.length, bytes.length)], asm);
    expect(asm.complete).toBe(true);
  });

  it('a budget cuts a message; reading again from the position resumes inside it', () => {
    const r = rec(0, bytes.length, bytes.length);
    const first = new LogAssembler();
    const a = Buffer.from(first.take(r, 5));
    expect(first.position).toEqual({ offset: 5, seq: r.seq });
    const second = new LogAssembler(first.position);
    const b = Buffer.from(second.take(r));
    expect(Buffer.concat([a, b]).toString()).toBe(FILE);
    expect(second.position).toEqual({ offset: bytes.length, seq: r.seq + 1 });
    expect(second.complete).toBe(true);
  });

  it('reads offsets and ends from headers, and ignores messages without them', () => {
    const h = (o: Record<string, string>) => (name: string) => o[name];
    expect(logRecordOf(7, bytes, h({ [LOG_OFFSET_HEADER]: '12' }))).toEqual({ seq: 7, offset: 12, data: bytes });
    expect(logRecordOf(8, new Uint8Array(0), h({ [LOG_END_HEADER]: '44' }))).toMatchObject({ seq: 8, end: 44 });
    expect(logRecordOf(9, bytes, h({}))).toBeUndefined();
    expect(logRecordOf(9, bytes, h({ [LOG_OFFSET_HEADER]: '-1' }))).toBeUndefined();
  });
});
