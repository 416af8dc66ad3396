/**
 * Connections and variables in running tasks, on the worker side: a function task's
 * ctx.connection() / ctx.variable() go over IPC to the worker and from there to the WorkerService
 * (a real gRPC server with an in-test engine that answers only running attempts); what the answer
 * says to mask, and what the claim says to mask (values rendered into a bash command), appears as
 * *** in the try's log.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryQueue, silentLogger } from '@updraft/core';
import { type MemoryQueue } from '@updraft/core/internal';
import { readTaskLog, Worker } from '@updraft/worker';
import { TestScheduler, testConnection } from './worker-test-scheduler.js';

const PASSWORD = 'xoxb-7781-s3cr3t';
const DAG_SOURCE = `
import { dag } from '@updraft/sdk';
export default dag({ dagId: 'itest' }, (d) => {
  d.fn('reads', async (ctx) => {
    const slack = await ctx.connection('slack');
    ctx.log('password is', slack.password, 'channel', slack.extraDejson.channel);
    console.error('again on stderr: ' + slack.password);
    const region = await ctx.variable('region');
    const cfg = await ctx.variable('cfg', { json: true });
    const fallback = await ctx.variable('nope', { default: 'dflt' });
    const token = await ctx.variable('api_token');
    ctx.log('token', token);
    return { uri: slack.uri, host: slack.host, region, cfg, fallback, tokenLength: token.length };
  });
  d.fn('missing', async (ctx) => {
    await ctx.connection('nowhere');
  });
});
`;

let dir: string;
let scheduler: TestScheduler;
let address: string;
let queue: MemoryQueue;
let worker: Worker | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'worker-secrets-'));
  await chmod(dir, 0o755);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  scheduler = new TestScheduler();
  address = await scheduler.start();
  queue = createMemoryQueue({ ackWaitMs: 30_000 });
  worker = new Worker({
    allowRootTasks: true, // the tests run as root
    schedulerAddress: address, token: scheduler.token, queue, concurrency: 2, heartbeatIntervalMs: 200,
    logFolder: join(dir, 'logs'), dagCacheFolder: join(dir, 'dag-cache'), logger: silentLogger,
  });
  await worker.start();
});

afterEach(async () => {
  await worker?.stop();
  await queue.close();
  await scheduler.close();
});

const logOf = (taskId: string): Promise<string> => readTaskLog({ logFolder: join(dir, 'logs'), dagId: 'itest', runId: 'manual__1', taskId, tryNumber: 1 });

describe('connections and variables in tasks', () => {
  it('a function task reads them through the scheduler; the log shows *** for the secrets', async () => {
    scheduler.connections.set('slack', {
      connection: testConnection({ connId: 'slack', connType: 'slack', host: 'slack.com', password: PASSWORD, extra: '{"channel":"#ops"}' }),
      mask: [PASSWORD],
    });
    scheduler.variables.set('region', { value: 'eu-west-1', mask: [] });
    scheduler.variables.set('cfg', { value: '{"n":2}', mask: [] });
    scheduler.variables.set('api_token', { value: 'tok-123456', mask: ['tok-123456'] });
    await scheduler.add(queue, { taskId: 'reads', kind: 'function', dagFile: { fileloc: 'itest.ts', content: DAG_SOURCE } });
    await vi.waitFor(() => expect(scheduler.row('reads').state).not.toMatch(/queued|running/), { timeout: 30_000 });
    const report = scheduler.row('reads').report!;
    expect(report.outcome.error).toBeNull();
    expect(JSON.parse(report.outcome.returnValueJson!)).toEqual({
      uri: `slack://:${PASSWORD}@slack.com/?channel=%23ops`, host: 'slack.com', region: 'eu-west-1', cfg: { n: 2 }, fallback: 'dflt', tokenLength: 10,
    });
    const log = await logOf('reads');
    expect(log).toMatch(/\[stdout\] password is \*\*\* channel #ops$/m);
    expect(log).toMatch(/\[stderr\] again on stderr: \*\*\*$/m);
    expect(log).toMatch(/\[stdout\] token \*\*\*$/m);
    expect(log).not.toContain(PASSWORD);
    expect(log).not.toContain('tok-123456');
    // The calls named the running attempt (try and token), which is what authorises them.
    const call = scheduler.calls.find((c) => c.method === 'getConnection')!;
    expect(call.req).toMatchObject({ name: 'slack', attempt: { taskId: 'reads', tryNumber: 1, attemptToken: scheduler.row('reads').message.attemptToken } });
  });

  it('an undefined connection fails the task with the scheduler\'s reason', async () => {
    await scheduler.add(queue, { taskId: 'missing', kind: 'function', dagFile: { fileloc: 'itest.ts', content: DAG_SOURCE } });
    await vi.waitFor(() => expect(scheduler.row('missing').state).toBe('failed'), { timeout: 30_000 });
    expect(scheduler.row('missing').report!.outcome.error).toContain("connection 'nowhere' is not defined");
  });

  it('masks what the claim lists: secrets rendered into a bash command, in the header and the output', async () => {
    await scheduler.add(queue, { taskId: 'curl', kind: 'bash', bashCommand: `echo "calling with ${PASSWORD}"`, mask: [PASSWORD] });
    await vi.waitFor(() => expect(scheduler.row('curl').state).toBe('success'), { timeout: 30_000 });
    const log = await logOf('curl');
    expect(log).toContain('command: echo "calling with ***"');
    expect(log).toMatch(/\[stdout\] calling with \*\*\*$/m);
    expect(log).not.toContain(PASSWORD);
  });
});
