/**
 * The README's REST API example, end to end with a real scheduler and worker: an Admin user made
 * with `updraft users create --password-stdin`, then with curl and basic auth: trigger
 * hello_world with a conf, poll the run until success, list its task instances, read
 * print_hello's try-1 log. The webserver reads the task logs from the folder the worker writes.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebserver, type RunningWebserver } from '@updraft/webserver';
import { runCli } from '../harness/index.js';
import { startStack, type Stack } from './stack.js';

const run = promisify(execFile);
const PASSWORD = 'readme-Pw-7731';
let stack: Stack;
let web: RunningWebserver;

beforeAll(async () => {
  stack = await startStack({ dagFiles: ['dags/hello_world.ts'] });
  web = await startWebserver({ listen: '127.0.0.1:0', db: stack.pool, logFolder: stack.logFolder });
});

afterAll(async () => {
  await web?.close();
  await stack?.stop();
});

async function curl(...args: string[]): Promise<string> {
  const { stdout } = await run('curl', ['-sS', '--fail-with-body', '-u', `admin:${PASSWORD}`, ...args]);
  return stdout;
}

describe('README: the REST API with curl', () => {
  it('triggers hello_world, polls the run to success, lists its task instances and reads print_hello\'s log', async () => {
    const created = await runCli(['users', 'create', '--username', 'admin', '--role', 'Admin', '--email', 'admin@example.com', '--password-stdin'],
      { env: stack.env, input: `${PASSWORD}\n` });
    expect(created.code, created.stderr).toBe(0);
    const api = `${web.url}/api/v1`;

    const triggered = JSON.parse(await curl('-X', 'POST', `${api}/dags/hello_world/dagRuns`, '-H', 'Content-Type: application/json', '-d', '{"conf":{"x":1}}'));
    // queued, or already running: the scheduler hears of the run at once.
    expect(triggered).toMatchObject({ dag_id: 'hello_world', state: expect.stringMatching(/^(queued|running)$/), conf: { x: 1 } });
    const runId = triggered.dag_run_id as string;

    let state = '';
    for (let i = 0; i < 600 && state !== 'success' && state !== 'failed'; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 200));
      state = JSON.parse(await curl(`${api}/dags/hello_world/dagRuns/${encodeURIComponent(runId)}`)).state;
    }
    expect(state, stack.diagnostics()).toBe('success');

    const tis = JSON.parse(await curl(`${api}/dags/hello_world/dagRuns/${encodeURIComponent(runId)}/taskInstances`));
    expect(tis.total_entries).toBe(2);
    expect(tis.task_instances.map((t: { task_id: string; state: string; try_number: number }) => [t.task_id, t.state, t.try_number]).sort())
      .toEqual([['print_goodbye', 'success', 1], ['print_hello', 'success', 1]]);

    const log = await curl(`${api}/dags/hello_world/dagRuns/${encodeURIComponent(runId)}/taskInstances/print_hello/logs/1`);
    expect(log).toContain('hello from hello_world');
    const json = JSON.parse(await curl('-H', 'Accept: application/json', `${api}/dags/hello_world/dagRuns/${encodeURIComponent(runId)}/taskInstances/print_hello/logs/1`));
    expect(json.content).toBe(log);
    expect(json.continuation_token).toEqual(expect.any(String));

    const tries = JSON.parse(await curl(`${api}/dags/hello_world/dagRuns/${encodeURIComponent(runId)}/taskInstances/print_hello/tries`));
    expect(tries.task_instances).toMatchObject([{ try_number: 1, state: 'success', hostname: expect.any(String) }]);
  });
});
