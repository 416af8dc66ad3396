/**
 * Reading a log file from its end: the last bytes before an offset, cut to start at a line, so a
 * viewer shows a 50 MB log's end without the server reading (or the browser receiving) all of it.
 * The line number of the first line shown comes from counting the newlines before it: a memchr
 * pass over the file's head (tens of milliseconds for 50 MB, nothing sent), done only for the
 * first read from the end; pages further back are numbered by the viewer from that one.
 */
import { open, type FileHandle } from 'node:fs/promises';

const COUNT_CHUNK = 4 * 1024 * 1024;

export interface TailPage {
  text: string;
  /** Byte offset of the text's first byte (a line's start, or 0). */
  start: number;
  /** Byte offset just after the text. */
  end: number;
  /** 1-based line number of the text's first line, when asked for. */
  firstLine: number | null;
}

async function countNewlines(handle: FileHandle, upTo: number): Promise<number> {
  const buffer = Buffer.alloc(Math.min(COUNT_CHUNK, Math.max(1, upTo)));
  let count = 0;
  for (let pos = 0; pos < upTo; ) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, upTo - pos), pos);
    if (bytesRead === 0) break;
    const chunk = buffer.subarray(0, bytesRead);
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) count++;
    pos += bytesRead;
  }
  return count;
}

/**
 * At most `max` bytes ending at `before` (the file's end when null), starting after a newline
 * unless they start the file. Null when the file cannot be opened.
 */
export async function readTail(file: string, before: number | null, max: number, numberLines: boolean): Promise<TailPage | null> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return null;
  }
  try {
    const size = (await handle.stat()).size;
    const stop = before === null ? size : Math.min(before, size);
    const from = Math.max(0, stop - max);
    const buffer = Buffer.alloc(stop - from);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, from);
    let data = buffer.subarray(0, bytesRead);
    let start = from;
    if (from > 0) {
      // Drop the line cut by the window; a single line longer than the window is shown from a
      // character's start (never inside a UTF-8 sequence).
      const nl = data.indexOf(0x0a);
      let skip = nl !== -1 && nl + 1 < data.length ? nl + 1 : 0;
      if (skip === 0) while (skip < data.length && (data[skip]! & 0xc0) === 0x80) skip++;
      data = data.subarray(skip);
      start += skip;
    }
    const firstLine = numberLines ? (start === 0 ? 1 : (await countNewlines(handle, start)) + 1) : null;
    return { text: data.toString('utf8'), start, end: start + data.length, firstLine };
  } finally {
    await handle.close();
  }
}
