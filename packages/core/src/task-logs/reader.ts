/**
 * Reading tries' logs from the task-log stream (webserver, `updraft tasks logs`). The connection
 * is opened at the first read (a webserver starts and serves whether or not NATS is up) and kept;
 * a failed connection is tried again at the next read.
 *
 *  - readPage: the bytes after a position, at most `maxBytes`: one request when nothing is new
 *    (the subject's last message), else a short-lived consumer over the try's subject;
 *  - follow: every byte as it arrives, until the end of the try's log;
 *  - tries: the try numbers that have a log in the stream.
 */
import { AckPolicy, DeliverPolicy, type JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { UpdraftError } from '../errors.js';
import type { TaskLogKey } from '../runs/log-path.js';
import { connectLogStream, type LogStreamConnection, type TaskLogStreamOptions } from './connection.js';
import { TASK_LOG_STREAM, taskLogSubject, taskLogTriesFilter, tryNumberOfSubject } from './names.js';
import { LOG_END_HEADER, LogAssembler, logRecordOf, type LogPosition, type LogRecord } from './records.js';
import { isStreamNotFound } from './setup.js';

export interface LogPage {
  data: Buffer;
  /** Where the next read starts. */
  next: LogPosition;
  /** The end of the try's log was reached (false: more may come, or it is not known here). */
  complete: boolean;
}

const FETCH_BATCH = 64;
const FETCH_EXPIRES_MS = 5000;

const recordOfMsg = (m: JsMsg): LogRecord | undefined =>
  logRecordOf(m.seq, m.data, (name) => m.headers?.get(name) || undefined);

function streamError(what: string, err: unknown): UpdraftError {
  if (err instanceof UpdraftError) return err;
  return new UpdraftError('QUEUE_ERROR', `task log stream: ${what}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
}

/**
 * A full page ends after its last newline when it has one, so a page never splits a line (nor a
 * UTF-8 character); the next read starts at the message holding the first byte left out.
 */
function cutAtLine(data: Buffer, offset: number, chunks: Uint8Array[], seqs: number[]): LogPage | undefined {
  const cut = data.lastIndexOf(0x0a) + 1;
  if (cut <= 0 || cut === data.length) return undefined;
  let at = 0;
  let seq = seqs[0]!;
  for (let i = 0; i < chunks.length; i++) {
    seq = seqs[i]!;
    if (at + chunks[i]!.length > cut) break;
    at += chunks[i]!.length;
  }
  return { data: data.subarray(0, cut), next: { offset: offset + cut, seq }, complete: false };
}

export class TaskLogStreamReader {
  private conn: Promise<LogStreamConnection> | undefined;

  constructor(private readonly o: TaskLogStreamOptions) {}

  /** The bytes of a try's log after `from`, at most `maxBytes`; null when the stream has nothing of this try. */
  async readPage(key: TaskLogKey, tryNumber: number, from: LogPosition, maxBytes: number): Promise<LogPage | null> {
    const subject = taskLogSubject(key, tryNumber);
    const { jsm, js } = await this.connection();
    let last;
    try {
      last = await jsm.streams.getMessage(TASK_LOG_STREAM, { last_by_subj: subject });
    } catch (err) {
      if (isStreamNotFound(err)) return null;
      throw streamError(`reading ${subject}`, err);
    }
    if (last === null) return null;
    const asm = new LogAssembler(from);
    if (last.seq < asm.nextSeq) {
      const end = Number(last.header.get(LOG_END_HEADER) || Number.NaN);
      return { data: Buffer.alloc(0), next: asm.position, complete: Number.isFinite(end) && from.offset >= end };
    }
    const chunks: Uint8Array[] = [];
    /** Stream sequence of each chunk's message (a page cut short resumes there). */
    const seqs: number[] = [];
    let size = 0;
    let ci;
    try {
      ci = await jsm.consumers.add(TASK_LOG_STREAM, {
        ack_policy: AckPolicy.None,
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: asm.nextSeq,
        filter_subject: subject,
        inactive_threshold: nanos(60_000),
        mem_storage: true,
      });
    } catch (err) {
      throw streamError(`reading ${subject}`, err);
    }
    try {
      const consumer = js.consumers.getConsumerFromInfo(ci);
      let pending = ci.num_pending;
      while (pending > 0 && size < maxBytes) {
        const messages = await consumer.fetch({ max_messages: Math.min(pending, FETCH_BATCH), expires: FETCH_EXPIRES_MS });
        let got = 0;
        for await (const m of messages) {
          got += 1;
          pending = m.info.pending;
          const r = recordOfMsg(m);
          if (r === undefined) continue;
          const bytes = asm.take(r, maxBytes - size);
          if (bytes.length > 0) {
            chunks.push(bytes);
            seqs.push(m.seq);
            size += bytes.length;
          }
          if (size >= maxBytes) {
            messages.stop();
            break;
          }
        }
        if (got === 0) break;
      }
    } catch (err) {
      throw streamError(`reading ${subject}`, err);
    } finally {
      jsm.consumers.delete(TASK_LOG_STREAM, ci.name).catch(() => undefined);
    }
    const data = Buffer.concat(chunks, size);
    if (size < maxBytes) return { data, next: asm.position, complete: asm.complete };
    return cutAtLine(data, from.offset, chunks, seqs) ?? { data, next: asm.position, complete: asm.complete };
  }

  /**
   * Every byte of a try's log from `from` as it arrives, until its end (or `signal`). While the
   * stream has nothing of the try yet (not started, NATS away), it waits.
   */
  async *follow(key: TaskLogKey, tryNumber: number, signal?: AbortSignal, from: LogPosition = { offset: 0, seq: 0 }): AsyncGenerator<Buffer> {
    const asm = new LogAssembler(from);
    while (!asm.complete && !signal?.aborted) {
      const page = await this.readPage(key, tryNumber, asm.position, 4 * 1024 * 1024).catch((err: unknown) => {
        if (err instanceof UpdraftError && err.code === 'QUEUE_ERROR') return null; // NATS away: wait for it
        throw err;
      });
      if (page !== null) {
        asm.offset = page.next.offset;
        asm.nextSeq = page.next.seq;
        if (page.data.length > 0) yield page.data;
        if (page.complete) return;
        if (page.data.length > 0) continue;
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 250);
        signal?.addEventListener('abort', () => {
          clearTimeout(t);
          resolve();
        }, { once: true });
      });
    }
  }

  /** Try numbers with a log in the stream, ascending. */
  async tries(key: TaskLogKey): Promise<number[]> {
    const { jsm } = await this.connection();
    try {
      const info = await jsm.streams.info(TASK_LOG_STREAM, { subjects_filter: taskLogTriesFilter(key) });
      return Object.keys(info.state.subjects ?? {})
        .map(tryNumberOfSubject)
        .filter((n): n is number => n !== undefined)
        .sort((a, b) => a - b);
    } catch (err) {
      if (isStreamNotFound(err)) return [];
      throw streamError('listing tries', err);
    }
  }

  async close(): Promise<void> {
    const conn = this.conn;
    this.conn = undefined;
    if (conn) await (await conn.catch(() => undefined))?.nc.close().catch(() => undefined);
  }

  private connection(): Promise<LogStreamConnection> {
    this.conn ??= connectLogStream(this.o).catch((err: unknown) => {
      this.conn = undefined;
      throw err;
    });
    return this.conn;
  }
}
