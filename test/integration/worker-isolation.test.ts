/**
 * Task isolation defaults of the worker, against a real scheduler and `updraft worker` processes:
 * a worker running as root refuses to run a task as root unless worker.allow_root_tasks is true
 * (the reason is in the task's log); a task's environment holds none of the worker's secrets; its
 * working directory is private to the user it runs as.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSupervisedStack, runEnded, waitUntil, type SupervisedStack } from './supervision-support.js';

const RUN_AS = 65534;
const NATS_PASSWORD = 'nats-secret-in-worker-env';
let stack: SupervisedStack;

function taskLog(dagId: string, runId: string, taskId: string): string {
  return readFileSync(join(stack.logFolder, `dag_id=${dagId}`, `run_id=${runId}`, `task_id=${taskId}`, 'attempt=1.log'), 'utf8');
}

beforeAll(async () => {
  stack = await startSupervisedStack();
  // The run-as user must reach the worker's DAG cache below the stack's folder (mkdtemp makes it 700).
  chmodSync(stack.dir, 0o711);
  // ...and append to the records file the tasks write.
  chmodSync(join(stack.dir, 'records'), 0o777);
  await stack.addDag('iso_root', [{ taskId: 'as_root', queue: 'rootq', body: 'id -u' }]);
  await stack.addDag('iso_env', [{ taskId: 'show_env', queue: 'envq', body: "env; echo \"cwd_mode=$(stat -c '%a %u' .)\"" }]);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('task isolation', () => {
  it('a root worker refuses a root task by default, with the reason in the task log', async () => {
    await stack.spawnWorker('iso-root', ['rootq'], 1, { UPDRAFT__WORKER__ALLOW_ROOT_TASKS: 'false' });
    // The worker says so when it starts, before any task fails (its logger writes the line
    // asynchronously, maybe after the "ready" line the spawn waited for: read until it is there).
    await expect.poll(() => readFileSync(join(stack.dir, 'proc', 'iso-root.log'), 'utf8'), { timeout: 10_000, interval: 50 })
      .toContain('this worker runs tasks as root and worker.allow_root_tasks is false');
    const runId = await stack.trigger('iso_root');
    expect(await runEnded(stack, 'iso_root', runId)).toBe('failed');
    const log = taskLog('iso_root', runId, 'as_root');
    expect(log).toContain('refusing to run this task as root');
    expect(log).toContain('worker.allow_root_tasks');
    // The task's command never ran.
    expect(stack.records('iso_root')).toEqual([]);
  });

  it('a task sees none of the worker\'s secrets, and its working directory is its own (700)', async () => {
    // The worker's environment holds its token and NATS credentials (this nats-server has no
    // users, so it accepts any): the task must see none of them.
    await stack.spawnWorker('iso-env', ['envq'], 1, {
      UPDRAFT__WORKER__RUN_AS_USER: String(RUN_AS),
      UPDRAFT__WORKER__RUN_AS_GROUP: String(RUN_AS),
      UPDRAFT__NATS__USER: 'updraft',
      UPDRAFT__NATS__PASSWORD: NATS_PASSWORD,
    });
    const runId = await stack.trigger('iso_env');
    const state = await runEnded(stack, 'iso_env', runId);
    expect(state, taskLog('iso_env', runId, 'show_env')).toBe('success');
    const log = await waitUntil('the task log', () => {
      try {
        return taskLog('iso_env', runId, 'show_env');
      } catch {
        return undefined;
      }
    });
    expect(log).toMatch(/\bPATH=/);
    expect(log).toContain(`cwd_mode=700 ${RUN_AS}`);
    for (const secret of [stack.token, NATS_PASSWORD, 'UPDRAFT__']) expect(log).not.toContain(secret);
  });
});
