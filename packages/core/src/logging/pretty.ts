/**
 * Human-readable component logs for a terminal (what pino-pretty would print, without the
 * dependency): `12:00:01.234 INFO  scheduler: message  key=value ...`, the level coloured, an
 * error's stack on the lines after. Fed the JSON lines pino writes; a line that is not JSON passes
 * through unchanged.
 */
import type { DestinationStream } from 'pino';

const RESET = '\x1b[0m';
const DIM = '\x1b[2m';
const LEVELS: Record<number, { label: string; color: string }> = {
  10: { label: 'TRACE', color: '\x1b[90m' },
  20: { label: 'DEBUG', color: '\x1b[36m' },
  30: { label: 'INFO', color: '\x1b[32m' },
  40: { label: 'WARN', color: '\x1b[33m' },
  50: { label: 'ERROR', color: '\x1b[31m' },
  60: { label: 'FATAL', color: '\x1b[35m' },
};

function fieldText(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
}

/** One pino JSON line as one readable line (plus an error's stack), ending in a newline. */
export function formatPrettyLine(line: string, colors: boolean): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  const { level, time, name, msg, pid: _pid, hostname: _hostname, err, ...rest } = record;
  const at = typeof time === 'string' ? time.slice(11, 23) : typeof time === 'number' ? new Date(time).toISOString().slice(11, 23) : '';
  const { label, color } = LEVELS[Number(level)] ?? { label: String(level), color: '' };
  const paint = (code: string, text: string): string => (colors && code !== '' ? `${code}${text}${RESET}` : text);
  let stack = '';
  if (err !== undefined && err !== null && typeof err === 'object') {
    const e = err as { message?: unknown; stack?: unknown };
    rest.err = e.message ?? err;
    if (typeof e.stack === 'string') stack = `\n${e.stack.split('\n').map((l) => `    ${l}`).join('\n')}`;
  } else if (err !== undefined) {
    rest.err = err;
  }
  const fields = Object.entries(rest).map(([k, v]) => `${k}=${fieldText(v)}`).join(' ');
  const head = `${at} ${paint(color, label.padEnd(5))} ${typeof name === 'string' ? `${name}: ` : ''}${typeof msg === 'string' ? msg : ''}`;
  return `${head}${fields === '' ? '' : `  ${paint(DIM, fields)}`}${stack}\n`;
}

/** A pino destination writing readable lines to `out` (default stdout), coloured when `colors`. */
export function prettyDestination(colors: boolean, out: NodeJS.WritableStream = process.stdout): DestinationStream {
  return {
    write(chunk: string): void {
      for (const line of chunk.split('\n')) if (line !== '') out.write(formatPrettyLine(line, colors));
    },
  };
}
