/**
 * The command line refuses bad ids before it does anything (no database is configured here: a
 * refusal comes from the argument check), naming the argument, what is wrong and the rule of
 * docs/identifiers.md. (A NUL byte cannot reach a command line; gRPC and the unit tests cover it.)
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../harness/index.js';

const FORBIDDEN: Array<[string, string, RegExp]> = [
  ['slash', 'a/b', /it contains '\/' \(U\+002F\) at position 2/],
  ['dot-dot', '..', /it starts with '\.' \(U\+002E\)/],
  ['tab', 'a\tb', /it contains "\\t" \(U\+0009\)/],
  ['newline', 'a\nb', /it contains "\\n" \(U\+000A\)/],
  ['space', 'a b', /it contains " " \(U\+0020\)/],
  ['over-length', 'r'.repeat(5000), /\(5000 characters\) is not a valid run id: it is 5000 characters long \(at most 250\)/],
];
const RULE = /a run id is 1-250 characters: letters, digits, '_', '\.', '-', '~', ':' and '\+', starting with a letter, a digit or '_'/;

describe('updraft refuses bad ids at the door', () => {
  it.each(FORBIDDEN)('dags trigger --run-id with %s', async (_name, runId, why) => {
    const r = await runCli(['dags', 'trigger', 'cli_hello', '--run-id', runId]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^updraft: --run-id '.*' .*is not a valid run id: /);
    expect(r.stderr).toMatch(why);
    expect(r.stderr).toMatch(RULE);
    expect(r.stderr.length).toBeLessThan(600);
    expect(r.stdout).toBe('');
  });

  it('checks every id argument the same way', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['tasks', 'logs', 'd', '../x', 't'], /^updraft: run_id '\.\.\/x' is not a valid run id: it contains '\/'/],
      [['tasks', 'states', 'd/e', 'r'], /^updraft: dag_id 'd\/e' is not a valid dag id/],
      [['dags', 'state', 'd', 'a\tb'], /^updraft: run_id 'a\\tb' is not a valid run id/],
      [['tasks', 'test', 'd', 't/../x'], /^updraft: task_id 't\/\.\.\/x' is not a valid task id/],
      [['worker', '--name', 'w/1'], /^updraft: --name 'w\/1' is not a valid worker name/],
      [['worker', '--queues', 'default,etl.daily'], /^updraft: --queues 'etl\.daily' is not a valid queue: it contains '\.'/],
      [['pools', 'get', 'a/b'], /^updraft: pool name 'a\/b' is not a valid pool: it contains '\/'.*; a pool is 1-250 characters/],
      [['pools', 'delete', '..'], /^updraft: pool name '\.\.' is not a valid pool: it starts with '\.'/],
      [['connections', 'delete', 'a\tb'], /^updraft: connection id 'a\\tb' is not a valid connection id: it contains "\\t"/],
      [['connections', 'list', '--conn-id', 'a/b'], /^updraft: --conn-id 'a\/b' is not a valid connection id/],
      [['variables', 'delete', 'a b'], /^updraft: variable key 'a b' is not a valid variable key: it contains " "/],
      [['workers', 'credentials', 'revoke', 'w/1'], /^updraft: NAME 'w\/1' is not a valid worker name/],
      [['workers', 'drain', 'h'.repeat(5000)], /^updraft: name_or_hostname 'h{80}\.\.\.' \(5000 characters\) is not valid: it is 5000 characters long \(at most 255\)/],
    ];
    for (const [args, expected] of cases) {
      const r = await runCli(args);
      expect({ args, code: r.code, stderr: r.stderr }).toMatchObject({ code: 1, stderr: expect.stringMatching(expected) });
    }
  });
});
