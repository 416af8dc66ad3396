/**
 * Workers on a real nats-server (JetStream adapter, shared durable consumer per queue) and a real
 * gRPC WorkerService: two workers share a queue and no task runs twice; a task running longer
 * than the ack wait is kept by working() and not redelivered.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createJetStreamQueue, silentLogger } from '@updraft/core';
import { type JetStreamQueue } from '@updraft/core/internal';
import { Worker, type WorkerEvent, type WorkerOptions } from '@updraft/worker';
import { startNats, type NatsServer } from '../harness/index.js';
import { TestScheduler, type TaskRow } from './worker-test-scheduler.js';

const DAG_SOURCE = `
import { dag } from '@updraft/sdk';
export default dag({ dagId: 'itest' }, (d) => {
  for (let i = 0; i < 20; i++) d.fn('fn_' + i, async () => { await new Promise((r) => setTimeout(r, 20)); return i; });
});
`;

let dir: string;
let nats: NatsServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'worker-js-'));
  await chmod(dir, 0o755);
  nats = await startNats();
});

afterAll(async () => {
  await nats?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function setup(ackWaitMs: number) {
  const scheduler = new TestScheduler();
  const address = await scheduler.start();
  const queue: JetStreamQueue = await createJetStreamQueue({ url: nats.url, ackWaitMs, stream: `T${Date.now()}`, subjectPrefix: `t${Date.now()}` });
  const workers: Worker[] = [];
  const start = async (over: Partial<WorkerOptions>, events: WorkerEvent[]): Promise<Worker> => {
    const w = new Worker({
      allowRootTasks: true, // the tests run as root
      schedulerAddress: address, token: scheduler.token, queue, concurrency: 3, heartbeatIntervalMs: 500,
      logFolder: join(dir, 'logs'), dagCacheFolder: join(dir, 'dag-cache'), logger: silentLogger,
      onEvent: (e) => events.push(e), ...over,
    });
    workers.push(w);
    await w.start();
    return w;
  };
  const close = async (): Promise<void> => {
    await Promise.all(workers.map((w) => w.stop()));
    await queue.close();
    await scheduler.close();
  };
  return { scheduler, queue, start, close };
}

function startedIds(events: WorkerEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'task-started' ? [e.message.key!.taskId] : []));
}

describe('worker with NATS JetStream', () => {
  it('two workers share one queue; every task runs exactly once', async () => {
    const { scheduler, queue, start, close } = await setup(30_000);
    try {
      const a: WorkerEvent[] = [];
      const b: WorkerEvent[] = [];
      await start({ workerName: 'js-a' }, a);
      await start({ workerName: 'js-b' }, b);
      const rows: TaskRow[] = [];
      for (let i = 0; i < 20; i++) {
        rows.push(await scheduler.add(queue, { taskId: `fn_${i}`, kind: 'function', dagFile: { fileloc: 'itest.ts', content: DAG_SOURCE } }));
        rows.push(await scheduler.add(queue, { taskId: `sh_${i}`, kind: 'bash', bashCommand: 'sleep 0.1' }));
      }
      await vi.waitFor(() => expect(rows.filter((r) => r.state !== 'success').map((r) => r.task.taskId)).toEqual([]), { timeout: 90_000 });
      const all = [...startedIds(a), ...startedIds(b)].sort();
      expect(all).toEqual(rows.map((r) => r.task.taskId).sort());
      expect(new Set(all).size).toBe(40);
      expect(startedIds(a).length).toBeGreaterThan(0);
      expect(startedIds(b).length).toBeGreaterThan(0);
      expect(rows.every((r) => r.claims === 1)).toBe(true);
      expect(JSON.parse(scheduler.row('fn_7').report!.outcome.returnValueJson!)).toBe(7);
      await vi.waitFor(async () => expect((await queue.depths()).default ?? 0).toBe(0));
    } finally {
      await close();
    }
  });

  it('working() keeps a long task\'s message from being redelivered past the ack wait', async () => {
    const { scheduler, queue, start, close } = await setup(1000);
    try {
      const events: WorkerEvent[] = [];
      await start({ workingIntervalMs: 250 }, events);
      await start({ workingIntervalMs: 250, workerName: 'js-other' }, events);
      const row = await scheduler.add(queue, { taskId: 'long', kind: 'bash', bashCommand: 'sleep 3' });
      await vi.waitFor(() => expect(row.state).toBe('success'), { timeout: 60_000 });
      expect(scheduler.count('claimTask')).toBe(1);
      expect(events.filter((e) => e.type === 'claim-refused')).toHaveLength(0);
      await vi.waitFor(async () => expect((await queue.depths()).default ?? 0).toBe(0));
    } finally {
      await close();
    }
  });
});
