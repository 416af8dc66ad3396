import { describe, expect, it } from 'vitest';
import { formatPrettyLine, resolveLogFormat } from '@updraft/core';

const line = (o: Record<string, unknown>): string => JSON.stringify({ time: '2026-12-01T23:10:05.123Z', pid: 1, hostname: 'h', name: 'scheduler', ...o });

describe('readable component logs (logging.format = pretty)', () => {
  it('prints time, level, component, message and fields on one line', () => {
    expect(formatPrettyLine(line({ level: 30, msg: 'DAG files processed', parsed: 2, file: 'dags/a b.ts' }), false)).toBe(
      '23:10:05.123 INFO  scheduler: DAG files processed  parsed=2 file="dags/a b.ts"\n',
    );
  });

  it('colours the level on a terminal, by level', () => {
    expect(formatPrettyLine(line({ level: 40, msg: 'NATS disconnected' }), true)).toBe('23:10:05.123 \x1b[33mWARN \x1b[0m scheduler: NATS disconnected\n');
    expect(formatPrettyLine(line({ level: 50, msg: 'x' }), true)).toContain('\x1b[31mERROR\x1b[0m');
    expect(formatPrettyLine(line({ level: 30, msg: 'x' }), true)).toContain('\x1b[32mINFO \x1b[0m');
  });

  it('shows an error\'s message as a field and its stack below', () => {
    const out = formatPrettyLine(line({ level: 50, msg: 'tick failed', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at f (x.js:1:1)' } }), false);
    expect(out).toBe('23:10:05.123 ERROR scheduler: tick failed  err=boom\n    Error: boom\n        at f (x.js:1:1)\n');
  });

  it('passes a line that is not JSON through', () => {
    expect(formatPrettyLine('plain text', false)).toBe('plain text\n');
  });

  it('auto is JSON when stdout is not a terminal (as under vitest); json and pretty are taken as they are', () => {
    expect(process.stdout.isTTY === true ? 'pretty' : 'json').toBe(resolveLogFormat('auto'));
    expect(resolveLogFormat('json')).toBe('json');
    expect(resolveLogFormat('pretty')).toBe('pretty');
  });
});
