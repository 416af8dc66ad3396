/**
 * runTaskLocally (`updraft tasks test`): one task of a serialized DAG run here with the worker's
 * executor, templates rendered, log lines printed as they come and written to the try's log file.
 */
import { chmod, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dag, serializeDag, type SerializedDag } from '@updraft/sdk';
import { prepareLocalTask, runTaskLocally } from '@updraft/worker';

const SOURCE = `import { dag } from '@updraft/sdk';
export default dag({ dagId: 'local_test', params: { who: 'param' } }, (d) => {
  d.bash('greet', { command: 'echo "hello {{ params.who }} on {{ ds }} try {{ try_number }}"', env: { RUN: '{{ run_id }}' } });
  d.fn('compute', (ctx) => { ctx.log('computing', ctx.ds); return { who: ctx.params.who, run: ctx.runId }; });
});
`;

let dir: string;
let dagFile: string;
let serialized: SerializedDag;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'worker-local-'));
  await chmod(dir, 0o755);
  dagFile = join(dir, 'local_test.ts');
  await writeFile(dagFile, SOURCE);
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
  await symlink(resolve('node_modules'), join(dir, 'node_modules'));
  // The same DAG built in this process, serialized as the DAG processor would store it.
  const d = dag({ dagId: 'local_test', params: { who: 'param' } }, (b) => {
    b.bash('greet', { command: 'echo "hello {{ params.who }} on {{ ds }} try {{ try_number }}"', env: { RUN: '{{ run_id }}' } });
    b.fn('compute', () => undefined);
  });
  serialized = serializeDag(d, { fileloc: 'local_test.ts', fileHash: '0'.repeat(64), defaultTimezone: 'UTC' });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runTaskLocally', () => {
  it('renders a bash task\'s templates, prints its log lines and writes the try\'s log', async () => {
    const lines: string[] = [];
    const task = prepareLocalTask({ dag: serialized, taskId: 'greet', logicalDate: new Date('2024-02-03T00:00:00Z'), conf: { who: 'conf' } });
    expect(task.spec.bashCommand).toBe('echo "hello conf on 2024-02-03 try 1"');
    expect(task.spec.env).toEqual({ RUN: 'manual__2024-02-03T00:00:00.000Z' });
    const r = await runTaskLocally({ ...task, logFolder: join(dir, 'logs'), output: (l) => lines.push(l) });
    expect(r).toMatchObject({ outcome: 'success', exitCode: 0 });
    expect(lines.some((l) => /\[stdout\] hello conf on 2024-02-03 try 1$/.test(l))).toBe(true);
    expect(r.logFile).toBe(join(dir, 'logs', 'dag_id=local_test/run_id=manual__2024-02-03T00:00:00.000Z/task_id=greet/attempt=1.log'));
    expect(await readFile(r.logFile, 'utf8')).toContain('hello conf on 2024-02-03 try 1');
  });

  it('runs a function task from its DAG file and returns its value', async () => {
    const lines: string[] = [];
    const task = prepareLocalTask({ dag: serialized, taskId: 'compute', dagsFolder: dir, logicalDate: new Date('2024-02-03T00:00:00Z') });
    expect(task.spec.dagFilePath).toBe(dagFile);
    const r = await runTaskLocally({ ...task, logFolder: join(dir, 'logs'), output: (l) => lines.push(l) });
    expect(r.outcome).toBe('success');
    expect(JSON.parse(r.returnValueJson)).toEqual({ who: 'param', run: 'manual__2024-02-03T00:00:00.000Z' });
    expect(lines.some((l) => l.endsWith('[stdout] computing 2024-02-03'))).toBe(true);
  });

  it('names an unknown task', () => {
    expect(() => prepareLocalTask({ dag: serialized, taskId: 'nope' })).toThrow(/DAG 'local_test' has no task 'nope' \(tasks: greet, compute\)/);
  });
});
