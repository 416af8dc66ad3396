/**
 * Named statement parameters (core's sql/query.ts): a statement built in variants that leave parts
 * out numbers only the parameters its text uses, in order of first use, and binds their values in
 * that order.
 */
import { describe, expect, it } from 'vitest';
import { namedParameters, namedValues } from '@updraft/core/internal';

describe('named statement parameters', () => {
  it('numbers names in order of first use; a name used twice keeps its number', () => {
    const s = namedParameters('SELECT $(b)::int, $(a)::text[], $(b)::int + 1 FROM t WHERE x = $(c)');
    expect(s.text).toBe('SELECT $1::int, $2::text[], $1::int + 1 FROM t WHERE x = $3');
    expect(s.names).toEqual(['b', 'a', 'c']);
  });

  it('leaves casts, plain $n and a $( that is not followed by a name alone', () => {
    const s = namedParameters("SELECT x::text, $$ $(not a name) $$, $1 FROM t WHERE y = $(y_1)");
    expect(s.text).toBe("SELECT x::text, $$ $(not a name) $$, $1 FROM t WHERE y = $1");
    expect(s.names).toEqual(['y_1']);
  });

  it('binds the values in the numbered order and ignores values the text does not use', () => {
    const s = namedParameters('SELECT $(b), $(a)');
    expect(namedValues('op', s, { a: [1], b: 'x', unused: true })).toEqual(['x', [1]]);
  });

  it('a parameter without a value fails naming the operation and the parameter', () => {
    const s = namedParameters('SELECT $(a), $(b)');
    expect(() => namedValues('finishAttempts', s, { a: 1 })).toThrow("finishAttempts failed: no value for its parameter 'b'");
  });
});
