/** What a try keeps of its rendered spec: the bash command and environment, secrets masked, long values cut. */
import { describe, expect, it } from 'vitest';
import { MAX_RENDERED_CHARS, renderedFieldsOf, type RunnableTask } from '@updraft/core';

const spec = (over: Partial<RunnableTask['spec']>): RunnableTask['spec'] => ({
  kind: 'bash', bashCommand: '', env: {}, dagFile: { fileloc: 'a.ts', fileHash: 'h' }, executionTimeoutMs: 0, umask: '', runAsUser: '',
  runAsGroup: '', maxTries: 1, maxXcomSize: 0, ...over,
});

describe('renderedFieldsOf', () => {
  it('keeps the command and environment with every secret replaced by ***, the longer secret first', () => {
    const fields = renderedFieldsOf({
      spec: spec({ bashCommand: 'curl -u admin:hunter2-long https://x; echo hunter2', env: { TOKEN: 'hunter2', PLAIN: 'day 2024-03-05' } }),
      mask: ['hunter2', 'hunter2-long', ''],
    });
    expect(fields).toEqual({ bash_command: 'curl -u admin:*** https://x; echo ***', env: { TOKEN: '***', PLAIN: 'day 2024-03-05' } });
  });

  it('cuts a value longer than the limit and says how much was not kept', () => {
    const fields = renderedFieldsOf({ spec: spec({ bashCommand: 'x'.repeat(MAX_RENDERED_CHARS + 10) }), mask: [] });
    expect(fields?.bash_command).toBe(`${'x'.repeat(MAX_RENDERED_CHARS)}… (10 more characters not kept)`);
  });

  it('has nothing for a function task without environment', () => {
    expect(renderedFieldsOf({ spec: spec({ kind: 'function' }), mask: [] })).toBeNull();
    expect(renderedFieldsOf({ spec: spec({ kind: 'function', env: { A: 'b' } }), mask: [] })).toEqual({ env: { A: 'b' } });
  });
});
