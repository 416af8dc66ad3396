/**
 * The template context on a real stack (PostgreSQL, nats-server, `updraft scheduler` and `updraft
 * worker` processes): bash commands rendered at claim time with Airflow's names, macros and date
 * filters; prev_*_success from the previous successful run; an unknown name fails the task before
 * it starts; `updraft tasks render` prints what the scheduler would run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../e2e/stack.js';
import { runCase, tryLog, xcomValues } from './cases.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    dagFiles: ['test/fixtures/dags-semantics/templates.ts'],
    workers: [{ name: 'sem-tpl-w1', concurrency: 2 }],
    env: { UPDRAFT_VAR_REGION: 'eu-west-1' },
  });
});

afterAll(async () => {
  await stack?.stop();
});

const stdout = (log: string): string[] => [...log.matchAll(/\[stdout\] (.*)$/gm)].map((m) => m[1]!);

describe('templates', () => {
  it("render Airflow's context, macros and filters; prev_*_success follow the previous successful run", async () => {
    const first = await runCase(stack, 'sem_template_context', { logicalDate: new Date('2024-01-30T15:00:00Z'), conf: { who: 'ops' } });
    expect(first.states).toEqual({ show: 'success', ctx_values: 'success' });
    expect(stdout(await tryLog(stack, 'sem_template_context', first.runId, 'show'))).toEqual([
      `ds=2024-01-31 nodash=20240131 ts_nodash=20240130T150000 run=${first.runId}`,
      'conf=ops table=events task=show try=1 map=-1',
      'prev=[] prev_end=[]',
      'week_later=2024-02-07 slash=31/01/2024',
      'seoul=2024-01-31 00:00',
      'var=eu-west-1',
    ]);
    const second = await runCase(stack, 'sem_template_context', { logicalDate: new Date('2024-02-01T15:00:00Z') });
    expect(second.states).toEqual({ show: 'success', ctx_values: 'success' });
    const lines = stdout(await tryLog(stack, 'sem_template_context', second.runId, 'show'));
    expect(lines[1]).toBe('conf=nobody table=events task=show try=1 map=-1');
    expect(lines[2]).toBe('prev=[2024-01-30T15:00:00.000Z] prev_end=[2024-01-30T15:00:00.000Z]');
    expect((await xcomValues(stack.pool, 'sem_template_context', second.runId))['ctx_values:return_value']).toEqual({
      dsNodash: '20240202', tsNodash: '20240201T150000', mapIndex: -1, prev: '2024-01-30T15:00:00.000Z',
    });
  });

  it('an unknown name fails the task before it starts, naming the name and the template', async () => {
    const r = await runCase(stack, 'sem_template_unknown');
    expect({ run: r.runState, ...r.states }).toEqual({ run: 'failed', bad: 'failed', after: 'upstream_failed' });
    expect(r.errors.bad).toContain("could not start: DAG 'sem_template_unknown' task 'bad' bash_command: unknown template value '{{ dss }}' in '{{ dss }}'");
  });

  it('updraft tasks render prints the command the scheduler would run', async () => {
    const r = await stack.cli(['tasks', 'render', 'sem_template_context', 'show', '2024-01-31', '--conf', '{"who":"cli"}']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('# bash_command\necho "ds=2024-01-31 nodash=20240131 ts_nodash=20240130T150000 run=manual__2024-01-30T15:00:00+00:00"');
    expect(r.stdout).toContain('echo "conf=cli table=events task=show try=1 map=-1"');
    expect(r.stdout).toContain('echo "var=eu-west-1"');
    const bad = await stack.cli(['tasks', 'render', 'sem_template_unknown', 'bad', '2024-01-31']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("unknown template value '{{ dss }}'");
  });
});
