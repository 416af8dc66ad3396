import { describe, expect, it } from 'vitest';
import { SourceArrays, type SourceRef } from '@updraft/scheduler';

const ref: SourceRef = { dagId: 'd', runId: 'r', taskId: 'src' };

function reader(values: Array<string | null | Error>) {
  const reads: SourceRef[] = [];
  const read = (r: SourceRef): Promise<string | null> => {
    reads.push(r);
    const v = values.length > 1 ? values.shift()! : values[0]!;
    return v instanceof Error ? Promise.reject(v) : Promise.resolve(v);
  };
  return { read, reads };
}

describe('SourceArrays (the elements of mapped instances)', () => {
  it('reads a source once for all its elements, concurrent claims included', async () => {
    const { read, reads } = reader(['[1,{"a":[2]},"x"]']);
    const arrays = new SourceArrays(read);
    const items = await Promise.all([0, 1, 2, 3].map((i) => arrays.item(ref, i)));
    expect(items).toEqual(['1', '{"a":[2]}', '"x"', 'null']);
    expect(await arrays.item(ref, 2)).toBe('"x"');
    expect(reads).toHaveLength(1);
  });

  it('reads again after the source ended a try (forget), and keeps sources of other runs apart', async () => {
    const { read, reads } = reader(['[1]', '[2]', '[3]']);
    const arrays = new SourceArrays(read);
    expect(await arrays.item(ref, 0)).toBe('1');
    arrays.forget(ref);
    expect(await arrays.item(ref, 0)).toBe('2');
    expect(await arrays.item({ ...ref, runId: 'other' }, 0)).toBe('3');
    expect(reads.map((r) => r.runId)).toEqual(['r', 'r', 'other']);
  });

  it('keeps neither a failed read nor a missing value', async () => {
    const { read, reads } = reader([new Error('connection lost'), null, 'null', '[7]']);
    const arrays = new SourceArrays(read);
    await expect(arrays.item(ref, 0)).rejects.toThrow('connection lost');
    expect(await arrays.item(ref, 0)).toBe('null');
    expect(await arrays.item(ref, 0)).toBe('null');
    expect(await arrays.item(ref, 0)).toBe('7');
    expect(await arrays.item(ref, 0)).toBe('7');
    expect(reads).toHaveLength(4);
  });

  it('holds at most max sources, the least recently used going first', async () => {
    const { read, reads } = reader(['[0]']);
    const arrays = new SourceArrays(read, 2);
    const a = { ...ref, runId: 'a' }, b = { ...ref, runId: 'b' }, c = { ...ref, runId: 'c' };
    await arrays.item(a, 0);
    await arrays.item(b, 0);
    await arrays.item(a, 0); // a is now the most recently used
    await arrays.item(c, 0); // b goes
    await arrays.item(a, 0);
    await arrays.item(b, 0);
    expect(reads.map((r) => r.runId)).toEqual(['a', 'b', 'c', 'b']);
  });
});
