/**
 * Splits a process's output stream into lines. For runner processes (which outlive a task) it also
 * spots the end-of-task marker the runner writes after each task, so the parent knows every byte
 * of that task's output has been read before it closes the task's log; what follows the marker on
 * its line (the task's result, on stdout) goes to `onMarker`.
 */
import { StringDecoder } from 'node:string_decoder';

/** Longest line kept in memory; longer output without a newline is logged in pieces. */
const MAX_LINE = 64 * 1024;

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private buffer = '';

  /**
   * @param onLine receives each complete line (without the newline, trailing \r removed)
   * @param onMarker called when a line containing `marker` completes (text before it is a line),
   *   with the rest of that line
   */
  constructor(
    private readonly onLine: (line: string) => void,
    private readonly marker?: { text: () => string | undefined; onMarker: (rest: string) => void },
  ) {}

  push(chunk: Buffer | string): void {
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let start = 0;
    for (let nl = this.buffer.indexOf('\n', start); nl !== -1; nl = this.buffer.indexOf('\n', start)) {
      this.handleLine(this.buffer.slice(start, nl));
      start = nl + 1;
    }
    this.buffer = this.buffer.slice(start);
    // A marker's line carries the task's result (bounded by core.max_xcom_size): kept whole.
    if (this.buffer.length > MAX_LINE && !this.holdsMarker()) {
      // Keep a tail so a marker split across chunks is still found.
      const cut = this.buffer.length - 256;
      this.onLine(this.buffer.slice(0, cut));
      this.buffer = this.buffer.slice(cut);
    }
  }

  private holdsMarker(): boolean {
    const marker = this.marker?.text();
    return marker !== undefined && this.buffer.includes(marker);
  }

  /** Emits the last partial line, if any (end of stream). */
  flush(): void {
    this.buffer += this.decoder.end();
    if (this.buffer !== '') this.handleLine(this.buffer);
    this.buffer = '';
  }

  private handleLine(raw: string): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const marker = this.marker?.text();
    const at = marker ? line.indexOf(marker) : -1;
    if (at === -1) {
      this.onLine(line);
      return;
    }
    if (at > 0) this.onLine(line.slice(0, at));
    this.marker!.onMarker(line.slice(at + marker!.length));
  }
}
