import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '@updraft/core';

/** A destination collecting the JSON lines the logger writes. */
function collector(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  const lines = () => text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
  return { stream, lines };
}

describe('createLogger', () => {
  it('writes JSON lines with the component name, level and ISO time', () => {
    const out = collector();
    createLogger({ name: 'scheduler', destination: out.stream }).info({ dagId: 'hello_world' }, 'run created');
    const [line] = out.lines();
    expect(line).toMatchObject({ name: 'scheduler', level: 30, msg: 'run created', dagId: 'hello_world' });
    expect(new Date(String(line?.time)).toISOString()).toBe(line?.time);
  });

  it('drops lines below the configured level', () => {
    const out = collector();
    const log = createLogger({ name: 'worker', level: 'warn', destination: out.stream });
    log.info({}, 'hidden');
    log.warn({}, 'shown');
    expect(out.lines().map((l) => l.msg)).toEqual(['shown']);
  });
});
