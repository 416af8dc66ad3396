/**
 * The identifier grammar (docs/identifiers.md): one rule per kind, the same in the SDK (DAG
 * files), core's door checks (CLI, API, gRPC) and the log paths built from ids.
 */
import { describe, expect, it } from 'vitest';
import { assertIdentifier, assertText, checkManualRunRequest, isIdentifier, jsonHasLoneSurrogate, jsonHasNul, taskLogRelativePath, UpdraftError } from '@updraft/core';
import { identifierProblem } from '@updraft/sdk';
import { withinReportLimits } from '@updraft/worker';

/** One value per forbidden class, with what the message must say. */
const FORBIDDEN: Array<[string, string, RegExp]> = [
  ['slash', 'a/b', /it contains '\/' \(U\+002F\) at position 2/],
  ['backslash', 'a\\b', /it contains '\\' \(U\+005C\) at position 2/],
  // Queue names have no '.' at all.
  ['dot-dot', '..', /it (starts with|contains) '\.' \(U\+002E\)/],
  ['single dot', '.', /it (starts with|contains) '\.' \(U\+002E\)/],
  ['tab', 'a\tb', /it contains "\\t" \(U\+0009\) at position 2/],
  ['newline', 'a\nb', /it contains "\\n" \(U\+000A\) at position 2/],
  ['NUL', 'a\0b', /it contains "\\u0000" \(U\+0000\) at position 2/],
  ['space', 'a b', /it contains " " \(U\+0020\) at position 2/],
  ['non-ASCII', 'café', /it contains 'é' \(U\+00E9\) at position 4/],
  ['empty', '', /it is empty/],
  ['over-length', 'x'.repeat(251), /it is 251 characters long \(at most 250\)/],
];

describe('identifier grammar', () => {
  it.each(FORBIDDEN)('refuses %s in every id kind, naming the rule', (_name, value, why) => {
    for (const kind of ['dag id', 'task id', 'run id', 'worker name', 'pool', 'queue'] as const) {
      expect(isIdentifier(kind, value)).toBe(false);
      let err: unknown;
      try {
        assertIdentifier(kind, value, 'field_x');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UpdraftError);
      expect((err as UpdraftError).code).toBe('INVALID_ARGUMENT');
      const message = (err as UpdraftError).message;
      expect(message).toMatch(new RegExp(`^field_x .* is not a valid ${kind}: `));
      if (kind !== 'queue' || !/over-length/.test(_name)) expect(message).toMatch(why);
      expect(message).toContain(`a ${kind} is 1-`);
    }
  });

  it('accepts what Updraft itself makes and what Airflow users write', () => {
    expect(isIdentifier('run id', 'manual__2024-01-01T00:00:00+00:00')).toBe(true);
    expect(isIdentifier('run id', 'scheduled__2024-01-01T02:00:00+00:00')).toBe(true);
    expect(isIdentifier('run id', 'backfill~1')).toBe(true);
    expect(isIdentifier('dag id', 'etl.daily-v2_x')).toBe(true);
    expect(isIdentifier('worker name', 'host-a.example.com-1234')).toBe(true);
    expect(isIdentifier('task id', 'x'.repeat(250))).toBe(true);
    expect(isIdentifier('queue', 'etl_2-fast')).toBe(true);
  });

  it('keeps queue names apart: no dots, at most 64 characters', () => {
    expect(identifierProblem('queue', 'a.b')).toBe("it contains '.' (U+002E) at position 2");
    expect(identifierProblem('queue', 'q'.repeat(65))).toBe('it is 65 characters long (at most 64)');
  });

  it('cuts a huge value short in the message', () => {
    const message = (() => {
      try {
        assertIdentifier('run id', 'r'.repeat(100_000), 'run_id');
      } catch (err) {
        return (err as Error).message;
      }
      return '';
    })();
    expect(message).toMatch(/^run_id 'r{80}\.\.\.' \(100000 characters\) is not a valid run id: it is 100000 characters long/);
    expect(message.length).toBeLessThan(400);
  });

  it('checks free text for NUL and length', () => {
    expect(assertText('host-a', 'hostname', { maxLength: 255 })).toBe('host-a');
    expect(() => assertText('h\0', 'hostname', { maxLength: 255 })).toThrow(/hostname 'h\\u0000' is not valid: it contains a NUL character at position 2/);
    expect(() => assertText('h'.repeat(300), 'hostname', { maxLength: 255 })).toThrow(/it is 300 characters long \(at most 255\)/);
    expect(() => assertText(' ', 'hostname', { maxLength: 255 })).toThrow(/it is required/);
    expect(assertText('', 'version', { maxLength: 10, allowEmpty: true })).toBe('');
    expect(assertText('a\tb\nc', 'error', { maxLength: 10 })).toBe('a\tb\nc');
    expect(() => assertText('host\nevil', 'hostname', { maxLength: 255, singleLine: true }))
      .toThrow(/hostname 'host\\nevil' is not valid: it contains the control character "\\n" \(U\+000A\) at position 5/);
    expect(() => assertText('v\x1b[31m', 'version', { maxLength: 100, singleLine: true })).toThrow(/"\\u001b" \(U\+001B\) at position 2/);
    expect(() => assertText('h\u0085', 'hostname', { maxLength: 255, singleLine: true })).toThrow(/U\+0085/);
  });
});

describe('JSON text PostgreSQL cannot store', () => {
  it('finds NUL and unpaired surrogates, not their look-alikes', () => {
    expect(jsonHasNul('{"a":"\\u0000"}')).toBe(true);
    expect(jsonHasNul('{"a":"\\\\u0000"}')).toBe(false); // a backslash, then the text u0000
    expect(jsonHasLoneSurrogate('{"a":"\\ud800"}')).toBe(true);
    expect(jsonHasLoneSurrogate('{"\\udc00":1}')).toBe(true);
    expect(jsonHasLoneSurrogate(JSON.stringify({ a: 'x\ud800' }))).toBe(true);
    expect(jsonHasLoneSurrogate('{"a":"\\ud83d\\ude00"}')).toBe(false); // an escaped pair: one emoji
    expect(jsonHasLoneSurrogate(JSON.stringify({ a: '🙂' }))).toBe(false);
    expect(jsonHasLoneSurrogate('{"a":"\\\\ud800"}')).toBe(false); // a backslash, then the text ud800
  });

  it('a manual run refuses such a conf, naming conf', () => {
    expect(() => checkManualRunRequest({ dagId: 'd', conf: { a: 'x\ud800' } })).toThrow(/^conf of a DAG run contains an unpaired UTF-16 surrogate/);
    expect(() => checkManualRunRequest({ dagId: 'd', conf: { a: 'x\u0000' } })).toThrow(/^conf of a DAG run contains a NUL character/);
    expect(() => checkManualRunRequest({ dagId: 'd', conf: { a: '🙂' } })).not.toThrow();
  });
});

describe('ids where they enter and where they become paths', () => {
  it('a manual run (CLI trigger, API) refuses a bad run id or dag id', () => {
    expect(() => checkManualRunRequest({ dagId: 'd', runId: '../../x' })).toThrow(/run id '\.\.\/\.\.\/x' is not a valid run id: it contains '\/'/);
    expect(() => checkManualRunRequest({ dagId: 'd', runId: '..' })).toThrow(/run id '\.\.' is not a valid run id: it starts with '\.'/);
    expect(() => checkManualRunRequest({ dagId: 'd', runId: 'a\tb' })).toThrow(/it contains "\\t"/);
    expect(() => checkManualRunRequest({ dagId: 'd/x' })).toThrow(/dag id 'd\/x' is not a valid dag id/);
    expect(() => checkManualRunRequest({ dagId: 'd', runId: 'manual__x' })).not.toThrow();
  });

  it('a log path can never leave its folder', () => {
    for (const [, bad] of FORBIDDEN) {
      expect(() => taskLogRelativePath({ dagId: 'd', runId: bad, taskId: 't' }, 1)).toThrow(/task log path: run_id/);
      expect(() => taskLogRelativePath({ dagId: bad, runId: 'r', taskId: 't' }, 1)).toThrow(/task log path: dag_id/);
      expect(() => taskLogRelativePath({ dagId: 'd', runId: 'r', taskId: bad }, 1)).toThrow(/task log path: task_id/);
    }
    expect(taskLogRelativePath({ dagId: 'd', runId: 'r', taskId: 't', mapIndex: 2 }, 3)).toBe('dag_id=d/run_id=r/task_id=t/map_index=2.attempt=3.log');
  });
});

describe('a worker keeps its reports within the protocol limits', () => {
  const base = { outcome: 'success' as const, exitCode: 0, error: '', durationMs: 1, returnValueJson: '{"a":1}', timedOut: false };
  it('fails a task whose return value cannot be stored, with the reason', () => {
    const nul = withinReportLimits({ ...base, returnValueJson: '{"a":"x\\u0000"}' });
    expect(nul).toMatchObject({ outcome: 'failed', returnValueJson: '', error: expect.stringContaining('contains a NUL character') });
    const big = withinReportLimits({ ...base, returnValueJson: JSON.stringify('v'.repeat(5 * 1024 * 1024)) });
    expect(big).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/return value cannot be stored: it is \d+ characters of JSON \(at most 4194304\)/) });
    expect(withinReportLimits(base)).toEqual(base);
    // An escaped backslash before u0000 is text, not a NUL.
    expect(withinReportLimits({ ...base, returnValueJson: '"\\\\u0000"' }).outcome).toBe('success');
  });

  it('cuts a long error text and drops NUL characters', () => {
    const r = withinReportLimits({ ...base, outcome: 'failed', exitCode: 1, error: `a\0b${'e'.repeat(100_000)}`, returnValueJson: '' });
    expect(r.error.startsWith('a\uFFFDb')).toBe(true);
    expect(r.error.length).toBeLessThanOrEqual(64 * 1024);
  });
});
