/** The worker's secrets masker, and which connections and variables templates name. */
import { describe, expect, it } from 'vitest';
import { buildRunnableTask, templateSecretRefs } from '@updraft/core';
import { SecretsMasker } from '@updraft/worker';
import type { SerializedDag, SerializedTask } from '@updraft/sdk';

describe('SecretsMasker', () => {
  it('masks every occurrence, longest secret first, line by line for multi-line secrets', () => {
    const m = new SecretsMasker();
    expect(m.redact('nothing to hide')).toBe('nothing to hide');
    m.add(['s3cr3t', 's3cr3t-longer', '-----BEGIN KEY-----\nabcdefgh\n-----END KEY-----']);
    expect(m.redact('a s3cr3t b s3cr3t-longer c')).toBe('a *** b *** c');
    expect(m.redact('line abcdefgh')).toBe('line ***');
    expect(m.redact('regex chars (s3cr3t)')).toBe('regex chars (***)');
  });

  it('does not mask values shorter than 5 characters (as Airflow), nor regex metacharacters as patterns', () => {
    const m = new SecretsMasker();
    m.add(['abc', '', 'a.b.c*d']);
    expect(m.size).toBe(1);
    expect(m.redact('abc a.b.c*d aXbYcZd')).toBe('abc *** aXbYcZd');
  });
});

describe('templates naming connections and variables', () => {
  it('finds each connection and variable once', () => {
    expect(templateSecretRefs([
      'curl -u {{ conn.slack.login }}:{{conn.slack.password}} {{ conn.other-one.extra_dejson.x }}',
      '{{ var.value.region }} {{ var.json.cfg.a.b }} {{ var.value.cfg }} {{ ds }} {{ params.conn }}',
    ])).toEqual({ connections: ['slack', 'other-one'], variables: ['region', 'cfg'], jsonVariables: ['cfg'] });
    expect(templateSecretRefs(['echo {{ ds }}'])).toEqual({ connections: [], variables: [], jsonVariables: [] });
  });

  it('renders conn.* and var.* from resolved values and carries what to mask', () => {
    const task = { taskId: 't', kind: 'bash', bashCommand: 'x {{ conn.c.password }} {{ conn.c.extra_dejson.k }} {{ var.json.j.a }}', env: { V: '{{ var.value.v }}' } } as unknown as SerializedTask;
    const dag = { dagId: 'd', timezone: 'UTC', params: {}, fileloc: 'd.ts', fileHash: 'h', tasks: [task] } as unknown as SerializedDag;
    const r = buildRunnableTask({
      dag, taskId: 't', tryNumber: 1, maxTries: 1,
      run: { runId: 'r', logicalDate: new Date(0), dataIntervalStart: new Date(0), dataIntervalEnd: new Date(0), conf: {} },
      secrets: { conn: { c: { password: 'pw-12345', extra_dejson: { k: 'kv' } } }, var: { value: { v: 'vv' }, json: { j: { a: 1 } } }, mask: ['pw-12345'] },
    }, task);
    expect(r.spec.bashCommand).toBe('x pw-12345 kv 1');
    expect(r.spec.env).toEqual({ V: 'vv' });
    expect(r.mask).toEqual(['pw-12345']);
    expect(() => buildRunnableTask({ dag, taskId: 't', tryNumber: 1, maxTries: 1,
      run: { runId: 'r', logicalDate: new Date(0), dataIntervalStart: new Date(0), dataIntervalEnd: new Date(0), conf: {} } }, task))
      .toThrow(/unknown template value '\{\{ conn\.c\.password \}\}'/);
  });
});
