/** The line splitter of task output (packages/worker/src/executor/output.ts): lines, markers and the result after one. */
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '@updraft/worker';

function split(marker?: string) {
  const lines: string[] = [];
  const markers: string[] = [];
  const s = new LineSplitter((l) => lines.push(l), marker === undefined ? undefined : { text: () => marker, onMarker: (rest) => markers.push(rest) });
  return { s, lines, markers };
}

describe('LineSplitter', () => {
  it('splits chunks into lines, drops a trailing \\r, and emits the last partial line at flush', () => {
    const { s, lines } = split();
    s.push('a\r\nb');
    s.push(Buffer.from('c\nd'));
    expect(lines).toEqual(['a', 'bc']);
    s.flush();
    expect(lines).toEqual(['a', 'bc', 'd']);
  });

  it('hands over what follows a marker on its line; text before it is a line of its own', () => {
    const { s, lines, markers } = split('<END>');
    s.push('out<EN');
    s.push('D>{"type":"done"}\n<END>\nafter\n');
    expect(lines).toEqual(['out', 'after']);
    expect(markers).toEqual(['{"type":"done"}', '']);
  });

  it('keeps a marker line longer than the longest line whole, and cuts other long output in pieces', () => {
    const { s, lines, markers } = split('<END>');
    const result = JSON.stringify({ v: 'y'.repeat(200_000) });
    for (let i = 0; i < result.length; i += 16_384) s.push(i === 0 ? `<END>${result.slice(0, 16_384)}` : result.slice(i, i + 16_384));
    s.push('\n');
    expect(markers).toEqual([result]);
    expect(lines).toEqual([]);
    s.push('z'.repeat(100_000));
    expect(lines.length).toBeGreaterThan(0);
    expect(markers).toHaveLength(1);
  });
});
